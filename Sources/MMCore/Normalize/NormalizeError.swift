/// A raw page that cannot be normalized. Names the archive file; terminal (retrying won't help).
public struct NormalizeError: ClassifiedError, Equatable {
    public var source: String
    public var reason: String
    public init(source: String, reason: String) { self.source = source; self.reason = reason }
    public var failureClass: FailureClass { .terminal }
    public var description: String { "\(source): \(reason)" }
}
