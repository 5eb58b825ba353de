import ArgumentParser
import Foundation
import MMCore
import MMRuntime

/// `mmetl transform`: the cross-WABA transforms of a sharded night, once, after every shard.
struct TransformCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "transform",
        abstract: "Run the SQL transforms once for every day the shards (--shard) loaded since the last transform.",
        discussion: "Run it after every shard of the night finished (a Job after the Indexed Job). It takes the pipeline's run lock, so it waits for (--wait) or refuses with 75 while a shard runs. Recorded in etl.transform_runs; with nothing pending it does nothing and exits 0.")

    @OptionGroup var global: GlobalOptions
    @Option(name: .long, help: "The pipeline file (YAML).") var pipeline: String
    @Flag(name: .long, help: "Wait for running shards of this pipeline to finish instead of exiting 75.") var wait = false

    func run() async throws {
        try await withPipeline(global, pipeline) { comp, config, logger in
            let warehouse = try comp.warehouse(config)
            guard try await warehouse.acquireRunLock(pipeline: config.name, shard: nil, wait: wait) else {
                throw CommandFailure(.transient, "a shard or run of pipeline \"\(config.name)\" is in progress; transform after it finished, or pass --wait")
            }
            let step = NightlyTransform(pipeline: config.name, warehouse: warehouse, clock: SystemClock(), logger: logger)
            let outcome = try await step.run(argsJSON: ArgsJSON.encode(["pipeline": pipeline]))
            Self.printOutcome(outcome)
            return 0
        }
    }

    /// The one line a transform prints on stdout.
    static func printOutcome(_ outcome: NightlyTransform.Outcome) {
        guard let p = outcome.pending else {
            print("transform \(outcome.runID): nothing to transform since the last one")
            return
        }
        let total = outcome.seconds.values.reduce(0, +)
        print("transform \(outcome.runID): days \(p.from)…\(p.to) of runs \(p.sourceRuns.map(String.init).joined(separator: ",")) · \(outcome.seconds.count) file(s) in \(String(format: "%.1f", total))s")
    }
}
