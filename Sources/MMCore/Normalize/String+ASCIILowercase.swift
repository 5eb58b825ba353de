extension String {
    /// `lowercased()`, without building a new string when there is nothing to lower: text that is
    /// ASCII without a capital letter (how the API spells button types, cost types and metric
    /// names) is returned as it is. Any other text goes through `lowercased()`.
    var lowercasedIfNeeded: String {
        var text = self
        let unchanged = text.withUTF8 { utf8 in
            !utf8.contains { c in c >= 0x80 || c &- UInt8(ascii: "A") < 26 }
        }
        return unchanged ? self : lowercased()
    }
}
