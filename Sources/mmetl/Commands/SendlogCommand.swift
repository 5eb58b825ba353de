import ArgumentParser
import Foundation
import MMCore
import MMRuntime

/// `mmetl sendlog load`: load the business's own send log (SPEC §4).
struct SendlogCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sendlog",
        abstract: "The business's local send log.",
        subcommands: [SendlogLoadCommand.self])
}

struct SendlogLoadCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "load",
        abstract: "Load send-log files (NDJSON/JSONL/CSV, optionally .gz; - reads stdin). Loading a file twice changes nothing.",
        discussion: "Recipients are never stored: only their country and an HMAC-SHA256 keyed by $MMETL_RECIPIENT_HASH_KEY (or the variable sendlog.hash_key_env names). Exits 3 when any line was rejected (see etl.sendlog_rejects).")

    @OptionGroup var global: GlobalOptions
    @Option(name: .long, help: "The pipeline file (YAML).") var pipeline: String
    @Argument(help: "Files to load; - for standard input.") var paths: [String]

    func validate() throws {
        if paths.isEmpty { throw ValidationError("give at least one file (or - for standard input)") }
    }

    func run() async throws {
        let logger = global.makeLogger()
        try await withExitCodes(logger) {
            let comp = Composition(logger: logger)
            let config = try comp.pipeline(pipeline)
            let keyName = config.sendlog.hashKeyEnv
            guard let key = comp.environment[keyName], !key.isEmpty else {
                throw CommandFailure(.config, "sendlog load refuses to run without a recipient hash key: set \(keyName) (recipients are stored only as keyed hashes)")
            }
            return try await SendLogCommandRunner.run(paths: paths, databaseURL: comp.databaseURL(config), hashKey: Array(key.utf8),
                                                      sqlRoot: try comp.sqlRoot(), settings: Composition.transformSettings(config),
                                                      maxLineBytes: config.sendlog.maxLineBytes,
                                                      parseThreads: config.sendlog.parseThreads,
                                                      foldBytes: config.sendlog.foldBytes, logger: logger)
        }
    }
}
