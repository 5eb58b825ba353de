/// A new message's row of `sendlog.messages`, as `SendLogWriteSQL.insertNew` makes it from the stage.
public struct SendLogMessageRow: Sendable, Hashable {
    public var wabaID: String
    public var wamid: String
    public var phoneNumberID: String?
    public var templateID: String?
    public var templateName: String?
    public var language: String?
    public var recipientHash: String?
    public var recipientCountry: String?
    public var endpoint: String?
    public var productPolicy: String?
    public var messageActivitySharing: Bool?
    public var campaign: String?
    public var sentAt: Int64?
    public var firstStatusAt: Int64?
    public var occurredAt: Int64?
    public var sentStatusAt: Int64?
    public var deliveredAt: Int64?
    public var readAt: Int64?
    public var failedAt: Int64?
    public var lastStatus: String?
    public var lastStatusAt: Int64?
    public var route: Route
    public var pricingCategory: String?
}

/// A status's row of `sendlog.statuses` (without the file's sha256), as the stage's insert makes it.
public struct SendLogStatusRow: Sendable, Hashable {
    public var wabaID: String
    public var wamid: String
    public var status: String
    public var statusAt: Int64
    public var phoneNumberID: String?
    public var pricingCategory: String?
    public var pricingType: String?
    public var pricingModel: String?
    public var billable: Bool?
    public var originType: String?
    public var route: Route
    public var errors: [StatusError]
    public var line: Int
}

extension SendLogFold {
    public func wamid(_ i: Int) -> String { wamids[i] }

    /// The message's WABA as its own records name it: its send record's, else the least of its
    /// statuses' (nil: none does).
    public func wabaOfRecords(_ i: Int) -> String? {
        let m = messages[i]
        return pool.string(m.sendWaba >= 0 ? m.sendWaba : m.statusWaba)
    }

    /// The phone number a message without a WABA is resolved by: its send record's, else the least
    /// of its statuses'.
    public func phoneOfRecords(_ i: Int) -> String? {
        let m = messages[i]
        return pool.string(m.sendPhone >= 0 ? m.sendPhone : m.statusPhone)
    }

    /// The row of message `i`, new, in `waba`.
    public func messageRow(_ i: Int, waba: String) -> SendLogMessageRow {
        let m = messages[i]
        let send = m.hasSend
        let statusHash = m.statusHash.flatMap { $0.isEmpty ? nil : $0 }
        let statusCountry = m.statusCountry.flatMap { $0.isEmpty ? nil : $0 }
        let sendHash = send ? m.sendHash : nil
        let sendCountry = send ? pool.string(m.sendCountry) : nil
        let country = sendHash == nil && statusHash != nil ? statusCountry : (sendCountry ?? statusCountry)
        let statuses = m.hasStatuses
        let sentAt: Int64? = send ? m.sentAt : nil
        let firstAt: Int64? = statuses ? m.firstAt : nil
        func at(_ v: Int64) -> Int64? { v == FoldMessage.none ? nil : v }
        return SendLogMessageRow(
            wabaID: waba, wamid: wamids[i],
            phoneNumberID: pool.string(send && m.sendPhone >= 0 ? m.sendPhone : m.statusPhone),
            templateID: send ? pool.string(m.templateID) : nil, templateName: send ? pool.string(m.templateName) : nil,
            language: send ? pool.string(m.language) : nil, recipientHash: sendHash ?? statusHash, recipientCountry: country,
            endpoint: send ? pool.string(m.endpoint) : nil, productPolicy: send ? pool.string(m.productPolicy) : nil,
            messageActivitySharing: send && m.activitySharing >= 0 ? m.activitySharing == 1 : nil,
            campaign: send ? pool.string(m.campaign) : nil, sentAt: sentAt, firstStatusAt: firstAt, occurredAt: sentAt ?? firstAt,
            sentStatusAt: at(m.sentStatusAt), deliveredAt: at(m.deliveredAt), readAt: at(m.readAt), failedAt: at(m.failedAt),
            lastStatus: statuses ? pool.string(m.lastStatus) : nil, lastStatusAt: statuses ? m.lastAt : nil,
            route: m.routes & 1 != 0 ? .mmAPI : (m.routes & 2 != 0 ? .cloudAPI : .unknown),
            pricingCategory: m.marketingLite ? "marketing_lite" : pool.string(m.pricing))
    }

    /// The rows of message `i`'s statuses in `waba`: one per (status, instant), the first by line.
    public func forEachStatusRow(of i: Int, waba: String, _ body: (SendLogStatusRow) throws -> Void) rethrows {
        let wamid = wamids[i]
        var j = messages[i].firstStatus
        while j >= 0 {
            let s = statuses[Int(j)]
            j = s.next
            if hasConflictingRepeats && isBeaten(s, from: messages[i].firstStatus) { continue }
            let t = traits[Int(s.trait)]
            try body(SendLogStatusRow(
                wabaID: waba, wamid: wamid, status: pool.string(s.status)!, statusAt: s.at, phoneNumberID: pool.string(t.phone),
                pricingCategory: pool.string(t.pricingCategory), pricingType: pool.string(t.pricingType),
                pricingModel: pool.string(t.pricingModel), billable: t.billable < 0 ? nil : t.billable == 1,
                originType: pool.string(t.originType), route: t.route, errors: s.errors < 0 ? [] : errors[Int(s.errors)], line: s.line))
        }
    }

    /// Whether another kept record of the same (status, instant) comes before `s` by line.
    private func isBeaten(_ s: FoldStatus, from first: Int32) -> Bool {
        var k = first
        while k >= 0 {
            let o = statuses[Int(k)]
            if o.status == s.status, o.at == s.at, o.line < s.line { return true }
            k = o.next
        }
        return false
    }

    /// Every kept record as the stage takes it — every send record, each message's statuses (one
    /// per distinct record): the stage's summary of them is the fold's (each status carries the
    /// message's least WABA id and recipient, which are all the stage's aggregate keeps of them).
    public func forEachRecord(_ body: (SendLogItem, Int) throws -> Void) rethrows {
        for later in laterSends { try body(.send(later.record), later.line) }
        for (i, m) in messages.enumerated() {
            let wamid = wamids[i]
            if m.hasSend { try body(.send(sendRecord(i)), m.sendLine) }
            var j = m.firstStatus
            while j >= 0 {
                let s = statuses[Int(j)]
                j = s.next
                let t = traits[Int(s.trait)]
                try body(.status(StatusRecord(
                    wamid: wamid, status: pool.string(s.status)!, timestamp: s.at, wabaID: pool.string(m.statusWaba),
                    phoneNumberID: pool.string(t.phone), recipientHash: m.statusHash, recipientCountry: m.statusCountry,
                    pricingCategory: pool.string(t.pricingCategory), pricingType: pool.string(t.pricingType),
                    pricingModel: pool.string(t.pricingModel), billable: t.billable < 0 ? nil : t.billable == 1,
                    originType: pool.string(t.originType), errors: s.errors < 0 ? [] : errors[Int(s.errors)])), s.line)
            }
        }
    }

    /// Message `i`'s first send record (it has one).
    func sendRecord(_ i: Int) -> SendRecord {
        let m = messages[i]
        return SendRecord(
            wamid: wamids[i], sentAt: m.sentAt, wabaID: pool.string(m.sendWaba), phoneNumberID: pool.string(m.sendPhone),
            templateID: pool.string(m.templateID), templateName: pool.string(m.templateName), language: pool.string(m.language),
            recipientHash: m.sendHash, recipientCountry: pool.string(m.sendCountry), endpoint: pool.string(m.endpoint),
            productPolicy: pool.string(m.productPolicy),
            messageActivitySharing: m.activitySharing < 0 ? nil : m.activitySharing == 1, campaign: pool.string(m.campaign))
    }

    /// The UTC days message `i` spans: its earliest instant (send or first status) to its latest
    /// (send or last status).
    public func days(_ i: Int) -> ClosedRange<Day> {
        let m = messages[i]
        var lo = Int64.max, hi = Int64.min
        if m.hasSend { lo = m.sentAt; hi = m.sentAt }
        if m.hasStatuses { lo = min(lo, m.firstAt); hi = max(hi, m.lastAt) }
        return Day(epochSecondsUTC: Self.floorSeconds(lo))...Day(epochSecondsUTC: Self.floorSeconds(hi))
    }

    private static func floorSeconds(_ micros: Int64) -> Int64 {
        micros >= 0 ? micros / 1_000_000 : -((-micros + 999_999) / 1_000_000)
    }
}
