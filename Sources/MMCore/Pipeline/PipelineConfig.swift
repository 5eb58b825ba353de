/// The pipeline file (SPEC §2), validated. Built only by `PipelineParser`, so every instance is valid.
public struct PipelineConfig: Sendable, Equatable {
    public var name: String
    /// Where a first run with no watermark begins (clamped to each dataset's retention).
    public var startDate: Day?
    public var graph: GraphSettings
    public var warehouse: WarehouseSettings
    public var archive: ArchiveSettings
    public var pricing: PricingDataset?
    public var templates: TemplatesDataset?
    public var catalog: CatalogDataset?
    public var wabas: [WABAEntry]
    public var discover: DiscoverSettings?
    public var benchmarks: BenchmarkSettings
    public var sendlog: SendLogSettings

    /// The datasets configured, in the order a run processes them (catalog first: its ids feed templates).
    public var datasetNames: [String] {
        var names: [String] = []
        if catalog != nil || templates != nil { names.append(DatasetName.catalog) }
        if pricing != nil { names.append(DatasetName.pricing) }
        if templates != nil { names.append(DatasetName.templates) }
        return names
    }

    /// Settle days of a dataset (0 for the catalog).
    public func settleDays(_ dataset: String) -> Int {
        switch dataset {
        case DatasetName.pricing: return pricing?.settleDays ?? 0
        case DatasetName.templates: return templates?.settleDays ?? 0
        default: return 0
        }
    }
}

/// Dataset names as they appear in the pipeline file, the archive and the ledger.
public enum DatasetName {
    public static let pricing = "pricing"
    public static let templates = "templates"
    public static let catalog = "catalog"
    public static let all = [catalog, pricing, templates]

    /// How far back the API keeps a dataset (reference §0): templates 90 days, pricing 1 year.
    public static func retentionDays(_ dataset: String) -> Int? {
        switch dataset {
        case pricing: return 365
        case templates: return 90
        default: return nil
        }
    }
}

public struct GraphSettings: Sendable, Equatable {
    public var baseURL: String
    public var apiVersion: String
    public var tokenEnv: String?
    public var tokenFile: String?
    public var appSecretEnv: String?
    public var maxConcurrency: Int
    /// Per-request total timeout.
    public var timeoutSeconds: Int
    /// Usage-header percentage at which the client slows down before Meta throttles it.
    public var usageSlowdownPercent: Int
    /// Total time a run may spend waiting on throttling and backoff before giving up (exit 75).
    public var maxWaitSeconds: Int
    /// Attempts per request before the error is final.
    public var maxAttempts: Int
    /// Page size requested (`limit`).
    public var pageSize: Int
    /// Largest decoded response body accepted (`max_body_megabytes`, default 256 MiB); a larger
    /// one is refused during the transfer, before it is held in memory.
    public var maxBodyBytes: Int = 256 << 20
    /// Most pages followed for one request (`max_pages`, default 10,000): a server that pages
    /// forever ends the slice with a terminal error.
    public var maxPages: Int = 10_000
}

public struct WarehouseSettings: Sendable, Equatable {
    /// Environment variable holding the libpq URI/conninfo; nil means libpq's `PG*` variables.
    public var urlEnv: String?
}

public struct ArchiveSettings: Sendable, Equatable {
    public var dir: String
    public var gzipLevel: Int
}

public struct PricingDataset: Sendable, Equatable {
    public var granularity: String
    public var dimensions: [String]
    public var settleDays: Int
    /// Largest window one request asks for (the API's maximum span is undocumented).
    public var maxWindowDays: Int
}

public struct TemplatesDataset: Sendable, Equatable {
    /// Template product types to query, each its own series (e.g. MARKETING_MESSAGES_LITE_API, CLOUD_API).
    public var productTypes: [String]
    public var useWABATimezone: Bool
    public var settleDays: Int
    /// Metric types to request; empty means all (the API's default).
    public var metricTypes: [String]
    public var maxWindowDays: Int
}

public struct CatalogDataset: Sendable, Equatable {
    public var fields: [String]
}

public struct WABAEntry: Sendable, Equatable {
    public var id: String
    public var industry: String?
    /// IANA timezone override (else from the API's `waba_timezone` or the id table).
    public var timezone: String?
    /// Business country (ISO alpha-2) for benchmark cohorts.
    public var country: String?
    public init(id: String, industry: String? = nil, timezone: String? = nil, country: String? = nil) {
        self.id = id; self.industry = industry; self.timezone = timezone; self.country = country
    }
}

public struct DiscoverSettings: Sendable, Equatable {
    public var businessID: String
    public var edges: [String]
}

public struct BenchmarkSettings: Sendable, Equatable {
    public var windowDays: Int
    public var minCohortBusinesses: Int
}

public struct SendLogSettings: Sendable, Equatable {
    /// Environment variable holding the recipient hash key.
    public var hashKeyEnv: String
    /// Longest send-log line accepted (`max_line_kilobytes`, default 1 MiB); a longer line is
    /// rejected by number without being held in memory.
    public var maxLineBytes: Int = SendLogLimits.defaultMaxLineBytes
    /// Threads that parse an NDJSON file (`parse_threads`); nil: one per core, at most four.
    public var parseThreads: Int?
    /// Memory the per-message fold of a file may take before it goes to the stage
    /// (`fold_megabytes`); nil: the store's default (1 GiB).
    public var foldBytes: Int?

    public init(hashKeyEnv: String, maxLineBytes: Int = SendLogLimits.defaultMaxLineBytes, parseThreads: Int? = nil,
                foldBytes: Int? = nil) {
        self.hashKeyEnv = hashKeyEnv; self.maxLineBytes = maxLineBytes; self.parseThreads = parseThreads
        self.foldBytes = foldBytes
    }
}
