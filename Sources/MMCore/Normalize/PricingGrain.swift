import Foundation

/// The grain of `pricing_analytics` rows: the dimension set requested (`COUNTRY`, `PHONE`,
/// `PRICING_CATEGORY`, `PRICING_TYPE`, `TIER`). Rows of two grains describe the same messages
/// twice, so the grain is recorded on every `mm.fact_pricing` row (column `dimensions`, part of the
/// key) and the views read one grain per WABA, granularity and day.
public enum PricingGrain {
    /// Canonical text of a dimension set: upper case, without duplicates, sorted, comma-separated
    /// (`[TIER, country]` → `COUNTRY,TIER`); empty for no breakdown.
    public static func canonical(_ dimensions: [String]) -> String {
        Set(dimensions.map { $0.trimmingCharacters(in: .whitespaces).uppercased() }.filter { !$0.isEmpty })
            .sorted().joined(separator: ",")
    }

    /// The elements of a Graph list parameter as sent (`[A,B]`, `["A","B"]`, or `A,B`).
    public static func listParameter(_ text: String) -> [String] {
        let inner = text.trimmingCharacters(in: CharacterSet(charactersIn: "[] "))
        return inner.split(separator: ",").map { $0.trimmingCharacters(in: CharacterSet(charactersIn: "\" ")) }
    }

    /// A change of grain between what is loaded and what the pipeline asks for, for one WABA.
    public struct Change: Sendable, Hashable, CustomStringConvertible {
        public var wabaID: String
        public var granularity: String
        /// The grain of the latest loaded rows, and the range of days loaded with it.
        public var loaded: String
        public var loadedFrom: String
        public var loadedTo: String
        /// The grain the pipeline asks for now.
        public var configured: String

        public init(wabaID: String, granularity: String, loaded: String, loadedFrom: String, loadedTo: String, configured: String) {
            self.wabaID = wabaID; self.granularity = granularity; self.loaded = loaded
            self.loadedFrom = loadedFrom; self.loadedTo = loadedTo; self.configured = configured
        }

        /// What happened and what to do, in one line.
        public var description: String {
            "pricing grain of WABA \(wabaID) (\(granularity)) changes from [\(loaded)] (loaded \(loadedFrom)…\(loadedTo)) to "
                + "[\(configured)]: the views read the latest grain of each day, so days before the change keep the old breakdown. "
                + "To have one grain throughout, reload them: mmetl backfill --pipeline <file> --dataset pricing --waba \(wabaID) "
                + "--from \(loadedFrom) --to \(loadedTo)"
        }
    }

    /// The changes between the latest loaded grain of each WABA and the configured one, by WABA id;
    /// WABAs with nothing loaded at this granularity are not a change.
    public static func changes(loaded: [LoadedPricingGrain], granularity: String, configuredDimensions: [String]) -> [Change] {
        let configured = canonical(configuredDimensions)
        return loaded.sorted { $0.wabaID < $1.wabaID }.compactMap { l in
            guard l.grain != configured else { return nil }
            return Change(wabaID: l.wabaID, granularity: granularity, loaded: l.grain, loadedFrom: l.firstDay,
                          loadedTo: l.lastDay, configured: configured)
        }
    }
}

/// The grain of a WABA's latest loaded pricing rows and the days loaded with it.
public struct LoadedPricingGrain: Sendable, Hashable {
    public var wabaID: String
    public var grain: String
    public var firstDay: String
    public var lastDay: String
    public init(wabaID: String, grain: String, firstDay: String, lastDay: String) {
        self.wabaID = wabaID; self.grain = grain; self.firstDay = firstDay; self.lastDay = lastDay
    }
}
