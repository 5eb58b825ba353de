/// How a run ended, from the outcome of its slices (SPEC §1 exit codes). Pure.
public struct RunVerdict: Sendable, Equatable {
    /// `succeeded`, `partial` or `failed`.
    public var status: String
    public var exitCode: Int32
    public init(status: String, exitCode: Int32) { self.status = status; self.exitCode = exitCode }

    public static let success: Int32 = 0
    public static let failed: Int32 = 1
    public static let partial: Int32 = 3
    public static let usage: Int32 = 64
    public static let temporary: Int32 = 75
    public static let permission: Int32 = 77

    /// - Parameters:
    ///   - succeeded: slices that loaded.
    ///   - failures: the class of each slice that failed.
    /// All loaded → 0. Some loaded, some failed → 3. None loaded: all auth → 77; all transient → 75;
    /// config → 64; otherwise 1.
    public static func of(succeeded: Int, failures: [FailureClass]) -> RunVerdict {
        if failures.isEmpty { return RunVerdict(status: "succeeded", exitCode: success) }
        if succeeded > 0 { return RunVerdict(status: "partial", exitCode: partial) }
        let classes = Set(failures)
        if classes == [.auth] { return RunVerdict(status: "failed", exitCode: permission) }
        if classes == [.transient] { return RunVerdict(status: "failed", exitCode: temporary) }
        if classes == [.config] { return RunVerdict(status: "failed", exitCode: usage) }
        if classes.contains(.auth) && !classes.contains(.terminal) { return RunVerdict(status: "failed", exitCode: permission) }
        return RunVerdict(status: "failed", exitCode: failed)
    }

    /// A run stopped on request (SIGTERM/SIGINT) or because it lost its database session: whole
    /// slices kept, the rest left for the next run. Temporary: exit 75.
    public static let interrupted = RunVerdict(status: "interrupted", exitCode: temporary)

    /// The exit code for a failure that stopped a command before any slice (config, auth, …).
    public static func exitCode(for c: FailureClass) -> Int32 {
        switch c {
        case .config: return usage
        case .auth: return permission
        case .transient: return temporary
        case .terminal: return failed
        }
    }
}
