import Foundation
@testable import GraphHTTP
import MMCore
import Testing

private let usage = #"{"1001":[{"type":"whatsapp_business_management","call_count":12,"total_cputime":3,"total_time":4,"estimated_time_to_regain_access":0}]}"#
private let secretToken = "EAAGtopSecretToken123"
private let secretProof = "proofabcdef0123456789"

/// The canned routes every test server answers.
private func routes(gzipBody: [UInt8] = []) -> LoopbackHTTPServer.Handler {
    { request in
        switch request.path {
        case "/json":
            return .json(#"{"data":[{"id":"1"}]}"#)
        case "/gzip":
            return CannedResponse(headers: [HTTPHeader("Content-Type", "application/json"), HTTPHeader("Content-Encoding", "gzip")],
                                  body: gzipBody)
        case "/badgzip":
            return CannedResponse(headers: [HTTPHeader("Content-Encoding", "gzip")], body: Array("not gzip at all, sorry".utf8))
        case "/usage":
            var r = CannedResponse.json("{}")
            r.headers += [HTTPHeader("X-Business-Use-Case-Usage", usage), HTTPHeader("x-fb-trace-id", "AbC")]
            return r
        case "/status/500":
            return .json(#"{"error":{"code":1,"message":"An unknown error occurred"}}"#, status: 500)
        case "/status/429":
            var r = CannedResponse.json(#"{"error":{"code":80008}}"#, status: 429)
            r.headers.append(HTTPHeader("Retry-After", "7"))
            return r
        case "/slow":
            var r = CannedResponse.json("{}")
            r.delayMilliseconds = 10_000
            return r
        case "/delay200":
            var r = CannedResponse.json(#"{"ok":true}"#)
            r.delayMilliseconds = 200
            return r
        case "/truncated":
            return CannedResponse(body: Array("0123456789".utf8), declaredLength: 1000, close: true)
        case "/informational":
            var r = CannedResponse.json(#"{"final":true}"#)
            r.preamble = Array("HTTP/1.1 103 Early Hints\r\nLink: </hint>\r\nX-Early: yes\r\n\r\n".utf8)
            return r
        default:
            return .json(#"{"error":"no route"}"#, status: 404)
        }
    }
}

private func request(_ server: LoopbackHTTPServer, _ path: String, timeout: Duration = .seconds(10)) -> HTTPRequest {
    HTTPRequest(url: server.baseURL + path, headers: HTTPHeaders([HTTPHeader("Authorization", "Bearer \(secretToken)")]),
                timeout: timeout, connectTimeout: .seconds(2))
}

@Suite("CurlTransport against a loopback server")
struct CurlTransportTests {
    @Test("GET returns status, headers and body; request headers arrive")
    func basicGet() async throws {
        let server = try LoopbackHTTPServer(handler: routes())
        defer { server.stop() }
        let transport = try CurlTransport(version: "9.9.9")
        var req = request(server, "/json?fields=id&limit=10")
        req.headers.add("X-Custom", "hello")
        let response = try await transport.send(req)
        #expect(response.status == 200)
        #expect(String(decoding: response.body, as: UTF8.self) == #"{"data":[{"id":"1"}]}"#)
        #expect(response.headers["content-type"] == "application/json")
        #expect(response.headers["Content-Length"] == "21")

        let seen = try #require(server.requests.first)
        #expect(seen.method == "GET")
        #expect(seen.target == "/json?fields=id&limit=10")
        #expect(seen.headers["Authorization"] == "Bearer \(secretToken)")
        #expect(seen.headers["X-Custom"] == "hello")
        #expect(seen.headers["User-Agent"] == "mmetl/9.9.9")
        #expect(seen.headers["Accept-Encoding"]?.contains("gzip") == true)
    }

    @Test("a gzip-encoded body is decoded by curl; stats count wire and decoded bytes")
    func gzipDecoded() async throws {
        let plain = Array(String(repeating: #"{"template_id":"123","sent":5,"delivered":4},"#, count: 2000).utf8)
        let gz = try systemGzip(plain)
        #expect(gz.count < plain.count / 10)
        let server = try LoopbackHTTPServer(handler: routes(gzipBody: gz))
        defer { server.stop() }
        let transport = try CurlTransport()
        let (response, stats) = try await transport.sendWithStats(request(server, "/gzip"))
        #expect(response.status == 200)
        #expect(response.body == plain)
        #expect(response.headers["Content-Encoding"] == "gzip")
        #expect(stats.decodedBodyBytes == plain.count)
        #expect(stats.wireBodyBytes == gz.count)
        #expect(stats.newConnections == 1)
        #expect(stats.headerBytes > 0)
        #expect(transport.totalStats.requests == 1)
    }

    @Test("custom response headers are returned, looked up case-insensitively")
    func customHeaders() async throws {
        let server = try LoopbackHTTPServer(handler: routes())
        defer { server.stop() }
        let response = try await CurlTransport().send(request(server, "/usage"))
        #expect(response.headers["x-business-use-case-usage"] == usage)
        #expect(response.headers["X-FB-Trace-ID"] == "AbC")
    }

    @Test("only the final response's headers are kept after an informational block")
    func informationalBlockDiscarded() async throws {
        let server = try LoopbackHTTPServer(handler: routes())
        defer { server.stop() }
        let response = try await CurlTransport().send(request(server, "/informational"))
        #expect(response.status == 200)
        #expect(String(decoding: response.body, as: UTF8.self) == #"{"final":true}"#)
        #expect(response.headers["X-Early"] == nil)
        #expect(response.headers["Link"] == nil)
        #expect(response.headers["Content-Type"] == "application/json")
    }

    @Test("5xx and 429 are returned responses, not errors")
    func errorStatuses() async throws {
        let server = try LoopbackHTTPServer(handler: routes())
        defer { server.stop() }
        let transport = try CurlTransport()
        let r500 = try await transport.send(request(server, "/status/500"))
        #expect(r500.status == 500)
        #expect(String(decoding: r500.body, as: UTF8.self).contains("unknown error"))
        let r429 = try await transport.send(request(server, "/status/429"))
        #expect(r429.status == 429)
        #expect(r429.headers["Retry-After"] == "7")
        let r404 = try await transport.send(request(server, "/nowhere"))
        #expect(r404.status == 404)
    }

    @Test("a slow server hits the request timeout")
    func timeout() async throws {
        let server = try LoopbackHTTPServer(handler: routes())
        defer { server.stop() }
        let error = await transportError { try await CurlTransport().send(request(server, "/slow", timeout: .milliseconds(300))) }
        guard case .timeout(let message) = error else { Issue.record("expected .timeout, got \(String(describing: error))"); return }
        #expect(message.contains("imed out"))
        // Timed at the server (when curl hung up), so a busy test process cannot skew it: the server
        // would have answered after 10 s.
        try await eventually { !server.hangups.isEmpty }
        let hangup = try #require(server.hangups.first)
        #expect(hangup >= .milliseconds(250) && hangup < .seconds(2), "client hung up after \(hangup)")
    }

    @Test("a body shorter than its Content-Length is truncated")
    func truncated() async throws {
        let server = try LoopbackHTTPServer(handler: routes())
        defer { server.stop() }
        let error = await transportError { try await CurlTransport().send(request(server, "/truncated")) }
        guard case .truncated = error else { Issue.record("expected .truncated, got \(String(describing: error))"); return }
    }

    @Test("a body that is not the gzip it claims is truncated")
    func badContentEncoding() async throws {
        let server = try LoopbackHTTPServer(handler: routes())
        defer { server.stop() }
        let error = await transportError { try await CurlTransport().send(request(server, "/badgzip")) }
        guard case .truncated = error else { Issue.record("expected .truncated, got \(String(describing: error))"); return }
    }

    @Test("a refused connection is connectFailed")
    func refused() async throws {
        let refusing = try RefusingPort()
        let req = HTTPRequest(url: "http://127.0.0.1:\(refusing.port)/json", connectTimeout: .seconds(2))
        let error = await transportError { try await CurlTransport().send(req) }
        guard case .connectFailed(let message) = error else { Issue.record("expected .connectFailed, got \(String(describing: error))"); return }
        #expect(message.contains("onnect"))
    }

    @Test("sequential requests reuse one kept-alive connection")
    func keepAlive() async throws {
        let server = try LoopbackHTTPServer(handler: routes())
        defer { server.stop() }
        let transport = try CurlTransport()
        for i in 0..<20 {
            let response = try await transport.send(request(server, i % 2 == 0 ? "/json" : "/status/500"))
            #expect(response.status == (i % 2 == 0 ? 200 : 500))
        }
        #expect(server.acceptedConnections == 1)
        #expect(server.requests.count == 20)
        #expect(transport.totalStats.newConnections == 1)
        #expect(transport.totalStats.requests == 20)
        #expect(transport.openSessions == 1)
    }

    @Test("8 concurrent 200 ms requests overlap instead of queueing on the cooperative pool")
    func concurrency() async throws {
        let server = try LoopbackHTTPServer(handler: routes())
        defer { server.stop() }
        let transport = try CurlTransport(maxConnections: 8)
        let started = ContinuousClock.now
        let statuses = try await withThrowingTaskGroup(of: Int.self) { group in
            for _ in 0..<8 { group.addTask { try await transport.send(request(server, "/delay200")).status } }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        let elapsed = ContinuousClock.now - started
        let span = try #require(server.busySpan)
        print("8 concurrent requests to a 200 ms route: \(elapsed) at the client, \(span) busy at the server, peak \(server.peakInFlight) in flight")
        #expect(statuses == Array(repeating: 200, count: 8))
        // All eight were in the server at once: a blocking perform on the 2-thread cooperative pool
        // would allow at most two. Measured at the server, so a busy test process (other suites
        // hogging the pool before the tasks start) does not make this flaky.
        #expect(server.peakInFlight == 8)
        // Serial would be 1.6 s, two at a time 0.8 s.
        #expect(span < .milliseconds(700))
        #expect(server.acceptedConnections == 8)
    }

    @Test("maxConnections bounds open connections; waiting requests reuse them")
    func poolBound() async throws {
        let server = try LoopbackHTTPServer(handler: routes())
        defer { server.stop() }
        let transport = try CurlTransport(maxConnections: 2)
        let started = ContinuousClock.now
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<6 {
                group.addTask {
                    let status = try await transport.send(request(server, "/delay200")).status
                    #expect(status == 200)
                }
            }
            try await group.waitForAll()
        }
        let elapsed = ContinuousClock.now - started
        #expect(server.acceptedConnections == 2)
        #expect(transport.openSessions == 2)
        #expect(elapsed >= .milliseconds(580))  // three rounds of two
        #expect(server.peakInFlight == 2)
    }

    @Test("cancelling the task aborts the transfer promptly and closes its connection")
    func cancellation() async throws {
        let server = try LoopbackHTTPServer(handler: routes())
        defer { server.stop() }
        let transport = try CurlTransport(maxConnections: 1)
        let task = Task { try await transport.send(request(server, "/slow")) }
        // The waits are long on purpose: with two cores and every suite running at once, a task may
        // wait for a thread of the cooperative pool for tens of seconds. Promptness is timed below,
        // from the cancel to the hang-up, both instants taken off that pool.
        try await eventually(.seconds(180)) { server.requests.count == 1 }
        // A second request waits for the only connection; cancelling it must not wedge the pool.
        let waiting = Task { try await transport.send(request(server, "/json")) }
        // Cancel from a plain thread, so a busy cooperative pool (other suites) cannot delay it.
        let cancelledAt = InstantBox()
        DispatchQueue.global().asyncAfter(deadline: .now() + .milliseconds(100)) {
            cancelledAt.set(.now)
            waiting.cancel()
            task.cancel()
        }
        await #expect(throws: CancellationError.self) { try await task.value }
        await #expect(throws: CancellationError.self) { try await waiting.value }
        // libcurl notices at its next progress tick (at least once a second) and drops the
        // connection; the server would have answered after 10 s. Timed at the server.
        try await eventually(.seconds(180)) { !server.hangups.isEmpty }
        let hangup = try #require(server.hangupInstants.first) - #require(cancelledAt.value)
        #expect(hangup < .seconds(5), "client hung up \(hangup) after the cancel")
        // The pool still works afterwards, on a fresh connection, with the right response.
        let after = try await transport.send(request(server, "/json"))
        #expect(String(decoding: after.body, as: UTF8.self) == #"{"data":[{"id":"1"}]}"#)
        #expect(server.acceptedConnections == 2)
        #expect(server.requests.map(\.path) == ["/slow", "/json"])
    }

    @Test("secrets never appear in error descriptions, though the token was sent")
    func noSecretsInErrors() async throws {
        let server = try LoopbackHTTPServer(handler: routes())
        defer { server.stop() }
        let transport = try CurlTransport()
        let refusing = try RefusingPort()
        let refused = refusing.port
        let query = "?fields=id&access_token=\(secretToken)&appsecret_proof=\(secretProof)"
        var errors: [TransportError] = []
        for (base, path, timeout) in [(server.baseURL, "/truncated", 5000), (server.baseURL, "/slow", 200),
                                      (server.baseURL, "/badgzip", 5000), ("http://127.0.0.1:\(refused)", "/json", 5000)] {
            let req = HTTPRequest(url: base + path + query,
                                  headers: HTTPHeaders([HTTPHeader("Authorization", "Bearer \(secretToken)"),
                                                        HTTPHeader("X-Proof", secretProof)]),
                                  timeout: .milliseconds(timeout), connectTimeout: .seconds(2))
            if let error = await transportError({ try await transport.send(req) }) { errors.append(error) }
        }
        #expect(errors.count == 4)
        for error in errors {
            for text in [error.description, String(describing: error), "\(error)"] {
                #expect(!text.contains(secretToken) && !text.contains(secretProof) && !text.contains("access_token"), "\(text)")
            }
        }
        #expect(server.requests.contains { $0.headers["Authorization"] == "Bearer \(secretToken)" })
    }

    @Test("header values with CR/LF are refused without being echoed")
    func headerInjection() async throws {
        let server = try LoopbackHTTPServer(handler: routes())
        defer { server.stop() }
        var req = request(server, "/json")
        req.headers.add("X-Evil", "\(secretToken)\r\nX-Injected: 1")
        let error = await transportError { try await CurlTransport().send(req) }
        guard case .other(let message) = error else { Issue.record("expected .other, got \(String(describing: error))"); return }
        #expect(!message.contains(secretToken))
        #expect(server.requests.isEmpty)
    }

    @Test("invalid configuration is refused")
    func configuration() {
        #expect(throws: TransportError.self) { try CurlTransport(maxConnections: 0) }
        #expect(CurlTransport.libraryVersion.hasPrefix("libcurl/"))
    }
}

@Suite("secret scrubbing")
struct SecretScrubberTests {
    @Test("URL, query values and header values are removed from messages")
    func scrub() {
        let req = HTTPRequest(url: "https://graph.facebook.com/v21.0/1/x?appsecret_proof=PROOF1234&after=CURSOR99",
                              headers: HTTPHeaders([HTTPHeader("Authorization", "Bearer TOKEN5678")]))
        let scrubber = SecretScrubber(request: req)
        let message = scrubber.scrub("failed https://graph.facebook.com/v21.0/1/x?appsecret_proof=PROOF1234&after=CURSOR99 with TOKEN5678; proof PROOF1234")
        #expect(!message.contains("PROOF1234") && !message.contains("TOKEN5678") && !message.contains("CURSOR99"))
        #expect(message.hasPrefix("failed <redacted>"))
        #expect(scrubber.scrub("Could not resolve host: graph.facebook.com") == "Could not resolve host: graph.facebook.com")
    }

    @Test("durations become whole milliseconds, never 0")
    func milliseconds() {
        #expect(CurlSession.milliseconds(.seconds(60)) == 60_000)
        #expect(CurlSession.milliseconds(.milliseconds(1500)) == 1500)
        #expect(CurlSession.milliseconds(.microseconds(10)) == 1)
        #expect(CurlSession.milliseconds(.zero) == 1)
    }
}

/// An instant set from another thread.
private final class InstantBox: @unchecked Sendable {
    private let lock = NSLock()
    private var instant: ContinuousClock.Instant?
    func set(_ value: ContinuousClock.Instant) { lock.withLock { instant = value } }
    var value: ContinuousClock.Instant? { lock.withLock { instant } }
}

/// Waits (polling, up to `limit`) until `condition` holds; fails the test otherwise.
private func eventually(_ limit: Duration = .seconds(30), _ condition: () -> Bool) async throws {
    let deadline = ContinuousClock.now + limit
    while !condition() {
        guard ContinuousClock.now < deadline else {
            Issue.record("condition not met within \(limit)")
            return
        }
        try await Task.sleep(for: .milliseconds(10))
    }
}

/// The `TransportError` that `body` throws, or nil (recording an issue) if it throws nothing or something else.
private func transportError(_ body: () async throws -> HTTPResponse) async -> TransportError? {
    do {
        let response = try await body()
        Issue.record("expected an error, got status \(response.status)")
        return nil
    } catch let error as TransportError {
        return error
    } catch {
        Issue.record("expected a TransportError, got \(error)")
        return nil
    }
}

@Suite("Response size cap")
struct ResponseSizeCapTests {
    @Test("a gzip bomb stops at the decoded-size cap: tooLarge, never inflated in memory")
    func gzipBombRefused() async throws {
        let plain = [UInt8](repeating: 0x20, count: 32 << 20)   // 32 MiB of spaces
        let bomb = try systemGzip(plain)
        #expect(bomb.count < 200_000)
        let server = try LoopbackHTTPServer(handler: routes(gzipBody: bomb))
        defer { server.stop() }
        let transport = try CurlTransport()
        var r = request(server, "/gzip")
        r.maxBodyBytes = 1 << 20
        do {
            _ = try await transport.send(r)
            Issue.record("an oversize body must be refused")
        } catch let e as TransportError {
            guard case .tooLarge(let m) = e else { Issue.record("expected tooLarge, got \(e)"); return }
            #expect(m.contains("1048576"))
            #expect(!m.contains(secretToken))
        }
        // Under the cap the same body loads whole.
        r.maxBodyBytes = 64 << 20
        #expect(try await transport.send(r).body.count == plain.count)
    }
}
