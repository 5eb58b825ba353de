import Foundation
import MMBenchmarks
import Testing

/// Keeps `mmetl-bench sendlog-parse` honest: it parses every line of a generated send log into
/// exactly the records the generator wrote, and folds them or encodes their COPY rows as asked.
@Suite struct SendLogParseBenchTests {
    @Test func parsesEveryGeneratedLineIntoItsRecords() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("mmetl-parse-bench-\(UUID().uuidString).ndjson.gz").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let generated = try SendLogGenerate.run(messages: 500, out: path, asOf: "2026-05-31", days: 5, wabas: 3, templatesPerWABA: 4)

        let encoded = try SendLogParseBench.run(path: path, hashKey: Array("k".utf8), mode: .encode)
        #expect(encoded.lines == generated.lines)
        #expect(encoded.rejected == 0)
        // One send record a message, then its statuses: more records than messages, and a webhook
        // body with several statuses counts once as a line.
        #expect(encoded.records >= generated.messages * 2)
        #expect(encoded.encodedBytes > encoded.records * 20)
        #expect(encoded.parseSeconds > 0 && encoded.linesPerSecond > 0)

        let dropped = try SendLogParseBench.run(path: path, hashKey: Array("k".utf8), mode: .drop)
        #expect(dropped.records == encoded.records && dropped.encodedBytes == 0 && dropped.foldedMessages == 0)

        let folded = try SendLogParseBench.run(path: path, hashKey: Array("k".utf8), mode: .fold)
        #expect(folded.records == encoded.records && folded.foldedMessages == generated.messages && folded.encodedBytes == 0)
    }
}
