import CLibCrypto

/// `X-Mcube-Signature`: hex HMAC-SHA256 of the raw body, verified in constant time.
public enum WebhookSignature {
    public static let headerName = "X-Mcube-Signature"

    /// The lower-case hex signature of `body` under `secret`.
    public static func sign(body: [UInt8], secret: String) -> String {
        hex(hmacSHA256(key: Array(secret.utf8), message: body))
    }

    /// True when `header` (hex, any case, optionally `sha256=`-prefixed) is the HMAC of `body` under one of `secrets`.
    public static func isValid(header: String?, body: [UInt8], secrets: [String]) -> Bool {
        guard let header, let provided = decodeHex(stripPrefix(header.trimmingCharacters(in: .whitespaces))),
              provided.count == 32
        else { return false }
        var matched = false
        for secret in secrets where !secret.isEmpty {
            let expected = hmacSHA256(key: Array(secret.utf8), message: body)
            let equal = expected.withUnsafeBytes { lhs in
                provided.withUnsafeBytes { rhs in CRYPTO_memcmp(lhs.baseAddress, rhs.baseAddress, 32) == 0 }
            }
            matched = matched || equal
        }
        return matched
    }

    /// Raw HMAC-SHA256 through OpenSSL's libcrypto.
    public static func hmacSHA256(key: [UInt8], message: [UInt8]) -> [UInt8] {
        var output = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
        var length: UInt32 = 0
        key.withUnsafeBufferPointer { keyBuffer in
            message.withUnsafeBufferPointer { messageBuffer in
                _ = HMAC(
                    EVP_sha256(), keyBuffer.baseAddress, Int32(keyBuffer.count),
                    messageBuffer.baseAddress, messageBuffer.count, &output, &length
                )
            }
        }
        return Array(output.prefix(Int(length)))
    }

    public static func hex(_ bytes: [UInt8]) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var out = [UInt8]()
        out.reserveCapacity(bytes.count * 2)
        for byte in bytes {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    private static func stripPrefix(_ text: String) -> Substring {
        text.lowercased().hasPrefix("sha256=") ? text.dropFirst(7) : Substring(text)
    }

    static func decodeHex(_ text: Substring) -> [UInt8]? {
        let utf8 = Array(text.utf8)
        guard utf8.count % 2 == 0, utf8.count <= 128 else { return nil }
        var bytes = [UInt8]()
        bytes.reserveCapacity(utf8.count / 2)
        var index = 0
        while index < utf8.count {
            guard let high = nibble(utf8[index]), let low = nibble(utf8[index + 1]) else { return nil }
            bytes.append(high << 4 | low)
            index += 2
        }
        return bytes
    }

    /// The value of one hex digit (either case).
    static func nibble(_ byte: UInt8) -> UInt8? {
        switch byte {
        case 0x30...0x39: byte - 0x30
        case 0x61...0x66: byte - 0x61 + 10
        case 0x41...0x46: byte - 0x41 + 10
        default: nil
        }
    }
}
