import ArgumentParser
import Foundation
import GraphHTTP
import Logging
import MMCore
import MMRuntime
import WarehousePG

/// `mmetl check`: preflight. One line per problem, each with its fix; exit 0 only when all pass.
struct CheckCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Preflight: config, database reachable and migrated, token accepted, template analytics enabled, archive writable.")

    @OptionGroup var global: GlobalOptions
    @Option(name: .long, help: "The pipeline file (YAML).") var pipeline: String

    func run() async throws {
        let logger = global.makeLogger()
        try await withExitCodes(logger) {
            let comp = Composition(logger: logger)
            var problems: [String] = []
            var passed: [String] = []
            let config: PipelineConfig
            do { config = try comp.pipeline(pipeline) } catch let e as PipelineValidationError {
                for p in e.problems { print("FAIL config: \(p)") }
                return RunVerdict.usage
            }
            passed.append("config: \(pipeline) is valid (\(config.wabas.count) WABA(s)\(config.discover != nil ? " + discovery" : ""), datasets \(config.datasetNames.joined(separator: ", ")))")

            // Database reachable and migrated.
            do {
                let conn = try PGConnection(comp.databaseURL(config), logger: logger)
                let plan = try MigrationRunner(directory: try comp.sqlRoot().appendingPathComponent("migrations")).plan(on: conn)
                if plan.pending.isEmpty {
                    passed.append("database: \(conn.target) reachable and migrated")
                    if let pricing = config.pricing {
                        let changes = PricingGrain.changes(loaded: try PGWarehouse.loadedPricingGrains(on: conn, granularity: pricing.granularity),
                                                           granularity: pricing.granularity, configuredDimensions: pricing.dimensions)
                        problems += changes.map { "pricing: \($0)".replacingOccurrences(of: "<file>", with: pipeline) }
                    }
                } else { problems.append("database: \(plan.pending.count) migration(s) pending on \(conn.target) — fix: mmetl migrate --pipeline \(pipeline)") }
            } catch {
                problems.append("database: \(error) — fix: set \(config.warehouse.urlEnv ?? "the PG* variables") to a reachable libpq URI")
            }

            // Archive writable.
            do {
                try FileManager.default.createDirectory(atPath: config.archive.dir, withIntermediateDirectories: true)
                let probe = "\(config.archive.dir)/.mmetl-check-\(getpid())"
                guard FileManager.default.createFile(atPath: probe, contents: Data("ok".utf8)) else { throw CommandFailure(.config, "cannot create a file") }
                try FileManager.default.removeItem(atPath: probe)
                passed.append("archive: \(config.archive.dir) is writable")
            } catch {
                problems.append("archive: \(config.archive.dir) is not writable (\(error)) — fix: create it and give this user write access, or change archive.dir")
            }

            // Token present and accepted; template analytics enabled per WABA.
            do {
                let token = try comp.token(config)
                let transport = try CurlTransport(maxConnections: 2)
                let counters = RunCounters(waitBudget: .seconds(30))
                let client = GraphClient(transport: transport, token: token, clock: SystemClock(), policy: RetryPolicy(maxAttempts: 2), counters: counters,
                                         timeout: .seconds(config.graph.timeoutSeconds))
                var requests = GraphRequests(baseURL: config.graph.baseURL, apiVersion: config.graph.apiVersion, pageSize: config.graph.pageSize)
                if let s = comp.appSecret(config) { requests.appSecretProof = token.appSecretProof(appSecret: s) }
                var tokenOK = true
                for w in config.wabas {
                    do {
                        let r = try await client.get(requests.wabaFields(w.id), logger: logger)
                        let f = try CatalogNormalizer.wabaFields(r.response.body, source: "WABA \(w.id)")
                        if config.templates != nil && f.is_enabled_for_insights == false {
                            problems.append("waba \(w.id): template analytics are not enabled — fix: POST /\(config.graph.apiVersion)/\(w.id)?is_enabled_for_insights=true (once; irreversible)")
                        } else {
                            passed.append("waba \(w.id): reachable (\(f.name ?? "?"), \(f.currency ?? "?"), timezone id \(f.timezone_id ?? "?"))")
                        }
                    } catch let e as GraphError where e.failureClass == .auth {
                        problems.append("token: rejected for WABA \(w.id) (\(e)) — fix: issue a new system-user token with whatsapp_business_management and put it in \(config.graph.tokenEnv ?? config.graph.tokenFile ?? "the token variable")")
                        tokenOK = false
                        break
                    } catch {
                        problems.append("waba \(w.id): \(error) — fix: check graph.base_url and that the WABA id is right and shared with this token's system user")
                    }
                }
                if tokenOK && !config.wabas.isEmpty { passed.append("token: accepted") }
            } catch {
                problems.append("token: \(error)")
            }
            if comp.environment[config.sendlog.hashKeyEnv]?.isEmpty ?? true {
                passed.append("note: \(config.sendlog.hashKeyEnv) is not set; `sendlog load` will refuse to run until it is")
            }
            for p in passed { print("ok   \(p)") }
            for p in problems { print("FAIL \(p)") }
            print(problems.isEmpty ? "check: all passed" : "check: \(problems.count) problem(s)")
            return problems.isEmpty ? 0 : 1
        }
    }
}
