import ArchiveGzip
import ArgumentParser
import Foundation
import MMCore

/// `mmetl bench-normalize DIR`: normalize throughput on archived pages (used by `make bench`).
/// Reads every `pricing`/`templates` page under an archive directory into memory, then times the
/// normalizers alone (no I/O, no gunzip) and gunzip alone, and prints data points/s and MB/s.
struct BenchNormalizeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench-normalize", abstract: "Measure normalize and gunzip throughput on an archive directory.",
        shouldDisplay: false)

    @Argument(help: "An archive directory (archive.dir of a pipeline).") var directory: String
    @Option(help: "Passes over the pages.") var passes = 3

    func run() async throws {
        var pages: [(dataset: String, gz: [UInt8], body: [UInt8])] = []
        for dataset in [DatasetName.pricing, DatasetName.templates] {
            let root = "\(directory)/\(dataset)"
            guard let e = FileManager.default.enumerator(atPath: root) else { continue }
            for case let rel as String in e where rel.hasSuffix(".json.gz") {
                let gz = Array(try Data(contentsOf: URL(fileURLWithPath: "\(root)/\(rel)")))
                pages.append((dataset, gz, try GzipDecompressor.gunzip(gz)))
            }
        }
        guard !pages.isEmpty else { throw ValidationError("no pricing/templates pages under \(directory)") }
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
        print(String(format: "{\"pages\": %d, \"json_mb\": %.2f, \"gzip_ratio\": %.2f, \"normalize_data_points_per_s\": %.0f, \"normalize_mb_per_s\": %.2f, \"gunzip_mb_per_s\": %.1f, \"gzip6_mb_per_s\": %.1f}",
                     pages.count, Double(rawBytes) / 1e6, Double(rawBytes) / Double(gzBytes), Double(points) / s(tNorm), mb / s(tNorm),
                     mb / s(tGunzip), mb / s(tGzip)))
    }
}
