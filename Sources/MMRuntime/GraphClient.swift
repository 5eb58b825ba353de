import Foundation
import Logging
import MMCore

/// Sends Graph API requests with the retry policy: backoff with jitter on transient errors, waits at
/// least `estimated_time_to_regain_access`, slows down when usage headers near the limit, and stops
/// when the run's wait budget is spent. Sleeps on the injected clock. The token travels only in the
/// `Authorization` header.
public struct GraphClient: Sendable {
    let transport: any HTTPTransport
    let token: AccessToken
    let clock: any RuntimeClock
    let policy: RetryPolicy
    let counters: RunCounters
    let timeout: Duration
    let maxBodyBytes: Int
    let jitter: @Sendable () -> Double
    /// Scale-out: the app usage shared with the other shards (nil for an unsharded run).
    public var appUsage: SharedAppUsage?
    /// The run's request slots: each attempt holds one while it is in flight, not while it backs off
    /// or slows down (nil: no limit here, e.g. `mmetl check`).
    public var slots: RequestSlots?

    public init(transport: any HTTPTransport, token: AccessToken, clock: any RuntimeClock, policy: RetryPolicy,
                counters: RunCounters, timeout: Duration = .seconds(60), maxBodyBytes: Int = 256 << 20,
                jitter: @escaping @Sendable () -> Double = { Double.random(in: 0..<1) }) {
        self.transport = transport; self.token = token; self.clock = clock; self.policy = policy
        self.counters = counters; self.timeout = timeout; self.maxBodyBytes = maxBodyBytes; self.jitter = jitter
    }

    /// A successful response and how many attempts it took.
    public struct Result: Sendable {
        public var response: HTTPResponse
        public var attempts: Int
        public var fetchedAt: Date
    }

    /// GETs `url` until it succeeds or the policy gives up; throws `GraphError` (classified).
    public func get(_ url: String, logger: Logger) async throws -> Result {
        var attempt = 0
        while true {
            attempt += 1
            var headers = HTTPHeaders()
            headers.add("Authorization", token.bearer)
            headers.add("Accept", "application/json")
            let request = HTTPRequest(url: url, headers: headers, timeout: timeout, maxBodyBytes: maxBodyBytes)
            counters.update { $0.apiCalls += 1 }
            let failure: GraphError
            do {
                let response: HTTPResponse
                if let slots {
                    response = try await slots.withSlot { [transport] in try await transport.send(request) }
                } else {
                    response = try await transport.send(request)
                }
                counters.update { $0.bytesReceived += Int64(response.body.count) }
                var usage = UsageHeaders(response.headers)
                if let error = GraphResponseInspector.error(in: response) {
                    failure = error
                } else {
                    if let shared = appUsage {
                        // One app limit across shards: publish what we saw, slow down on what any shard saw.
                        if let app = usage.appPercent { await shared.observe(app) }
                        if let highest = await shared.highest(), highest > (usage.maxPercent ?? 0) { usage.maxPercent = highest }
                    }
                    if let pause = policy.slowdown(for: usage) {
                        logger.info("usage near the limit: slowing down", metadata: ["usage_percent": "\(usage.maxPercent ?? 0)", "pause_s": "\(pause.seconds)"])
                        counters.update { $0.slowdowns += 1 }
                        try await clock.sleep(for: pause)
                    }
                    return Result(response: response, attempts: attempt, fetchedAt: clock.now())
                }
            } catch let e as TransportError {
                if case .tooLarge = e { throw GraphError(kind: .refused, message: e.description) }
                failure = GraphError(kind: .transport, message: e.description)
            }
            switch policy.decide(after: failure, attempt: attempt, jitter: jitter(), budgetLeft: counters.budgetLeft) {
            case .fail:
                throw failure
            case .retry(let wait):
                logger.warning("retrying after a transient error", metadata: [
                    "error": "\(failure)", "attempt": "\(attempt)", "wait_s": "\(wait.seconds)", "url": "\(URLRedaction.redact(url))",
                ])
                counters.update {
                    $0.retries += 1
                    if failure.isThrottle { $0.throttleWaits += 1 }
                    $0.throttleWaitSeconds += wait.seconds
                }
                try await clock.sleep(for: wait)
            }
        }
    }
}

extension Duration {
    /// This duration in seconds, as a `Double`.
    public var seconds: Double {
        let c = components
        return Double(c.seconds) + Double(c.attoseconds) / 1e18
    }
}
