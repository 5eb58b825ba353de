/// Why a gzip stream could not be produced or read back.
public enum GzipError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The bytes are not a valid gzip stream (bad header, bad deflate data, CRC or length mismatch).
    case corrupt(String)
    /// The input ended before the end of a gzip member (or was empty).
    case truncated(String)
    /// zlib itself failed (initialisation, out of memory, misuse).
    case zlib(String)

    public var description: String {
        switch self {
        case .corrupt(let m): return "corrupt gzip data: \(m)"
        case .truncated(let m): return "truncated gzip data: \(m)"
        case .zlib(let m): return "zlib error: \(m)"
        }
    }
}
