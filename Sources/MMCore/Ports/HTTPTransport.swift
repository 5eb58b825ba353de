/// One HTTP header, name as sent/received. Lookups through `HTTPHeaders` are case-insensitive.
public struct HTTPHeader: Sendable, Hashable, Codable {
    public var name: String
    public var value: String
    public init(_ name: String, _ value: String) { self.name = name; self.value = value }
}

/// An ordered header list with case-insensitive lookup.
public struct HTTPHeaders: Sendable, Hashable, Codable, Sequence {
    public var fields: [HTTPHeader]
    public init(_ fields: [HTTPHeader] = []) { self.fields = fields }
    /// The first value of `name` (case-insensitive), if any.
    public subscript(_ name: String) -> String? {
        let lower = name.lowercased()
        return fields.first { $0.name.lowercased() == lower }?.value
    }
    public mutating func add(_ name: String, _ value: String) { fields.append(HTTPHeader(name, value)) }
    public func makeIterator() -> IndexingIterator<[HTTPHeader]> { fields.makeIterator() }
    /// The headers without credentials (`Authorization`, cookies), safe to store or log.
    public var redacted: HTTPHeaders {
        HTTPHeaders(fields.filter { !["authorization", "cookie", "set-cookie", "proxy-authorization"].contains($0.name.lowercased()) })
    }
}

/// A GET request to the Graph API.
///
/// `url` is absolute and never contains the access token (it travels in the `Authorization`
/// header). It may contain `appsecret_proof`, so it must not be logged as is: use `redactedURL`.
public struct HTTPRequest: Sendable, CustomStringConvertible {
    public var url: String
    public var headers: HTTPHeaders
    /// Total time allowed for the whole exchange.
    public var timeout: Duration
    /// Time allowed to establish the connection.
    public var connectTimeout: Duration
    /// Largest decoded (gunzipped) body accepted. A transport stops a transfer that passes it and
    /// throws `TransportError.tooLarge`, so a gzip bomb never inflates in memory.
    public var maxBodyBytes: Int

    public init(url: String, headers: HTTPHeaders = HTTPHeaders(), timeout: Duration = .seconds(60), connectTimeout: Duration = .seconds(10),
                maxBodyBytes: Int = 256 << 20) {
        self.url = url
        self.headers = headers
        self.timeout = timeout
        self.connectTimeout = connectTimeout
        self.maxBodyBytes = maxBodyBytes
    }

    /// The URL with secret-bearing query parameters removed (`access_token`, `appsecret_proof`).
    public var redactedURL: String { URLRedaction.redact(url) }
    public var description: String { "GET \(redactedURL)" }
}

/// A complete HTTP response. Header names as received; `body` is the decoded (gunzipped) body.
public struct HTTPResponse: Sendable {
    public var status: Int
    public var headers: HTTPHeaders
    public var body: [UInt8]
    public init(status: Int, headers: HTTPHeaders, body: [UInt8]) {
        self.status = status
        self.headers = headers
        self.body = body
    }
}

/// Why an exchange produced no complete response. Descriptions never contain the URL's query.
public enum TransportError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Connect or total timeout elapsed.
    case timeout(String)
    /// The connection could not be made (refused, DNS, TLS handshake).
    case connectFailed(String)
    /// The body ended early or could not be decoded (`Content-Length` mismatch, broken gzip).
    case truncated(String)
    /// The decoded body passed the request's `maxBodyBytes`: refused, not retried.
    case tooLarge(String)
    /// Any other transport failure, with the library's message.
    case other(String)

    public var description: String {
        switch self {
        case .timeout(let m): return "HTTP timeout: \(m)"
        case .connectFailed(let m): return "HTTP connect failed: \(m)"
        case .truncated(let m): return "HTTP response truncated: \(m)"
        case .tooLarge(let m): return "HTTP response too large: \(m)"
        case .other(let m): return "HTTP transport error: \(m)"
        }
    }
}

/// Sends GET requests. Implementations reuse connections and may be called concurrently.
public protocol HTTPTransport: Sendable {
    /// Performs the exchange. Throws `TransportError` when no complete response arrived;
    /// any HTTP status (including 4xx/5xx) is a returned response, not an error.
    func send(_ request: HTTPRequest) async throws -> HTTPResponse
}

/// Removes secret query parameters from URLs before they are logged or stored.
public enum URLRedaction {
    public static let secretParameters: Set<String> = ["access_token", "appsecret_proof", "client_secret"]

    /// `url` with every secret query parameter removed.
    public static func redact(_ url: String) -> String {
        guard let q = url.firstIndex(of: "?") else { return url }
        let base = url[..<q]
        let kept = url[url.index(after: q)...].split(separator: "&").filter { pair in
            let name = pair.split(separator: "=", maxSplits: 1).first.map(String.init) ?? ""
            return !secretParameters.contains(name)
        }
        return kept.isEmpty ? String(base) : base + "?" + kept.joined(separator: "&")
    }
}
