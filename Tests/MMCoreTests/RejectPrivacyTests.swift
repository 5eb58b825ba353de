import Foundation
import Testing
@testable import MMCore

/// No text of a rejected send-log line keeps a recipient's number, in any formatting.
struct RejectPrivacyTests {
    /// The digits planted (a German mobile number); no 7-digit window of it may survive.
    static let digits = "4915123456789"
    /// 22 ways a log may write that number.
    static let shapes = [
        "+4915123456789", "4915123456789", "004915123456789", "+49 151 23456789", "+49 1512 3456789", "+49-151-234-567-89",
        "+49 (151) 234-56789", "(+49) 151 2345 6789", "49.151.234.567.89", "+49.151.23456789", "49 151 2345 6789",
        "+49/151/23456789", "0049 (0)151 23456789", "+49 151-2345 6789", "tel:+4915123456789", "wa.me/4915123456789",
        "+4\\u00391512345678\\u0039", "\\u0034\\u0039\\u0031\\u0035\\u0031\\u0032\\u0033\\u0034\\u0035\\u0036\\u0037\\u0038\\u0039",
        "+49 151 234 56 789", "49-151-23456789", "+49 151 2345678 9", "(49) 1512-345-6789",
    ]

    /// Every window of 7 consecutive digits of the planted number.
    static let windows: [String] = (0...(digits.count - 7)).map { String(Array(digits)[$0..<($0 + 7)]) }

    static func leaks(_ text: String) -> Bool {
        let onlyDigits = String(String(decoding: NumberScrubber.decodeASCIIEscapes(Array(text.utf8)), as: UTF8.self).filter(\.isNumber))
        return windows.contains { onlyDigits.contains($0) }
    }

    func rejects(_ text: String, format: SendLogFileFormat) -> [SendLogReject] {
        var p = SendLogParser(format: format, hasher: FNVHasher())
        var out: [SendLogReject] = []
        for (i, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            if case .reject(let r) = p.parse(line: String(line), number: i + 1) { out.append(r) }
        }
        if let r = p.finish() { out.append(r) }
        return out
    }

    @Test("the scrubber leaves no planted shape", arguments: shapes)
    func scrubberMasksEveryShape(_ shape: String) {
        let text = "note: call \(shape) today, sent 2026-11-30 at 10:00"
        let out = NumberScrubber.scrub(text)
        #expect(!Self.leaks(out), "\(shape) → \(out)")
        #expect(out.contains("2026-11-30"), "dates are kept: \(out)")
    }

    @Test("a CSV whose first row names no wamid column: every reject is masked", arguments: shapes)
    func csvWithoutHeader(_ shape: String) {
        let csv = "\(shape),wamid.A,2026-11-30T10:00:00Z,promo\n\"\(shape)\",wamid.B,x,y"
        let rs = rejects(csv, format: .csv)
        #expect(rs.count == 2)
        for r in rs {
            #expect(!Self.leaks(r.raw) && !Self.leaks(r.detail), "\(shape) leaked: \(r.raw) / \(r.detail)")
        }
    }

    @Test("JSON rejects mask numbers under any key, in messages[].from and behind escaped keys", arguments: shapes)
    func jsonRejects(_ shape: String) {
        let lines = [
            #"{"kind":"send","wamid":"wamid.X","sent_at":"yesterday","customer_phone":"\#(shape)"}"#,
            #"{"kind":"send","wamid":"wamid.X","sent_at":"yesterday","recip\u0069ent":"\#(shape)"}"#,
            #"{"object":"whatsapp_business_account","entry":[{"id":"1","changes":[{"value":{"messages":[{"from":"\#(shape)"}],"statuses":[{"id":"w","status":"sent"}]}}]}]}"#,
            #"{"kind":"status","wamid":"w","status":"sent","timestamp":"at \#(shape)"}"#,
            #"{"kind":"send","wamid":"wamid.X","sent_at":1750030073,"recipient":"\#(shape)","#,
        ]
        let rs = rejects(lines.joined(separator: "\n"), format: .ndjson)
        #expect(rs.count == lines.count)
        for r in rs {
            #expect(!Self.leaks(r.raw) && !Self.leaks(r.detail), "\(shape) leaked: \(r.raw) / \(r.detail)")
        }
    }

    @Test("an over-long field rejects the line by number; the rest of the file loads")
    func overLongField() {
        let long = String(repeating: "x", count: SendLogLimits.maxFieldBytes + 1)
        let text = [#"{"kind":"send","wamid":"w1","sent_at":1750030073,"campaign":"\#(long)"}"#,
                    #"{"kind":"send","wamid":"w2","sent_at":1750030073,"campaign":"ok"}"#].joined(separator: "\n")
        var p = SendLogParser(format: .ndjson, hasher: FNVHasher())
        var results: [SendLogLineResult] = []
        for (i, l) in text.split(separator: "\n").enumerated() { results.append(p.parse(line: String(l), number: i + 1)) }
        guard case .reject(let r) = results[0] else { Issue.record("expected a reject, got \(results[0])"); return }
        #expect(r.line == 1 && r.reason == .badField && r.detail.contains("campaign"))
        guard case .records(let items) = results[1] else { Issue.record("line 2 must load"); return }
        #expect(items.count == 1)
    }

    @Test("a NUL byte or invalid UTF-8 rejects the line (it used to load altered text), in NDJSON and CSV")
    func invalidTextRejected() {
        for format in [SendLogFileFormat.ndjson, .csv] {
            var p = SendLogParser(format: format, hasher: FNVHasher())
            if format == .csv { _ = p.parse(line: "kind,wamid,sent_at,campaign", number: 1) }
            let good = format == .csv ? "send,w1,2026-11-20T10:00:00Z,ok" : #"{"kind":"send","wamid":"w1","sent_at":"2026-11-20T10:00:00Z","campaign":"ok"}"#
            let withNUL = good.replacingOccurrences(of: "ok", with: "a\u{0}b")
            var invalid = Array(good.utf8)
            invalid.replaceSubrange(invalid.count - (format == .csv ? 2 : 4)..<invalid.count - (format == .csv ? 0 : 2), with: [0xFF, 0xFE])
            for (i, bytes) in [Array(withNUL.utf8), invalid].enumerated() {
                var b = bytes
                let r = b.withUnsafeMutableBufferPointer { p.parse(line: UnsafeBufferPointer($0), number: i + 2) }
                guard case .reject(let reject) = r else { Issue.record("\(format) line \(i) loaded: \(r)"); continue }
                #expect(reject.reason == .invalidText && reject.line == i + 2)
            }
            guard case .records = p.parse(line: good, number: 9) else { Issue.record("\(format): a clean line must load"); continue }
        }
    }

    /// The check reads eight bytes at a time: a NUL or a non-UTF-8 byte is found at every position
    /// of a word and of the tail, and valid multi-byte text is not mistaken for either.
    @Test func encodingProblemsAtEveryPosition() {
        let clean = Array("0123456789abcdefghijklmnopq".utf8)  // 27 bytes: three words and a tail of 3
        let check = { (bytes: [UInt8]) in bytes.withUnsafeBufferPointer { SendLogParser.encodingProblem($0) } }
        #expect(check(clean) == nil)
        #expect(check(Array("ação, 東京 — ok ✓".utf8)) == nil)
        for i in clean.indices {
            var withNUL = clean, invalid = clean
            withNUL[i] = 0
            invalid[i] = 0xFF
            #expect(check(withNUL) == "NUL byte in the line", "NUL at \(i)")
            #expect(check(invalid) == "the line is not valid UTF-8", "0xFF at \(i)")
        }
    }
}
