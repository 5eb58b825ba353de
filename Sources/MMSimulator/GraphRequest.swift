import Foundation

/// A parsed GET: version, path segments after it, query parameters (percent-decoded).
struct GraphRequest {
    let method: String
    /// "v25.0", or nil when the path has no version prefix.
    let version: String?
    let segments: [String]
    let query: [String: String]
    let authorization: String?
    let acceptsGzip: Bool

    init(method: String, uri: String, authorization: String?, acceptsGzip: Bool) {
        self.method = method
        self.authorization = authorization
        self.acceptsGzip = acceptsGzip
        let q = uri.firstIndex(of: "?")
        let rawPath = q.map { String(uri[..<$0]) } ?? uri
        var segs = rawPath.split(separator: "/").map { QueryCoding.decode(Substring($0), plusIsSpace: false) }
        if let first = segs.first, Self.isVersion(first) {
            version = first
            segs.removeFirst()
        } else {
            version = nil
        }
        segments = segs
        var params: [String: String] = [:]
        if let q {
            for pair in uri[uri.index(after: q)...].split(separator: "&", omittingEmptySubsequences: true) {
                if let eq = pair.firstIndex(of: "=") {
                    params[QueryCoding.decode(pair[..<eq])] = QueryCoding.decode(pair[pair.index(after: eq)...])
                } else {
                    params[QueryCoding.decode(pair)] = ""
                }
            }
        }
        query = params
    }

    static func isVersion(_ s: String) -> Bool {
        let b = Array(s.utf8)
        guard b.count >= 4, b[0] == UInt8(ascii: "v"), let dot = b.firstIndex(of: UInt8(ascii: ".")),
              dot > 1, dot < b.count - 1 else { return false }
        return b[1..<dot].allSatisfy { $0 >= 48 && $0 <= 57 } && b[(dot + 1)...].allSatisfy { $0 >= 48 && $0 <= 57 }
    }

    /// The bearer token from the Authorization header, if any.
    var bearerToken: String? {
        guard let a = authorization else { return nil }
        let parts = a.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, parts[0].lowercased() == "bearer" || parts[0] == "OAuth" else { return nil }
        let t = parts[1].trimmingCharacters(in: .whitespaces)
        return t.isEmpty ? nil : t
    }
}

enum QueryCoding {
    /// Percent-decoding; `+` is a space in query components.
    static func decode(_ s: Substring, plusIsSpace: Bool = true) -> String {
        guard s.utf8.contains(where: { $0 == UInt8(ascii: "%") || (plusIsSpace && $0 == UInt8(ascii: "+")) }) else {
            return String(s)
        }
        var out: [UInt8] = []
        out.reserveCapacity(s.utf8.count)
        var it = Array(s.utf8)[...]
        while let b = it.popFirst() {
            if b == UInt8(ascii: "%"), it.count >= 2, let hi = hexValue(it[it.startIndex]),
               let lo = hexValue(it[it.startIndex + 1]) {
                out.append(hi << 4 | lo)
                it = it.dropFirst(2)
            } else if plusIsSpace, b == UInt8(ascii: "+") {
                out.append(UInt8(ascii: " "))
            } else {
                out.append(b)
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    private static func hexValue(_ b: UInt8) -> UInt8? {
        switch b {
        case 48...57: return b - 48
        case 65...70: return b - 55
        case 97...102: return b - 87
        default: return nil
        }
    }

    /// Percent-encodes everything but RFC 3986 unreserved characters (so `[`, `]`, `,`, `"` too).
    static func encode(_ s: String) -> String {
        var out = ""
        out.reserveCapacity(s.utf8.count)
        let hex = Array("0123456789ABCDEF".unicodeScalars)
        for b in s.utf8 {
            switch b {
            case 48...57, 65...90, 97...122, UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."), UInt8(ascii: "~"):
                out.unicodeScalars.append(Unicode.Scalar(b))
            default:
                out.unicodeScalars.append("%")
                out.unicodeScalars.append(hex[Int(b >> 4)])
                out.unicodeScalars.append(hex[Int(b & 0xF)])
            }
        }
        return out
    }

    /// Array parameters in every form clients send: `[A,B]`, `["A","B"]`, `A,B`, `'A'`.
    static func array(_ s: String?) -> [String] {
        guard var t = s?.trimmingCharacters(in: .whitespaces), !t.isEmpty else { return [] }
        if t.hasPrefix("["), t.hasSuffix("]") { t = String(t.dropFirst().dropLast()) }
        return t.split(separator: ",").map {
            $0.trimmingCharacters(in: .whitespaces).trimmingCharacters(in: CharacterSet(charactersIn: "\"'"))
        }.filter { !$0.isEmpty }
    }
}

/// `fields=` with Graph field expansion: `id,name,template_analytics.start(…).end(…).template_ids([1,2])`.
struct FieldSelection {
    struct Field {
        let name: String
        /// Modifier name → argument text, e.g. "start" → "1700000000", "dimensions" → "[COUNTRY,PHONE]".
        let modifiers: [String: String]
    }

    let fields: [Field]

    init(_ text: String?) {
        guard let text, !text.isEmpty else { fields = []; return }
        fields = Self.splitTopLevel(text, on: ",").compactMap(Self.parseField)
    }

    var names: [String] { fields.map(\.name) }
    func field(_ name: String) -> Field? { fields.first { $0.name == name } }

    /// Splits on `sep` outside (), [], {} and quotes.
    static func splitTopLevel(_ s: String, on sep: Character) -> [String] {
        var parts: [String] = []
        var depth = 0
        var quoted = false
        var current = ""
        for ch in s {
            switch ch {
            case "\"": quoted.toggle()
            case "(", "[", "{": if !quoted { depth += 1 }
            case ")", "]", "}": if !quoted { depth -= 1 }
            default: break
            }
            if ch == sep, depth == 0, !quoted {
                parts.append(current)
                current = ""
            } else {
                current.append(ch)
            }
        }
        parts.append(current)
        return parts.map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }

    static func parseField(_ item: String) -> Field? {
        var name = ""
        var modifiers: [String: String] = [:]
        var chars = item[...]
        // name: up to the first '.', '{' or end
        while let c = chars.first, c != ".", c != "{" {
            name.append(c)
            chars = chars.dropFirst()
        }
        while let c = chars.first {
            chars = chars.dropFirst()
            if c == "{" { break }  // nested selection: ignored
            guard c == "." else { continue }
            var mod = ""
            while let d = chars.first, d != "(" , d != "." {
                mod.append(d)
                chars = chars.dropFirst()
            }
            guard chars.first == "(" else { modifiers[mod] = ""; continue }
            chars = chars.dropFirst()
            var depth = 1
            var arg = ""
            while let d = chars.first {
                chars = chars.dropFirst()
                if d == "(" { depth += 1 }
                if d == ")" { depth -= 1; if depth == 0 { break } }
                arg.append(d)
            }
            modifiers[mod] = arg
        }
        return name.isEmpty ? nil : Field(name: name, modifiers: modifiers)
    }
}
