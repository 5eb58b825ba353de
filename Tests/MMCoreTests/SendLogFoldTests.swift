import MMCore
import Testing

/// The per-message fold's rules, in memory (the PostgreSQL suite compares whole tables with the
/// stage's way on random files).
@Suite("Send log fold")
struct SendLogFoldTests {
    static let t0: Int64 = 1_795_521_600_000_000

    static func send(_ wamid: String, at: Int64 = t0, waba: String? = "w1", template: String? = "t1", hash: String? = nil,
                     country: String? = nil) -> SendLogItem {
        .send(SendRecord(wamid: wamid, sentAt: at, wabaID: waba, phoneNumberID: "p1", templateID: template, recipientHash: hash,
                         recipientCountry: country))
    }

    static func status(_ wamid: String, _ status: String, at: Int64, waba: String? = "w1", phone: String? = "p1",
                       category: String? = nil, hash: String? = nil, country: String? = nil) -> SendLogItem {
        .status(StatusRecord(wamid: wamid, status: status, timestamp: at, wabaID: waba, phoneNumberID: phone, recipientHash: hash,
                             recipientCountry: country, pricingCategory: category))
    }

    static func rows(_ fold: SendLogFold, _ i: Int) -> [SendLogStatusRow] {
        var out: [SendLogStatusRow] = []
        fold.forEachStatusRow(of: i, waba: "w1") { out.append($0) }
        return out.sorted { $0.line < $1.line }
    }

    @Test func wamidsAreKeptApartByTheirBytesNotByCanonicalEquivalence() {
        var fold = SendLogFold()
        fold.add(Self.send("caf\u{E9}"), line: 1)
        fold.add(Self.send("cafe\u{301}"), line: 2)  // equal as Swift strings, not as bytes
        fold.add(Self.send("caf\u{E9}"), line: 3)
        #expect("caf\u{E9}" == "cafe\u{301}")
        #expect(fold.messageCount == 2)
    }

    @Test func theFirstSendRecordByLineWinsWhateverTheOrderTheyCome() {
        var fold = SendLogFold()
        fold.add(Self.send("m", template: "late"), line: 9)
        fold.add(Self.send("m", template: "first"), line: 2)
        fold.add(Self.send("m", template: "middle"), line: 5)
        #expect(fold.messageRow(0, waba: "w1").templateID == "first")
        var sends: [Int] = []
        fold.forEachRecord { item, line in if case .send = item { sends.append(line) } }
        #expect(sends.sorted() == [2, 5, 9])  // every send record still goes to the stage
    }

    @Test func theSummaryFollowsTheStageRules() {
        var fold = SendLogFold()
        fold.add(Self.status("m", "read", at: Self.t0 + 60, waba: "w2", category: "marketing"), line: 4)
        fold.add(Self.status("m", "delivered", at: Self.t0 + 60, waba: "w1", category: "marketing_lite"), line: 3)
        fold.add(Self.status("m", "sent", at: Self.t0 + 1, waba: nil, phone: "p0", category: "utility"), line: 2)
        let r = fold.messageRow(0, waba: "w1")
        #expect(fold.wabaOfRecords(0) == "w1")  // no send record: the least status WABA
        #expect(r.lastStatus == "delivered" && r.lastStatusAt == Self.t0 + 60)  // a tie in time: the least status
        #expect(r.firstStatusAt == Self.t0 + 1 && r.sentStatusAt == Self.t0 + 1 && r.readAt == Self.t0 + 60)
        #expect(r.failedAt == nil && r.sentAt == nil && r.occurredAt == Self.t0 + 1)
        #expect(r.pricingCategory == "marketing_lite" && r.route == .mmAPI)
        #expect(r.phoneNumberID == "p0")  // the least of the statuses' phone numbers
    }

    @Test func theRecipientIsTheSendsElseTheLeastStatusKey() {
        var fold = SendLogFold()
        fold.add(Self.status("m", "sent", at: Self.t0, hash: nil, country: "AA"), line: 1)
        fold.add(Self.status("m", "read", at: Self.t0 + 2, hash: "b", country: "BR"), line: 2)
        fold.add(Self.status("m", "delivered", at: Self.t0 + 1, hash: "a", country: "US"), line: 3)
        var r = fold.messageRow(0, waba: "w1")
        #expect(r.recipientHash == "a" && r.recipientCountry == "US")  // '0a US' < '0b BR' < '1 AA'
        fold.add(Self.send("m", hash: "z", country: "DE"), line: 4)
        r = fold.messageRow(0, waba: "w1")
        #expect(r.recipientHash == "z" && r.recipientCountry == "DE")
    }

    @Test func repeatedStatusesAreStoredOnceTheFirstByLine() {
        var fold = SendLogFold()
        fold.add(Self.status("m", "sent", at: Self.t0), line: 7)
        fold.add(Self.status("m", "sent", at: Self.t0), line: 3)
        #expect(Self.rows(fold, 0).map(\.line) == [3])
        #expect(!fold.hasConflictingRepeats)
        // The same (status, instant) with another phone number: both count in the summary, the
        // first by line is stored.
        fold.add(Self.status("m", "sent", at: Self.t0, phone: "p0"), line: 5)
        #expect(fold.hasConflictingRepeats)
        #expect(Self.rows(fold, 0).map(\.line) == [3])
        #expect(fold.messageRow(0, waba: "w1").phoneNumberID == "p0")
        var statuses = 0
        fold.forEachRecord { item, _ in if case .status = item { statuses += 1 } }
        #expect(statuses == 2)
    }

    @Test func aNULInAKeyIsFlagged() {
        var fold = SendLogFold()
        fold.add(Self.send("ok"), line: 1)
        #expect(!fold.hasNULKey)
        fold.add(Self.status("ok", "se\u{0}nt", at: Self.t0), line: 2)
        #expect(fold.hasNULKey)
    }

    @Test func byteOrderPutsAPrefixFirstAndComparesBytes() {
        #expect(ByteString.less("ab", "abc") && !ByteString.less("abc", "ab"))
        #expect(ByteString.less("", "a") && !ByteString.less("a", ""))
        #expect(ByteString.less("Z", "a"))  // 0x5A < 0x61
        #expect(ByteString.less("caf\u{E9}", "cafe\u{301}") == false && ByteString("caf\u{E9}") != ByteString("cafe\u{301}"))
    }
}
