/// A column of a fact table as the loader sees it: its staging type (what COPY writes) and how the
/// staged text becomes the fact's value.
public struct FactColumn: Sendable, Hashable {
    public enum Role: Sendable, Hashable {
        /// Part of the natural key (the primary key).
        case key
        /// A value: compared with `IS DISTINCT FROM`; a change bumps `revision`.
        case value
    }

    public var name: String
    public var role: Role
    /// The staging column's SQL type.
    public var stagingType: String
    /// SQL turning the staging column (qualified by `s.`) into the fact's value; `s.<name>` when nil.
    public var conversion: String?
    /// The fact column's SQL type (`text`, `date`, `bigint`, `numeric`, `timestamptz`).
    public var factType: String

    /// - Parameter factType: the fact column's type when the conversion changes it; the staging type otherwise.
    public init(_ name: String, _ role: Role, _ stagingType: String, conversion: String? = nil, factType: String? = nil) {
        self.name = name; self.role = role; self.stagingType = stagingType; self.conversion = conversion
        self.factType = factType ?? stagingType
    }

    /// The expression reading this column from staging alias `s`.
    public var fromStaging: String { conversion ?? "s.\(name)" }
}

/// One fact table of `mm`: its columns in COPY order, its natural key and value columns.
///
/// Every fact also has the bookkeeping columns `run_id`, `first_fetched_at`, `last_fetched_at`,
/// `revision` and `is_final`, and a `day` column (part of the key) it is partitioned by.
public struct FactTable: Sendable, Hashable {
    /// Qualified name, e.g. `mm.fact_pricing`.
    public var name: String
    /// Name of the session's temporary staging table.
    public var stagingName: String
    /// Columns in COPY order.
    public var columns: [FactColumn]

    public init(name: String, stagingName: String, columns: [FactColumn]) {
        self.name = name; self.stagingName = stagingName; self.columns = columns
    }

    public var keyColumns: [FactColumn] { columns.filter { $0.role == .key } }
    public var valueColumns: [FactColumn] { columns.filter { $0.role == .value } }

    /// `mm.fact_pricing` → `fact_pricing`.
    public var unqualifiedName: String { String(name.split(separator: ".").last ?? Substring(name)) }
}

extension FactTable {
    private static func epoch(_ name: String, _ role: FactColumn.Role = .value) -> FactColumn {
        FactColumn(name, role, "bigint", conversion: "to_timestamp(s.\(name))", factType: "timestamptz")
    }

    /// `mm.fact_pricing`. Bucket bounds are staged as epoch seconds.
    public static let pricing = FactTable(name: "mm.fact_pricing", stagingName: "mmetl_stg_fact_pricing", columns: [
        FactColumn("waba_id", .key, "text"),
        FactColumn("granularity", .key, "text"),
        epoch("bucket_start", .key),
        FactColumn("phone_number", .key, "text"),
        FactColumn("country", .key, "text"),
        FactColumn("pricing_category", .key, "text"),
        FactColumn("pricing_type", .key, "text"),
        FactColumn("tier", .key, "text"),
        // The grain (requested dimension set): part of the key, so two grains never overwrite each other.
        FactColumn("dimensions", .key, "text"),
        FactColumn("day", .key, "date"),
        epoch("bucket_end"),
        FactColumn("product", .value, "text"),
        FactColumn("volume", .value, "bigint"),
        FactColumn("cost", .value, "numeric"),
        FactColumn("currency", .value, "text"),
        FactColumn("waba_timezone", .value, "text"),
    ])

    /// `mm.fact_template_daily`.
    public static let templateDaily = FactTable(name: "mm.fact_template_daily", stagingName: "mmetl_stg_fact_template_daily", columns: [
        FactColumn("waba_id", .key, "text"),
        FactColumn("template_id", .key, "text"),
        FactColumn("product", .key, "text"),
        FactColumn("day", .key, "date"),
        FactColumn("product_type", .value, "text"),
        epoch("bucket_start"),
        epoch("bucket_end"),
        FactColumn("sent", .value, "bigint"),
        FactColumn("delivered", .value, "bigint"),
        FactColumn("read", .value, "bigint"),
        FactColumn("url_clicks", .value, "bigint"),
        FactColumn("unique_url_clicks", .value, "bigint"),
        FactColumn("quick_reply_clicks", .value, "bigint"),
        FactColumn("amount_spent", .value, "numeric"),
        FactColumn("cost_per_delivered", .value, "numeric"),
        FactColumn("cost_per_url_click", .value, "numeric"),
        FactColumn("currency", .value, "text"),
        FactColumn("waba_timezone", .value, "text"),
        FactColumn("replied", .value, "bigint"),
    ])

    /// `mm.fact_template_clicks`.
    public static let templateClicks = FactTable(name: "mm.fact_template_clicks", stagingName: "mmetl_stg_fact_template_clicks", columns: [
        FactColumn("waba_id", .key, "text"),
        FactColumn("template_id", .key, "text"),
        FactColumn("product", .key, "text"),
        FactColumn("day", .key, "date"),
        FactColumn("button_type", .key, "text"),
        FactColumn("button_content", .key, "text"),
        FactColumn("count", .value, "bigint"),
    ])

    /// `mm.fact_conversions`.
    public static let conversions = FactTable(name: "mm.fact_conversions", stagingName: "mmetl_stg_fact_conversions", columns: [
        FactColumn("waba_id", .key, "text"),
        FactColumn("template_id", .key, "text"),
        FactColumn("product", .key, "text"),
        FactColumn("day", .key, "date"),
        FactColumn("metric", .key, "text"),
        FactColumn("value", .value, "numeric"),
        FactColumn("currency", .value, "text"),
    ])

    /// Every fact the loader writes.
    public static let all: [FactTable] = [.pricing, .templateDaily, .templateClicks, .conversions]

    /// The facts a dataset's slice owns: they are merged (and their days in the window finalized)
    /// even when the slice brought no row for them. `catalog` owns none (it feeds `mm.dim_template`).
    public static func owned(byDataset dataset: String) -> [FactTable] {
        switch dataset {
        case "pricing": return [.pricing]
        case "templates": return [.templateDaily, .templateClicks, .conversions]
        default: return []
        }
    }
}
