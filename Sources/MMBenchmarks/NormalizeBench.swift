import ArchiveGzip
import Foundation
import MMCore

/// Normalize throughput on archived pages, for `make bench` (not a test: machines are noisy).
/// Reads every `pricing`/`templates` page under an archive directory into memory, then times the
/// normalizers alone (no I/O, no gunzip), gunzip alone and gzip level 6.
public enum NormalizeBench {
    public struct Report: Sendable, Codable {
        public var pages: Int
        public var jsonMB: Double
        public var gzipRatio: Double
        public var normalizeDataPointsPerS: Double
        public var normalizeMBPerS: Double
        public var gunzipMBPerS: Double
        public var gzip6MBPerS: Double
        enum CodingKeys: String, CodingKey {
            case pages, jsonMB = "json_mb", gzipRatio = "gzip_ratio", normalizeDataPointsPerS = "normalize_data_points_per_s"
            case normalizeMBPerS = "normalize_mb_per_s", gunzipMBPerS = "gunzip_mb_per_s", gzip6MBPerS = "gzip6_mb_per_s"
        }
    }

    public struct NoPages: Error, CustomStringConvertible {
        public let directory: String
        public var description: String { "no pricing/templates pages under \(directory)" }
    }

    public static func run(directory: String, passes: Int) throws -> Report {
        var pages: [(dataset: String, gz: [UInt8], body: [UInt8])] = []
        for dataset in [DatasetName.pricing, DatasetName.templates] {
            let root = "\(directory)/\(dataset)"
            guard let e = FileManager.default.enumerator(atPath: root) else { continue }
            for case let rel as String in e where rel.hasSuffix(".json.gz") {
                let gz = Array(try Data(contentsOf: URL(fileURLWithPath: "\(root)/\(rel)")))
                pages.append((dataset, gz, try GzipDecompressor.gunzip(gz)))
            }
        }
        guard !pages.isEmpty else { throw NoPages(directory: directory) }
        let rawBytes = pages.reduce(0) { $0 + $1.body.count }
        let gzBytes = pages.reduce(0) { $0 + $1.gz.count }
        var points = 0
        let clock = ContinuousClock()
        let tNorm = try clock.measure {
            for _ in 0..<passes {
                for p in pages {
                    let ctx = PageContext(wabaID: "1", currency: "USD", timezone: "America/Sao_Paulo", requestedProductType: "CLOUD_API",
                                          useWABATimezone: true, source: "bench")
                    let b = p.dataset == DatasetName.pricing ? try PricingNormalizer.normalize(p.body, context: ctx)
                                                             : try TemplateAnalyticsNormalizer.normalize(p.body, context: ctx)
                    points += b.dataPoints
                }
            }
        }
        let tGunzip = try clock.measure { for _ in 0..<passes { for p in pages { _ = try GzipDecompressor.gunzip(p.gz) } } }
        let tGzip = try clock.measure { for _ in 0..<passes { for p in pages { _ = try GzipCompressor.gzip(p.body, level: 6) } } }
        func s(_ d: Duration) -> Double { Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18 }
        let mb = Double(rawBytes * passes) / 1e6
        return Report(pages: pages.count, jsonMB: Double(rawBytes) / 1e6, gzipRatio: Double(rawBytes) / Double(gzBytes),
                      normalizeDataPointsPerS: Double(points) / s(tNorm), normalizeMBPerS: mb / s(tNorm),
                      gunzipMBPerS: mb / s(tGunzip), gzip6MBPerS: mb / s(tGzip))
    }
}
