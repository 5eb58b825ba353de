/// Validates raw fields and builds records, applying privacy on the way: recipient numbers become
/// a hash and a country here, and are masked in error texts. A recipient known only by its
/// business-scoped `user_id` (no phone number: users with a username) is hashed the same way.
struct SendLogRecordBuilder {
    let hasher: any RecipientHasher

    /// Records of one object. Throws a reject (without line and raw text: the caller adds them).
    func records(from f: SendLogFields) throws(SendLogReject) -> [SendLogItem] {
        switch try kind(of: f) {
        case .send: return [.send(try send(f))]
        case .status: return [.status(try status(f, index: nil))]
        case .webhook:
            guard let statuses = f.webhookStatuses else { return [] }
            var items: [SendLogItem] = []
            items.reserveCapacity(statuses.count)
            for i in statuses.indices { items.append(.status(try status(statuses[i], index: i))) }
            return items
        }
    }

    enum Kind { case send, status, webhook }

    /// An explicit `kind` wins; without one, a body with `entry`/`object` is a webhook, a row with
    /// `status` is a status and one with `sent_at` a send.
    private func kind(of f: SendLogFields) throws(SendLogReject) -> Kind {
        if let k = f.kind?.lowercased() {
            switch k {
            case "send": return .send
            case "status": return .status
            case "webhook": return try webhook(f)
            default: throw SendLogReject(reason: .unknownKind, detail: "unknown kind \(k.debugDescription)")
            }
        }
        if f.webhookStatuses != nil || f.object != nil { return try webhook(f) }
        if f.status != nil { return .status }
        if f.sentAt != nil { return .send }
        throw SendLogReject(reason: .unknownKind, detail: "no kind, and neither a webhook body, a status nor a send")
    }

    private func webhook(_ f: SendLogFields) throws(SendLogReject) -> Kind {
        if let o = f.object, o != "whatsapp_business_account" {
            throw SendLogReject(reason: .unknownKind, detail: "webhook object \(o.debugDescription) is not whatsapp_business_account")
        }
        guard f.webhookStatuses != nil else { throw SendLogReject(reason: .missingField, detail: "webhook body without entry") }
        return .webhook
    }

    private func send(_ f: SendLogFields) throws(SendLogReject) -> SendRecord {
        guard let wamid = nonEmpty(f.wamid ?? f.id) else { throw SendLogReject(reason: .missingWamid, detail: "send without wamid") }
        guard let raw = f.sentAt else { throw SendLogReject(reason: .missingField, detail: "send without sent_at") }
        guard let at = SendLogTime.parse(raw) else {
            throw SendLogReject(reason: .badTimestamp, detail: "sent_at \(shortQuoted(raw)) is neither epoch seconds nor ISO-8601")
        }
        let who = RecipientPrivacy.protect(f.recipient ?? f.recipientID, with: hasher) ?? BusinessScopedUserID.protect(f.userID, with: hasher)
        return SendRecord(wamid: wamid, sentAt: at, wabaID: nonEmpty(f.wabaID), phoneNumberID: nonEmpty(f.phoneNumberID),
                          templateID: nonEmpty(f.templateID), templateName: nonEmpty(f.templateName), language: nonEmpty(f.language),
                          recipientHash: who?.hash, recipientCountry: who?.country, endpoint: nonEmpty(f.endpoint),
                          productPolicy: nonEmpty(f.productPolicy), messageActivitySharing: f.messageActivitySharing,
                          campaign: nonEmpty(f.campaign))
    }

    /// `index`: the status's place in a webhook body's `statuses`, named in a reject's detail.
    private func status(_ f: SendLogFields, index: Int?) throws(SendLogReject) -> StatusRecord {
        // The detail's prefix, built only for a reject.
        func at() -> String { index.map { "statuses[\($0)]: " } ?? "" }
        guard let wamid = nonEmpty(f.wamid ?? f.id) else { throw SendLogReject(reason: .missingWamid, detail: "\(at())status without wamid") }
        guard let st = nonEmpty(f.status) else { throw SendLogReject(reason: .missingField, detail: "\(at())status without status") }
        guard let raw = f.timestamp else { throw SendLogReject(reason: .missingField, detail: "\(at())status without timestamp") }
        guard let ts = SendLogTime.parse(raw) else {
            throw SendLogReject(reason: .badTimestamp, detail: "\(at())timestamp \(shortQuoted(raw)) is neither epoch seconds nor ISO-8601")
        }
        let who = RecipientPrivacy.protect(f.recipientID ?? f.recipient, with: hasher) ?? BusinessScopedUserID.protect(f.userID, with: hasher)
        let errors = f.errors.map { e in
            StatusError(code: e.code,
                        title: e.title.map { RecipientPrivacy.maskPhoneNumbers(in: $0, knownDigits: who?.digits) },
                        details: e.details.map { RecipientPrivacy.maskPhoneNumbers(in: $0, knownDigits: who?.digits) })
        }
        return StatusRecord(wamid: wamid, status: st.lowercased(), timestamp: ts, wabaID: nonEmpty(f.wabaID),
                            phoneNumberID: nonEmpty(f.phoneNumberID), recipientHash: who?.hash, recipientCountry: who?.country,
                            pricingCategory: nonEmpty(f.pricingCategory)?.lowercased(), pricingType: nonEmpty(f.pricingType),
                            pricingModel: nonEmpty(f.pricingModel), billable: f.billable,
                            originType: nonEmpty(f.originType)?.lowercased(), errors: errors)
    }

    private func nonEmpty(_ s: String?) -> String? {
        guard let s, !s.isEmpty else { return nil }
        return s
    }

    /// A field value quoted for a reject detail, cut short, with phone numbers masked.
    private func shortQuoted(_ s: String) -> String {
        let cut = s.count > 40 ? String(s.prefix(40)) + "…" : s
        return RecipientPrivacy.maskPhoneNumbers(in: cut).debugDescription
    }
}
