import MMCore

/// A run stopped by `Interruption` before it could finish: exit 75.
public struct RunInterrupted: ClassifiedError {
    public var reason: String
    public var failureClass: FailureClass { .transient }
    public var description: String { "run interrupted (\(reason)): whole slices were kept; re-run to continue" }
}

/// A runtime failure with its class (e.g. a dataset that cannot run because another failed).
public struct RuntimeError: ClassifiedError {
    public var failureClass: FailureClass
    public var message: String
    public init(failureClass: FailureClass, message: String) { self.failureClass = failureClass; self.message = message }
    public var description: String { message }
}
