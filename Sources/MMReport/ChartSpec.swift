/// How one chart reads one query's result.
///
/// A chart plots `values` (one or more numeric columns) against `x`. Rows with the same `series`
/// value form one line or bar colour; with several value columns each column is its own series
/// (`<series> · <label>`). When `panel` is set (e.g. `currency`), each distinct value gets its own
/// chart with its own axis, so amounts in different currencies are never drawn on one scale or
/// added together.
public struct ChartSpec: Sendable {
    public enum Kind: Sendable { case line, bars }

    /// A numeric column and the label its series carries.
    public struct Value: Sendable {
        public var column: String
        public var label: String
        public init(_ column: String, _ label: String) { self.column = column; self.label = label }
    }

    /// The query (file stem in `sql/report/`) the chart reads.
    public var query: String
    public var title: String
    public var kind: Kind
    /// The category or day column (a line chart's x axis, a bar chart's groups).
    public var x: String
    /// The x axis caption, with its unit.
    public var xLabel: String
    public var series: String?
    public var values: [Value]
    /// The value axis caption with its unit; `{panel}` is replaced by the panel's value (a currency).
    public var yLabel: String
    public var panel: String?
    /// One sentence under the title: what is plotted and how it is computed.
    public var note: String
    /// What the page says instead of an empty axis.
    public var emptyMessage: String

    public init(query: String, title: String, kind: Kind, x: String, xLabel: String, series: String? = nil,
                values: [Value], yLabel: String, panel: String? = nil, note: String, emptyMessage: String = "No data in this range.") {
        self.query = query; self.title = title; self.kind = kind; self.x = x; self.xLabel = xLabel
        self.series = series; self.values = values; self.yLabel = yLabel; self.panel = panel
        self.note = note; self.emptyMessage = emptyMessage
    }
}
