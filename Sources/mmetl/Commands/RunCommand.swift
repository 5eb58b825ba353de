import ArgumentParser
import Foundation
import MMCore
import MMRuntime

/// `mmetl run`: the nightly job.
struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "The nightly job: every WABA and dataset from its watermark (minus settle days) to the as-of date.")

    @OptionGroup var global: GlobalOptions
    @Option(name: .long, help: "The pipeline file (YAML).") var pipeline: String
    @Option(name: .long, help: "The as-of date YYYY-MM-DD (default: today in each WABA's timezone).") var asOf: String?
    @Flag(name: .long, help: "Print the plan and touch nothing.") var dryRun = false
    @Flag(name: .long, help: "Wait for another run of this pipeline to finish instead of exiting 75.") var wait = false
    @Option(name: .long, help: "Write Prometheus metrics (textfile collector format) to this file, atomically.") var metricsFile: String?
    @OptionGroup var sharding: ShardOptions
    @Flag(name: .long, help: "With --shard: when this is the last shard of the night to finish, run `mmetl transform` afterwards.") var transformIfLast = false

    func validate() throws {
        if transformIfLast && sharding.shard == nil && sharding.shardCount == nil {
            throw ValidationError("--transform-if-last needs --shard or --shard-count: an unsharded run transforms by itself")
        }
        if let a = asOf, Day(a) == nil { throw ValidationError("--as-of must be a date YYYY-MM-DD, not \"\(a)\"") }
    }

    func run() async throws {
        try await withPipeline(global, pipeline) { comp, config, logger in
            let shard = try sharding.resolve(environment: comp.environment)
            let warehouse = try comp.warehouse(config)
            if dryRun {
                print(try await Planning.nightlyPlan(config: config, warehouse: warehouse, databaseURL: comp.databaseURL(config), asOf: asOf.flatMap(Day.init),
                                                     shard: shard))
                return 0
            }
            guard try await warehouse.acquireRunLock(pipeline: config.name, shard: shard, wait: wait) else {
                let what = shard.map { "shard \($0) of pipeline \"\(config.name)\" (or an unsharded run or a transform of it)" }
                    ?? "pipeline \"\(config.name)\" (or a shard or a transform of it)"
                throw CommandFailure(.transient, "another run of \(what) is in progress; retry later or pass --wait")
            }
            var engine = try comp.engine(config, warehouse: warehouse)
            engine.shard = shard
            let progress = Progress(enabled: Terminal.stderrIsTTY && !global.quiet)
            engine.events = progress.sink
            let started = Date()
            let runner = engine, mode = RunEngine.Mode.nightly(asOf: asOf.flatMap(Day.init))
            let args = ArgsJSON.encode(["pipeline": pipeline, "as_of": asOf ?? "", "dry_run": "false", "shard": shard?.description ?? ""])
            let report: RunReport
            do {
                report = try await StopSignals.cancellable { try await runner.run(mode, command: "run", argsJSON: args) }
            } catch {
                progress.finish()
                if let metricsFile { try? Metrics.writeFailure(error, pipeline: config.name, started: started, to: metricsFile) }
                throw error
            }
            progress.finish()
            if let metricsFile { try Metrics.write(report, pipeline: config.name, started: started, to: metricsFile) }
            Summary.print(report)
            if transformIfLast, let shard, report.interruptedBy == nil, report.verdict.exitCode != RunVerdict.failed {
                warehouse.releaseRunLock(pipeline: config.name, shard: shard)
                let step = NightlyTransform(pipeline: config.name, warehouse: warehouse, clock: SystemClock(), logger: logger)
                if let t = try await step.runIfLastShard(shard, argsJSON: ArgsJSON.encode(["pipeline": pipeline, "after_shard": "\(shard)"])) {
                    TransformCommand.printOutcome(t)
                }
            }
            return report.verdict.exitCode
        }
    }
}

/// JSON text of a command's arguments for `etl.runs.args` (never a secret: only flags).
enum ArgsJSON {
    static func encode(_ dict: [String: String]) -> String {
        let data = (try? JSONSerialization.data(withJSONObject: dict, options: [.sortedKeys])) ?? Data("{}".utf8)
        return String(decoding: data, as: UTF8.self)
    }
}
