import Foundation
import Logging
import MMCore

/// `mmetl transform`: the cross-WABA transforms of a sharded night, once, after every shard.
///
/// Sharded runs (`--shard K/N`) load their WABAs and skip the transforms. This step takes every
/// sharded run of the pipeline recorded since the last transform, transforms the WABA-local days
/// their loaded slices cover — the same range one unsharded run over all WABAs would transform, so
/// the warehouse equals a single-process run — and records the transform in `etl.transform_runs`
/// after the transforms committed. A failure records nothing: the next `mmetl transform` redoes it.
/// The caller holds the pipeline's exclusive run lock, so no shard loads meanwhile.
public struct NightlyTransform: Sendable {
    public let pipeline: String
    public let warehouse: any Warehouse & TransformLedger
    public let clock: any RuntimeClock
    public let logger: Logger

    public init(pipeline: String, warehouse: any Warehouse & TransformLedger, clock: any RuntimeClock, logger: Logger) {
        self.pipeline = pipeline; self.warehouse = warehouse; self.clock = clock; self.logger = logger
    }

    /// What the step did: nil `pending` when there was nothing to transform.
    public struct Outcome: Sendable {
        public var runID: Int64
        public var pending: PendingTransform?
        public var seconds: [String: Double]
    }

    /// Runs the pending transforms (as an `etl.runs` row with command `transform`).
    /// - Throws: the failing transform's error, after recording the run as failed.
    public func run(argsJSON: String) async throws -> Outcome {
        let runID = try await warehouse.beginRun(RunStart(pipeline: pipeline, command: "transform", argsJSON: argsJSON,
                                                          asOf: nil, startedAt: clock.now()))
        var log = logger
        log[metadataKey: "run_id"] = "\(runID)"
        do {
            guard let pending = try await warehouse.pendingTransform(pipeline: pipeline) else {
                log.info("nothing to transform: no sharded run loaded anything since the last transform")
                try await finish(runID, status: "succeeded", error: nil)
                return Outcome(runID: runID, pending: nil, seconds: [:])
            }
            log.info("transforming the days the shards loaded", metadata: [
                "from": "\(pending.from)", "to": "\(pending.to)", "runs": "\(pending.sourceRuns)"])
            let seconds = try await warehouse.runTransforms(from: pending.from, to: pending.to)
            try await warehouse.recordTransform(pipeline: pipeline, runID: runID, pending: pending, seconds: seconds)
            try await finish(runID, status: "succeeded", error: nil)
            return Outcome(runID: runID, pending: pending, seconds: seconds)
        } catch {
            log.error("transform failed", metadata: ["error": "\(error)"])
            try? await finish(runID, status: "failed", error: "\(error)")
            throw error
        }
    }

    /// "The last shard to finish transforms": after shard `shard` finished (and released its run
    /// lock), runs the transforms when every shard of the night has finished, else does nothing
    /// (nil). Two shards finishing together both wait for the pipeline's exclusive run lock; the
    /// first transforms, the second finds nothing pending.
    public func runIfLastShard(_ shard: Shard, argsJSON: String) async throws -> Outcome? {
        guard try await warehouse.allShardsFinished(pipeline: pipeline, count: shard.count) else {
            logger.info("other shards are still running: the last one to finish transforms", metadata: ["shard": "\(shard)"])
            return nil
        }
        _ = try await warehouse.acquireRunLock(pipeline: pipeline, shard: nil, wait: true)
        return try await run(argsJSON: argsJSON)
    }

    private func finish(_ runID: Int64, status: String, error: String?) async throws {
        let code: Int32 = status == "succeeded" ? 0 : RunVerdict.failed
        try await warehouse.finishRun(runID, RunOutcome(status: status, exitCode: code, apiCalls: 0, throttleWaits: 0, throttleWaitSeconds: 0,
                                                        bytesArchived: 0, rowsLoaded: 0, diagnostics: [], error: error, finishedAt: clock.now()))
    }
}
