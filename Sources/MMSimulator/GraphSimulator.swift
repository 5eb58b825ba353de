import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix
import Synchronization

public struct SimulatorError: Error, CustomStringConvertible, Sendable {
    public let description: String
}

/// Meta's Graph API for a seeded synthetic business, served over real HTTP on loopback.
///
/// ```swift
/// let sim = GraphSimulator(config: SimulatorConfig())
/// let port = try await sim.start()
/// print(sim.startupLine())   // listening on http://127.0.0.1:PORT business=… wabas=…
/// try await sim.stop()
/// ```
public final class GraphSimulator: Sendable {
    public let config: SimulatorConfig
    /// The deterministic data model behind every response (for tests and the send log).
    public let dataset: SimulatedBusiness
    /// "Today" for the data (`config.asOf`, or the UTC date when the simulator was created).
    public let asOf: String

    private let core: SimulatorCore
    private struct Running: Sendable {
        var group: MultiThreadedEventLoopGroup
        var channel: Channel
        var port: Int
    }
    private let running = Mutex<Running?>(nil)

    /// Precondition: `config.asOf`, when set, is a valid `YYYY-MM-DD` (else the real date is used).
    public init(config: SimulatorConfig) {
        self.config = config
        dataset = SimulatedBusiness(seed: config.seed, businessID: config.businessID, wabaCount: config.wabaCount,
                                    templatesPerWABA: config.templatesPerWABA)
        let today = CivilDate.utcDay(epochSeconds: Int64(Date().timeIntervalSince1970))
        let day = config.asOf.flatMap { CivilDate.parse($0) } ?? today
        asOf = CivilDate.format(day)
        core = SimulatorCore(config: config, business: dataset, asOf: day)
    }

    /// Binds and starts serving; returns the bound port.
    @discardableResult
    public func start() async throws -> Int {
        if let port = running.withLock({ $0?.port }) { return port }
        if let a = config.asOf, CivilDate.parse(a) == nil {
            throw SimulatorError(description: "as-of date '\(a)' is not a valid YYYY-MM-DD date")
        }
        let group = MultiThreadedEventLoopGroup(numberOfThreads: max(2, min(4, System.coreCount)))
        let core = self.core
        let bootstrap = ServerBootstrap(group: group)
            .serverChannelOption(.backlog, value: 512)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline(withErrorHandling: true)
                    try channel.pipeline.syncOperations.addHandler(GraphHTTPHandler(core: core))
                }
            }
        let channel: Channel
        do {
            channel = try await bootstrap.bind(host: config.host, port: config.port).get()
        } catch {
            try? await group.shutdownGracefully()
            throw SimulatorError(description: "cannot listen on \(config.host):\(config.port): \(error)")
        }
        let port = channel.localAddress?.port ?? config.port
        core.baseURL = "http://\(config.host):\(port)"
        running.withLock { $0 = Running(group: group, channel: channel, port: port) }
        return port
    }

    /// Closes the listener and every connection (held `timeout` requests included).
    public func stop() async throws {
        guard let r = running.withLock({ state -> Running? in defer { state = nil }; return state }) else { return }
        try? await r.channel.close()
        try await r.group.shutdownGracefully()
    }

    /// The bound port (0 before `start()`).
    public var port: Int { running.withLock { $0?.port ?? 0 } }

    /// "http://127.0.0.1:PORT"
    public var baseURL: String { "http://\(config.host):\(port)" }

    public var wabaIDs: [String] { dataset.wabaIDs }

    /// Requests per endpoint kind: "waba", "pricing_analytics", "template_analytics",
    /// "message_templates", "owned_whatsapp_business_accounts", "client_whatsapp_business_accounts",
    /// "phone_numbers", "whatsapp_business_profile", "phone_number", "message_template", "business",
    /// "me", "unknown"; plus "total", "faults" (and "fault_<kind>"), "token_in_query",
    /// "auth_failures", "throttled" (real BUC throttling) and "errors" (Graph errors answered).
    /// Absent keys are 0.
    public func requestCounts() -> [String: Int] { core.requestCounts() }

    /// Zeroes the counts, the request sequence (`@N` faults count from here) and the usage windows.
    public func resetCounts() { core.resetCounts() }

    /// `listening on http://127.0.0.1:PORT business=ID wabas=ID,ID,…` (SPEC §6).
    public func startupLine() -> String {
        "listening on \(baseURL) business=\(config.businessID) wabas=\(wabaIDs.joined(separator: ","))"
    }
}
