import ArchiveGzip
import ArgumentParser
import Foundation
import GraphHTTP
import Logging
import MMCore
import MMRuntime
import WarehousePG

/// The composition root: the only place that reads the environment, files and the wall clock,
/// and wires the adapters into the runtime.
struct Composition {
    let environment: [String: String]
    let logger: Logger

    init(logger: Logger, environment: [String: String] = ProcessInfo.processInfo.environment) {
        self.logger = logger
        self.environment = environment
    }

    /// Reads and validates a pipeline file; every problem at once (exit 64).
    func pipeline(_ path: String) throws -> PipelineConfig {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw CommandFailure(.config, "\(path): cannot read the pipeline file (does it exist?)")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw CommandFailure(.config, "\(path): the pipeline file is not UTF-8 text")
        }
        return try PipelineParser.parse(text, file: path)
    }

    /// The access token from `graph.token_env` or `graph.token_file`. Never logged.
    func token(_ config: PipelineConfig) throws -> AccessToken {
        if let file = config.graph.tokenFile {
            guard let data = FileManager.default.contents(atPath: file), let text = String(data: data, encoding: .utf8) else {
                throw CommandFailure(.config, "graph.token_file: cannot read \(file)")
            }
            let t = AccessToken(text)
            if t.isEmpty { throw CommandFailure(.config, "graph.token_file: \(file) is empty") }
            return t
        }
        let name = config.graph.tokenEnv ?? "MMETL_ACCESS_TOKEN"
        guard let v = environment[name], !v.isEmpty else {
            throw CommandFailure(.config, "the access token is missing: set the environment variable \(name) (graph.token_env), or use graph.token_file")
        }
        return AccessToken(v)
    }

    func appSecret(_ config: PipelineConfig) -> String? {
        config.graph.appSecretEnv.flatMap { environment[$0] }.flatMap { $0.isEmpty ? nil : $0 }
    }

    /// The libpq connection string: `--database`, else the variable `warehouse.url_env` names, else
    /// empty (libpq then uses PG* variables, .pgpass and service files).
    func databaseURL(_ config: PipelineConfig?, override: String? = nil) -> String {
        if let override { return override }
        if let env = config?.warehouse.urlEnv, let v = environment[env], !v.isEmpty { return v }
        if config == nil, let v = environment["DATABASE_URL"], !v.isEmpty { return v }
        return ""
    }

    func sqlRoot() throws -> URL {
        try MigrationDirectory.locateSQLRoot(environment: environment, executablePath: CommandLine.arguments.first.map(Self.executablePath),
                                             currentDirectory: FileManager.default.currentDirectoryPath)
    }

    static func executablePath(_ argv0: String) -> String {
        if let resolved = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") { return resolved }
        return argv0
    }

    func warehouse(_ config: PipelineConfig?, override: String? = nil) throws -> PGWarehouse {
        PGWarehouse(conninfo: databaseURL(config, override: override), logger: logger,
                    transformsDirectory: try sqlRoot().appendingPathComponent("transforms"),
                    transformSettings: Self.transformSettings(config), programVersion: BuildInfo.versionLine)
    }

    /// The `mmetl.*` settings the SQL transforms read, from the pipeline's `benchmarks:`.
    static func transformSettings(_ config: PipelineConfig?) -> [String: String] {
        guard let b = config?.benchmarks else { return [:] }
        return ["mmetl.benchmark_window_days": String(b.windowDays), "mmetl.min_cohort_businesses": String(b.minCohortBusinesses)]
    }

    func archive(_ config: PipelineConfig) -> FileArchiveStore {
        FileArchiveStore(directory: config.archive.dir, compressionLevel: config.archive.gzipLevel)
    }

    func engine(_ config: PipelineConfig, warehouse: PGWarehouse) throws -> RunEngine {
        let transport = try CurlTransport(maxConnections: max(2, config.graph.maxConcurrency))
        let ports = RunEngine.Ports(transport: transport, archive: archive(config), warehouse: warehouse, clock: SystemClock())
        var engine = RunEngine(config: config, ports: ports, token: try token(config), appSecret: appSecret(config), logger: logger)
        StopSignals.install(logger: logger)
        engine.interruption = StopSignals.interruption
        return engine
    }
}

/// A command failure with its class; `run()` maps it to the exit code.
struct CommandFailure: ClassifiedError {
    let failureClass: FailureClass
    let message: String
    init(_ c: FailureClass, _ m: String) { failureClass = c; message = m }
    var description: String { message }
}

/// The prelude of every command that reads a pipeline: the logger the global options ask for, the
/// composition root, the parsed pipeline (its errors name file and line and exit 64), then `body`
/// under `withExitCodes`, so each error is classified into an exit code in one place.
func withPipeline(_ global: GlobalOptions, _ path: String,
                  _ body: (Composition, PipelineConfig, Logger) async throws -> Int32) async throws {
    let logger = global.makeLogger()
    try await withExitCodes(logger) {
        let comp = Composition(logger: logger)
        return try await body(comp, comp.pipeline(path), logger)
    }
}

/// Runs a command body, printing a classified error on one line and exiting with its code.
func withExitCodes(_ logger: Logger, _ body: () async throws -> Int32) async throws {
    let code: Int32
    do {
        code = try await body()
    } catch let e as ExitCode {
        throw e
    } catch let e as PipelineValidationError {
        StandardError.write("error: \(e.description)\n")
        throw ExitCode(RunVerdict.usage)
    } catch let e as any ClassifiedError {
        logger.error("\(e.description)")
        throw ExitCode(RunVerdict.exitCode(for: e.failureClass))
    } catch {
        logger.error("\(error)")
        throw ExitCode(RunVerdict.failed)
    }
    if code != 0 { throw ExitCode(code) }
}
