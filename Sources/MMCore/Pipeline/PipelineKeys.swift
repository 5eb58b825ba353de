/// Every key the pipeline parser accepts, by section (`""` is the top level, `wabas[]` each WABA
/// entry). The parser rejects any other key; `docs/pipeline.md` documents each one (a test checks).
public enum PipelineKeys {
    public static let sections: [(section: String, keys: [String])] = [
        ("", ["name", "start_date", "graph", "warehouse", "archive", "datasets", "wabas", "discover", "benchmarks", "sendlog"]),
        ("graph", ["base_url", "api_version", "token_env", "token_file", "app_secret_env", "max_concurrency", "timeout_seconds", "usage_slowdown_percent", "max_wait_seconds", "max_attempts", "page_size", "max_body_megabytes", "max_pages"]),
        ("warehouse", ["url_env"]),
        ("archive", ["dir", "gzip_level"]),
        ("datasets", ["pricing", "templates", "catalog"]),
        ("datasets.pricing", ["granularity", "dimensions", "settle_days", "max_window_days"]),
        ("datasets.templates", ["product_types", "use_waba_timezone", "settle_days", "metric_types", "max_window_days"]),
        ("datasets.catalog", ["fields"]),
        ("wabas[]", ["id", "industry", "timezone", "country"]),
        ("discover", ["business_id", "edges"]),
        ("benchmarks", ["window_days", "min_cohort_businesses"]),
        ("sendlog", ["hash_key_env", "max_line_kilobytes", "parse_threads", "fold_megabytes"]),
    ]

    /// The keys of `section`; empty for an unknown section.
    public static func keys(_ section: String) -> [String] {
        sections.first { $0.section == section }?.keys ?? []
    }

    /// Every key as a dotted path: `name`, `graph.base_url`, `wabas[].id`, …
    public static var paths: [String] {
        sections.flatMap { s in s.keys.map { s.section.isEmpty ? $0 : "\(s.section).\($0)" } }
    }
}
