#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads a file in fixed-size chunks through one owned file descriptor (closed in `deinit`).
public final class FileByteSource: ByteSource {
    public let name: String
    private let fd: Int32
    private let scratch: UnsafeMutableBufferPointer<UInt8>

    /// - Throws: `ByteSourceError.notFound` or `.io` naming `path`.
    public init(path: String, chunkSize: Int = ByteSources.defaultChunkSize) throws(ByteSourceError) {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else {
            let e = errno
            if e == ENOENT { throw .notFound(path: path) }
            throw .io(path: path, reason: "cannot open: \(String(cString: strerror(e)))")
        }
        self.name = path
        self.fd = fd
        self.scratch = .allocate(capacity: max(1, chunkSize))
    }

    deinit {
        close(fd)
        scratch.deallocate()
    }

    public func read(into buffer: inout [UInt8], maxBytes: Int) throws(ByteSourceError) -> Int {
        let want = min(maxBytes, scratch.count)
        guard want > 0 else { return 0 }
        while true {
            let n = posixRead(fd, scratch.baseAddress, want)
            if n >= 0 {
                if n > 0 { buffer.append(contentsOf: UnsafeBufferPointer(rebasing: scratch[..<n])) }
                return n
            }
            let e = errno
            if e == EINTR { continue }
            throw .io(path: name, reason: "read failed: \(String(cString: strerror(e)))")
        }
    }

    /// Whether the file's first two bytes are the gzip magic `1f 8b` (read without moving the offset).
    func startsWithGzipMagic() throws(ByteSourceError) -> Bool {
        var magic: (UInt8, UInt8) = (0, 0)
        let n = withUnsafeMutableBytes(of: &magic) { pread(fd, $0.baseAddress, 2, 0) }
        if n < 0 { throw .io(path: name, reason: "read failed: \(String(cString: strerror(errno)))") }
        return n == 2 && magic.0 == 0x1f && magic.1 == 0x8b
    }
}
