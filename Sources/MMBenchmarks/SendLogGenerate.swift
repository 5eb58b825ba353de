import ArchiveGzip
import Foundation
import MMSimulator

/// Writes a benchmark send log: `messages` messages of the seeded simulator business (fixed seed),
/// as gzip NDJSON, streamed (memory ≈ one chunk). Lines have the real shapes: a send record per
/// message, then its statuses (sent; delivered and often read, or failed with an error), half of
/// them raw webhook bodies — about 3.45 lines per message.
public enum SendLogGenerate {
    public struct Report: Sendable, Codable {
        public var messages: Int
        public var lines: Int
        public var ndjsonBytes: Int
        public var fileBytes: Int
        public var path: String
        /// The simulated WABAs' ids (for a pipeline file).
        public var wabaIDs: [String]
        enum CodingKeys: String, CodingKey {
            case messages, lines, path
            case wabaIDs = "waba_ids"
            case ndjsonBytes = "ndjson_bytes", fileBytes = "file_bytes"
        }
    }

    public struct GenerateError: Error, CustomStringConvertible { public var description: String }

    /// - Throws: `SimulatorError` when the window is too small for `messages`; I/O and gzip errors.
    public static func run(messages: Int, out path: String, asOf: String, days: Int, wabas: Int,
                           templatesPerWABA: Int, seed: UInt64 = 42, level: Int = 6) throws -> Report {
        let business = SimulatedBusiness(seed: seed, businessID: "1000000000000001", wabaCount: wabas,
                                         templatesPerWABA: templatesPerWABA)
        guard FileManager.default.createFile(atPath: path, contents: nil), let handle = FileHandle(forWritingAtPath: path) else {
            throw GenerateError(description: "cannot create \(path)")
        }
        defer { try? handle.close() }
        let gzip = try GzipCompressor(level: level)
        var compressed: [UInt8] = []
        var written = 0
        let totals = try SendLogStream.write(business: business, asOf: asOf, days: days, messages: messages) { chunk in
            try gzip.compress(chunk, into: &compressed)
            if compressed.count >= 1 << 20 {
                try handle.write(contentsOf: compressed)
                written += compressed.count
                compressed.removeAll(keepingCapacity: true)
            }
        }
        try gzip.finish(into: &compressed)
        try handle.write(contentsOf: compressed)
        written += compressed.count
        return Report(messages: totals.messages, lines: totals.lines, ndjsonBytes: totals.bytes, fileBytes: written, path: path,
                      wabaIDs: business.wabas.map(\.id))
    }
}
