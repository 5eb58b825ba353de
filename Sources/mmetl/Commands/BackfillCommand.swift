import ArgumentParser
import Foundation
import MMCore
import MMRuntime

/// `mmetl backfill`: a resumable manual re-load of a closed date range.
struct BackfillCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backfill",
        abstract: "Re-load a closed date range in chunks recorded in a ledger; re-running the same command resumes.",
        discussion: "Never moves the nightly watermark. Refuses ranges beyond the API's retention (templates 90 days, pricing 1 year) unless --from-archive.")

    @OptionGroup var global: GlobalOptions
    @Option(name: .long, help: "The pipeline file (YAML).") var pipeline: String
    @Option(name: .long, help: "First day YYYY-MM-DD.") var from: String
    @Option(name: .long, help: "Last day YYYY-MM-DD (inclusive).") var to: String
    @Option(name: .long, help: "Only this WABA (repeatable).") var waba: [String] = []
    @Option(name: .long, help: "Only this dataset: pricing, templates, catalog (repeatable).") var dataset: [String] = []
    @Option(name: .long, help: "Days per chunk (the unit of the ledger; each chunk repeats the template calls, so larger chunks make fewer requests).") var chunkDays = 30
    @Flag(name: .long, help: "Print the plan (chunks, estimated API calls) and touch nothing.") var dryRun = false
    @Flag(name: .long, help: "Rebuild the range from the raw archive instead of the API (allows ranges beyond retention).") var fromArchive = false
    @OptionGroup var sharding: ShardOptions

    func validate() throws {
        guard let f = Day(from) else { throw ValidationError("--from must be a date YYYY-MM-DD, not \"\(from)\"") }
        guard let t = Day(to) else { throw ValidationError("--to must be a date YYYY-MM-DD, not \"\(to)\"") }
        if f > t { throw ValidationError("--from \(from) is after --to \(to)") }
        for d in dataset where !DatasetName.all.contains(d) {
            throw ValidationError("--dataset \(d) is not one of \(DatasetName.all.joined(separator: ", "))")
        }
        if !(1...90).contains(chunkDays) { throw ValidationError("--chunk-days must be 1…90") }
        if fromArchive && (sharding.shard != nil || sharding.shardCount != nil) {
            throw ValidationError("--from-archive does not shard: rebuild from the archive in one process")
        }
    }

    func run() async throws {
        try await withPipeline(global, pipeline) { comp, config, logger in
            let f = Day(from)!, t = Day(to)!
            let shard = try sharding.resolve(environment: comp.environment)
            let today = Day(epochSecondsUTC: Int64(Date().timeIntervalSince1970))
            let datasets = dataset.isEmpty ? config.datasetNames.filter { $0 != DatasetName.catalog } : dataset
            if !fromArchive {
                for ds in datasets {
                    if let floor = WindowPlanner.retentionStart(dataset: ds, asOf: today), f < floor {
                        throw CommandFailure(.config, "--from \(from) is beyond the API's retention for \(ds) (earliest \(floor)); use --from-archive to rebuild it from the raw archive")
                    }
                }
            }
            let warehouse = try comp.warehouse(config)
            let args = ArgsJSON.encode(["pipeline": pipeline, "from": from, "to": to, "waba": waba.joined(separator: ","),
                                        "dataset": dataset.joined(separator: ","), "chunk_days": String(chunkDays), "from_archive": String(fromArchive),
                                        "shard": shard?.description ?? ""])
            if dryRun {
                print(try await Planning.backfillPlan(config: config, warehouse: warehouse, databaseURL: comp.databaseURL(config),
                                                      range: BackfillRange(from: f, to: t, wabas: waba, datasets: dataset, chunkDays: chunkDays),
                                                      fromArchive: fromArchive, shard: shard))
                return 0
            }
            if fromArchive {
                var replay = Replay(config: config, archive: comp.archive(config), warehouse: warehouse, clock: SystemClock(), logger: logger)
                StopSignals.install(logger: logger)
                replay.interruption = StopSignals.interruption
                let report = try await replay.run(from: f, to: t, wabas: waba, datasets: dataset, argsJSON: args)
                Summary.print(report)
                return report.verdict.exitCode
            }
            var engine = try comp.engine(config, warehouse: warehouse)
            engine.shard = shard
            let progress = Progress(enabled: Terminal.stderrIsTTY && !global.quiet)
            engine.events = progress.sink
            let runner = engine, mode = RunMode.backfill(from: f, to: t, wabas: waba, datasets: dataset, chunkDays: chunkDays)
            let report = try await StopSignals.cancellable { try await runner.run(mode, command: "backfill", argsJSON: args) }
            progress.finish()
            Summary.print(report)
            return report.verdict.exitCode
        }
    }
}
