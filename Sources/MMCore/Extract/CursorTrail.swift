import Foundation

/// The only way a `paging.next` URL that a response names is followed, for every cursor the run
/// follows (analytics pages, the catalog, phone numbers, WABA discovery).
///
/// Contract:
/// - A followed URL must keep the scheme, host, port and API-version path prefix of
///   `graph.base_url` (`<base>/<version>/…`), carry no user info, no `.`/`..` path segment, no
///   whitespace, control character or backslash. Anything else throws a terminal `GraphError`
///   (kind `.refused`) naming the host it pointed at — nothing is ever sent there, so neither the
///   `Authorization` header nor `appsecret_proof` can leave for a foreign host.
/// - `access_token` and `appsecret_proof` parameters Meta may echo in a cursor are dropped (the
///   token travels in the header only; the archive holds them as `REDACTED`); the configured
///   `appsecret_proof` is added again.
/// - `enter` refuses a URL already fetched in this trail and more than `maxPages` pages: a server
///   that pages forever ends the slice with a terminal error instead of a hang.
public struct CursorTrail: Sendable {
    public let origin: GraphOrigin
    public let maxPages: Int
    private let appSecretProof: String?
    private var seen: Set<String> = []
    public private(set) var pages = 0

    public init(requests: GraphRequests, maxPages: Int = 100_000) {
        self.origin = GraphOrigin(baseURL: requests.baseURL, apiVersion: requests.apiVersion)
        self.maxPages = maxPages
        self.appSecretProof = requests.appSecretProof
    }

    /// Records that `url` is about to be fetched. Throws (terminal) when it repeats or the cap is passed.
    public mutating func enter(_ url: String) throws(GraphError) {
        guard pages < maxPages else {
            throw GraphError(kind: .refused, message: "paging does not end: over \(maxPages) pages")
        }
        guard seen.insert(URLRedaction.redact(url)).inserted else {
            throw GraphError(kind: .refused, message: "paging does not end: page \(pages + 1) repeats an earlier next URL")
        }
        pages += 1
    }

    /// The URL to fetch after a page whose body is `body`, or nil on the last page.
    public func next(after body: [UInt8]) throws(GraphError) -> String? {
        guard let raw = GraphResponseInspector.nextPageURL(body) else { return nil }
        return try follow(raw)
    }

    /// `raw` checked against the origin, without `access_token`, with our `appsecret_proof` when configured.
    public func follow(_ raw: String) throws(GraphError) -> String {
        try origin.check(raw)
        var url = Self.removingParameter("appsecret_proof", from: Self.removingParameter("access_token", from: raw))
        if let proof = appSecretProof {
            url += (url.contains("?") ? "&" : "?") + "appsecret_proof=" + proof
        }
        return url
    }

    static func removingParameter(_ name: String, from url: String) -> String {
        guard let q = url.firstIndex(of: "?") else { return url }
        let kept = url[url.index(after: q)...].split(separator: "&").filter {
            ($0.split(separator: "=", maxSplits: 1).first.map(String.init) ?? "") != name
        }
        return kept.isEmpty ? String(url[..<q]) : url[..<q] + "?" + kept.joined(separator: "&")
    }
}

/// Scheme, host, port and path prefix of the configured Graph API: what every followed URL keeps.
public struct GraphOrigin: Sendable, Equatable {
    public let scheme: String
    public let host: String
    public let port: Int
    /// `<base path>/<version>/`, e.g. `/v25.0/`.
    public let pathPrefix: String

    public init(baseURL: String, apiVersion: String) {
        let c = URLComponents(string: baseURL)
        scheme = (c?.scheme ?? "").lowercased()
        host = (c?.percentEncodedHost ?? "").lowercased()
        port = c?.port ?? Self.defaultPort(scheme)
        var base = c?.percentEncodedPath ?? ""
        while base.hasSuffix("/") { base.removeLast() }
        pathPrefix = base + "/" + apiVersion + "/"
    }

    static func defaultPort(_ scheme: String) -> Int { scheme == "http" ? 80 : 443 }

    /// Throws a terminal `.refused` error naming the host when `url` leaves this origin.
    public func check(_ url: String) throws(GraphError) {
        let c = URLComponents(string: url)
        let otherHost = (c?.percentEncodedHost ?? "").lowercased()
        func refuse(_ why: String) -> GraphError {
            GraphError(kind: .refused, message: "refused to follow a paging URL to host \"\(otherHost.isEmpty ? "?" : otherHost)\": \(why) "
                       + "(only \(scheme)://\(host):\(port)\(pathPrefix)… is followed)")
        }
        guard !url.utf8.contains(where: { $0 <= 0x20 || $0 == 0x7F || $0 == UInt8(ascii: "\\") }) else {
            throw refuse("whitespace, control character or backslash in the URL")
        }
        guard let c else { throw refuse("not a URL") }
        guard (c.scheme ?? "").lowercased() == scheme else { throw refuse("scheme \(c.scheme ?? "none") differs") }
        guard c.percentEncodedUser == nil, c.percentEncodedPassword == nil else { throw refuse("user info in the URL") }
        guard otherHost == host else { throw refuse("a different host") }
        guard (c.port ?? Self.defaultPort(scheme)) == port else { throw refuse("a different port") }
        let path = c.percentEncodedPath
        guard path.hasPrefix(pathPrefix) else { throw refuse("a path outside \(pathPrefix)") }
        let segments = path.split(separator: "/", omittingEmptySubsequences: false).map { $0.lowercased() }
        guard !segments.contains(where: { $0 == "." || $0 == ".." || $0.contains("%2e%2e") || $0 == "%2e" }) else {
            throw refuse("a dot segment in the path")
        }
    }
}
