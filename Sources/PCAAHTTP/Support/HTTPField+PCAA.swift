import HTTPTypes
import PCAACore

extension HTTPField.Name {
    /// `X-Mcube-Signature`: hex HMAC-SHA256 of the raw body.
    static let mcubeSignature = HTTPField.Name(WebhookSignature.headerName)!
}
