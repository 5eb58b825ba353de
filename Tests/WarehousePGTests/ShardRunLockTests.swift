import Foundation
import MMCore
import MMTestSupport
import Testing
@testable import WarehousePG

/// The run lock with shards: shards of a pipeline run side by side, the same shard never twice,
/// and an unsharded run (or `mmetl transform`) excludes every shard and is excluded by any.
@Suite(.serialized) struct ShardRunLockTests {
    @Test func shardsRunSideBySideButNeverTwiceAndExcludeAnUnshardedRun() async throws {
        let h = try WarehouseHarness("wh_shardlock")
        let (one, two, three) = (Shard("1/3")!, Shard("2/3")!, Shard("3/3")!)
        let other = h.otherWarehouse(), third = h.otherWarehouse()
        defer { other.close(); third.close() }
        #expect(try await h.warehouse.acquireRunLock(pipeline: "nightly", shard: one, wait: false))
        #expect(try await other.acquireRunLock(pipeline: "nightly", shard: two, wait: false))
        #expect(try await !third.acquireRunLock(pipeline: "nightly", shard: one, wait: false))   // shard 1 runs already
        #expect(try await !third.acquireRunLock(pipeline: "nightly", shard: nil, wait: false))   // unsharded: shards run
        #expect(try await third.acquireRunLock(pipeline: "other", shard: nil, wait: false))      // another pipeline
        h.warehouse.releaseRunLock(pipeline: "nightly", shard: one)
        other.releaseRunLock(pipeline: "nightly", shard: two)
        // The shards are done: an unsharded run (or a transform) takes the lock, and shards wait.
        #expect(try await third.acquireRunLock(pipeline: "nightly", shard: nil, wait: false))
        #expect(try await !h.warehouse.acquireRunLock(pipeline: "nightly", shard: three, wait: false))
        let waiting = Task { try await h.warehouse.acquireRunLock(pipeline: "nightly", shard: three, wait: true) }
        try await Task.sleep(for: .milliseconds(200))
        third.releaseRunLock(pipeline: "nightly")
        #expect(try await waiting.value)
    }
}
