/// The run's database session (and with it its run and liveness locks) was lost, e.g. PostgreSQL
/// restarted mid-run. A warehouse throws it before a slice would commit without its locks; the run
/// stops starting work and ends `interrupted` (exit 75). Re-run the command.
public struct RunLivenessLostError: ClassifiedError, Equatable {
    public var runID: Int64
    public init(runID: Int64) { self.runID = runID }
    public var failureClass: FailureClass { .transient }
    public var description: String {
        "run \(runID) lost its database session (PostgreSQL restarted or the connection dropped), so its locks are gone: stopped; re-run the command"
    }
}
