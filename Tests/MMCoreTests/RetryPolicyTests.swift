import Testing
@testable import MMCore

@Suite struct RetryPolicyTests {
    let policy = RetryPolicy(maxAttempts: 5, baseDelay: .seconds(1), maxDelay: .seconds(60), slowdownPercent: 80)

    @Test func classifiesGraphErrorsOnce() {
        #expect(GraphError(kind: .api, httpStatus: 429, code: 80007, message: "x").failureClass == .transient)
        #expect(GraphError(kind: .api, httpStatus: 400, code: 4, message: "x").failureClass == .transient)
        #expect(GraphError(kind: .api, httpStatus: 500, code: 2, message: "x").failureClass == .transient)
        #expect(GraphError(kind: .api, httpStatus: 503, message: "x").failureClass == .transient)
        #expect(GraphError(kind: .api, httpStatus: 400, code: 190, message: "x").failureClass == .auth)
        #expect(GraphError(kind: .api, httpStatus: 403, code: 200, message: "x").failureClass == .auth)
        #expect(GraphError(kind: .api, httpStatus: 400, code: 100, message: "x").failureClass == .terminal)
        #expect(GraphError(kind: .api, httpStatus: 400, code: 99999, message: "x", isTransientHint: true).failureClass == .transient)
        #expect(GraphError(kind: .transport, message: "timeout").failureClass == .transient)
    }

    @Test func backsOffExponentiallyWithJitterWithinBounds() {
        let e = GraphError(kind: .api, httpStatus: 500, code: 2, message: "x")
        for (attempt, full) in [(1, 1.0), (2, 2.0), (3, 4.0), (4, 8.0)] {
            guard case .retry(let lo) = policy.decide(after: e, attempt: attempt, jitter: 0, budgetLeft: .seconds(1000)),
                  case .retry(let hi) = policy.decide(after: e, attempt: attempt, jitter: 0.999, budgetLeft: .seconds(1000)) else {
                Issue.record("expected a retry"); return
            }
            #expect(lo == .seconds(full / 2))
            #expect(hi > lo && hi <= .seconds(full))
        }
        #expect(policy.decide(after: e, attempt: 5, jitter: 0, budgetLeft: .seconds(1000)) == .fail)
    }

    @Test func waitsAtLeastTheTimeToRegainAccess() {
        let e = GraphError(kind: .api, httpStatus: 429, code: 80007, message: "x", regainAccessMinutes: 2)
        #expect(policy.decide(after: e, attempt: 1, jitter: 0.5, budgetLeft: .seconds(1000)) == .retry(after: .seconds(120)))
        #expect(policy.decide(after: e, attempt: 1, jitter: 0.5, budgetLeft: .seconds(60)) == .fail)
    }

    @Test func neverRetriesTerminalOrAuth() {
        #expect(policy.decide(after: GraphError(kind: .api, code: 190, message: "x"), attempt: 1, jitter: 0, budgetLeft: .seconds(1000)) == .fail)
        #expect(policy.decide(after: GraphError(kind: .api, code: 100, message: "x"), attempt: 1, jitter: 0, budgetLeft: .seconds(1000)) == .fail)
    }

    @Test func slowsDownNearTheUsageLimit() {
        var h = HTTPHeaders()
        h.add("X-Business-Use-Case-Usage", #"{"123":[{"type":"whatsapp_business_management","call_count":90,"total_cputime":5,"total_time":7,"estimated_time_to_regain_access":0}]}"#)
        h.add("x-app-usage", #"{"call_count":10,"total_cputime":2,"total_time":3}"#)
        let u = UsageHeaders(h)
        #expect(u.maxPercent == 90)
        #expect(u.regainAccessMinutes == nil)
        #expect(policy.slowdown(for: u) == .milliseconds(30_500))
        #expect(policy.slowdown(for: UsageHeaders(maxPercent: 79, regainAccessMinutes: nil)) == nil)
        #expect(policy.slowdown(for: UsageHeaders(maxPercent: 100, regainAccessMinutes: nil)) == .seconds(60))
    }

    @Test func readsTheErrorEnvelopeLeniently() {
        var h = HTTPHeaders()
        h.add("X-Business-Use-Case-Usage", #"{"1":[{"type":"whatsapp_business_management","call_count":100,"estimated_time_to_regain_access":3}]}"#)
        let body = Array(#"{"error":{"message":"(#80007) Rate limit hit","type":"OAuthException","code":"80007","error_subcode":2494055,"is_transient":true,"fbtrace_id":"Abc"}}"#.utf8)
        let e = GraphResponseInspector.error(in: HTTPResponse(status: 429, headers: h, body: body))
        #expect(e?.code == 80007 && e?.subcode == 2494055 && e?.regainAccessMinutes == 3 && e?.isThrottle == true)
        #expect(GraphResponseInspector.error(in: HTTPResponse(status: 200, headers: HTTPHeaders(), body: Array("{not json".utf8)))?.kind == .malformed)
        #expect(GraphResponseInspector.error(in: HTTPResponse(status: 200, headers: HTTPHeaders(), body: Array(#"{"data":[]}"#.utf8))) == nil)
    }

    @Test func secretsNeverReachDescriptions() {
        let url = "https://graph.facebook.com/v25.0/1/pricing_analytics?start=1&access_token=EAAsecretsecretsecret123&appsecret_proof=abc123&end=2"
        #expect(URLRedaction.redact(url) == "https://graph.facebook.com/v25.0/1/pricing_analytics?start=1&end=2")
        let e = GraphError(kind: .api, code: 190, message: "Invalid token EAAB1234567890abcdefghijkl in access_token=EAAxyz&x=1")
        #expect(!e.description.contains("EAAB1234567890abcdefghijkl"))
        #expect(!e.description.contains("EAAxyz"))
    }

    @Test func buildsMinimalRequestsWithoutTheToken() throws {
        let r = GraphRequests(baseURL: "http://127.0.0.1:8089", apiVersion: "v25.0", pageSize: 500)
        let u = r.templateAnalytics("55", start: "2026-11-01", end: "2026-11-08", templateIDs: ["1", "2"], productType: "MARKETING_MESSAGES_LITE_API",
                                    metricTypes: [], useWABATimezone: true)
        #expect(u == "http://127.0.0.1:8089/v25.0/55/template_analytics?start=2026-11-01&end=2026-11-08&granularity=DAILY&template_ids=%5B1%2C2%5D&product_type=MARKETING_MESSAGES_LITE_API&use_waba_timezone=true&limit=500")
        var withProof = r
        withProof.appSecretProof = "abc"
        #expect(try CursorTrail(requests: withProof).follow("http://127.0.0.1:8089/v25.0/55/x?after=Q").hasSuffix("&appsecret_proof=abc"))
        #expect(URLRedaction.redact(withProof.pricing("1", start: 0, end: 1, granularity: "DAILY", dimensions: ["TIER"])).contains("appsecret") == false)
    }

    @Test func findsTheNextPageWithoutParsingTheBody() {
        let top = #"{"data":[{"data_points":[{"button_content":"\"next\":\"http://evil\""}]}],"paging":{"cursors":{"before":"A","after":"B"},"next":"http:\/\/127.0.0.1:1\/v25.0\/1\/pricing_analytics?after=B&limit=500","previous":"x"}}"#
        #expect(GraphResponseInspector.nextPageURL(Array(top.utf8)) == "http://127.0.0.1:1/v25.0/1/pricing_analytics?after=B&limit=500")
        let wrapped = #"{"pricing_analytics":{"data":[],"paging":{"next":"https://graph/x?after=C"}},"id":"1"}"#
        #expect(GraphResponseInspector.nextPageURL(Array(wrapped.utf8)) == "https://graph/x?after=C")
        let last = #"{"data":[{"x":"\"paging\":{\"next\":\"http://evil\"}"}],"paging":{"cursors":{"before":"A","after":"B"}}}"#
        #expect(GraphResponseInspector.nextPageURL(Array(last.utf8)) == nil)
        #expect(GraphResponseInspector.nextPageURL(Array(#"{"data":[]}"#.utf8)) == nil)
    }

    @Test func aTruncatedOrBinaryBodyIsMalformedAndAnErrorEnvelopeWith200IsAnError() {
        let truncated = Array("{\"data\":[{\"x\":\"12\u{0}<html>".utf8)
        #expect(GraphResponseInspector.error(in: HTTPResponse(status: 200, headers: HTTPHeaders(), body: truncated))?.kind == .malformed)
        #expect(GraphResponseInspector.error(in: HTTPResponse(status: 200, headers: HTTPHeaders(), body: Array(" {\"data\":[]}\n".utf8))) == nil)
        let envelope = Array(#"{ "error": {"code": 190, "message": "x"}}"#.utf8)
        #expect(GraphResponseInspector.error(in: HTTPResponse(status: 200, headers: HTTPHeaders(), body: envelope))?.code == 190)
    }
}
