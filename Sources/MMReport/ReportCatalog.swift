/// The report's contents: the summary table and each chart, in page order, with the query it reads.
///
/// Queries live in `sql/report/<query>.sql` and read the analyst views; their parameters are
/// `$1` first day, `$2` last day (WABA-local dates) and `$3` a comma-separated WABA id list or NULL.
public enum ReportCatalog {
    /// Resolves the default range: `from_day`, `to_day` (the last 30 days with template analytics).
    public static let rangeQuery = "range"
    public static let summaryQuery = "summary"
    public static let summaryTitle = "MM API vs Cloud API, per currency"
    public static let summaryNote = "Sums over the range; rates are ratios of sums; money per currency, never added across currencies. The same figures as the demo's text summary."

    public static let charts: [ChartSpec] = [
        ChartSpec(query: "daily_volume", title: "Daily sent, delivered and read by product", kind: .line,
                  x: "day", xLabel: "day (WABA-local)", series: "product",
                  values: [.init("sent", "sent"), .init("delivered", "delivered"), .init("read", "read")],
                  yLabel: "messages per day", note: "template_analytics counts (mm.v_template_performance), MM API vs Cloud API."),
        ChartSpec(query: "daily_rates", title: "Read and click rates, MM API vs Cloud API", kind: .line,
                  x: "day", xLabel: "day (WABA-local)", series: "product",
                  values: [.init("read %", "read %"), .init("click %", "click %")],
                  yLabel: "% of delivered", note: "Read % = Σ read ÷ Σ delivered; click % = Σ URL clicks ÷ Σ delivered where clicks are measured."),
        ChartSpec(query: "spend_daily", title: "Spend per day by currency", kind: .line,
                  x: "day", xLabel: "day (WABA-local)", series: "product", values: [.init("spend", "spend")],
                  yLabel: "spend ({panel})", panel: "currency",
                  note: "pricing_analytics cost (mm.v_spend_daily); one chart per currency, never summed across currencies."),
        ChartSpec(query: "spend_daily", title: "Cost per delivered message by currency", kind: .line,
                  x: "day", xLabel: "day (WABA-local)", series: "product", values: [.init("cost per delivery", "cost per delivery")],
                  yLabel: "{panel} per delivered message", panel: "currency",
                  note: "Σ cost ÷ Σ delivered volume of priced rows, per currency."),
        ChartSpec(query: "mm_funnel", title: "MM API conversion funnel", kind: .bars,
                  x: "stage", xLabel: "stage", values: [.init("messages", "MM API")],
                  yLabel: "messages or events", note: "MM API templates of businesses where Meta measures clicks and conversions, summed over the range."),
        ChartSpec(query: "roas", title: "Return on ad spend (MM API) by currency", kind: .bars,
                  x: "currency", xLabel: "currency", values: [.init("roas", "ROAS")],
                  yLabel: "purchase value ÷ spend (×)", note: "Σ purchase value ÷ Σ spend over days with conversions measured; each currency on its own."),
        ChartSpec(query: "below_benchmark", title: "Templates furthest below their peer benchmark", kind: .bars,
                  x: "template", xLabel: "template (WABA)", values: [.init("read %", "read %"), .init("peer p75 read %", "peer p75 read %")],
                  yLabel: "read rate (%)", note: "Latest peer benchmark per template (mm.v_template_peer_benchmark_latest): the ten furthest below the 75th percentile of peer businesses.",
                  emptyMessage: "No template is below its peer benchmark (or no cohort has enough peers)."),
        ChartSpec(query: "error_codes", title: "Top error codes over time", kind: .line,
                  x: "day", xLabel: "day (WABA-local)", series: "error", values: [.init("failures", "failures")],
                  yLabel: "failed messages per day", note: "The five codes with the most failures in the range (send log, mm.fact_errors).",
                  emptyMessage: "No failed messages in the send log in this range."),
        ChartSpec(query: "route_mix", title: "Route mix: messages by route", kind: .line,
                  x: "day", xLabel: "day (WABA-local)", values: [.init("mm_api", "MM API"), .init("cloud_api", "Cloud API")],
                  yLabel: "messages sent per day", note: "Send log messages by the route that carried them (mm.v_route_mix).",
                  emptyMessage: "No send log in this range."),
        ChartSpec(query: "route_mix", title: "Fallback share", kind: .line,
                  x: "day", xLabel: "day (WABA-local)", values: [.init("fallback %", "fallback %")],
                  yLabel: "fallback (% of MM endpoint sends)", note: "Messages sent through /marketing_messages that Meta delivered through Cloud API.",
                  emptyMessage: "No send log in this range."),
        ChartSpec(query: "max_price", title: "Max price vs actual cost per delivery", kind: .bars,
                  x: "template", xLabel: "template (WABA)", values: [.init("max price", "max price"), .init("cost per delivery", "actual cost per delivery")],
                  yLabel: "{panel} per delivered message", panel: "currency",
                  note: "MM API templates with a max price (mm.v_template_max_price_vs_cost): the max price in force on the last day beside Σ spend ÷ Σ delivered.",
                  emptyMessage: "No template with a max price in this range."),
        ChartSpec(query: "freshness", title: "Freshness and lag per WABA", kind: .bars,
                  x: "waba_id", xLabel: "WABA", series: "dataset", values: [.init("lag_days", "lag")],
                  yLabel: "days behind today", note: "mm.v_freshness: today minus the last day loaded completely, per dataset.",
                  emptyMessage: "No nightly run has loaded anything yet."),
        ChartSpec(query: "reconciliation", title: "Reconciliation exceptions (send log vs API)", kind: .line,
                  x: "day", xLabel: "day (WABA-local)", series: "product", values: [.init("exceptions", "exceptions")],
                  yLabel: "template-days beyond tolerance", note: "mm.v_reconciliation rows whose send-log and API counts differ by more than the tolerance.",
                  emptyMessage: "No reconciliation exceptions in this range: the send log and the API agree within tolerance."),
    ]
}
