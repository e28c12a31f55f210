import CLibCrypto

/// Random secrets for BID webhooks and the generated platform secret.
public enum SecretGenerator {
    /// 32 random bytes from OpenSSL's CSPRNG, hex-encoded (64 characters).
    public static func webhookSecret() -> String {
        var bytes = [UInt8](repeating: 0, count: 32)
        let ok = bytes.withUnsafeMutableBufferPointer { RAND_bytes($0.baseAddress, 32) }
        precondition(ok == 1, "OpenSSL RAND_bytes failed")
        return WebhookSignature.hex(bytes)
    }
}
