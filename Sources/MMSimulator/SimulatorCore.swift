import Synchronization

/// An answer for the HTTP layer: status, headers, body, and how to deliver it.
struct SimResponse {
    enum Mode {
        case normal
        /// Never answer; close the connection after `SimulatorConfig.timeoutHoldSeconds`.
        case hold
        /// Send the headers (Content-Length of the whole body) and half the body, then close.
        case truncate
    }

    var status: Int
    var headers: [(String, String)]
    var body: [UInt8]
    var mode: Mode = .normal
}

/// The transport-free heart of the simulator: auth, usage, faults, routing, counting.
final class SimulatorCore: Sendable {
    let config: SimulatorConfig
    let business: SimulatedBusiness
    let asOf: Int
    let usage: UsageTracker
    let faults: FaultInjector
    let pricingCache = PricingCache()
    private let counts = Mutex<[String: Int]>([:])
    private let sequence = Mutex<Int>(0)
    private let base = Mutex<String>("")

    init(config: SimulatorConfig, business: SimulatedBusiness, asOf: Int) {
        self.config = config
        self.business = business
        self.asOf = asOf
        usage = UsageTracker(budgetPerKey: config.bucBudgetPerWABA, windowSeconds: config.bucWindowSeconds,
                             keys: business.wabas.count + 1, appBudget: config.appBudget)
        faults = FaultInjector(specs: config.faults, hash: SeededHash(seed: config.seed))
    }

    var baseURL: String {
        get { base.withLock { $0 } }
        set { base.withLock { $0 = newValue } }
    }

    func requestCounts() -> [String: Int] { counts.withLock { $0 } }

    func resetCounts() {
        counts.withLock { $0 = [:] }
        sequence.withLock { $0 = 0 }
        usage.reset()
    }

    private func bump(_ keys: String...) {
        counts.withLock { c in for k in keys { c[k, default: 0] += 1 } }
    }

    func traceID(_ n: Int) -> String {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-".unicodeScalars)
        var h = SeededHash(seed: config.seed)(Salt.trace.rawValue, n.u)
        var s = "A"
        for i in 0..<22 {
            if i == 10 { h = SplitMix64.finalize(h) }
            s.unicodeScalars.append(alphabet[Int(h & 63)])
            h >>= 6
        }
        return s
    }

    func handle(_ req: GraphRequest) -> SimResponse {
        let route = Route(req, business: business)
        let n = sequence.withLock { $0 += 1; return $0 }
        bump("total", route.kind)
        let trace = traceID(n)
        var headers: [(String, String)] = [
            ("x-fb-trace-id", trace), ("x-fb-rev", "1026514977"), ("facebook-api-version", req.version ?? "v25.0"),
        ]
        func json(_ status: Int, _ body: [UInt8]) -> SimResponse {
            headers.insert(("Content-Type", "application/json; charset=UTF-8"), at: 0)
            return SimResponse(status: status, headers: headers, body: body)
        }
        func failure(_ e: GraphError) -> SimResponse {
            headers.append(("WWW-Authenticate", "OAuth \"Facebook Platform\" \"\(e.code == 190 ? "invalid_token" : "invalid_request")\" \"\(e.message)\""))
            return json(e.httpStatus, e.body(traceID: trace))
        }

        // Authentication: the bearer header; a query access_token works but is counted.
        let queryToken = req.query["access_token"].flatMap { $0.isEmpty ? nil : $0 }
        if req.query["access_token"] != nil { bump("token_in_query") }
        guard let token = req.bearerToken ?? queryToken else { bump("auth_failures"); return failure(.missingToken) }
        if let expected = config.token, token != expected { bump("auth_failures"); return failure(.badToken) }
        guard req.method == "GET" else {
            return failure(.invalidParameter("Unsupported \(req.method.lowercased()) request. The simulator serves GET only."))
        }

        // Usage headers, and real throttling past the budget.
        let key = route.usageKey(business: business)
        let u = usage.record(key: key)
        func usageHeaders(percent: Int, regain: Int) {
            if let key {
                headers.append(("X-Business-Use-Case-Usage",
                                "{\"\(key)\":[{\"type\":\"whatsapp_business_management\",\"call_count\":\(percent),\"total_cputime\":\(percent / 2),\"total_time\":\(percent / 2),\"estimated_time_to_regain_access\":\(regain)}]}"))
            }
            headers.append(("X-App-Usage", "{\"call_count\":\(u.appPercent),\"total_cputime\":\(u.appPercent / 2),\"total_time\":\(u.appPercent / 2)}"))
        }
        if u.exceeded {
            bump("throttled")
            usageHeaders(percent: 100, regain: u.regainMinutes)
            return json(429, GraphError.rateLimited(real: true).body(traceID: trace))
        }

        // Injected faults.
        var emptyPage = false
        var truncate = false
        if let fault = faults.decide(requestNumber: n, pageable: route.pageable) {
            bump("faults", "fault_\(fault.rawValue)")
            switch fault {
            case .throttle:
                usageHeaders(percent: 100, regain: config.throttleRegainMinutes)
                return json(429, GraphError.rateLimited(real: false).body(traceID: trace))
            case .appThrottle:
                headers.append(("X-App-Usage", "{\"call_count\":100,\"total_cputime\":40,\"total_time\":40}"))
                return json(403, GraphError.appRateLimited.body(traceID: trace))
            case .serverError:
                usageHeaders(percent: u.percent, regain: 0)
                if n % 2 == 0 { return json(500, GraphError.serverError.body(traceID: trace)) }
                headers.insert(("Content-Type", "text/plain; charset=UTF-8"), at: 0)
                return SimResponse(status: 503, headers: headers, body: Array("Service Unavailable".utf8))
            case .timeout:
                return SimResponse(status: 0, headers: [], body: [], mode: .hold)
            case .malformed:
                usageHeaders(percent: u.percent, regain: 0)
                return json(200, Array("{\"data\":[{\"granularity\":\"DAILY\",\"data_points\":[{\"template_id\":\"12\u{0}<html><body>Sorry, something went wrong.</body></html>".utf8))
            case .token:
                return failure(.expiredToken)
            case .truncated: truncate = true
            case .emptyPage: emptyPage = true
            case .foreignNext, .endless, .bomb, .oversize:
                usageHeaders(percent: u.percent, regain: 0)
                var r = json(200, HostilePages.body(fault, request: req, n: n, baseURL: baseURL, config: config))
                if fault == .bomb {
                    r.body = DeflateBomb.gzip(decodedBytes: config.bombBytes)
                    r.headers.append(("Content-Encoding", "gzip"))
                }
                return r
            }
        }
        usageHeaders(percent: u.percent, regain: 0)

        let ctx = EndpointContext(business: business, config: config, asOf: asOf, baseURL: baseURL,
                                  version: req.version ?? "v25.0", emptyPage: emptyPage, pricingCache: pricingCache)
        var response: SimResponse
        do {
            response = json(200, try route.respond(req, ctx: ctx))
        } catch {
            bump("errors")
            response = failure(error)
        }
        if truncate {
            response.mode = .truncate
        } else if config.gzipResponses, req.acceptsGzip, response.body.count > 256 {
            response.body = GzipStored.wrap(response.body)
            response.headers.append(("Content-Encoding", "gzip"))
        }
        return response
    }
}
