import MMCore
import Synchronization

/// `HTTPTransport` over libcurl easy handles.
///
/// Up to `maxConnections` easy handles are kept and reused, each holding its kept-alive connection;
/// a request borrows an idle handle, creates one below the limit, or waits for one. Every blocking
/// `curl_easy_perform` runs on the handle's own thread, so callers on Swift's cooperative pool are
/// never blocked. Requests send `Accept-Encoding` (gzip/deflate, decoded here), never follow
/// redirects, verify TLS and honour the `http_proxy`/`https_proxy`/`no_proxy` environment.
///
/// Errors are `TransportError`; their messages never contain the URL's query or a header value.
/// Any HTTP status is a returned response.
public final class CurlTransport: HTTPTransport {
    /// Default `User-Agent` product version.
    public static let defaultVersion = "0.1.0"

    public let maxConnections: Int
    public let userAgent: String
    private let pool: CurlSessionPool
    private let totals = Mutex(TransferStats())

    /// - Parameters:
    ///   - maxConnections: most easy handles (hence connections) open at once; further requests wait.
    ///   - version: sent as `User-Agent: mmetl/<version>`.
    /// - Throws: `TransportError.other` if libcurl cannot be initialised.
    public init(maxConnections: Int = 8, version: String = CurlTransport.defaultVersion) throws(TransportError) {
        guard maxConnections >= 1 else { throw .other("maxConnections must be at least 1, got \(maxConnections)") }
        try CurlGlobal.ensureInitialized()
        self.maxConnections = maxConnections
        self.userAgent = "mmetl/\(version)"
        self.pool = CurlSessionPool(maxSessions: maxConnections, label: "mmetl.curl")
    }

    public func send(_ request: HTTPRequest) async throws -> HTTPResponse {
        try await sendWithStats(request).response
    }

    /// `send(_:)` plus what the exchange moved on the wire.
    /// - Throws: `TransportError`, or `CancellationError` if the task was cancelled.
    public func sendWithStats(_ request: HTTPRequest) async throws -> (response: HTTPResponse, stats: TransferStats) {
        let session: CurlSession
        do {
            session = try await pool.borrow()
        } catch CurlSessionPool.PoolError.sessionCreationFailed {
            throw TransportError.other("curl_easy_init failed")
        }
        defer { pool.giveBack(session) }
        let (response, stats) = try await session.perform(request, userAgent: userAgent)
        totals.withLock { $0 = $0 + stats }
        return (response, stats)
    }

    /// Sums over every completed exchange of this transport so far.
    public var totalStats: TransferStats { totals.withLock { $0 } }

    /// Easy handles created so far (at most `maxConnections`).
    public var openSessions: Int { pool.sessionCount }

    /// The linked libcurl and TLS library versions, for `mmetl version` / diagnostics.
    public static var libraryVersion: String {
        do { try CurlGlobal.ensureInitialized() } catch { return "libcurl (initialisation failed)" }
        return CurlGlobal.versionString
    }
}
