/// The geometry and shared pieces of one chart's SVG: plot area, value gridlines, axis captions.
struct SVGFrame {
    let width: Double
    let height: Double
    let left: Double
    let right: Double
    let top: Double
    let bottom: Double

    var plotLeft: Double { left }
    var plotRight: Double { width - right }
    var plotTop: Double { top }
    var plotBottom: Double { height - bottom }

    /// `<svg …>` with a title and description for screen readers.
    func open(title: String, description: String) -> String {
        """
        <svg class="chart" role="img" viewBox="0 0 \(f(width)) \(f(height))" width="\(f(width))" height="\(f(height))"><title>\(HTMLEscape.text(title))</title><desc>\(HTMLEscape.text(description))</desc>
        """
    }

    /// Horizontal gridlines and labels for a vertical value axis.
    func verticalValueAxis(_ scale: AxisScale) -> String {
        scale.ticks.map { t in
            let y = scale.position(t, from: plotBottom, to: plotTop)
            return "<line class=\"grid\" x1=\"\(f(plotLeft))\" y1=\"\(f(y))\" x2=\"\(f(plotRight))\" y2=\"\(f(y))\"/>"
                + "<text class=\"tick\" x=\"\(f(plotLeft - 6))\" y=\"\(f(y + 4))\" text-anchor=\"end\">\(NumberFormat.short(t))</text>"
        }.joined()
    }

    /// Vertical gridlines and labels for a horizontal value axis.
    func horizontalValueAxis(_ scale: AxisScale) -> String {
        scale.ticks.map { t in
            let x = scale.position(t, from: plotLeft, to: plotRight)
            return "<line class=\"grid\" x1=\"\(f(x))\" y1=\"\(f(plotTop))\" x2=\"\(f(x))\" y2=\"\(f(plotBottom))\"/>"
                + "<text class=\"tick\" x=\"\(f(x))\" y=\"\(f(plotBottom + 16))\" text-anchor=\"middle\">\(NumberFormat.short(t))</text>"
        }.joined()
    }

    /// The two axis lines and their captions (units included by the caller). The vertical axis's
    /// caption runs along it, or, with `verticalCaptionOnTop` (bar charts, whose long category labels
    /// fill the left margin), sits above the labels.
    func axes(xCaption: String, yCaption: String, verticalCaptionOnTop: Bool = false) -> String {
        "<line class=\"axis\" x1=\"\(f(plotLeft))\" y1=\"\(f(plotBottom))\" x2=\"\(f(plotRight))\" y2=\"\(f(plotBottom))\"/>"
            + "<line class=\"axis\" x1=\"\(f(plotLeft))\" y1=\"\(f(plotTop))\" x2=\"\(f(plotLeft))\" y2=\"\(f(plotBottom))\"/>"
            + "<text class=\"caption\" x=\"\(f((plotLeft + plotRight) / 2))\" y=\"\(f(height - 6))\" text-anchor=\"middle\">\(HTMLEscape.text(xCaption))</text>"
            + (verticalCaptionOnTop
                ? "<text class=\"caption\" x=\"\(f(plotLeft - 6))\" y=\"\(f(plotTop - 8))\" text-anchor=\"end\">\(HTMLEscape.text(yCaption))</text>"
                : "<text class=\"caption\" transform=\"translate(14 \(f((plotTop + plotBottom) / 2))) rotate(-90)\" text-anchor=\"middle\">\(HTMLEscape.text(yCaption))</text>")
    }
}

/// A coordinate with at most one decimal (short, stable SVG).
func f(_ v: Double) -> String { NumberFormat.trim(v, 1) }
