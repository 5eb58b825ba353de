/// One problem in a pipeline file, located by key path and line: `FILE:LINE: KEY.PATH: message`.
public struct PipelineProblem: Sendable, Equatable, CustomStringConvertible {
    public var file: String
    public var line: Int?
    public var keyPath: String
    public var message: String
    public init(file: String, line: Int?, keyPath: String, message: String) {
        self.file = file; self.line = line; self.keyPath = keyPath; self.message = message
    }
    public var description: String {
        let location = line.map { "\(file):\($0)" } ?? file
        return keyPath.isEmpty ? "\(location): \(message)" : "\(location): \(keyPath): \(message)"
    }
}

/// Every problem of a pipeline file at once. Classified as a configuration error (exit 64).
public struct PipelineValidationError: ClassifiedError, Equatable {
    public var problems: [PipelineProblem]
    public var failureClass: FailureClass { .config }
    public var description: String {
        "invalid pipeline (\(problems.count) problem\(problems.count == 1 ? "" : "s")):\n"
            + problems.map { "  \($0)" }.joined(separator: "\n")
    }
}
