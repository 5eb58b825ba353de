/// The raw fields of one send-log object, before validation: what a flattened record, a CSV row or
/// one webhook `statuses[]` element says, as text. `SendLogRecordBuilder` turns it into records.
struct SendLogFields {
    var kind: String?
    var wamid: String?
    /// `id`: the wamid in a webhook status.
    var id: String?
    var sentAt: String?
    var wabaID: String?
    var phoneNumberID: String?
    var templateID: String?
    var templateName: String?
    var language: String?
    var recipient: String?
    var recipientID: String?
    /// `user_id`: the recipient's business-scoped user id (`BR.1502576394655843`), since 2026.
    var userID: String?
    var endpoint: String?
    var productPolicy: String?
    var messageActivitySharing: Bool?
    var campaign: String?
    var status: String?
    var timestamp: String?
    var pricingCategory: String?
    var pricingType: String?
    var pricingModel: String?
    var billable: Bool?
    var originType: String?
    var errors: [StatusError] = []
    /// `object` of a webhook body (`whatsapp_business_account`).
    var object: String?
    /// The statuses of a webhook body, each with its WABA and phone number id filled in from
    /// `entry[].id` and `value.metadata`; nil when the object has no `entry`.
    var webhookStatuses: [SendLogFields]?
}

extension SendLogFields {
    /// Reads one JSON object: a top-level line, or a webhook status (same keys, fewer of them).
    static func read(_ s: inout JSONScanner) throws -> SendLogFields {
        var f = SendLogFields()
        guard s.nextIsObject else { throw JSONScanner.Failure(message: "a line must be a JSON object") }
        try s.object { key, s in
            switch key {
            case "kind": f.kind = try s.scalarText(field: "kind")
            case "wamid": f.wamid = try s.scalarText(field: "wamid")
            case "id": f.id = try s.scalarText(field: "id")
            case "sent_at": f.sentAt = try s.scalarText(field: "sent_at")
            case "waba_id": f.wabaID = try s.scalarText(field: "waba_id")
            case "phone_number_id": f.phoneNumberID = try s.scalarText(field: "phone_number_id")
            case "template_id": f.templateID = try s.scalarText(field: "template_id")
            case "template_name": f.templateName = try s.scalarText(field: "template_name")
            case "language": f.language = try s.scalarText(field: "language")
            case "recipient": f.recipient = try s.scalarText(field: "recipient")
            case "recipient_id": f.recipientID = try s.scalarText(field: "recipient_id")
            case "user_id": f.userID = try s.scalarText(field: "user_id")
            case "endpoint": f.endpoint = try s.scalarText(field: "endpoint")
            case "product_policy": f.productPolicy = try s.scalarText(field: "product_policy")
            case "message_activity_sharing": f.messageActivitySharing = try s.bool(field: "message_activity_sharing")
            case "campaign": f.campaign = try s.scalarText(field: "campaign")
            case "status": f.status = try s.scalarText(field: "status")
            case "timestamp": f.timestamp = try s.scalarText(field: "timestamp")
            case "pricing": try readPricing(&s, into: &f)
            case "pricing_category": f.pricingCategory = try s.scalarText(field: "pricing_category")
            case "pricing_type": f.pricingType = try s.scalarText(field: "pricing_type")
            case "pricing_model": f.pricingModel = try s.scalarText(field: "pricing_model")
            case "billable": f.billable = try s.bool(field: "billable")
            case "conversation": try readConversation(&s, into: &f)
            case "origin_type": f.originType = try s.scalarText(field: "origin_type")
            case "errors": f.errors = try readErrors(&s)
            case "object": f.object = try s.scalarText(field: "object")
            case "entry": f.webhookStatuses = try readEntries(&s)
            default: try s.skipValue()
            }
        }
        return f
    }

    private static func readPricing(_ s: inout JSONScanner, into f: inout SendLogFields) throws {
        if try s.consumeNull() { return }
        guard s.nextIsObject else { throw JSONScanner.Failure(message: "field pricing: expected an object") }
        try s.object { key, s in
            switch key {
            case "category": f.pricingCategory = try s.scalarText(field: "pricing.category")
            case "type": f.pricingType = try s.scalarText(field: "pricing.type")
            case "pricing_model": f.pricingModel = try s.scalarText(field: "pricing.pricing_model")
            case "billable": f.billable = try s.bool(field: "pricing.billable")
            default: try s.skipValue()
            }
        }
    }

    private static func readConversation(_ s: inout JSONScanner, into f: inout SendLogFields) throws {
        if try s.consumeNull() { return }
        guard s.nextIsObject else { throw JSONScanner.Failure(message: "field conversation: expected an object") }
        try s.object { key, s in
            guard case "origin" = key, s.nextIsObject else { try s.skipValue(); return }
            try s.object { key, s in
                if case "type" = key { f.originType = try s.scalarText(field: "conversation.origin.type") } else { try s.skipValue() }
            }
        }
    }

    /// `errors: [{code, title, message, error_data: {details}}]`; `code` may be a number or a string.
    static func readErrors(_ s: inout JSONScanner) throws -> [StatusError] {
        if try s.consumeNull() { return [] }
        guard s.nextIsArray else { throw JSONScanner.Failure(message: "field errors: expected an array") }
        var errors: [StatusError] = []
        try s.array { s in
            guard s.nextIsObject else { try s.skipValue(); return }
            var e = StatusError(code: nil)
            var message: String?
            try s.object { key, s in
                switch key {
                case "code": e.code = try s.scalarText(field: "errors.code").flatMap(StatusError.code(fromText:))
                case "title": e.title = try s.scalarText(field: "errors.title")
                case "message": message = try s.scalarText(field: "errors.message")
                case "error_data":
                    guard s.nextIsObject else { try s.skipValue(); return }
                    try s.object { key, s in
                        if case "details" = key { e.details = try s.scalarText(field: "errors.error_data.details") } else { try s.skipValue() }
                    }
                default: try s.skipValue()
                }
            }
            if e.details == nil, let message, message != e.title { e.details = message }
            if e.title == nil { e.title = message }
            errors.append(e)
        }
        return errors
    }

    /// `entry: [{id: WABA, changes: [{field: "messages", value: {metadata: {phone_number_id}, statuses: [...]}}]}]`.
    /// Changes of other fields, and `messages` values without statuses (inbound messages, system
    /// errors), yield nothing. Each status is read into its place in the result and completed
    /// there (its WABA and phone number when it names none): no status is copied on the way.
    private static func readEntries(_ s: inout JSONScanner) throws -> [SendLogFields] {
        guard s.nextIsArray else { throw JSONScanner.Failure(message: "field entry: expected an array") }
        var out: [SendLogFields] = []
        try s.array { s in
            guard s.nextIsObject else { throw JSONScanner.Failure(message: "field entry: expected objects") }
            var wabaID: String?
            let entryStart = out.count
            try s.object { key, s in
                switch key {
                case "id": wabaID = try s.scalarText(field: "entry.id")
                case "changes":
                    guard s.nextIsArray else { throw JSONScanner.Failure(message: "field entry.changes: expected an array") }
                    try s.array { s in
                        guard s.nextIsObject else { try s.skipValue(); return }
                        var field: String?
                        var phoneNumberID: String?
                        let changeStart = out.count
                        try s.object { key, s in
                            switch key {
                            case "field": field = try s.scalarText(field: "changes.field")
                            case "value":
                                guard s.nextIsObject else { try s.skipValue(); return }
                                try s.object { key, s in
                                    switch key {
                                    case "metadata":
                                        guard s.nextIsObject else { try s.skipValue(); return }
                                        try s.object { key, s in
                                            if case "phone_number_id" = key { phoneNumberID = try s.scalarText(field: "metadata.phone_number_id") } else { try s.skipValue() }
                                        }
                                    case "statuses":
                                        guard s.nextIsArray else { throw JSONScanner.Failure(message: "field statuses: expected an array") }
                                        try s.array { s in out.append(try read(&s)) }
                                    default: try s.skipValue()
                                    }
                                }
                            default: try s.skipValue()
                            }
                        }
                        guard field == nil || field == "messages" else {
                            out.removeSubrange(changeStart...)
                            return
                        }
                        if let phoneNumberID {
                            for i in changeStart..<out.count where out[i].phoneNumberID == nil { out[i].phoneNumberID = phoneNumberID }
                        }
                    }
                default: try s.skipValue()
                }
            }
            if let wabaID {
                for i in entryStart..<out.count where out[i].wabaID == nil { out[i].wabaID = wabaID }
            }
        }
        return out
    }
}

extension SendLogFields {
    /// The fields of one CSV row under `header`.
    init(csv fields: [String], header: SendLogCSV.Header) throws {
        func v(_ c: SendLogCSV.Column) -> String? { header.value(c, in: fields) }
        func flag(_ c: SendLogCSV.Column) throws -> Bool? {
            guard let t = v(c) else { return nil }
            switch t.lowercased() {
            case "true", "t", "1", "yes": return true
            case "false", "f", "0", "no": return false
            default: throw JSONScanner.Failure(message: "field \(c.rawValue): \(t.debugDescription) is not a boolean")
            }
        }
        kind = v(.kind); wamid = v(.wamid); sentAt = v(.sentAt); wabaID = v(.wabaID); phoneNumberID = v(.phoneNumberID)
        templateID = v(.templateID); templateName = v(.templateName); language = v(.language); recipient = v(.recipient)
        recipientID = v(.recipientID); userID = v(.userID); endpoint = v(.endpoint); productPolicy = v(.productPolicy)
        messageActivitySharing = try flag(.messageActivitySharing); campaign = v(.campaign); status = v(.status)
        timestamp = v(.timestamp); pricingCategory = v(.pricingCategory); pricingType = v(.pricingType)
        pricingModel = v(.pricingModel); billable = try flag(.billable); originType = v(.originType)
        if let json = v(.errors) {
            var bytes = Array(json.utf8)
            errors = try bytes.withUnsafeMutableBufferPointer { buf in
                var s = JSONScanner(UnsafeBufferPointer(buf))
                s.skipWhitespace()
                let e = try SendLogFields.readErrors(&s)
                try s.finish()
                return e
            }
        } else if v(.errorCode) != nil || v(.errorTitle) != nil {
            let code = v(.errorCode)
            guard code.map({ StatusError.code(fromText: $0) != nil }) ?? true else {
                throw JSONScanner.Failure(message: "field error_code: \(code!.debugDescription) is not a 32-bit integer")
            }
            errors = [StatusError(code: code.flatMap(StatusError.code(fromText:)), title: v(.errorTitle), details: v(.errorDetails))]
        }
    }
}
