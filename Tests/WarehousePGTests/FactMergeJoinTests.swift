import Foundation
import MMCore
import Testing
@testable import WarehousePG

/// A large merge joins staging and fact by hashing, whatever the fact's statistics say.
@Suite(.serialized) struct FactMergeJoinTests {
    /// The merge of a slice into a partition autovacuum has analyzed: with true row counts the
    /// planner sorts both sides by the 10-column key and merge-joins them — measured on 200,000
    /// rows, the join 4.2 s against 1.0 s by hashing. The merge of a slice of
    /// `FactMerge.hashJoinThreshold` rows or more has neither merge joins nor nested loops.
    @Test func aLargeMergeIntoAnAnalyzedPartitionHashes() async throws {
        let h = try WarehouseHarness("wh_merge_join")
        let run = try await h.beginRun()
        let days = (1...10).map { String(format: "2026-10-%02d", $0) }
        let perDay = FactMerge.hashJoinThreshold / days.count + 1
        var batch = NormalizedBatch()
        batch.pricing = Samples.pricing(days: days, perDay: perDay)
        _ = try await h.load(batch, dataset: "pricing", window: (days[0], days[9]), finalBefore: "2026-09-01", runID: run)
        try h.connection.execute("ANALYZE mm.fact_pricing")

        let changed = Samples.pricing(days: days, perDay: perDay, base: 7)
        let staged = StagingRows.pricing(changed)
        let plan = FactMergePlan(.pricing)
        try h.connection.execute(plan.createStaging)
        try h.connection.execute("BEGIN")
        defer { try? h.connection.execute("ROLLBACK") }
        _ = try FactMerge.copy(plan.copy, on: h.connection, write: staged.write)
        try h.connection.execute(plan.analyzeStaging)
        try FactMerge.chooseJoins(rows: Int64(staged.count), on: h.connection)
        let explain = try h.connection.query("EXPLAIN " + plan.merge, [run, 1_790_000_000.0, "2026-09-01", days[0], days[9]])
        let text = try (0..<explain.count).map { try explain.string($0, 0) ?? "" }.joined(separator: "\n")
        #expect(text.contains("Hash Right Join") || text.contains("Hash Left Join"), "\(text)")
        #expect(!text.contains("Merge Join") && !text.contains("Merge Left Join") && !text.contains("Merge Right Join"), "\(text)")
        #expect(!text.contains("Nested Loop"), "\(text)")
    }
}
