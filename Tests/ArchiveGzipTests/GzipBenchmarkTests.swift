import ArchiveGzip
import Foundation
import MMCore
import Testing

/// Throughput figures, run on demand: `MMETL_BENCH=1 swift test --filter GzipBenchmark`
/// (add `-c release -Xswiftc -enable-testing` for release numbers).
@Suite("gzip benchmark", .enabled(if: ProcessInfo.processInfo.environment["MMETL_BENCH"] != nil), .serialized)
struct GzipBenchmarkTests {
    private func median(_ runs: Int = 3, _ body: () throws -> Void) rethrows -> Double {
        var times: [Double] = []
        for _ in 0..<runs {
            let start = ContinuousClock.now
            try body()
            let d = ContinuousClock.now - start
            times.append(Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18)
        }
        return times.sorted()[runs / 2]
    }

    @Test("levels 1/6/9 on analytics JSON, gunzip, line reading, archive writes")
    func figures() throws {
        let json = Samples.analyticsJSON(approximateBytes: 32 * 1_000_000)
        let mb = Double(json.count) / 1e6
        if let dump = ProcessInfo.processInfo.environment["MMETL_BENCH_DUMP"] {  // to compare with other zlib users
            try Data(json).write(to: URL(fileURLWithPath: dump))
        }
        var level6: [UInt8] = []
        for level in [1, 6, 9] {
            var out: [UInt8] = []
            let t = try median { out = try GzipCompressor.gzip(json, level: level) }
            if level == 6 { level6 = out }
            print(String(format: "gzip level %d: %.0f MB/s, ratio %.1fx (%.1f MB -> %.2f MB)",
                         level, mb / t, Double(json.count) / Double(out.count), mb, Double(out.count) / 1e6))
        }
        var plain: [UInt8] = []
        let tg = try median { plain = try GzipDecompressor.gunzip(level6) }
        #expect(plain == json)
        print(String(format: "gunzip: %.0f MB/s of output", mb / tg))

        // NDJSON lines through the gzip line reader.
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        var ndjson: [UInt8] = []
        var line = 0
        while ndjson.count < 64_000_000 {
            ndjson += Array(#"{"message_id":"wamid.\#(line)","waba_id":"1001","template_id":"\#(line % 500)","sent_at":"2025-01-02T03:04:05Z","status":"delivered"}"#.utf8)
            ndjson.append(0x0a)
            line += 1
        }
        let path = try dir.write(try GzipCompressor.gzip(ndjson, level: 6), to: "sends.ndjson.gz")
        var lines = 0
        let tl = try median(1) {
            lines = 0
            try LineReader.open(path: path).forEachLine { _ in lines += 1 }
        }
        #expect(lines == line)
        print(String(format: "gzip NDJSON line reader: %.0f MB/s, %.0f k lines/s", Double(ndjson.count) / 1e6 / tl, Double(lines) / tl / 1000))

        // Archive writes (compress + two atomic files per page), with and without fsync.
        let page = Array(json.prefix(100_000))
        let pages = 200
        for sync in [true, false] {
            let store = FileArchiveStore(directory: dir.path + "/archive-\(sync)", syncToDisk: sync)
            let tw = try median(1) {
                for seq in 0..<pages {
                    _ = try store.write(page, sidecar: ArchiveSidecar(url: "https://x/y", status: 200, responseHeaders: [], fetchedAt: "t",
                                                                      dataset: "d", wabaID: "1", windowStart: "2025-01-01", windowEnd: "2025-01-02", page: seq),
                                        at: ArchiveKey(dataset: "d", wabaID: "1", windowStart: "2025-01-01", runID: 1, seq: seq))
                }
            }
            print(String(format: "FileArchiveStore.write of 100 kB pages, fsync %@: %.0f pages/s (%.1f ms each)",
                         sync ? "on" : "off", Double(pages) / tw, tw / Double(pages) * 1000))
        }
    }
}
