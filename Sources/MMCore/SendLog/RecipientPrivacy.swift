/// Turns a recipient's phone number into what may be stored: a keyed hash and a country.
///
/// The core is pure (no crypto): the keyed hash comes from the runtime (HMAC-SHA256 with the
/// recipient hash key). Implementations must be deterministic for a key, so a send row (`+49 151 …`)
/// and a webhook `recipient_id` (`49151…`) of the same person hash alike.
public protocol RecipientHasher: Sendable {
    /// Lower-case hex digest of `digits` (the E.164 number, digits only, no `+`).
    func hash(digits: String) -> String
}

/// A recipient as stored: never the number itself.
public struct PrivateRecipient: Sendable, Hashable {
    public var hash: String
    public var country: String?
    /// The normalized digits, kept in memory only to mask them in error texts of the same record.
    let digits: String
}

public enum RecipientPrivacy {
    /// The E.164 digits of a phone number as logged: `+49 151-2345`, `0049151…`, `49151…` → `49151…`.
    /// Nil when no digit is left.
    public static func normalizedDigits(_ raw: String) -> String? {
        var out = [UInt8]()
        out.reserveCapacity(16)
        var leadingZeros = 0
        var sawOther = false
        for u in raw.utf8 {
            if u &- UInt8(ascii: "0") < 10 {
                if u == UInt8(ascii: "0"), out.isEmpty, !sawOther, leadingZeros < 2 { leadingZeros += 1; continue }
                if leadingZeros == 1 { out.append(UInt8(ascii: "0")); leadingZeros = 2 }  // a single leading 0 is kept
                out.append(u)
            } else if u != 0x20 {
                sawOther = true
            }
        }
        return out.isEmpty ? nil : String(decoding: out, as: UTF8.self)
    }

    /// Hash and country of a raw recipient; nil for an empty one.
    public static func protect(_ raw: String?, with hasher: some RecipientHasher) -> PrivateRecipient? {
        guard let raw, let digits = normalizedDigits(raw) else { return nil }
        return PrivateRecipient(hash: hasher.hash(digits: digits), country: CallingCodes.country(forE164Digits: digits), digits: digits)
    }

    /// Masks every run of 7 or more digits that follows a `+` (a phone number in free text), and
    /// every occurrence of `knownDigits` (the record's own recipient), with `<phone>`.
    public static func maskPhoneNumbers(in text: String, knownDigits: String? = nil) -> String {
        var s = text
        if let k = knownDigits, k.count >= 5, s.contains(k) { s = s.replacing("+" + k, with: "<phone>").replacing(k, with: "<phone>") }
        guard s.utf8.contains(UInt8(ascii: "+")) else { return s }
        var out = [UInt8]()
        let b = Array(s.utf8)
        var i = 0
        out.reserveCapacity(b.count)
        while i < b.count {
            if b[i] == UInt8(ascii: "+") {
                var j = i + 1
                var digits = 0
                while j < b.count, b[j] &- UInt8(ascii: "0") < 10 || b[j] == 0x20 || b[j] == UInt8(ascii: "-")
                    || b[j] == UInt8(ascii: "(") || b[j] == UInt8(ascii: ")") {
                    if b[j] &- UInt8(ascii: "0") < 10 { digits += 1 }
                    j += 1
                }
                if digits >= 7 {
                    while j > i + 1, !(b[j - 1] &- UInt8(ascii: "0") < 10) { j -= 1 }  // keep trailing separators
                    out.append(contentsOf: Array("<phone>".utf8))
                    i = j
                    continue
                }
            }
            out.append(b[i]); i += 1
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// JSON keys whose value is a phone number (or a business-scoped `user_id`) in send-log and webhook lines.
    static let phoneKeys: [String] = ["recipient", "recipient_id", "to", "wa_id", "input", "phone", "phone_number", "msisdn", "user_id"]

    /// The raw text of a rejected JSON line made safe to store: the values of phone keys
    /// (`"recipient": "+49…"`, even cut short by a truncated line) become `"<phone>"`, any
    /// `+digits` run is masked, then the text is cut to `SendLogReject.maxRawBytes` bytes.
    public static func redactJSONLine(_ line: String) -> String {
        var s = line
        for key in phoneKeys {
            let needle = "\"\(key)\""
            guard s.contains(needle) else { continue }
            s = redactValues(after: needle, in: s)
        }
        return truncate(maskPhoneNumbers(in: s))
    }

    /// The raw text of a rejected CSV line made safe to store: the fields at `phoneColumns` are
    /// blanked (fields split best-effort, quotes respected) and `+digits` runs masked; a line that
    /// does not split into fields, or whose header is unknown, has every run of 7+ digits masked
    /// (ids too: safety first).
    public static func redactCSVLine(_ line: String, phoneColumns: Set<Int>) -> String {
        guard !phoneColumns.isEmpty else { return truncate(maskDigitRuns(line, minimum: 7)) }
        if let fields = try? SendLogCSV.split(line) {
            let kept = fields.enumerated().map { phoneColumns.contains($0.offset) ? "<phone>" : SendLogCSV.quote($0.element) }
            return truncate(maskPhoneNumbers(in: kept.joined(separator: ",")))
        }
        return truncate(maskDigitRuns(line, minimum: 7))
    }

    static func maskDigitRuns(_ s: String, minimum: Int) -> String {
        var out = [UInt8]()
        var run = [UInt8]()
        func flush() {
            if run.count >= minimum { out.append(contentsOf: Array("<digits>".utf8)) } else { out.append(contentsOf: run) }
            run.removeAll(keepingCapacity: true)
        }
        for c in s.utf8 {
            if c &- UInt8(ascii: "0") < 10 { run.append(c) } else { flush(); out.append(c) }
        }
        flush()
        return String(decoding: out, as: UTF8.self)
    }

    /// Replaces the value after each `needle` (a quoted key) up to the value's end — a closing quote,
    /// or for a number a delimiter, or the end of a truncated line.
    private static func redactValues(after needle: String, in s: String) -> String {
        var out = ""
        var rest = s[...]
        while let r = rest.range(of: needle) {
            out += rest[..<r.upperBound]
            var v = rest[r.upperBound...]
            let ws = v.prefix { $0 == " " || $0 == ":" }
            guard ws.contains(":") else { rest = v; continue }
            out += ws
            v = v.dropFirst(ws.count)
            if v.first == "\"" {
                var esc = false
                var end = v.index(after: v.startIndex)
                while end < v.endIndex {
                    let ch = v[end]
                    if esc { esc = false } else if ch == "\\" { esc = true } else if ch == "\"" { break }
                    end = v.index(after: end)
                }
                out += "\"<phone>\""
                rest = end < v.endIndex ? v[v.index(after: end)...] : v[v.endIndex...]
            } else {
                let end = v.firstIndex { $0 == "," || $0 == "}" || $0 == "]" || $0 == " " } ?? v.endIndex
                out += end == v.startIndex ? "" : "\"<phone>\""
                rest = v[end...]
            }
        }
        out += rest
        return out
    }

    static func truncate(_ s: String) -> String {
        guard s.utf8.count > SendLogReject.maxRawBytes else { return s }
        var cut = String(decoding: Array(s.utf8.prefix(SendLogReject.maxRawBytes)), as: UTF8.self)
        while cut.utf8.count > SendLogReject.maxRawBytes { cut.removeLast() }  // a repaired partial character
        return cut + "…"
    }
}
