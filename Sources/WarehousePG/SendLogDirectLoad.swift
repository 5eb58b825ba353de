import MMCore

/// The send-log load's direct way: when a file's messages are all new and each names its WABA (or
/// its phone number does), the fold's rows are final — one binary COPY into `sendlog.messages`,
/// one into `sendlog.statuses`, no stage, no aggregate, no INSERT … SELECT.
///
/// Decided from the data, under the load lock: nothing held in `etl.sendlog_pending` (held records
/// go the stage's way, which takes them back), the fold never spilled, no key with a NUL, every
/// message resolved to a WABA, none of the file's wamids stored. Otherwise the fold is written into
/// the stage and the load goes on as before.
struct SendLogDirectLoad {
    /// The fold's shards (`SendLogFoldSink`); a message is (shard, index in it).
    let folds: [SendLogFold]
    /// The WABA of each message, per shard.
    let wabas: [[String]]
    var messageCount: Int { folds.reduce(0) { $0 + $1.messageCount } }

    /// The direct way for this fold, or nil when the stage's way must be taken.
    static func plan(_ folds: [SendLogFold], on c: PGConnection) throws -> SendLogDirectLoad? {
        guard folds.contains(where: { !$0.isEmpty }), !folds.contains(where: \.hasNULKey) else { return nil }
        var wabas: [[String]] = []
        var phones: [String: String]?
        for fold in folds {
            var w: [String] = []
            w.reserveCapacity(fold.messageCount)
            for i in 0..<fold.messageCount {
                if let waba = fold.wabaOfRecords(i) { w.append(waba); continue }
                if phones == nil { phones = try phoneWABAs(on: c) }
                guard let phone = fold.phoneOfRecords(i), let waba = phones?[phone] else { return nil }
                w.append(waba)
            }
            wabas.append(w)
        }
        guard try !anyStored(folds, on: c) else { return nil }
        return SendLogDirectLoad(folds: folds, wabas: wabas)
    }

    /// Messages sorted by (WABA, wamid) in byte order, so that rows reach indexed tables in their
    /// primary keys' order (appended to, not split at random). Not for a table whose indexes are set
    /// aside: the sort (1.8 s for 1 M messages) won nothing back in the index builds after the load.
    private static func keyOrder(_ folds: [SendLogFold], _ wabas: [[String]]) -> [(shard: Int32, index: Int32)] {
        let distinct = Set(wabas.joined().map(ByteString.init)).sorted()
        let rank = Dictionary(uniqueKeysWithValues: distinct.enumerated().map { ($1, Int32($0)) })
        var keys: [(rank: Int32, wamid: String, shard: Int32, index: Int32)] = []
        keys.reserveCapacity(folds.reduce(0) { $0 + $1.messageCount })
        for (s, w) in wabas.enumerated() {
            let fold = folds[s]
            for (i, waba) in w.enumerated() { keys.append((rank[ByteString(waba)]!, fold.wamid(i), Int32(s), Int32(i))) }
        }
        keys.sort { a, b in a.rank != b.rank ? a.rank < b.rank : ByteString.less(a.wamid, b.wamid) }
        return keys.map { ($0.shard, $0.index) }
    }

    /// Phone numbers that belong to one WABA (as `SendLogMergeSQL`'s `phones`).
    private static func phoneWABAs(on c: PGConnection) throws -> [String: String] {
        let rows = try c.query("""
            SELECT phone_number_id, min(waba_id) AS waba_id FROM mm.dim_phone_number
            GROUP BY phone_number_id HAVING count(DISTINCT waba_id) = 1
            """)
        var out: [String: String] = [:]
        for r in 0..<rows.count {
            if let p = try rows.string(r, "phone_number_id"), let w = try rows.string(r, "waba_id") { out[p] = w }
        }
        return out
    }

    /// Whether `sendlog.messages` holds any of the fold's wamids (an empty table: no question asked).
    private static func anyStored(_ folds: [SendLogFold], on c: PGConnection) throws -> Bool {
        guard try c.query("SELECT EXISTS (SELECT 1 FROM sendlog.messages) AS any").bool(0, "any") == true else { return false }
        try c.execute("CREATE TEMP TABLE sendlog_file_wamids (wamid text COLLATE \"C\" NOT NULL) ON COMMIT DROP")
        try c.copyIn(sql: "COPY sendlog_file_wamids (wamid) FROM STDIN WITH (FORMAT binary)", format: .binary) { w in
            for fold in folds {
                for i in 0..<fold.messageCount {
                    w.field(fold.wamid(i))
                    try w.endRow()
                }
            }
        }
        try c.execute("ANALYZE sendlog_file_wamids")
        return try c.query("""
            SELECT EXISTS (SELECT 1 FROM sendlog_file_wamids f JOIN sendlog.messages m ON m.wamid = f.wamid) AS any
            """).bool(0, "any") == true
    }

    static let copyMessages = """
        COPY sendlog.messages (waba_id, wamid, phone_number_id, template_id, template_name, language, recipient_hash,
            recipient_country, endpoint, product_policy, message_activity_sharing, campaign, sent_at, first_status_at,
            occurred_at, sent_status_at, delivered_at, read_at, failed_at, last_status, last_status_at, route, pricing_category,
            source_sha256, run_id) FROM STDIN WITH (FORMAT binary)
        """

    static let copyStatuses = """
        COPY sendlog.statuses (waba_id, wamid, status, status_at, phone_number_id, pricing_category, pricing_type,
            pricing_model, billable, origin_type, route, error_codes, errors, source_sha256, source_line) FROM STDIN WITH (FORMAT binary)
        """

    /// Every message, in key order when `ordered` (else shard by shard).
    private func order(_ ordered: Bool) -> [(shard: Int32, index: Int32)] {
        if ordered { return Self.keyOrder(folds, wabas) }
        return folds.enumerated().flatMap { s, fold in (0..<fold.messageCount).map { (Int32(s), Int32($0)) } }
    }

    /// The messages' rows, in key order when `ordered`. Returns rows written.
    func copyMessages(on c: PGConnection, sha256: String, runID: Int64?, ordered: Bool) throws -> Int {
        let order = order(ordered)
        try c.copyIn(sql: Self.copyMessages, format: .binary) { w in
            for (s, i) in order {
                let r = folds[Int(s)].messageRow(Int(i), waba: wabas[Int(s)][Int(i)])
                w.field(r.wabaID); w.field(r.wamid); w.field(r.phoneNumberID); w.field(r.templateID); w.field(r.templateName)
                w.field(r.language); w.field(r.recipientHash); w.field(r.recipientCountry); w.field(r.endpoint)
                w.field(r.productPolicy); w.field(r.messageActivitySharing); w.field(r.campaign); w.timestamp(micros: r.sentAt)
                w.timestamp(micros: r.firstStatusAt); w.timestamp(micros: r.occurredAt); w.timestamp(micros: r.sentStatusAt)
                w.timestamp(micros: r.deliveredAt); w.timestamp(micros: r.readAt); w.timestamp(micros: r.failedAt)
                w.field(r.lastStatus); w.timestamp(micros: r.lastStatusAt); w.field(r.route.rawValue); w.field(r.pricingCategory)
                w.field(sha256); w.field(runID)
                try w.endRow()
            }
        }
        return order.count
    }

    /// The statuses' rows, in key order when `ordered` (each message's as the fold keeps them: by
    /// status, then instant). Returns rows written.
    func copyStatuses(on c: PGConnection, sha256: String, ordered: Bool) throws -> Int {
        let order = order(ordered)
        var n = 0
        try c.copyIn(sql: Self.copyStatuses, format: .binary) { w in
            for (s, i) in order {
                try folds[Int(s)].forEachStatusRow(of: Int(i), waba: wabas[Int(s)][Int(i)]) { r in
                    w.field(r.wabaID); w.field(r.wamid); w.field(r.status); w.timestamp(micros: r.statusAt); w.field(r.phoneNumberID)
                    w.field(r.pricingCategory); w.field(r.pricingType); w.field(r.pricingModel); w.field(r.billable)
                    w.field(r.originType); w.field(r.route.rawValue)
                    SendLogCopySink.writeErrors(r.errors, noCodes: [], to: w)  // the table's column is NOT NULL
                    w.field(sha256); w.field(r.line)
                    try w.endRow()
                    n += 1
                }
            }
        }
        return n
    }

    /// The UTC days the file's messages span (nil: no message).
    var days: ClosedRange<Day>? {
        var out: ClosedRange<Day>?
        for fold in folds {
            for i in 0..<fold.messageCount {
                let d = fold.days(i)
                out = out.map { min($0.lowerBound, d.lowerBound)...max($0.upperBound, d.upperBound) } ?? d
            }
        }
        return out
    }
}
