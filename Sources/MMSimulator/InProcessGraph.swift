import Foundation

/// The simulator without HTTP: the same data model, auth, usage headers, faults and paging as
/// `GraphSimulator`, answered by a function call — for the fast, PostgreSQL-free test tier.
/// Paging links point at `baseURL`, which need not be reachable.
public final class InProcessGraph: Sendable {
    /// How an exchange ended: a response, or a fault that left no complete response.
    public enum Outcome: Sendable {
        case response(status: Int, headers: [(String, String)], body: [UInt8])
        /// The server never answered (`timeout` fault).
        case noAnswer
        /// The body was cut short (`truncated` fault).
        case truncated
    }

    public let config: SimulatorConfig
    public let dataset: SimulatedBusiness
    public let asOf: String
    private let core: SimulatorCore

    public init(config: SimulatorConfig, baseURL: String = "http://127.0.0.1:9") {
        self.config = config
        dataset = SimulatedBusiness(seed: config.seed, businessID: config.businessID, wabaCount: config.wabaCount,
                                    templatesPerWABA: config.templatesPerWABA)
        let day = config.asOf.flatMap { CivilDate.parse($0) } ?? CivilDate.utcDay(epochSeconds: Int64(Date().timeIntervalSince1970))
        asOf = CivilDate.format(day)
        core = SimulatorCore(config: config, business: dataset, asOf: day)
        core.baseURL = baseURL
    }

    public var baseURL: String { core.baseURL }
    public var wabaIDs: [String] { dataset.wabaIDs }

    /// Answers a GET of `url` (scheme and host are ignored; the path and query are served).
    public func get(_ url: String, authorization: String?) -> Outcome {
        var uri = url
        if let scheme = uri.range(of: "://"), let slash = uri[scheme.upperBound...].firstIndex(of: "/") { uri = String(uri[slash...]) }
        let response = core.handle(GraphRequest(method: "GET", uri: uri, authorization: authorization, acceptsGzip: false))
        switch response.mode {
        case .normal: return .response(status: response.status, headers: response.headers, body: response.body)
        case .hold: return .noAnswer
        case .truncate: return .truncated
        }
    }

    /// Requests served so far by kind (as `GraphSimulator.requestCounts`).
    public func requestCounts() -> [String: Int] { core.requestCounts() }
}
