/// What `mmetl transform` has to do: the WABA-local days that sharded runs loaded since the last
/// transform of the pipeline, and which runs those were.
public struct PendingTransform: Sendable, Equatable {
    /// First and last loaded day (`YYYY-MM-DD`, inclusive) over the covered runs' loaded slices
    /// (the catalog excluded, as in an unsharded run).
    public var from: String
    public var to: String
    /// The sharded runs covered (every sharded run of the pipeline after the previous transform).
    public var sourceRuns: [Int64]
    /// The highest covered run id: the next transform starts after it.
    public var throughRunID: Int64
    public init(from: String, to: String, sourceRuns: [Int64], throughRunID: Int64) {
        self.from = from; self.to = to; self.sourceRuns = sourceRuns; self.throughRunID = throughRunID
    }
}

/// The transform ledger (`etl.transform_runs`): which sharded loads the transforms have covered.
public protocol TransformLedger: Sendable {
    /// The days sharded runs of `pipeline` loaded since its last recorded transform; nil when none.
    /// Call holding the pipeline's exclusive run lock, so no shard is loading meanwhile.
    func pendingTransform(pipeline: String) async throws -> PendingTransform?
    /// Whether the latest run of every shard 1…`count` of `pipeline` since its last transform ended
    /// `succeeded` or `partial`: the night's loads are complete and the last shard may transform.
    /// A failed, interrupted or killed shard is expected to be retried; until then this is false.
    func allShardsFinished(pipeline: String, count: Int) async throws -> Bool
    /// Records that `runID` transformed `pending` (after the transforms committed).
    func recordTransform(pipeline: String, runID: Int64, pending: PendingTransform, seconds: [String: Double]) async throws
}
