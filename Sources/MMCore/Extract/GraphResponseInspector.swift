import Foundation

/// Reads what the runtime needs from a raw response before normalization: whether it is an error,
/// the next-page URL, and the usage headers.
public enum GraphResponseInspector {
    /// Classifies `response`: returns nil for a usable 2xx JSON object body, else the `GraphError`.
    ///
    /// A 2xx body is only checked for its shape (an object: `{` … `}` with no NUL byte), not parsed:
    /// the normalizer parses it once, and anything subtler than that surfaces there as a terminal
    /// error naming the archive file. Error envelopes and non-2xx bodies are parsed in full.
    public static func error(in response: HTTPResponse) -> GraphError? {
        let body = response.body
        if (200...299).contains(response.status), !startsWithErrorKey(body) {
            return looksLikeJSONObject(body) ? nil
                : GraphError(kind: .malformed, httpStatus: response.status, message: "the body is not a JSON object (\(body.count) bytes)")
        }
        let usage = UsageHeaders(response.headers)
        let object = try? JSONSerialization.jsonObject(with: Data(body)) as? [String: Any]
        if let env = object?["error"] as? [String: Any] {
            return GraphError(kind: .api, httpStatus: response.status, code: lenientInt(env["code"]),
                              subcode: lenientInt(env["error_subcode"]), type: env["type"] as? String,
                              message: (env["message"] as? String) ?? "no message",
                              isTransientHint: env["is_transient"] as? Bool, fbtraceID: env["fbtrace_id"] as? String,
                              regainAccessMinutes: usage.regainAccessMinutes)
        }
        if !(200...299).contains(response.status) {
            return GraphError(kind: .api, httpStatus: response.status, message: "HTTP \(response.status) without a Graph error body",
                              regainAccessMinutes: usage.regainAccessMinutes)
        }
        return object == nil ? GraphError(kind: .malformed, httpStatus: response.status, message: "the body is not a JSON object (\(body.count) bytes)") : nil
    }

    static func isSpace(_ b: UInt8) -> Bool { b == 0x20 || b == 0x0A || b == 0x0D || b == 0x09 }

    /// `{` … `}` around the body (whitespace aside) and no NUL byte: the shape of a complete object.
    static func looksLikeJSONObject(_ body: [UInt8]) -> Bool {
        guard let first = body.firstIndex(where: { !isSpace($0) }), let last = body.lastIndex(where: { !isSpace($0) }),
              body[first] == UInt8(ascii: "{"), body[last] == UInt8(ascii: "}") else { return false }
        return !body.contains(0)
    }

    /// Whether the body's first key is `"error"` (a Graph error envelope, even with status 200).
    static func startsWithErrorKey(_ body: [UInt8]) -> Bool {
        guard let first = body.firstIndex(where: { !isSpace($0) }), body[first] == UInt8(ascii: "{") else { return false }
        guard let key = body[(first + 1)...].firstIndex(where: { !isSpace($0) }) else { return false }
        return body[key...].starts(with: Array("\"error\"".utf8))
    }

    /// The `paging.next` URL of a page, found without parsing the whole body: the last `"next":"…"`
    /// after the last `"paging"` key (inside a JSON string every quote is escaped, so the pattern
    /// only matches real keys), at the top level or in a field-expansion wrapper. Nil on the last page.
    public static func nextPageURL(_ body: [UInt8]) -> String? {
        let paging = Array("\"paging\"".utf8), next = Array("\"next\"".utf8)
        guard let p = lastRange(of: paging, in: body[...]), let n = lastRange(of: next, in: body[p...]) else { return nil }
        // Skip `:` and whitespace, then read the JSON string literal.
        var i = n
        while i < body.count, isSpace(body[i]) || body[i] == UInt8(ascii: ":") { i += 1 }
        guard i < body.count, body[i] == UInt8(ascii: "\"") else { return nil }
        var j = i + 1
        while j < body.count, body[j] != UInt8(ascii: "\"") { j += body[j] == UInt8(ascii: "\\") ? 2 : 1 }
        guard j < body.count else { return nil }
        return try? JSONDecoder().decode(String.self, from: Data(body[i...j]))
    }

    /// Index just past the last occurrence of `needle` in `hay`.
    static func lastRange(of needle: [UInt8], in hay: ArraySlice<UInt8>) -> Int? {
        guard hay.count >= needle.count else { return nil }
        var i = hay.endIndex - needle.count
        while i >= hay.startIndex {
            if hay[i] == needle[0], hay[i..<(i + needle.count)].elementsEqual(needle) { return i + needle.count }
            i -= 1
        }
        return nil
    }

    static func lenientInt(_ v: Any?) -> Int? {
        if let i = v as? Int { return i }
        if let s = v as? String { return Int(s) }
        if let d = v as? Double { return Int(d) }
        return nil
    }
}

/// The `X-Business-Use-Case-Usage` and `X-App-Usage` headers: how close the app is to throttling.
public struct UsageHeaders: Sendable, Equatable {
    /// Highest percentage (0–100) of any counter in either header; nil when neither header is present.
    public var maxPercent: Int?
    /// Largest `estimated_time_to_regain_access` (minutes) in the BUC header.
    public var regainAccessMinutes: Int?
    /// Highest percentage in `X-App-Usage` alone: the app's usage, shared by every process using
    /// the app (shards publish it to each other); nil when the header is absent.
    public var appPercent: Int?

    public init(maxPercent: Int?, regainAccessMinutes: Int?) { self.maxPercent = maxPercent; self.regainAccessMinutes = regainAccessMinutes }

    public init(_ headers: HTTPHeaders) {
        var maxP: Int?
        var regain: Int?
        func take(_ dict: [String: Any]) {
            for key in ["call_count", "total_cputime", "total_time"] {
                if let v = GraphResponseInspector.lenientInt(dict[key]) { maxP = max(maxP ?? 0, v) }
            }
            if let r = GraphResponseInspector.lenientInt(dict["estimated_time_to_regain_access"]), r > 0 { regain = max(regain ?? 0, r) }
        }
        if let buc = headers["x-business-use-case-usage"],
           let obj = try? JSONSerialization.jsonObject(with: Data(buc.utf8)) as? [String: Any] {
            for (_, v) in obj { for entry in (v as? [[String: Any]]) ?? [] { take(entry) } }
        }
        if let app = headers["x-app-usage"], let obj = try? JSONSerialization.jsonObject(with: Data(app.utf8)) as? [String: Any] {
            take(obj)
            for key in ["call_count", "total_cputime", "total_time"] {
                if let v = GraphResponseInspector.lenientInt(obj[key]) { appPercent = max(appPercent ?? 0, v) }
            }
        }
        maxPercent = maxP
        regainAccessMinutes = regain
    }
}
