import ArgumentParser

/// `mmetl`: moves Marketing Messages API for WhatsApp analytics into PostgreSQL.
@main
struct MMETL: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mmetl",
        abstract: "Extract WhatsApp Marketing Messages API analytics into a PostgreSQL warehouse.",
        discussion: """
        Exit codes: 0 success · 1 failed · 3 partial (some WABAs/datasets failed) · 64 usage/config error ·
        75 temporary (rate-limited or API unavailable; retry later) · 77 token or permission rejected.
        """,
        version: BuildInfo.versionLine,
        subcommands: [
            RunCommand.self, BackfillCommand.self, ReplayCommand.self, SendlogCommand.self, MigrateCommand.self,
            StatusCommand.self, CheckCommand.self, SimulateCommand.self, DemoCommand.self, ReportCommand.self, ArchiveCommand.self,
            TransformCommand.self,
        ]
    )

    /// Caps the allocator's arenas before any other thread runs (`AllocatorArenas`), then parses
    /// and runs the command as `AsyncParsableCommand.main()` does.
    static func main() async {
        AllocatorArenas.capAtOnePerCore()
        await main(nil)
    }
}
