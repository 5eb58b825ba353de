/// Horizontal grouped bars: one group per category (template, WABA, stage), one bar per series.
enum BarChartSVG {
    /// SVG for `panel`; each bar carries a `<title>` (the hover value). Long category names are cut to
    /// 32 characters (the table below has them whole).
    static func render(_ panel: ChartData.Panel, title: String, xLabel: String, yLabel: String) -> String {
        let seriesCount = max(1, panel.series.count)
        let bar = 14.0, gap = 10.0
        let groupHeight = Double(seriesCount) * bar + gap
        let plotHeight = max(groupHeight, Double(panel.categories.count) * groupHeight)
        let frame = SVGFrame(width: 760, height: plotHeight + 28 + 52, left: 230, right: 60, top: 28, bottom: 52)
        let scale = AxisScale(values: panel.series.flatMap { $0.points.values })
        var svg = frame.open(title: title, description: "Bar chart of \(yLabel) by \(xLabel); exact numbers in the table below.")
        svg += frame.horizontalValueAxis(scale)
        let zero = scale.position(0, from: frame.plotLeft, to: frame.plotRight)
        for (g, c) in panel.categories.enumerated() {
            let top = frame.plotTop + Double(g) * groupHeight + gap / 2
            let label = c.count > 32 ? String(c.prefix(31)) + "…" : c
            svg += "<text class=\"tick\" x=\"\(f(frame.plotLeft - 6))\" y=\"\(f(top + Double(seriesCount) * bar / 2 + 4))\" text-anchor=\"end\">\(HTMLEscape.text(label))</text>"
            for (s, series) in panel.series.enumerated() {
                guard let v = series.points[c] else { continue }
                let end = scale.position(v, from: frame.plotLeft, to: frame.plotRight)
                let y = top + Double(s) * bar
                svg += "<rect class=\"mark\" x=\"\(f(min(zero, end)))\" y=\"\(f(y))\" width=\"\(f(max(abs(end - zero), 1)))\" height=\"\(f(bar - 2))\" fill=\"\(Palette.color(s))\">"
                    + "<title>\(HTMLEscape.text("\(series.name) · \(c): \(NumberFormat.short(v)) (\(yLabel))"))</title></rect>"
                svg += "<text class=\"value\" x=\"\(f(max(zero, end) + 4))\" y=\"\(f(y + bar - 4))\">\(NumberFormat.short(v))</text>"
            }
        }
        // Bars run along x here: the value caption goes under the plot, the category caption beside it.
        svg += frame.axes(xCaption: yLabel, yCaption: xLabel, verticalCaptionOnTop: true)
        return svg + "</svg>"
    }
}
