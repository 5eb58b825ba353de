/// A line chart over ordered x categories (days): one polyline and one hoverable point per value.
enum LineChartSVG {
    /// SVG for `panel`; each point carries a `<title>` (the hover value). A missing value breaks the line.
    static func render(_ panel: ChartData.Panel, title: String, xLabel: String, yLabel: String) -> String {
        let frame = SVGFrame(width: 760, height: 300, left: 72, right: 16, top: 14, bottom: 52)
        let scale = AxisScale(values: panel.series.flatMap { $0.points.values })
        let n = panel.categories.count
        func x(_ i: Int) -> Double {
            n <= 1 ? (frame.plotLeft + frame.plotRight) / 2
                : frame.plotLeft + 8 + Double(i) / Double(n - 1) * (frame.plotRight - frame.plotLeft - 16)
        }
        var svg = frame.open(title: title, description: "Line chart of \(yLabel) by \(xLabel); exact numbers in the table below.")
        svg += frame.verticalValueAxis(scale)
        let every = max(1, (n + 7) / 8)
        for (i, c) in panel.categories.enumerated() where i % every == 0 || i == n - 1 && n <= 8 {
            svg += "<text class=\"tick\" x=\"\(f(x(i)))\" y=\"\(f(frame.plotBottom + 16))\" text-anchor=\"middle\">\(HTMLEscape.text(c))</text>"
        }
        svg += frame.axes(xCaption: xLabel, yCaption: yLabel)
        for (s, series) in panel.series.enumerated() {
            let color = Palette.color(s)
            var runs: [[String]] = [[]]
            var dots = ""
            for (i, c) in panel.categories.enumerated() {
                guard let v = series.points[c] else { if !runs[runs.count - 1].isEmpty { runs.append([]) }; continue }
                let px = x(i), py = scale.position(v, from: frame.plotBottom, to: frame.plotTop)
                runs[runs.count - 1].append("\(f(px)),\(f(py))")
                dots += "<circle class=\"mark\" cx=\"\(f(px))\" cy=\"\(f(py))\" r=\"3\" fill=\"\(color)\"><title>\(HTMLEscape.text("\(series.name) · \(c): \(NumberFormat.short(v)) (\(yLabel))"))</title></circle>"
            }
            for run in runs where run.count > 1 {
                svg += "<polyline class=\"mark line\" fill=\"none\" stroke=\"\(color)\" stroke-width=\"2\" points=\"\(run.joined(separator: " "))\"/>"
            }
            svg += dots
        }
        return svg + "</svg>"
    }
}
