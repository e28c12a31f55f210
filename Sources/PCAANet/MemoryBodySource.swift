/// Bytes fed to libcurl's read callback from memory, in as many pieces as curl asks for.
final class MemoryBodySource {
    private let bytes: [UInt8]
    private var offset = 0

    init(_ bytes: [UInt8]) {
        self.bytes = bytes
    }

    var count: Int { bytes.count }

    /// Copies up to `capacity` bytes into `buffer`; 0 at the end.
    func read(into buffer: UnsafeMutablePointer<CChar>, capacity: Int) -> Int {
        let length = min(capacity, bytes.count - offset)
        guard length > 0 else { return 0 }
        bytes.withUnsafeBytes { source in
            UnsafeMutableRawPointer(buffer).copyMemory(from: source.baseAddress! + offset, byteCount: length)
        }
        offset += length
        return length
    }
}
