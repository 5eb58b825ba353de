import MMCore

/// Errors reading an input file (plain or gzip); each names the file.
public enum ByteSourceError: ClassifiedError, Sendable, Equatable {
    case notFound(path: String)
    /// The file is named `.gz` but does not start with the gzip magic bytes `1f 8b`.
    case notGzip(path: String)
    /// The gzip stream is corrupt or truncated.
    case corrupt(path: String, reason: String)
    case io(path: String, reason: String)

    public var description: String {
        switch self {
        case .notFound(let p): return "\(p): file not found"
        case .notGzip(let p): return "\(p): named .gz but not gzip (no 1f 8b magic bytes)"
        case .corrupt(let p, let r): return "\(p): \(r)"
        case .io(let p, let r): return "\(p): \(r)"
        }
    }

    public var failureClass: FailureClass {
        switch self {
        case .notFound: return .config
        case .notGzip, .corrupt, .io: return .terminal
        }
    }
}
