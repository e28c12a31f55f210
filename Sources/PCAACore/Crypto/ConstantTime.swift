import CLibCrypto

/// Comparison of secrets that takes the same time wherever the inputs differ.
public enum ConstantTime {
    /// True when `lhs` and `rhs` are byte-for-byte equal; compares HMAC digests so lengths do not leak.
    public static func equal(_ lhs: String, _ rhs: String) -> Bool {
        let key = Array("pcaa-compare".utf8)
        let left = WebhookSignature.hmacSHA256(key: key, message: Array(lhs.utf8))
        let right = WebhookSignature.hmacSHA256(key: key, message: Array(rhs.utf8))
        return left.withUnsafeBytes { a in right.withUnsafeBytes { b in CRYPTO_memcmp(a.baseAddress, b.baseAddress, 32) == 0 } }
    }
}
