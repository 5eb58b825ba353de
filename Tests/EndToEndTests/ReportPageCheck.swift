import Foundation

/// The checks the browser test applies to a rendered report; each returns the problems found.
enum ReportPageCheck {
    /// References to anything outside the file: a `src`/`href`/`xlink:href`/`action` that is not a
    /// `#fragment`, CSS `url(` or `@import`, and elements that load (script, link, img, iframe, …).
    static func externalReferences(_ html: String) -> [String] {
        var problems: [String] = []
        let lower = html.lowercased()
        for needle in ["<script", "<link", "<img", "<iframe", "<object", "<embed", "<video", "<audio", "<source", "@import", "url(", "http://", "https://", "//fonts."] where lower.contains(needle) {
            problems.append("contains \(needle)")
        }
        for attribute in [" src=", " href=", " xlink:href=", " action=", " srcset=", " poster="] {
            var rest = lower[...]
            while let r = rest.range(of: attribute) {
                rest = rest[r.upperBound...]
                let value = rest.drop { $0 == "\"" || $0 == "'" }
                if !value.hasPrefix("#") { problems.append("\(attribute.trimmingCharacters(in: .whitespaces))\(value.prefix(40))") }
            }
        }
        return problems
    }

    /// Each `<svg class="chart"` … `</svg>` that has no data mark (`class="mark`).
    static func chartsWithoutMarks(_ html: String) -> (charts: Int, empty: [String]) {
        let parts = html.components(separatedBy: "<svg class=\"chart\"").dropFirst()
        var empty: [String] = []
        for part in parts {
            let svg = part.components(separatedBy: "</svg>").first ?? ""
            if !svg.contains("class=\"mark") {
                empty.append(svg.components(separatedBy: "<title>").dropFirst().first?.components(separatedBy: "</title>").first ?? "?")
            }
        }
        return (parts.count, empty)
    }

    /// The rows of the first `<table>` inside `<section … id="summary">`, as cell texts.
    static func summaryRows(_ html: String) -> [[String]] {
        guard let start = html.range(of: "id=\"summary\"") else { return [] }
        let section = html[start.upperBound...].components(separatedBy: "</section>").first ?? ""
        let body = section.components(separatedBy: "<tbody>").dropFirst().first?.components(separatedBy: "</tbody>").first ?? ""
        return body.components(separatedBy: "<tr>").dropFirst().map { row in
            row.components(separatedBy: "<td").dropFirst().map { cell in
                let inner = cell.drop { $0 != ">" }.dropFirst()
                return String(inner.prefix { $0 != "<" }).trimmingCharacters(in: .whitespaces)
            }
        }
    }

    /// The table under a `── <title>` heading of the demo's text summary, as cell texts (columns are
    /// separated by two or more spaces; NULL prints as "—").
    static func textSummaryRows(_ stdout: String, section title: String) -> [[String]] {
        let lines = stdout.components(separatedBy: "\n")
        guard let h = lines.firstIndex(where: { $0.hasPrefix("── \(title)") }) else { return [] }
        var rows: [[String]] = []
        for line in lines[(h + 1)...].dropFirst(2) {
            let t = line.trimmingCharacters(in: .whitespaces)
            if t.isEmpty || t.hasPrefix("──") { break }
            rows.append(t.components(separatedBy: "  ").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty })
        }
        return rows
    }
}
