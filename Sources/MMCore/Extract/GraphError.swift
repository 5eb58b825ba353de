/// An error answered by the Graph API (the `{"error":{…}}` envelope), or a response that could not be used.
/// Classified once, here. `description` never holds a token or a URL query.
public struct GraphError: ClassifiedError, Equatable, Sendable {
    public enum Kind: Equatable, Sendable {
        /// The API answered with an error envelope.
        case api
        /// No complete response (timeout, refused, truncated body).
        case transport
        /// A 2xx response whose body is not the JSON we expect.
        case malformed
        /// A response mmetl refuses to use: a paging URL to another origin, paging that never
        /// ends, a body over the size cap. Retrying cannot help.
        case refused
    }
    public var kind: Kind
    public var httpStatus: Int?
    public var code: Int?
    public var subcode: Int?
    public var type: String?
    public var message: String
    public var isTransientHint: Bool?
    public var fbtraceID: String?
    /// Minutes until access returns, from the usage headers of the failed response (BUC).
    public var regainAccessMinutes: Int?

    public init(kind: Kind, httpStatus: Int? = nil, code: Int? = nil, subcode: Int? = nil, type: String? = nil, message: String,
                isTransientHint: Bool? = nil, fbtraceID: String? = nil, regainAccessMinutes: Int? = nil) {
        self.kind = kind; self.httpStatus = httpStatus; self.code = code; self.subcode = subcode; self.type = type
        self.message = message; self.isTransientHint = isTransientHint; self.fbtraceID = fbtraceID
        self.regainAccessMinutes = regainAccessMinutes
    }

    /// Rate-limit codes (reference §5): waiting helps.
    public static let throttleCodes: Set<Int> = [4, 17, 32, 341, 613, 80007, 80008, 130429]
    /// Codes that are temporary server trouble.
    public static let transientCodes: Set<Int> = [1, 2]
    /// Token or permission problems.
    public static let authCodes: Set<Int> = [102, 190, 10]

    public var isThrottle: Bool { code.map { Self.throttleCodes.contains($0) } ?? false }
    /// A bad parameter (code 100): the window may be too large or a value unsupported.
    public var isInvalidParameter: Bool { code == 100 }

    public var failureClass: FailureClass {
        switch kind {
        case .transport: return .transient
        case .malformed: return .transient
        case .refused: return .terminal
        case .api:
            if let code {
                if Self.authCodes.contains(code) || (200...299).contains(code) { return .auth }
                if Self.throttleCodes.contains(code) || Self.transientCodes.contains(code) { return .transient }
                if code == 100 { return .terminal }
            }
            if isTransientHint == true { return .transient }
            if let s = httpStatus, s >= 500 { return .transient }
            if httpStatus == 429 { return .transient }
            if httpStatus == 401 || httpStatus == 403 { return .auth }
            return .terminal
        }
    }

    public var description: String {
        var parts: [String] = []
        if let httpStatus { parts.append("HTTP \(httpStatus)") }
        if let code { parts.append("code \(code)" + (subcode.map { "/\($0)" } ?? "")) }
        var text = "Graph API error"
        if kind == .transport { text = "Graph API unreachable" }
        if kind == .malformed { text = "Graph API response unusable" }
        if kind == .refused { text = "Graph API response refused" }
        if !parts.isEmpty { text += " (\(parts.joined(separator: ", ")))" }
        text += ": \(URLRedaction.scrubSecrets(message))"
        if let fbtraceID { text += " [fbtrace_id \(fbtraceID)]" }
        return text
    }
}

extension URLRedaction {
    /// Removes anything that looks like an access token (`EAA…` strings, `access_token=` values) from free text.
    public static func scrubSecrets(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.count)
        var i = text.startIndex
        while i < text.endIndex {
            if text[i...].hasPrefix("EAA") {
                var j = i
                while j < text.endIndex, text[j].isLetter || text[j].isNumber { j = text.index(after: j) }
                if text.distance(from: i, to: j) >= 20 { out += "[redacted]"; i = j; continue }
            }
            if text[i...].hasPrefix("access_token=") || text[i...].hasPrefix("appsecret_proof=") {
                let eq = text[i...].firstIndex(of: "=")!
                out += text[i...eq] + "[redacted]"
                var j = text.index(after: eq)
                while j < text.endIndex, !"&\" ".contains(text[j]) { j = text.index(after: j) }
                i = j; continue
            }
            out.append(text[i]); i = text.index(after: i)
        }
        return out
    }
}
