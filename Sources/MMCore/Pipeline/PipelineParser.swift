import Foundation
import Yams

/// Parses and validates a pipeline file (SPEC §2), reporting every problem at once with the file,
/// line and key path. Pure: takes the file's text, never reads the file system or environment.
public enum PipelineParser {
    /// Pricing dimensions the API accepts.
    public static let pricingDimensions: Set<String> = ["COUNTRY", "PHONE", "PRICING_CATEGORY", "PRICING_TYPE", "TIER"]
    public static let pricingGranularities: Set<String> = ["HALF_HOUR", "DAILY", "MONTHLY"]
    public static let discoverEdges: Set<String> = ["owned_whatsapp_business_accounts", "client_whatsapp_business_accounts"]

    /// Parses `text` (the contents of `file`). Throws `PipelineValidationError` listing every problem.
    public static func parse(_ text: String, file: String) throws -> PipelineConfig {
        let root: Node?
        do {
            root = try Yams.compose(yaml: text)
        } catch let error as YamlError {
            throw PipelineValidationError(problems: [PipelineProblem(file: file, line: yamlLine(error), keyPath: "", message: "not valid YAML: \(yamlMessage(error))")])
        }
        var r = ConfigReader(file: file)
        guard let root, let top = r.mapping(root, "") else {
            throw PipelineValidationError(problems: r.problems.isEmpty
                ? [PipelineProblem(file: file, line: nil, keyPath: "", message: "the file is empty")] : r.problems)
        }
        r.allowOnly(top, "", PipelineKeys.keys(""))

        let name = r.string(top, "name", required: true, pattern: { !$0.isEmpty && $0.allSatisfy { $0.isLetter || $0.isNumber || "-_.".contains($0) } },
                            hint: "letters, digits, - _ . only") ?? ""
        let startDate = r.day(top, "start_date")

        // graph
        let g = r.child(top, "graph", required: true)
        if let g { r.allowOnly(g, "graph", PipelineKeys.keys("graph")) }
        let baseURL = r.string(g, "base_url", path: "graph", pattern: BaseURLRule.isAllowed,
                               hint: "an https:// URL (plain http:// only for a loopback host: the token would travel in clear)") ?? "https://graph.facebook.com"
        let apiVersion = r.string(g, "api_version", path: "graph", pattern: { $0.first == "v" && Double($0.dropFirst()) != nil }, hint: "like v25.0") ?? "v25.0"
        let tokenEnv = r.string(g, "token_env", path: "graph", pattern: isEnvName, hint: "an environment variable name")
        let tokenFile = r.string(g, "token_file", path: "graph")
        if g != nil, tokenEnv != nil, tokenFile != nil {
            r.problem(g, "graph", "set only one of token_env and token_file")
        }
        let appSecretEnv = r.string(g, "app_secret_env", path: "graph", pattern: isEnvName, hint: "an environment variable name")
        let graph = GraphSettings(
            baseURL: baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL, apiVersion: apiVersion,
            tokenEnv: tokenEnv ?? (tokenFile == nil ? "MMETL_ACCESS_TOKEN" : nil), tokenFile: tokenFile, appSecretEnv: appSecretEnv,
            maxConcurrency: r.int(g, "max_concurrency", path: "graph", range: 1...64) ?? 8,
            timeoutSeconds: r.int(g, "timeout_seconds", path: "graph", range: 1...600) ?? 60,
            usageSlowdownPercent: r.int(g, "usage_slowdown_percent", path: "graph", range: 1...100) ?? 80,
            maxWaitSeconds: r.int(g, "max_wait_seconds", path: "graph", range: 0...86_400) ?? 900,
            maxAttempts: r.int(g, "max_attempts", path: "graph", range: 1...20) ?? 6,
            pageSize: r.int(g, "page_size", path: "graph", range: 1...5000) ?? 500,
            maxBodyBytes: (r.int(g, "max_body_megabytes", path: "graph", range: 1...4096) ?? 256) << 20,
            maxPages: r.int(g, "max_pages", path: "graph", range: 1...1_000_000) ?? 10_000)

        let w = r.child(top, "warehouse")
        if let w { r.allowOnly(w, "warehouse", PipelineKeys.keys("warehouse")) }
        let warehouse = WarehouseSettings(urlEnv: r.string(w, "url_env", path: "warehouse", pattern: isEnvName, hint: "an environment variable name") ?? (w == nil ? "DATABASE_URL" : nil))

        let a = r.child(top, "archive")
        if let a { r.allowOnly(a, "archive", PipelineKeys.keys("archive")) }
        let archive = ArchiveSettings(dir: r.string(a, "dir", path: "archive", pattern: { !$0.isEmpty }, hint: "a directory") ?? "./archive",
                                      gzipLevel: r.int(a, "gzip_level", path: "archive", range: 1...9) ?? 6)

        // datasets
        var pricing: PricingDataset?
        var templates: TemplatesDataset?
        var catalog: CatalogDataset?
        if let d = r.child(top, "datasets", required: true) {
            r.allowOnly(d, "datasets", PipelineKeys.keys("datasets"))
            if let p = r.child(d, "pricing", path: "datasets", allowNull: true) {
                r.allowOnly(p, "datasets.pricing", PipelineKeys.keys("datasets.pricing"))
                let gran = r.string(p, "granularity", path: "datasets.pricing", pattern: { pricingGranularities.contains($0) }, hint: "one of HALF_HOUR, DAILY, MONTHLY") ?? "DAILY"
                let dims = r.stringList(p, "dimensions", path: "datasets.pricing", allowed: pricingDimensions) ?? ["PRICING_CATEGORY", "PRICING_TYPE", "COUNTRY", "PHONE", "TIER"]
                pricing = PricingDataset(granularity: gran, dimensions: dims,
                                         settleDays: r.int(p, "settle_days", path: "datasets.pricing", range: 0...30) ?? 7,
                                         maxWindowDays: r.int(p, "max_window_days", path: "datasets.pricing", range: 1...366) ?? 90)
            } else if r.has(d, "pricing") { pricing = defaultPricing }
            if let t = r.child(d, "templates", path: "datasets", allowNull: true) {
                r.allowOnly(t, "datasets.templates", PipelineKeys.keys("datasets.templates"))
                let types = r.stringList(t, "product_types", path: "datasets.templates", validate: { Product.ofTemplateProductType($0) != nil },
                                         hint: "MARKETING_MESSAGES_LITE_API, MARKETING_MESSAGES_API_FOR_WHATSAPP or CLOUD_API") ?? ["MARKETING_MESSAGES_LITE_API", "CLOUD_API"]
                templates = TemplatesDataset(productTypes: types,
                                             useWABATimezone: r.bool(t, "use_waba_timezone", path: "datasets.templates") ?? true,
                                             settleDays: r.int(t, "settle_days", path: "datasets.templates", range: 1...30) ?? 10,
                                             metricTypes: r.stringList(t, "metric_types", path: "datasets.templates") ?? [],
                                             maxWindowDays: r.int(t, "max_window_days", path: "datasets.templates", range: 1...90) ?? 90)
            } else if r.has(d, "templates") { templates = defaultTemplates }
            if let c = r.child(d, "catalog", path: "datasets", allowNull: true) {
                r.allowOnly(c, "datasets.catalog", PipelineKeys.keys("datasets.catalog"))
                catalog = CatalogDataset(fields: r.stringList(c, "fields", path: "datasets.catalog") ?? CatalogDataset.defaultFields)
            } else if r.has(d, "catalog") { catalog = CatalogDataset(fields: CatalogDataset.defaultFields) }
            if pricing == nil && templates == nil && catalog == nil {
                r.problem(d, "datasets", "configure at least one of pricing, templates, catalog")
            }
        }

        // wabas
        var wabas: [WABAEntry] = []
        if let list = r.sequence(top, "wabas") {
            var seen: Set<String> = []
            for (i, item) in list.enumerated() {
                let path = "wabas[\(i)]"
                guard let m = r.mapping(item, path) else { continue }
                r.allowOnly(m, path, PipelineKeys.keys("wabas[]"))
                guard let id = r.string(m, "id", path: path, required: true, pattern: isNumericID, hint: "the WABA's numeric id, quoted") else { continue }
                if !seen.insert(id).inserted { r.problem(m["id"], "\(path).id", "duplicate WABA id \(id)") }
                wabas.append(WABAEntry(id: id, industry: r.string(m, "industry", path: path),
                                       timezone: r.string(m, "timezone", path: path, pattern: { ($0.contains("/") || $0 == "UTC") && TimeZone(identifier: $0) != nil },
                                                         hint: "an IANA zone the tz database knows, like America/Sao_Paulo"),
                                       country: r.string(m, "country", path: path, pattern: { $0.count == 2 && $0.allSatisfy(\.isUppercase) }, hint: "an ISO 3166 alpha-2 code like BR")))
            }
        }
        var discover: DiscoverSettings?
        if let dn = r.child(top, "discover") {
            r.allowOnly(dn, "discover", PipelineKeys.keys("discover"))
            let bid = r.string(dn, "business_id", path: "discover", required: true, pattern: isNumericID, hint: "the business portfolio's numeric id, quoted")
            let edges = r.stringList(dn, "edges", path: "discover", allowed: discoverEdges) ?? Array(discoverEdges).sorted()
            if let bid { discover = DiscoverSettings(businessID: bid, edges: edges) }
        }
        if wabas.isEmpty && discover == nil && r.problems.isEmpty {
            r.problem(top, "wabas", "list at least one WABA, or configure discover.business_id")
        }
        let b = r.child(top, "benchmarks")
        if let b { r.allowOnly(b, "benchmarks", PipelineKeys.keys("benchmarks")) }
        let benchmarks = BenchmarkSettings(windowDays: r.int(b, "window_days", path: "benchmarks", range: 1...90) ?? 30,
                                           minCohortBusinesses: r.int(b, "min_cohort_businesses", path: "benchmarks", range: 1...1000) ?? 5)
        let s = r.child(top, "sendlog")
        if let s { r.allowOnly(s, "sendlog", PipelineKeys.keys("sendlog")) }
        let sendlog = SendLogSettings(hashKeyEnv: r.string(s, "hash_key_env", path: "sendlog", pattern: isEnvName, hint: "an environment variable name") ?? "MMETL_RECIPIENT_HASH_KEY",
                                      maxLineBytes: (r.int(s, "max_line_kilobytes", path: "sendlog", range: 1...65_536) ?? 1024) << 10,
                                      parseThreads: r.int(s, "parse_threads", path: "sendlog", range: 1...64),
                                      foldBytes: r.int(s, "fold_megabytes", path: "sendlog", range: 0...1_048_576).map { $0 << 20 })

        if !r.problems.isEmpty { throw PipelineValidationError(problems: r.problems) }
        return PipelineConfig(name: name, startDate: startDate, graph: graph, warehouse: warehouse, archive: archive,
                              pricing: pricing, templates: templates, catalog: catalog, wabas: wabas, discover: discover,
                              benchmarks: benchmarks, sendlog: sendlog)
    }

    static let defaultPricing = PricingDataset(granularity: "DAILY", dimensions: ["PRICING_CATEGORY", "PRICING_TYPE", "COUNTRY", "PHONE", "TIER"], settleDays: 7, maxWindowDays: 90)
    static let defaultTemplates = TemplatesDataset(productTypes: ["MARKETING_MESSAGES_LITE_API", "CLOUD_API"], useWABATimezone: true, settleDays: 10, metricTypes: [], maxWindowDays: 90)

    static func isEnvName(_ s: String) -> Bool {
        guard let f = s.first, f.isLetter || f == "_" else { return false }
        return s.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") }
    }
    static func isNumericID(_ s: String) -> Bool { GraphID.isValid(s) }

    static func yamlLine(_ e: YamlError) -> Int? {
        switch e {
        case .scanner(_, _, let mark, _), .parser(_, _, let mark, _), .composer(_, _, let mark, _): return mark.line
        default: return nil
        }
    }
    static func yamlMessage(_ e: YamlError) -> String {
        switch e {
        case .scanner(_, let problem, _, _), .parser(_, let problem, _, _), .composer(_, let problem, _, _): return problem
        default: return "\(e)"
        }
    }
}

extension CatalogDataset {
    /// `optimization_spec` holds the max-price since 2026-06 (`bid_spec`, its retired name, is still read when a pipeline asks for it).
    public static let defaultFields = ["id", "name", "language", "category", "status", "quality_score", "optimization_spec",
                                       "message_send_ttl_seconds", "send_type"]
}
