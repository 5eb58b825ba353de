import Foundation

/// Reads what the runtime needs from a raw response before normalization: whether it is an error,
/// the next-page URL, and the usage headers.
public enum GraphResponseInspector {
    /// Classifies `response`: returns nil for a usable 2xx JSON object body, else the `GraphError`.
    public static func error(in response: HTTPResponse) -> GraphError? {
        let usage = UsageHeaders(response.headers)
        let object = try? JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any]
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
        if object == nil {
            return GraphError(kind: .malformed, httpStatus: response.status, message: "the body is not a JSON object (\(response.body.count) bytes)")
        }
        return nil
    }

    /// The `paging.next` URL of a page, looking at the top level and at a field-expansion wrapper
    /// (`{"pricing_analytics":{"data":…,"paging":…}}`). Nil on the last page.
    public static func nextPageURL(_ body: [UInt8]) -> String? {
        guard let object = try? JSONSerialization.jsonObject(with: Data(body)) as? [String: Any] else { return nil }
        if let next = (object["paging"] as? [String: Any])?["next"] as? String { return next }
        for (_, value) in object {
            if let inner = value as? [String: Any], let next = (inner["paging"] as? [String: Any])?["next"] as? String { return next }
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
        }
        maxPercent = maxP
        regainAccessMinutes = regain
    }
}
