import Foundation
import Testing
@testable import MMCore

/// What a hostile or broken Graph API response must not achieve: send the token elsewhere,
/// page forever, or leave credentials in the archive.
struct HostileResponseTests {
    let requests = GraphRequests(baseURL: "https://graph.facebook.com", apiVersion: "v25.0", pageSize: 500, appSecretProof: "ourproof0123456789")

    func page(next: String) -> [UInt8] { Array(#"{"data":[],"paging":{"cursors":{"after":"Q"},"next":"\#(next)"}}"#.utf8) }

    @Test("a next URL on the configured origin is followed, with our proof and without an echoed token",
          arguments: [
            "https://graph.facebook.com/v25.0/1/pricing_analytics?after=Q&limit=500",
            "https://GRAPH.facebook.com:443/v25.0/1/pricing_analytics?after=Q",
            "https://graph.facebook.com/v25.0/1/x?access_token=EAAsecret&after=Q&appsecret_proof=theirs",
          ])
    func followsTheSameOrigin(_ next: String) throws {
        let url = try #require(try CursorTrail(requests: requests).next(after: page(next: next)))
        #expect(url.hasSuffix("appsecret_proof=ourproof0123456789"))
        #expect(!url.contains("access_token"))
        #expect(!url.contains("theirs"))
    }

    @Test("a next URL that leaves the origin is refused, terminal, naming the host",
          arguments: [
            ("http://other-host/steal", "other-host"),
            ("https://other-host/v25.0/1/pricing_analytics?after=Q", "other-host"),
            ("http://graph.facebook.com/v25.0/1/x", "graph.facebook.com"),               // scheme
            ("https://graph.facebook.com:8443/v25.0/1/x", "graph.facebook.com"),         // port
            ("https://graph.facebook.com/v1.0/1/x", "graph.facebook.com"),               // version prefix
            ("https://graph.facebook.com@evil.example/v25.0/1/x", "evil.example"),       // user info
            ("https://graph.facebook.com/v25.0/../steal", "graph.facebook.com"),         // dot segment
            ("https://graph.facebook.com/v25.0/%2e%2e/steal", "graph.facebook.com"),
            ("https://graph.facebook.com\\\\@evil.example/v25.0/1", ""),
            ("//evil.example/v25.0/1/x", "evil.example"),
            ("javascript:alert(1)", "?"),
          ])
    func refusesOtherOrigins(_ next: String, _ host: String) throws {
        do {
            _ = try CursorTrail(requests: requests).next(after: page(next: next))
            Issue.record("followed \(next)")
        } catch {
            #expect(error.kind == .refused)
            #expect(error.failureClass == .terminal)
            if !host.isEmpty { #expect(error.description.contains("\"\(host)\""), "\(error.description)") }
            #expect(!error.description.contains("ourproof"))
        }
    }

    @Test("a repeated URL and the page cap end paging with a terminal error")
    func pagingEnds() throws {
        var trail = CursorTrail(requests: requests, maxPages: 3)
        try trail.enter("https://graph.facebook.com/v25.0/1/x?after=A")
        #expect(throws: GraphError.self) { try trail.enter("https://graph.facebook.com/v25.0/1/x?after=A") }
        try trail.enter("https://graph.facebook.com/v25.0/1/x?after=B")
        try trail.enter("https://graph.facebook.com/v25.0/1/x?after=C")
        do { try trail.enter("https://graph.facebook.com/v25.0/1/x?after=D"); Issue.record("page cap not enforced") } catch {
            #expect(error.failureClass == .terminal && error.description.contains("over 3 pages"))
        }
    }

    @Test("a body loses the token and every access_token/appsecret_proof value, and still parses to the same data")
    func bodyScrubbed() throws {
        let token = "EAAGtopSecretToken123456"
        let raw = #"{"data":[{"id":"1","note":"echo \#(token)"}],"paging":{"next":"https:\/\/graph.facebook.com\/v25.0\/1\/x?access_token=\#(token)&appsecret_proof=abcdef0123&after=Q"}}"#
        let out = String(decoding: BodyScrubber.scrub(Array(raw.utf8), secrets: [token]), as: UTF8.self)
        #expect(!out.contains(token))
        #expect(!out.contains("abcdef0123"))
        #expect(out.contains("access_token=REDACTED&appsecret_proof=REDACTED&after=Q"))
        let object = try JSONSerialization.jsonObject(with: Data(out.utf8)) as? [String: Any]
        #expect((object?["data"] as? [[String: Any]])?.first?["id"] as? String == "1")
        let clean = Array(#"{"data":[{"id":"1"}]}"#.utf8)
        #expect(BodyScrubber.scrub(clean, secrets: [token]) == clean)
    }

    @Test("plain http only for a loopback host; https anywhere",
          arguments: [("https://graph.facebook.com", true), ("http://127.0.0.1:8089", true), ("http://localhost:1", true),
                      ("http://[::1]:8089", true), ("http://graph.facebook.com", false), ("http://10.0.0.5:8089", false),
                      ("http://127.0.0.1.evil.example", false), ("ftp://127.0.0.1", false), ("https://u:p@graph.facebook.com", false)])
    func baseURLRule(_ url: String, _ allowed: Bool) {
        #expect(BaseURLRule.isAllowed(url) == allowed, "\(url)")
    }

    @Test("graph ids are digits only", arguments: [("102290129340398", true), ("", false), ("12a", false), ("../x", false),
                                                  ("1?fields=", false), ("١٢٣", false), (String(repeating: "9", count: 26), false)])
    func graphIDs(_ id: String, _ valid: Bool) {
        #expect(GraphID.isValid(id) == valid)
    }
}
