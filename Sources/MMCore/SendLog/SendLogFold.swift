/// One send-log file folded into one state per message while it is parsed — the rows the warehouse
/// gets from it computed by mmetl, not by a stage and an aggregate in PostgreSQL.
///
/// Per message (wamid, compared byte by byte): the first send record by line, and over every
/// status record the summary `sendlog.messages` keeps (least WABA id, phone number and recipient,
/// first and last instant, the first instant of each of sent/delivered/read/failed, the latest
/// status with ties to the least status, the route, the pricing category). Its statuses: one per
/// (status, instant) — the first by line — except that records of one (status, instant) that differ
/// in anything else are all kept, so every one of them still counts in the summary when the fold is
/// written out as records (`forEachRecord`); `forEachStatusRow` picks the first by line.
///
/// The rules are those of the SQL the stage goes through (`SendLogMergeSQL`), text compared in
/// byte order ("C"); a test loads the same files both ways and compares the tables.
///
/// Pure: no I/O; memory grows with the file's messages (`estimatedBytes`, ≈ 580 bytes a message
/// with 2.5 statuses each), so the caller decides when to give up and write it out.
public struct SendLogFold: Sendable {
    public private(set) var pool = StringPool()
    var index: [ByteString: Int32] = [:]
    var wamids: [String] = []
    var messages: [FoldMessage] = []
    var statuses: [FoldStatus] = []
    var traits: [StatusTraits] = []
    private var traitIDs: [StatusTraits: Int32] = [:]
    var errors: [[StatusError]] = []
    /// The id each field took last: most records repeat their neighbours' values.
    private var hints = PoolHints()
    /// Send records after a message's first (by line): they change no row, but the stage's way
    /// holds every record of a message it cannot resolve, so they are written out with the rest.
    var laterSends: [(message: Int32, record: SendRecord, line: Int)] = []
    private var wamidHasNUL = false
    /// Some key (wamid, WABA id, status) — or any other text kept once — holds a NUL: PostgreSQL
    /// may merge what the fold keeps apart.
    public var hasNULKey: Bool { wamidHasNUL || pool.hasNUL }
    /// Some (message, status, instant) has records that differ beyond their line.
    public private(set) var hasConflictingRepeats = false

    public init() {}

    public var messageCount: Int { messages.count }
    public var isEmpty: Bool { messages.isEmpty }

    /// Bytes the fold holds, roughly: its arrays, plus 290 bytes a message for its wamid and
    /// recipient strings and its place in the index (calibrated on the bench's 1 M-message file:
    /// ≈ 580 MB estimated; peak RSS 530–580 MB above the stage's way's).
    public var estimatedBytes: Int {
        messages.count * (MemoryLayout<FoldMessage>.stride + 290) + statuses.count * MemoryLayout<FoldStatus>.stride
    }

    public mutating func add(_ item: SendLogItem, line: Int) {
        switch item {
        case .send(let s): add(send: s, line: line)
        case .status(let t): add(status: t, line: line)
        }
    }

    private mutating func message(_ wamid: String) -> Int {
        let key = ByteString(wamid)
        let next = Int32(messages.count)
        let i = Self.claim(&index[key, default: -1], next)  // one lookup, inserting when new
        if i == next {
            if key.hasNUL { wamidHasNUL = true }
            wamids.append(wamid)
            messages.append(FoldMessage())
        }
        return Int(i)
    }

    private static func claim(_ slot: inout Int32, _ next: Int32) -> Int32 {
        if slot < 0 { slot = next }
        return slot
    }

    private mutating func add(send s: SendRecord, line: Int) {
        let i = message(s.wamid)
        guard line < messages[i].sendLine else {
            laterSends.append((Int32(i), s, line))
            return
        }
        if messages[i].hasSend { laterSends.append((Int32(i), sendRecord(i), messages[i].sendLine)) }
        let ids = (waba: pool.id(s.wabaID, hint: &hints.sendWaba), phone: pool.id(s.phoneNumberID, hint: &hints.sendPhone),
                   template: pool.id(s.templateID, hint: &hints.templateID), name: pool.id(s.templateName, hint: &hints.templateName),
                   language: pool.id(s.language, hint: &hints.language), country: pool.id(s.recipientCountry, hint: &hints.country),
                   endpoint: pool.id(s.endpoint, hint: &hints.endpoint), policy: pool.id(s.productPolicy, hint: &hints.policy),
                   campaign: pool.id(s.campaign, hint: &hints.campaign))
        // One string for a recipient named by both a send and its statuses.
        var hash = s.recipientHash
        if let h = hash, let same = messages[i].statusHash, ByteString(h) == ByteString(same) { hash = same }
        Self.setSend(&messages[i], line: line, at: s.sentAt, ids: ids, hash: hash,
                     activitySharing: s.messageActivitySharing.map { $0 ? 1 : 0 } ?? -1)
    }

    private static func setSend(_ m: inout FoldMessage, line: Int, at: Int64,
                                ids: (waba: Int32, phone: Int32, template: Int32, name: Int32, language: Int32, country: Int32,
                                      endpoint: Int32, policy: Int32, campaign: Int32),
                                hash: String?, activitySharing: Int8) {
        m.sendLine = line
        m.sentAt = at
        m.sendWaba = ids.waba; m.sendPhone = ids.phone; m.templateID = ids.template; m.templateName = ids.name
        m.language = ids.language; m.sendCountry = ids.country; m.endpoint = ids.endpoint; m.productPolicy = ids.policy
        m.campaign = ids.campaign
        m.activitySharing = activitySharing
        m.sendHash = hash
    }

    private mutating func add(status t: StatusRecord, line: Int) {
        let i = message(t.wamid)
        let status = pool.id(t.status, hint: &hints.status)
        let waba = pool.id(t.wabaID, hint: &hints.statusWaba), phone = pool.id(t.phoneNumberID, hint: &hints.statusPhone)
        let pricingCategory = pool.id(t.pricingCategory, hint: &hints.pricingCategory)
        let route = t.route
        // The least values, read from the pool before the message is borrowed.
        let statusWaba = pool.least(messages[i].statusWaba, waba), statusPhone = pool.least(messages[i].statusPhone, phone)
        let pricing = pool.least(messages[i].pricing, pricingCategory)
        let lastAt = messages[i].lastAt, lastStatus = messages[i].lastStatus
        let lastIsNew = t.timestamp > lastAt || lastStatus < 0 || (t.timestamp == lastAt && pool.less(status, lastStatus))
        Self.foldStatus(&messages[i], t, status: status, waba: statusWaba, phone: statusPhone, pricing: pricing,
                        lastIsNew: lastIsNew, route: route)

        let trait = traitID(StatusTraits(phone: phone, pricingCategory: pricingCategory,
                                         pricingType: pool.id(t.pricingType, hint: &hints.pricingType),
                                         pricingModel: pool.id(t.pricingModel, hint: &hints.pricingModel),
                                         originType: pool.id(t.originType, hint: &hints.originType),
                                         billable: t.billable.map { $0 ? 1 : 0 } ?? -1, route: route))
        let errs: Int32
        if t.errors.isEmpty { errs = -1 } else { errs = Int32(errors.count); errors.append(t.errors) }
        // The message's list is kept in key order (status bytes, then instant): walk to the place.
        var previous: Int32 = -1
        var j = messages[i].firstStatus
        while j >= 0 {
            let s = statuses[Int(j)]
            if s.status == status, s.at == t.timestamp {
                if s.trait == trait, s.errors < 0 ? errs < 0 : (errs >= 0 && errors[Int(s.errors)] == t.errors) {
                    if line < s.line { statuses[Int(j)].line = line }
                    if errs >= 0 { errors.removeLast() }
                    return
                }
                hasConflictingRepeats = true
            } else if s.status == status ? t.timestamp < s.at : pool.less(status, s.status) {
                break
            }
            previous = j
            j = s.next
        }
        statuses.append(FoldStatus(next: j, status: status, trait: trait, errors: errs, at: t.timestamp, line: line))
        let new = Int32(statuses.count - 1)
        if previous < 0 { messages[i].firstStatus = new } else { statuses[Int(previous)].next = new }
    }

    /// A status record's part of its message's summary (the least values already taken).
    private static func foldStatus(_ m: inout FoldMessage, _ t: StatusRecord, status: Int32, waba: Int32, phone: Int32,
                                   pricing: Int32, lastIsNew: Bool, route: Route) {
        m.statusWaba = waba
        m.statusPhone = phone
        foldRecipient(&m, hash: t.recipientHash, country: t.recipientCountry)
        if t.timestamp < m.firstAt { m.firstAt = t.timestamp }
        if lastIsNew { m.lastAt = t.timestamp; m.lastStatus = status }
        switch t.status {
        case "sent": m.sentStatusAt = min(m.sentStatusAt, t.timestamp)
        case "delivered": m.deliveredAt = min(m.deliveredAt, t.timestamp)
        case "read": m.readAt = min(m.readAt, t.timestamp)
        case "failed": m.failedAt = min(m.failedAt, t.timestamp)
        default: break
        }
        if route == .mmAPI { m.routes |= 1 } else if route == .cloudAPI { m.routes |= 2 }
        if t.pricingCategory == "marketing_lite" { m.marketingLite = true }
        m.pricing = pricing
    }

    /// The least of the recipients' keys: `0<hash> <country>` when there is a hash, else `1 <country>`.
    private static func foldRecipient(_ m: inout FoldMessage, hash: String?, country: String?) {
        guard m.hasStatusRecipient else {
            m.hasStatusRecipient = true
            m.statusHash = shared(hash, m.sendHash); m.statusCountry = country
            return
        }
        if let h = m.statusHash, let nh = hash {
            let a = ByteString(nh), b = ByteString(h)
            if a == b {
                if (country ?? "").utf8.lexicographicallyPrecedes((m.statusCountry ?? "").utf8) { m.statusCountry = country }
            } else if Self.recipientKeyLess(hash: nh, country: country, than: h, country: m.statusCountry) {
                m.statusHash = shared(nh, m.sendHash); m.statusCountry = country
            }
        } else if hash != nil {
            m.statusHash = shared(hash, m.sendHash); m.statusCountry = country  // '0…' < '1…'
        } else if m.statusHash == nil, (country ?? "").utf8.lexicographicallyPrecedes((m.statusCountry ?? "").utf8) {
            m.statusCountry = country
        }
    }

    private static func shared(_ s: String?, _ other: String?) -> String? {
        if let s, let other, ByteString(s) == ByteString(other) { return other }
        return s
    }

    /// `hash + " " + country` against the same of the other, byte by byte.
    static func recipientKeyLess(hash a: String, country ca: String?, than b: String, country cb: String?) -> Bool {
        let x = [Array(a.utf8), [0x20], Array((ca ?? "").utf8)].joined()
        let y = [Array(b.utf8), [0x20], Array((cb ?? "").utf8)].joined()
        return x.lexicographicallyPrecedes(y)
    }

    private mutating func traitID(_ t: StatusTraits) -> Int32 {
        if let id = traitIDs[t] { return id }
        let id = Int32(traits.count)
        traits.append(t)
        traitIDs[t] = id
        return id
    }
}

/// The last id of each field (`StringPool.id(_:hint:)`).
struct PoolHints: Sendable {
    var sendWaba: Int32 = -1, sendPhone: Int32 = -1, templateID: Int32 = -1, templateName: Int32 = -1, language: Int32 = -1
    var country: Int32 = -1, endpoint: Int32 = -1, policy: Int32 = -1, campaign: Int32 = -1
    var status: Int32 = -1, statusWaba: Int32 = -1, statusPhone: Int32 = -1, pricingCategory: Int32 = -1
    var pricingType: Int32 = -1, pricingModel: Int32 = -1, originType: Int32 = -1
}

/// What the fold keeps of one message.
struct FoldMessage: Sendable {
    static let none = Int64.max
    // The first send record by line (`sendLine` Int.max: none).
    var sendLine = Int.max
    var sentAt: Int64 = 0
    var sendWaba: Int32 = -1, sendPhone: Int32 = -1, templateID: Int32 = -1, templateName: Int32 = -1, language: Int32 = -1
    var sendCountry: Int32 = -1, endpoint: Int32 = -1, productPolicy: Int32 = -1, campaign: Int32 = -1
    var activitySharing: Int8 = -1
    var sendHash: String?
    // The summary of every status record.
    var firstStatus: Int32 = -1
    var statusWaba: Int32 = -1, statusPhone: Int32 = -1
    var hasStatusRecipient = false
    var statusHash: String?
    var statusCountry: String?
    var firstAt = FoldMessage.none, lastAt = Int64.min
    var sentStatusAt = FoldMessage.none, deliveredAt = FoldMessage.none, readAt = FoldMessage.none, failedAt = FoldMessage.none
    var lastStatus: Int32 = -1
    /// 1: some status proves the MM API, 2: some proves Cloud API.
    var routes: UInt8 = 0
    var pricing: Int32 = -1
    var marketingLite = false

    var hasSend: Bool { sendLine != Int.max }
    var hasStatuses: Bool { firstStatus >= 0 }
}

/// What a status record has besides its message, status, instant, errors and line — few distinct
/// values in a file, kept once each.
struct StatusTraits: Hashable, Sendable {
    var phone: Int32
    var pricingCategory: Int32
    var pricingType: Int32
    var pricingModel: Int32
    var originType: Int32
    var billable: Int8
    var route: Route
}

/// One kept status record; `next` chains a message's statuses in key order — status bytes, then
/// instant — (-1 ends).
struct FoldStatus: Sendable {
    var next: Int32
    var status: Int32
    var trait: Int32
    var errors: Int32
    var at: Int64
    var line: Int
}
