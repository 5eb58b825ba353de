/// Escaping for text placed into the report's HTML and SVG.
///
/// Everything that comes from the warehouse (template names, error titles, WABA names) passes through
/// `text` or `attribute` before it reaches the page, so a name such as `<script>` or `" onload="`
/// stays text.
public enum HTMLEscape {
    /// Escapes `&`, `<`, `>`, `"` and `'`; safe in element content and in quoted attributes.
    public static func text(_ s: String) -> String {
        var out = ""
        out.reserveCapacity(s.count)
        for ch in s.unicodeScalars {
            switch ch {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default:
                // Control characters other than tab and newline cannot appear in XML (inline SVG).
                if ch.value < 0x20 && ch != "\t" && ch != "\n" { out += "\u{FFFD}" } else { out.unicodeScalars.append(ch) }
            }
        }
        return out
    }

    /// Same as `text`: the page quotes every attribute with `"`.
    public static func attribute(_ s: String) -> String { text(s) }
}
