import ArchiveGzip
import ArgumentParser
import Foundation
import MMCore

/// `mmetl archive verify` and `mmetl archive prune`.
struct ArchiveCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "archive", abstract: "Manage the raw archive.",
                                                    subcommands: [ArchiveVerifyCommand.self, ArchivePruneCommand.self])
}

struct ArchivePruneCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "prune",
        abstract: "List (or with --apply, delete) archive files whose window starts more than --older-than days ago.",
        discussion: "Dry run by default; --apply deletes the files and their manifest rows. Pruned windows can no longer be replayed; the API keeps templates 90 days and pricing 1 year, so keep at least that unless another copy exists.")

    @OptionGroup var global: GlobalOptions
    @Option(name: .long, help: "The pipeline file (YAML).") var pipeline: String
    @Option(name: .long, help: "Age in days.") var olderThan: Int
    @Flag(name: .long, help: "Delete (default: only list).") var apply = false

    func validate() throws { if olderThan < 1 { throw ValidationError("--older-than must be at least 1") } }

    func run() async throws {
        try await withPipeline(global, pipeline) { comp, config, logger in
            let store = comp.archive(config)
            let cutoff = Day(epochSecondsUTC: Int64(Date().timeIntervalSince1970)) - olderThan
            let victims = try ArchivePruning.files(in: store, olderThan: cutoff)
            var bytes = 0
            for v in victims {
                bytes += v.bytes
                if apply { try store.remove(relativePath: v.relativePath) } else { print(v.relativePath) }
            }
            // Their manifest rows go too: replay cannot use them, and `archive verify` would report them missing.
            if apply && !victims.isEmpty { _ = try await comp.warehouse(config).forgetRawPages(paths: victims.map(\.relativePath)) }
            print("archive prune: \(victims.count) file(s), \(bytes) bytes, window start before \(cutoff)\(apply ? ": deleted" : " (dry run; --apply deletes)")")
            return 0
        }
    }
}
