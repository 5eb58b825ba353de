import ArgumentParser
import Foundation
import MMCore
import MMRuntime

/// `mmetl replay`: rebuild facts from the raw archive only.
struct ReplayCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "replay",
        abstract: "Rebuild facts for a range from the raw archive only (no API call), verifying every checksum.")

    @OptionGroup var global: GlobalOptions
    @Option(name: .long, help: "The pipeline file (YAML).") var pipeline: String
    @Option(name: .long, help: "First window start YYYY-MM-DD.") var from: String
    @Option(name: .long, help: "Last window start YYYY-MM-DD (inclusive).") var to: String
    @Option(name: .long, help: "Only this WABA (repeatable).") var waba: [String] = []
    @Option(name: .long, help: "Only this dataset (repeatable).") var dataset: [String] = []

    func validate() throws {
        guard let f = Day(from), let t = Day(to) else { throw ValidationError("--from and --to must be dates YYYY-MM-DD") }
        if f > t { throw ValidationError("--from \(from) is after --to \(to)") }
        for d in dataset where !DatasetName.all.contains(d) {
            throw ValidationError("--dataset \(d) is not one of \(DatasetName.all.joined(separator: ", "))")
        }
    }

    func run() async throws {
        try await withPipeline(global, pipeline) { comp, config, logger in
            let warehouse = try comp.warehouse(config)
            var replay = Replay(config: config, archive: comp.archive(config), warehouse: warehouse, clock: SystemClock(), logger: logger)
            StopSignals.install(logger: logger)
            replay.interruption = StopSignals.interruption
            let report = try await replay.run(from: Day(from)!, to: Day(to)!, wabas: waba, datasets: dataset,
                                              argsJSON: ArgsJSON.encode(["pipeline": pipeline, "from": from, "to": to]))
            Summary.print(report)
            return report.verdict.exitCode
        }
    }
}
