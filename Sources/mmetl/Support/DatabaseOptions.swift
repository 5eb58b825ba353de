import ArgumentParser
import MMCore
import WarehousePG

/// `--database` / `--pipeline` for commands that only need a connection (migrate, status).
struct DatabaseOptions: ParsableArguments {
    @Option(name: .long, help: "libpq URI or conninfo (default: the variable warehouse.url_env names, else $DATABASE_URL, else the PG* variables).")
    var database: String?
    @Option(name: .long, help: "A pipeline file whose warehouse.url_env names the database (status also filters on its name).")
    var pipeline: String?

    /// The parsed pipeline (if given) and a connection to its database.
    func connect(_ comp: Composition) throws -> (PipelineConfig?, PGConnection) {
        let config = try pipeline.map(comp.pipeline)
        return (config, try PGConnection(comp.databaseURL(config, override: database), logger: comp.logger))
    }
}
