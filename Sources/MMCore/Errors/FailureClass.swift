/// How a failure is classified, once, where it is first understood. The executable maps classes
/// to exit codes (SPEC §1): config → 64, transient → 75, auth → 77, terminal → 1.
public enum FailureClass: String, Sendable, Codable, Hashable {
    /// Retrying later may succeed (rate limits, 5xx, timeouts, truncated bodies).
    case transient
    /// Retrying will not help (bad parameters, corrupt archive, data errors).
    case terminal
    /// The token or permission was rejected.
    case auth
    /// The configuration or command line is wrong.
    case config
}

/// A failure that knows its class. Descriptions are safe to log: never a token or a full URL with query.
public protocol ClassifiedError: Error, CustomStringConvertible {
    var failureClass: FailureClass { get }
}

extension FailureClass {
    /// The class of any error: its own when it is classified, else terminal (an error nobody
    /// classified is a bug or a data problem that a retry will not fix).
    public init(of error: any Error) {
        self = (error as? any ClassifiedError)?.failureClass ?? .terminal
    }
}
