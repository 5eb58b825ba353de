import Foundation
import MMCore
import MMRuntime
import WarehousePG

/// `--dry-run`: prints the plan `SlicePlanner` makes for a run or a backfill — the same value the
/// engine executes — with estimated API calls, touching nothing.
enum Planning {
    /// Requests for one planned slice, given the WABA's template count (≤10 assumed when unknown).
    static func estimate(_ config: PipelineConfig, _ slice: PlannedSlice, templates: Int?) -> Int {
        guard slice.skip == nil else { return 0 }
        switch slice.dataset {
        case .catalog: return 1
        case .pricing: return config.pricing.map { (slice.window.days + $0.maxWindowDays - 1) / $0.maxWindowDays } ?? 0
        case .templates:
            guard let t = config.templates else { return 0 }
            return max(1, ((templates ?? 10) + 9) / 10) * t.productTypes.count * ((slice.window.days + t.maxWindowDays - 1) / t.maxWindowDays)
        }
    }

    /// What the warehouse knows that the plan depends on: the ledger, template counts, timezones.
    struct Known {
        var ledger: SlicePlanner.Ledger
        var templates: [String: Int]
        var timezones: [String: String]

        init(ledger: SlicePlanner.Ledger, databaseURL: String) {
            let status = (try? PGConnection(databaseURL)).map { PGStatus(connection: $0) }
            self.ledger = ledger
            templates = status?.templateCounts() ?? [:]
            timezones = status?.wabaTimezones() ?? [:]
        }

        /// Today in the WABA's last known timezone (UTC for a WABA never loaded).
        func today(_ wabaID: String) -> Day {
            TimeZones.localDay(epochSeconds: Int64(Date().timeIntervalSince1970), in: timezones[wabaID] ?? "UTC")
        }
    }

    static func plan(_ config: PipelineConfig, mode: RunMode, wabas: [String], known: Known) -> (lines: [String], calls: Int, pending: Int) {
        var lines: [String] = [], calls = 0, pending = 0
        for id in wabas {
            let slices = SlicePlanner.plan(config, mode: mode, waba: SlicePlanner.WABAState(wabaID: id, localToday: known.today(id)), ledger: known.ledger)
            let wabaCalls = 3 + slices.reduce(0) { $0 + estimate(config, $1, templates: known.templates[id]) }   // + fields, phones, profile
            calls += wabaCalls
            lines.append("  waba \(id) (today \(known.today(id))\(known.timezones[id].map { " in \($0)" } ?? ", timezone not yet known: UTC")) — ≈\(wabaCalls) API calls\(known.templates[id] == nil ? " (template count unknown: assumed ≤10)" : "")")
            for s in slices {
                if s.skip == nil { pending += 1 }
                let marker = s.watermark.map { _ in "advances the watermark" } ?? (s.backfillKey != nil ? "completes its chunk" : "")
                let wm = known.ledger.watermarks[WatermarkKey(wabaID: id, dataset: s.dataset.rawValue)].map { "watermark \($0)" } ?? "first run"
                let note = s.skip.map { "  \($0 == .chunkDone ? "done" : $0.rawValue)" }
                    ?? "  ≈\(estimate(config, s, templates: known.templates[id])) API calls · final before \(s.finalBefore)\(marker.isEmpty ? "" : " · \(marker)")\(s.watermark != nil ? " (\(wm))" : "")"
                lines.append("    \(s.dataset) \(s.window)\(note)")
            }
        }
        return (lines, calls, pending)
    }

    static func nightlyPlan(config: PipelineConfig, warehouse: PGWarehouse, databaseURL: String, asOf: Day?, shard: Shard? = nil) async throws -> String {
        let known = Known(ledger: SlicePlanner.Ledger(watermarks: try await warehouse.watermarks(pipeline: config.name)), databaseURL: databaseURL)
        let wabas = config.wabas.map(\.id).filter { shard?.owns($0) ?? true }
        let p = plan(config, mode: .nightly(asOf: asOf), wabas: wabas, known: known)
        var out = ["Plan for pipeline \(config.name)\(shard.map { ", shard \($0)" } ?? "") as of \(asOf.map(\.description) ?? "today in each WABA's timezone") — nothing will be touched:"]
        out += p.lines
        if let d = config.discover { out.append("  + WABAs discovered at run time from business \(d.businessID) (\(d.edges.joined(separator: ", ")))") }
        out.append("Estimated API calls: ≈\(p.calls) (at least \(p.calls) × the API latency / max_concurrency \(config.graph.maxConcurrency)).")
        return out.joined(separator: "\n")
    }

    static func backfillPlan(config: PipelineConfig, warehouse: PGWarehouse, databaseURL: String, range: BackfillRange, fromArchive: Bool,
                             shard: Shard? = nil) async throws -> String {
        let key = range.key(pipeline: config.name)
        let known = Known(ledger: SlicePlanner.Ledger(completedChunks: try await warehouse.completedBackfillChunks(backfillKey: key)), databaseURL: databaseURL)
        let chunks = WindowPlanner.backfill(from: range.from, to: range.to, chunkDays: range.chunkDays)
        let wabas = (range.wabas.isEmpty ? config.wabas.map(\.id) : range.wabas).filter { shard?.owns($0) ?? true }
        let p = plan(config, mode: .backfill(range), wabas: wabas, known: known)
        let calls = fromArchive ? 0 : p.calls
        var out = ["Backfill plan \(range.from)…\(range.to) in \(chunks.count) chunk(s) of ≤\(range.chunkDays) days, \(fromArchive ? "from the raw archive (no API call)" : "from the API") — nothing will be touched:"]
        out += p.lines
        out.append("Chunks pending: \(p.pending); estimated API calls: ≈\(calls) (≈\(String(format: "%.0f", Double(calls) * 0.3 / Double(config.graph.maxConcurrency)))s at 300 ms per call and max_concurrency \(config.graph.maxConcurrency), before any throttling).")
        out.append("Ledger key: \(key)")
        return out.joined(separator: "\n")
    }
}
