/// A send log of an exact number of messages, streamed in chunks (for benchmarks): the same lines
/// `SendLogWriter` writes (sends, then each message's status records, half of them raw webhook
/// bodies, failures with errors), day after day from `asOf - days + 1`, WABA by WABA, until
/// `messages` messages are written. Memory stays at about one chunk whatever the total.
public enum SendLogStream {
    /// What was written.
    public struct Totals: Sendable, Hashable {
        public var messages = 0
        public var lines = 0
        public var bytes = 0
    }

    /// Calls `chunk` with consecutive pieces of the NDJSON text (each ends on a line boundary).
    /// - Throws: `SimulatorError` for a bad `asOf`, or when the window holds fewer than `messages`
    ///   messages (more WABAs or days are needed); whatever `chunk` throws.
    public static func write(business: SimulatedBusiness, asOf: String, days: Int, messages: Int,
                             chunkBytes: Int = 1 << 20, chunk: ([UInt8]) throws -> Void) throws -> Totals {
        guard let a = CivilDate.parse(asOf) else {
            throw SimulatorError(description: "send log as-of date '\(asOf)' is not a valid YYYY-MM-DD date")
        }
        var totals = Totals()
        func flush(_ out: inout SendLogLines) throws {
            guard !out.j.bytes.isEmpty else { return }
            totals.bytes += out.j.bytes.count
            totals.lines += out.j.bytes.reduce(0) { $1 == 0x0A ? $0 + 1 : $0 }
            try chunk(out.j.bytes)
            out.j.bytes.removeAll(keepingCapacity: true)
        }
        for day in (a - max(1, days) + 1)...a where totals.messages < messages {
            var out = SendLogLines(business: business, day: day)
            for w in business.wabas where totals.messages < messages {
                out.beginWABA(w)
                for t in w.templates where totals.messages < messages {
                    for p in SimProduct.allCases where totals.messages < messages {
                        guard let c = business.counts(waba: w.index, template: t.index, day: day, product: p, asOf: a) else { continue }
                        totals.messages += out.templateDay(t, product: p, counts: c, limit: messages - totals.messages)
                        if out.j.bytes.count >= chunkBytes { try flush(&out) }
                    }
                }
            }
            try flush(&out)
        }
        guard totals.messages >= messages else {
            throw SimulatorError(description: "the window holds only \(totals.messages) messages: raise --wabas or --days to reach \(messages)")
        }
        return totals
    }
}
