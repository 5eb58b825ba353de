import Foundation
import Testing
@testable import MMSimulator

/// The benchmark's send log: exactly N messages, the writer's line shapes, the same bytes every
/// time, streamed in chunks that end on a line.
struct SendLogStreamTests {
    static func stream(_ messages: Int, chunkBytes: Int = 4096) throws -> (SendLogStream.Totals, [[UInt8]]) {
        let business = SimulatedBusiness(seed: 42, businessID: "1000000000000001", wabaCount: 3, templatesPerWABA: 5)
        var chunks: [[UInt8]] = []
        let totals = try SendLogStream.write(business: business, asOf: "2026-05-31", days: 30, messages: messages,
                                             chunkBytes: chunkBytes) { chunks.append($0) }
        return (totals, chunks)
    }

    @Test func exactlyNMessagesInChunksEndingOnALine() throws {
        let (totals, chunks) = try Self.stream(1_000)
        let text = String(decoding: chunks.flatMap { $0 }, as: UTF8.self)
        let lines = text.split(separator: "\n")
        #expect(totals.messages == 1_000)
        #expect(lines.filter { $0.contains(#""kind":"send""#) }.count == 1_000)
        #expect(totals.lines == lines.count && totals.bytes == text.utf8.count)
        #expect((3_000...4_000).contains(totals.lines), "≈ 3.45 lines a message, got \(totals.lines)")
        #expect(chunks.count > 1 && chunks.allSatisfy { $0.last == 0x0A })
        #expect(lines.contains { $0.contains(#""object":"whatsapp_business_account""#) })
        #expect(lines.contains { $0.contains(#""status":"failed""#) && $0.contains(#""errors""#) })
        #expect(try Self.stream(1_000, chunkBytes: 1 << 20).1.flatMap { $0 } == chunks.flatMap { $0 })
    }

    @Test func aWindowTooSmallSaysSo() throws {
        #expect(throws: SimulatorError.self) { _ = try Self.stream(100_000_000) }
    }
}
