import ArgumentParser
import Foundation
import MMCore
import WarehousePG

/// `mmetl status`: last runs, watermarks and lag; exits 1 when any lag exceeds `--max-lag`.
struct StatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Last runs, watermarks and lag per WABA/dataset; exits 1 when a lag exceeds --max-lag (for alerting).")

    @OptionGroup var global: GlobalOptions
    @OptionGroup var db: DatabaseOptions
    @Option(name: .long, help: "Alert threshold in hours.") var maxLag: Double?

    func run() async throws {
        let logger = global.makeLogger()
        try await withExitCodes(logger) {
            let comp = Composition(logger: logger)
            let (config, conn) = try db.connect(comp)
            let status = PGStatus(connection: conn)
            let runs = try status.lastRuns(pipeline: config?.name)
            let marks = try status.watermarks(pipeline: config?.name)
            print("Last runs\(config.map { " of \($0.name)" } ?? ""):")
            if runs.isEmpty { print("  (none yet)") }
            for r in runs {
                let secs = r.seconds.map { String(format: "%.1fs", $0) } ?? "running"
                print("  #\(r.runID)  \(r.startedAt)  \(r.command.padding(toLength: 9, withPad: " ", startingAt: 0)) \(r.status.padding(toLength: 9, withPad: " ", startingAt: 0)) exit=\(r.exitCode.map(String.init) ?? "-")  \(secs)  api_calls=\(r.apiCalls) rows=\(r.rowsLoaded)\(r.version.map { "  mmetl \($0)" } ?? "")\(r.error.map { "  error: \($0.prefix(160))" } ?? "")")
            }
            Self.printShards(status, pipeline: config?.name)
            print("Watermarks:")
            if marks.isEmpty { print("  (none yet)") }
            var late = 0
            for m in marks {
                let flag = maxLag.map { m.lagHours > $0 } ?? false
                if flag { late += 1 }
                print("  waba=\(m.wabaID) \(m.dataset.padding(toLength: 9, withPad: " ", startingAt: 0)) through \(m.watermark)  updated \(m.updatedAt)  lag \(String(format: "%.1f", m.lagHours))h\(flag ? "  LATE" : "")\(m.lastError.map { "  last error: \($0.prefix(120))" } ?? "")")
            }
            if let maxLag, late > 0 {
                StandardError.write("status: \(late) watermark(s) lag more than \(maxLag)h\n")
                return 1
            }
            return 0
        }
    }

    /// Each shard's last run and the last transform, when the pipeline runs sharded.
    static func printShards(_ status: PGStatus, pipeline: String?) {
        guard let shards = try? status.lastShardRuns(pipeline: pipeline), !shards.isEmpty else { return }
        print("Shards (last run of each):")
        for s in shards {
            let r = s.run
            let secs = r.seconds.map { String(format: "%.1fs", $0) } ?? "running"
            print("  shard \(s.shard)  #\(r.runID)  \(r.startedAt)  \(r.command.padding(toLength: 9, withPad: " ", startingAt: 0)) \(r.status.padding(toLength: 9, withPad: " ", startingAt: 0)) exit=\(r.exitCode.map(String.init) ?? "-")  \(secs)  rows=\(r.rowsLoaded)")
        }
        if let t = try? status.lastTransform(pipeline: pipeline) {
            print("  last transform \(t.finishedAt): days \(t.from)…\(t.to), runs through #\(t.throughRunID)")
        } else {
            print("  no transform yet: run `mmetl transform` after the shards")
        }
    }
}
