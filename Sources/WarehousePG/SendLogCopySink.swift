import MMCore

/// Streams parsed send-log lines into the per-file stage table (`SendLogMergeSQL.createStage`)
/// through one binary COPY: sends (`s`), statuses (`t`) and rejects (`r`) share the table, so a
/// single COPY carries the whole file in constant memory. Its parts encode rows in memory
/// (`PGCopyWriter.inMemory(format: .binary)`), so several threads can encode one file's rows while
/// one at a time appends them to the COPY.
///
/// Binary, because the stage COPY is the server's work while mmetl parses: a timestamp, a line
/// number or an error-code array in binary form needs no parsing there (measured on a stage of
/// 1.06 M rows: 4.9 s as text, 2.8–3.6 s as binary).
///
/// It also takes the census of the records' keys (`SendLogKeyCensus`), parts included, so the load
/// knows whether the file names a key twice.
package final class SendLogCopySink: SendLogPartedSink {
    private let writer: PGCopyWriter
    private var census = SendLogKeyCensus()
    /// Reject rows written (parts appended included): the stage holds a `kind = 'r'` row only then.
    private(set) var rejectsWritten = 0

    init(writer: PGCopyWriter) { self.writer = writer }

    package func makePart() -> any SendLogSink { Self.encodingInMemory() }

    /// A sink that only encodes (its rows wait in memory): every part, and the parser's benchmark
    /// (`mmetl-bench sendlog-parse`).
    package static func encodingInMemory() -> SendLogCopySink { SendLogCopySink(writer: .inMemory(format: .binary)) }

    /// Bytes of COPY rows a part made by `makePart()` holds.
    package static func encodedBytes(of part: any SendLogSink) -> Int { (part as? SendLogCopySink)?.writer.encodedBytes ?? 0 }

    package func append(_ part: any SendLogSink) throws {
        guard let part = part as? SendLogCopySink else { preconditionFailure("a part of another sink") }
        try part.writer.drain(into: writer)
        census.absorb(&part.census)
        rejectsWritten += part.rejectsWritten
    }

    /// Whether the records written so far (parts appended included) may name a message's send, or
    /// one of its (status, timestamp), twice. Call once, after the last record.
    func repeats() -> (sends: Bool, statuses: Bool) { census.repeats() }

    package func write(_ item: SendLogItem, line: Int) throws {
        switch item {
        case .send(let s):
            census.send(wamid: s.wamid)
            writer.field("s"); writer.field(line); writer.field(s.wamid)
            writer.field(s.wabaID); writer.field(s.phoneNumberID); writer.field(s.templateID); writer.field(s.templateName)
            writer.field(s.language); writer.field(s.recipientHash); writer.field(s.recipientCountry); writer.field(s.endpoint)
            writer.field(s.productPolicy); writer.field(s.messageActivitySharing); writer.field(s.campaign)
            writer.timestamp(micros: s.sentAt)
            for _ in 0..<12 { writer.null() }  // status … raw, last_key
        case .status(let t):
            census.status(wamid: t.wamid, status: t.status, micros: t.timestamp)
            writer.field("t"); writer.field(line); writer.field(t.wamid)
            writer.field(t.wabaID); writer.field(t.phoneNumberID)
            for _ in 0..<3 { writer.null() }  // template_id, template_name, language
            writer.field(t.recipientHash); writer.field(t.recipientCountry)
            for _ in 0..<4 { writer.null() }  // endpoint, product_policy, message_activity_sharing, campaign
            writer.timestamp(micros: t.timestamp)
            writer.field(t.status); writer.field(t.pricingCategory); writer.field(t.pricingType); writer.field(t.pricingModel)
            writer.field(t.billable); writer.field(t.originType); writer.field(t.route.rawValue)
            Self.writeErrors(t.errors, noCodes: nil, to: writer)
            writer.null(); writer.null()  // reason, raw
            writer.field(LatestStatusKey.key(micros: t.timestamp, status: t.status))
        }
        try writer.endRow()
    }

    package func write(_ reject: SendLogReject) throws {
        writer.field("r"); writer.field(reject.line); writer.null()
        for _ in 0..<21 { writer.null() }  // waba_id … errors
        writer.field("\(reject.reason.rawValue): \(reject.detail)")
        writer.field(reject.raw)
        writer.null()  // last_key
        try writer.endRow()
        rejectsWritten += 1
    }

    /// A status's `error_codes` and `errors` columns: the codes as an `integer[]` (32-bit: the
    /// parser keeps no other, `StatusError.code`) and the errors as JSON; for none, `noCodes` and NULL.
    static func writeErrors(_ errors: [StatusError], noCodes: [Int32?]?, to w: PGCopyWriter) {
        guard !errors.isEmpty else {
            w.int4Array(noCodes)
            w.null()
            return
        }
        w.int4Array(errors.map { $0.code.map { Int32(clamping: $0) } })
        w.jsonb(errorsJSON(errors))
    }

    /// `[{"code":131049,"title":"…","details":"…"}]`.
    static func errorsJSON(_ errors: [StatusError]) -> String {
        var out = "["
        for (i, e) in errors.enumerated() {
            if i > 0 { out += "," }
            out += "{\"code\":" + (e.code.map(String.init) ?? "null")
            out += ",\"title\":" + jsonString(e.title) + ",\"details\":" + jsonString(e.details) + "}"
        }
        return out + "]"
    }

    private static func jsonString(_ s: String?) -> String {
        guard let s else { return "null" }
        var out = "\""
        for u in s.unicodeScalars {
            switch u {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "\u{0}": break  // jsonb cannot hold NUL
            case _ where u.value < 0x20: out += "\\u" + String(repeating: "0", count: 4 - String(u.value, radix: 16).count) + String(u.value, radix: 16)
            default: out.unicodeScalars.append(u)
            }
        }
        return out + "\""
    }
}
