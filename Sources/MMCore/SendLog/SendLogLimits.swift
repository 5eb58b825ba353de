/// Size limits of send-log input: a hostile or broken file cannot exhaust memory or store
/// megabytes of free text.
public enum SendLogLimits {
    /// Longest line accepted by default (1 MiB; `sendlog.max_line_kilobytes`). A longer line is
    /// rejected by number (`line_too_long`) without being held in memory whole.
    public static let defaultMaxLineBytes = 1 << 20
    /// Longest single field value (after JSON unescaping): 4 KiB. A line with a longer field is rejected.
    public static let maxFieldBytes = 4096

    /// The name of the first field of `f` longer than `maxFieldBytes`, with its size; nil when all fit.
    static func oversizeField(_ f: SendLogFields) -> (name: String, bytes: Int)? {
        let named: [(String, String?)] = [
            ("kind", f.kind), ("wamid", f.wamid), ("id", f.id), ("sent_at", f.sentAt), ("waba_id", f.wabaID),
            ("phone_number_id", f.phoneNumberID), ("template_id", f.templateID), ("template_name", f.templateName),
            ("language", f.language), ("recipient", f.recipient), ("recipient_id", f.recipientID), ("endpoint", f.endpoint),
            ("product_policy", f.productPolicy), ("campaign", f.campaign), ("status", f.status), ("timestamp", f.timestamp),
            ("pricing_category", f.pricingCategory), ("pricing_type", f.pricingType), ("pricing_model", f.pricingModel),
            ("origin_type", f.originType), ("object", f.object),
        ]
        for (name, value) in named {
            if let v = value, v.utf8.count > maxFieldBytes { return (name, v.utf8.count) }
        }
        for e in f.errors {
            for (name, v) in [("errors.title", e.title), ("errors.details", e.details)] {
                if let v, v.utf8.count > maxFieldBytes { return (name, v.utf8.count) }
            }
        }
        for (i, st) in (f.webhookStatuses ?? []).enumerated() {
            if let o = oversizeField(st) { return ("statuses[\(i)].\(o.name)", o.bytes) }
        }
        return nil
    }

    static func fieldReject(_ o: (name: String, bytes: Int)) -> SendLogReject {
        SendLogReject(reason: .badField, detail: "field \(o.name) is \(o.bytes) bytes, over the \(maxFieldBytes)-byte limit")
    }
}
