import ArgumentParser
import Foundation
import GraphHTTP
import Logging
import MMCore
import MMRuntime
import MMSimulator
import WarehousePG

/// `mmetl demo`: the embedded default, end to end, against the built-in simulator.
struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Simulator + migrate + nightly run + generated send log + sendlog load, then an analyst summary.",
        discussion: "`make demo` starts a local PostgreSQL under .local/pg and calls this. Re-runnable: a second demo reuses the database and changes nothing that did not change.")

    @OptionGroup var global: GlobalOptions
    @Option(name: .long, help: "libpq URI or conninfo (default: $DATABASE_URL).") var database: String?
    @Option(name: .long, help: "Simulated WABAs.") var wabas = 10
    @Option(name: .long, help: "Templates per WABA.") var templates = 12
    @Option(name: .long, help: "Days of history.") var days = 30
    @Option(name: .long, help: "Seed of the synthetic data.") var seed: UInt64 = 42
    @Option(name: .long, help: "Working folder for the demo pipeline, archive and send log.") var workdir = ".local/demo"

    func run() async throws {
        let logger = global.makeLogger()
        try await withExitCodes(logger) {
            let comp = Composition(logger: logger)
            let url = database ?? comp.environment["DATABASE_URL"] ?? ""
            guard !url.isEmpty else {
                throw CommandFailure(.config, "no database: run `make demo` (starts one under .local/pg), or pass --database / set DATABASE_URL")
            }
            let started = Date()
            say("1/6 migrating \(try PGConnection(url).target)")
            let conn = try PGConnection(url, logger: logger)
            let migrated = try MigrationRunner(directory: try comp.sqlRoot().appendingPathComponent("migrations"), logger: logger).run(on: conn)
            say("    \(migrated.applied.count) applied, \(migrated.alreadyApplied) already there")

            var simConfig = SimulatorConfig()
            simConfig.seed = seed; simConfig.wabaCount = wabas; simConfig.templatesPerWABA = templates; simConfig.days = days
            let sim = GraphSimulator(config: simConfig)
            _ = try await sim.start()
            defer { Task { try? await sim.stop() } }
            say("2/6 simulator: \(sim.startupLine())")

            try FileManager.default.createDirectory(atPath: workdir, withIntermediateDirectories: true)
            let yaml = DemoPipeline.yaml(baseURL: sim.baseURL, wabaIDs: sim.wabaIDs, archiveDir: "\(workdir)/archive", startDate: Day(sim.asOf)! - (days - 1))
            let pipelinePath = "\(workdir)/pipeline.yaml"
            try Data(yaml.utf8).write(to: URL(fileURLWithPath: pipelinePath))
            let config = try PipelineParser.parse(yaml, file: pipelinePath)

            say("3/6 nightly run over \(sim.wabaIDs.count) WABAs (pipeline \(pipelinePath))")
            let warehouse = PGWarehouse(conninfo: url, logger: logger, transformsDirectory: try comp.sqlRoot().appendingPathComponent("transforms"),
                                        transformSettings: Composition.transformSettings(config), programVersion: BuildInfo.versionLine)
            let transport = try CurlTransport(maxConnections: config.graph.maxConcurrency)
            var engine = RunEngine(config: config, ports: .init(transport: transport, archive: comp.archive(config), warehouse: warehouse, clock: SystemClock()),
                                   token: AccessToken("demo-token"), appSecret: nil, logger: logger)
            let progress = Progress(enabled: Terminal.stderrIsTTY && !global.quiet)
            engine.events = progress.sink
            let runReport = try await engine.run(.nightly(asOf: Day(sim.asOf)), command: "run", argsJSON: ArgsJSON.encode(["pipeline": pipelinePath, "demo": "true"]))
            progress.finish()
            Summary.print(runReport)

            say("4/6 writing the send log that matches the simulator's data")
            let files = try SendLogWriter.write(business: sim.dataset, asOf: sim.asOf, days: days, to: "\(workdir)/sendlog", format: .ndjsonGzip)
            say("5/6 sendlog load \(files.count) file(s)")
            let key = comp.environment[config.sendlog.hashKeyEnv].flatMap { $0.isEmpty ? nil : $0 } ?? "demo-only-not-a-secret"
            let sendlogCode = try await SendLogCommandRunner.run(paths: files, databaseURL: url, hashKey: Array(key.utf8),
                                                                 sqlRoot: try comp.sqlRoot(), settings: Composition.transformSettings(config),
                                                      maxLineBytes: config.sendlog.maxLineBytes,
                                                      parseThreads: config.sendlog.parseThreads, logger: logger)
            _ = try await warehouse.runTransforms(from: (Day(sim.asOf)! - (days - 1)).description, to: sim.asOf)

            say("6/6 what an analyst sees")
            print(try AnalystSummary.render(connection: conn, queries: SummaryQuery.load(from: comp.sqlRoot().appendingPathComponent("summary"))))
            let report = try ReportWriter.write(connection: conn, sqlRoot: try comp.sqlRoot(), pipeline: config.name,
                                                from: nil, to: nil, wabas: [], out: "\(workdir)/report.html")
            print("\nReport (charts, one self-contained HTML file): \(report.path)")
            print("""

            Explore it yourself:
              psql "\(url)"
              then e.g.  SELECT * FROM mm.v_template_performance ORDER BY day DESC LIMIT 20;
              example queries: sql/queries/*.sql · pipeline used: \(pipelinePath) · raw archive: \(workdir)/archive
            demo finished in \(String(format: "%.1f", Date().timeIntervalSince(started)))s
            """)
            return runReport.verdict.exitCode != 0 ? runReport.verdict.exitCode : (sendlogCode == 3 ? 0 : sendlogCode)
        }
    }

    func say(_ s: String) { print("==> \(s)"); Terminal.flushStdout() }
}

/// The demo's pipeline file, pointing at the in-process simulator.
enum DemoPipeline {
    static func yaml(baseURL: String, wabaIDs: [String], archiveDir: String, startDate: Day) -> String {
        """
        # Written by `mmetl demo`: the embedded default against the built-in simulator.
        name: demo
        start_date: \(startDate)
        graph:
          base_url: \(baseURL)
          api_version: v25.0
          token_env: MMETL_ACCESS_TOKEN
          max_concurrency: 8
        warehouse:
          url_env: DATABASE_URL
        archive:
          dir: \(archiveDir)
        datasets:
          pricing:   { granularity: DAILY, dimensions: [PRICING_CATEGORY, PRICING_TYPE, COUNTRY, PHONE, TIER], settle_days: 7 }
          templates: { product_types: [MARKETING_MESSAGES_LITE_API, CLOUD_API], use_waba_timezone: true, settle_days: 10 }
          catalog:   {}
        wabas:
        \(wabaIDs.map { "  - { id: \"\($0)\" }" }.joined(separator: "\n"))
        benchmarks: { window_days: 30, min_cohort_businesses: 2 }   # small on purpose: a demo has few businesses

        """
    }
}
