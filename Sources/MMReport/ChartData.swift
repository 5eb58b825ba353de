/// A query result reshaped for drawing: panels of series of (x, y) points.
struct ChartData: Equatable {
    struct Series: Equatable {
        var name: String
        /// y per x category; a missing x is a gap, never 0.
        var points: [String: Double]
    }

    struct Panel: Equatable {
        /// The panel column's value (a currency), or nil for a chart without panels.
        var key: String?
        /// x categories in first-seen order (queries sort them).
        var categories: [String]
        var series: [Series]
        var hasMarks: Bool { series.contains { !$0.points.isEmpty } }
    }

    var panels: [Panel]

    /// Splits `table` by `spec.panel`, then by `spec.series` × `spec.values`. NULL values are skipped.
    /// Two rows with the same panel, series and x keep the last value (queries emit one row per key).
    init(_ table: ResultTable, _ spec: ChartSpec) {
        var order: [String?] = []
        var byPanel: [String?: Panel] = [:]
        for r in table.rows.indices {
            let key = spec.panel.map { table.value(r, $0) ?? "(none)" }
            if byPanel[key] == nil { byPanel[key] = Panel(key: key, categories: [], series: []); order.append(key) }
            guard let x = table.value(r, spec.x) else { continue }
            var panel = byPanel[key]!
            if !panel.categories.contains(x) { panel.categories.append(x) }
            let seriesKey = spec.series.map { table.value(r, $0) ?? "(none)" }
            for v in spec.values {
                guard let y = table.number(r, v.column) else { continue }
                let name = [seriesKey, spec.values.count > 1 || seriesKey == nil ? v.label : nil].compactMap { $0 }.joined(separator: " · ")
                if let i = panel.series.firstIndex(where: { $0.name == name }) {
                    panel.series[i].points[x] = y
                } else {
                    panel.series.append(Series(name: name, points: [x: y]))
                }
            }
            byPanel[key] = panel
        }
        panels = order.map { byPanel[$0]! }
    }
}
