import ArchiveGzip
import Foundation
import GraphHTTP
import Logging
import MMCore
import MMRuntime
import MMTestSupport
import WarehousePG

/// Wires the real adapters (libcurl, zlib archive, PostgreSQL) against a simulator for one test.
struct RuntimeHarness {
    let sim: GraphSimulator
    let db: TestDatabase
    let archiveDir: String
    let clock: VirtualClock
    let transport: CurlTransport

    init(sim: GraphSimulator, db: TestDatabase) throws {
        self.sim = sim
        self.db = db
        archiveDir = NSTemporaryDirectory() + "mmetl-archive-\(UUID().uuidString)"
        clock = VirtualClock()
        transport = try CurlTransport(maxConnections: 8)
    }

    static var logger: Logger {
        var l = Logger(label: "test")
        l.logLevel = .warning
        return l
    }

    func yaml(startDate: String, extraGraph: String = "", settlePricing: Int = 7, settleTemplates: Int = 10, name: String = "t") -> String {
        """
        name: \(name)
        start_date: \(startDate)
        graph:
          base_url: \(sim.baseURL)
          api_version: v25.0
          token_env: MMETL_ACCESS_TOKEN
          max_concurrency: 4
          timeout_seconds: 5
          max_wait_seconds: 3600
        \(extraGraph)
        archive: { dir: \(archiveDir) }
        datasets:
          pricing:   { granularity: DAILY, dimensions: [PRICING_CATEGORY, PRICING_TYPE, COUNTRY, PHONE, TIER], settle_days: \(settlePricing) }
          templates: { product_types: [MARKETING_MESSAGES_LITE_API, CLOUD_API], use_waba_timezone: true, settle_days: \(settleTemplates) }
          catalog:   {}
        wabas:
        \(sim.wabaIDs.map { "  - { id: \"\($0)\" }" }.joined(separator: "\n"))
        """
    }

    func config(_ yaml: String) throws -> PipelineConfig { try PipelineParser.parse(yaml, file: "test.yaml") }

    var warehouse: PGWarehouse {
        PGWarehouse(conninfo: db.url, logger: Self.logger,
                    transformsDirectory: TestDatabase.repositoryRoot.appendingPathComponent("sql/transforms"))
    }

    var archive: FileArchiveStore { FileArchiveStore(directory: archiveDir) }

    func engine(_ config: PipelineConfig, token: String = "test-token") -> RunEngine {
        var e = RunEngine(config: config, ports: .init(transport: transport, archive: archive, warehouse: warehouse, clock: clock),
                          token: AccessToken(token), appSecret: nil, logger: Self.logger)
        e.jitter = { 0.5 }
        return e
    }

    /// An ordered checksum of a table's contents (ignoring bookkeeping columns when asked).
    func checksum(_ table: String, excluding: [String] = []) throws -> String {
        let conn = try db.connect()
        let cols = try conn.query("""
            SELECT string_agg(quote_ident(column_name), ',' ORDER BY ordinal_position) FROM information_schema.columns
            WHERE table_schema || '.' || table_name = $1 AND NOT (column_name = ANY($2::text[]))
            """, [table, "{" + excluding.joined(separator: ",") + "}"])
        let list = try cols.string(0, 0) ?? "*"
        let r = try conn.query("SELECT md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), '')) FROM (SELECT \(list) FROM \(table)) t")
        return try r.string(0, 0) ?? ""
    }

    func scalar(_ sql: String) throws -> String? {
        try db.connect().query(sql).string(0, 0)
    }
}
