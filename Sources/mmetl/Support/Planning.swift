import Foundation
import MMCore
import MMRuntime
import WarehousePG

/// `--dry-run` plans: what a run or a backfill would request, without touching anything.
enum Planning {
    /// Requests for one WABA's datasets over `windows` days, given its template count.
    static func estimate(_ config: PipelineConfig, days: [String: Int], templates: Int?) -> Int {
        var calls = 2 + 1   // WABA fields, phone numbers, (≈1) business profile
        if config.catalog != nil || config.templates != nil { calls += 1 }
        if let p = config.pricing, let d = days[DatasetName.pricing], d > 0 { calls += (d + p.maxWindowDays - 1) / p.maxWindowDays }
        if let t = config.templates, let d = days[DatasetName.templates], d > 0 {
            let batches = max(1, ((templates ?? 10) + 9) / 10)
            calls += batches * t.productTypes.count * ((d + t.maxWindowDays - 1) / t.maxWindowDays)
        }
        return calls
    }

    static func counts(_ url: String) -> [String: Int] {
        (try? PGConnection(url)).map { PGStatus(connection: $0).templateCounts() } ?? [:]
    }

    static func nightlyPlan(config: PipelineConfig, warehouse: PGWarehouse, databaseURL: String, asOf: Day?) async throws -> String {
        let marks = try await warehouse.watermarks(pipeline: config.name)
        let counts = counts(databaseURL)
        let day = asOf ?? Day(epochSecondsUTC: Int64(Date().timeIntervalSince1970))
        var out = ["Plan for pipeline \(config.name) as of \(asOf.map(\.description) ?? "\(day) (today; each WABA uses its own timezone)") — nothing will be touched:"]
        var total = 0
        for w in config.wabas {
            var days: [String: Int] = [:]
            var parts: [String] = []
            for ds in config.datasetNames {
                let wm = marks[WatermarkKey(wabaID: w.id, dataset: ds)].flatMap(Day.init)
                if let win = WindowPlanner.nightly(dataset: ds, watermark: wm, startDate: config.startDate, settleDays: config.settleDays(ds), asOf: day) {
                    days[ds] = win.days
                    parts.append("\(ds) \(win) (\(wm.map { "watermark \($0)" } ?? "first run"))")
                }
            }
            let calls = estimate(config, days: days, templates: counts[w.id])
            total += calls
            out.append("  waba \(w.id): " + parts.joined(separator: "; ") + " — ≈\(calls) API calls\(counts[w.id] == nil ? " (template count unknown: assumed ≤10)" : "")")
        }
        if let d = config.discover { out.append("  + WABAs discovered at run time from business \(d.businessID) (\(d.edges.joined(separator: ", ")))") }
        out.append("Estimated API calls: ≈\(total) (at least \(total) × the API latency / max_concurrency \(config.graph.maxConcurrency)).")
        return out.joined(separator: "\n")
    }

    static func backfillPlan(config: PipelineConfig, warehouse: PGWarehouse, databaseURL: String, from: Day, to: Day, wabas: [String],
                             datasets: [String], chunkDays: Int, fromArchive: Bool) async throws -> String {
        let key = BackfillKey.make(pipeline: config.name, from: from, to: to, wabas: wabas, datasets: datasets, chunkDays: chunkDays)
        let done = try await warehouse.completedBackfillChunks(backfillKey: key)
        let counts = counts(databaseURL)
        let chunks = WindowPlanner.backfill(from: from, to: to, chunkDays: chunkDays)
        let ids = wabas.isEmpty ? config.wabas.map(\.id) : wabas
        var out = ["Backfill plan \(from)…\(to) in \(chunks.count) chunk(s) of ≤\(chunkDays) days, \(fromArchive ? "from the raw archive (no API call)" : "from the API") — nothing will be touched:"]
        var total = 0, pending = 0
        for id in ids {
            for ds in datasets {
                for c in chunks {
                    let slice = SliceIdentity(pipeline: config.name, wabaID: id, dataset: ds, windowStart: c.start.description, windowEnd: c.end.description)
                    let isDone = done.contains(slice)
                    if !isDone { pending += 1 }
                    let calls = fromArchive || isDone ? 0 : estimate(config, days: [ds: c.days], templates: counts[id]) - 3
                    total += calls
                    out.append("  waba \(id) \(ds) \(c)\(isDone ? "  done" : "  ≈\(calls) API calls")")
                }
            }
            if !fromArchive { total += 4 }
        }
        out.append("Chunks pending: \(pending); estimated API calls: ≈\(total) (≈\(String(format: "%.0f", Double(total) * 0.3 / Double(config.graph.maxConcurrency)))s at 300 ms per call and max_concurrency \(config.graph.maxConcurrency), before any throttling).")
        out.append("Ledger key: \(key)")
        return out.joined(separator: "\n")
    }
}
