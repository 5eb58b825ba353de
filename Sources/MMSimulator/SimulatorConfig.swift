import Foundation

/// Everything that shapes one simulated Graph API: the seeded business, the server and its faults.
///
/// `mmetl simulate` maps its flags onto this one to one; tests build it directly.
public struct SimulatorConfig: Sendable {
    /// Interface to bind. The simulator is meant for loopback only.
    public var host = "127.0.0.1"
    /// 0 = an ephemeral port chosen by the kernel (read it back from `start()`).
    public var port = 0
    /// Every number the simulator serves derives from this seed (SplitMix64, no system randomness).
    public var seed: UInt64 = 42
    public var wabaCount = 3
    public var templatesPerWABA = 25
    /// The history the demo advertises and the send log writer's default window. The API serves
    /// any day up to `asOf` within Meta's retention limits, whatever this is.
    public var days = 30
    /// `YYYY-MM-DD`: "today" for the data. nil = the real UTC date when the simulator is created.
    public var asOf: String?
    public var businessID = "1000000000000001"
    /// nil = any non-empty bearer token is accepted; set = every other token fails with code 190.
    public var token: String?
    /// Added to every response, scheduled on the event loop (never a sleeping thread).
    public var latencyMs = 0
    public var faults: [FaultSpec] = []
    public var maxPageSize = 500
    public var defaultPageSize = 25

    /// Business use case budget: requests per WABA per `bucWindowSeconds` that make
    /// `X-Business-Use-Case-Usage.call_count` reach 100 %. Past it the simulator really throttles
    /// (code 80007). The default keeps normal runs and the benchmark far below 50 %.
    public var bucBudgetPerWABA = 100_000
    public var bucWindowSeconds = 3600
    /// The app's budget: requests of all clients together per `bucWindowSeconds` that make
    /// `X-App-Usage.call_count` reach 100 % (shared by every client, e.g. the shards of a run).
    /// nil = `bucBudgetPerWABA` × (WABAs + 1).
    public var appBudget: Int?
    /// `estimated_time_to_regain_access` (minutes) sent with the `throttle` fault.
    public var throttleRegainMinutes = 1
    /// How long the `timeout` fault holds a request before closing the connection without answering.
    public var timeoutHoldSeconds = 120
    /// Answer with a gzip body (stored blocks) when the request says `Accept-Encoding: gzip`.
    public var gzipResponses = true
    /// Where the `foreignnext` fault points `paging.next` (a host that must never be called).
    public var foreignBaseURL = "http://127.0.0.1:9"
    /// Decoded size of the `bomb` fault's body.
    public var bombBytes = 64 << 20
    /// Size of the `oversize` fault's page.
    public var oversizeBytes = 4 << 20

    public init() {}

    public init(seed: UInt64 = 42, wabaCount: Int = 3, templatesPerWABA: Int = 25, days: Int = 30,
                asOf: String? = nil, token: String? = nil, latencyMs: Int = 0, faults: [FaultSpec] = []) {
        self.seed = seed
        self.wabaCount = wabaCount
        self.templatesPerWABA = templatesPerWABA
        self.days = days
        self.asOf = asOf
        self.token = token
        self.latencyMs = latencyMs
        self.faults = faults
    }
}

/// What an injected fault does to a request (see `FaultSpec`).
public enum FaultKind: String, Sendable, CaseIterable {
    /// HTTP 429, code 80007, BUC header at 100 %, `estimated_time_to_regain_access` set.
    case throttle
    /// HTTP 403, code 4 (the app's request limit), `X-App-Usage` at 100 %.
    case appThrottle = "appthrottle"
    /// Alternately HTTP 500 with a transient Graph error (code 2) and a plain-text HTTP 503.
    case serverError = "5xx"
    /// The request is held without an answer (`timeoutHoldSeconds`), then the connection closes.
    case timeout
    /// Headers promise a longer body than is sent; then the connection closes.
    case truncated
    /// HTTP 200 with a body that is not valid JSON.
    case malformed
    /// HTTP 400, code 190 (expired token), whatever the token.
    case token
    /// A paged endpoint answers an empty page that still has `paging.next` (the same cursor).
    case emptyPage = "emptypage"
    /// A paged endpoint's `paging.next` points to another origin (`SimulatorConfig.foreignBaseURL`).
    case foreignNext = "foreignnext"
    /// A paged endpoint answers empty pages with a new cursor every time: paging never ends.
    case endless
    /// A paged endpoint answers a small gzip body that inflates to `SimulatorConfig.bombBytes`.
    case bomb
    /// A paged endpoint answers a valid page padded to `SimulatorConfig.oversizeBytes`.
    case oversize

    /// Faults that only a paged list can serve.
    var needsPageable: Bool { [.emptyPage, .foreignNext, .endless, .bomb, .oversize].contains(self) }
}

/// When a fault fires.
public enum FaultTrigger: Sendable, Equatable {
    /// A share of requests in [0, 1], chosen deterministically from the seed and request number.
    case rate(Double)
    /// Only the Nth request (1-based) the simulator receives.
    case nth(Int)
}

public struct FaultSpecError: Error, CustomStringConvertible, Sendable {
    public let description: String
}

/// `KIND`, `KIND:RATE` or `KIND@N`: `throttle:0.2`, `5xx@3`, `token`, `throttle:1`.
public struct FaultSpec: Sendable, Equatable {
    public var kind: FaultKind
    public var trigger: FaultTrigger

    public init(kind: FaultKind, trigger: FaultTrigger = .rate(1)) {
        self.kind = kind
        self.trigger = trigger
    }

    public static func parse(_ text: String) throws -> FaultSpec {
        let s = text.trimmingCharacters(in: .whitespaces)
        let kinds = FaultKind.allCases.map(\.rawValue).joined(separator: ", ")
        func kindOf(_ name: Substring) throws -> FaultKind {
            guard let k = FaultKind(rawValue: name.lowercased()) else {
                throw FaultSpecError(description: "unknown fault kind '\(name)' in '\(text)' (one of: \(kinds))")
            }
            return k
        }
        if let at = s.firstIndex(of: "@") {
            let kind = try kindOf(s[..<at])
            guard let n = Int(s[s.index(after: at)...]), n >= 1 else {
                throw FaultSpecError(description: "fault '\(text)': after '@' comes a request number ≥ 1")
            }
            return FaultSpec(kind: kind, trigger: .nth(n))
        }
        if let colon = s.firstIndex(of: ":") {
            let kind = try kindOf(s[..<colon])
            guard let r = Double(s[s.index(after: colon)...]), r >= 0, r <= 1 else {
                throw FaultSpecError(description: "fault '\(text)': after ':' comes a rate between 0 and 1")
            }
            return FaultSpec(kind: kind, trigger: .rate(r))
        }
        return FaultSpec(kind: try kindOf(Substring(s)), trigger: .rate(1))
    }
}

extension FaultSpec: CustomStringConvertible {
    public var description: String {
        switch trigger {
        case .rate(let r): return r == 1 ? kind.rawValue : "\(kind.rawValue):\(r)"
        case .nth(let n): return "\(kind.rawValue)@\(n)"
        }
    }
}
