import ArgumentParser
import Foundation
import WarehousePG

/// `mmetl migrate`: apply `sql/migrations` in order, each once, checksummed, under an advisory lock.
struct MigrateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "migrate",
        abstract: "Apply sql/migrations in order, each once, checksummed, under an advisory lock.")

    @OptionGroup var global: GlobalOptions
    @OptionGroup var db: DatabaseOptions

    func run() async throws {
        let logger = global.makeLogger()
        try await withExitCodes(logger) {
            let comp = Composition(logger: logger)
            let (_, conn) = try db.connect(comp)
            let runner = MigrationRunner(directory: try comp.sqlRoot().appendingPathComponent("migrations"), logger: logger)
            let report = try runner.run(on: conn)
            if report.applied.isEmpty {
                print("migrate: \(conn.target): up to date (\(report.alreadyApplied) migrations applied earlier)")
            } else {
                print("migrate: \(conn.target): applied \(report.applied.count) (\(report.applied.map(\.fileName).joined(separator: ", "))); \(report.alreadyApplied) already applied")
            }
            return 0
        }
    }
}
