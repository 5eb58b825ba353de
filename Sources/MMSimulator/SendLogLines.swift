/// Builds the NDJSON lines of one day of the send log (see `SendLogWriter` for the contract).
struct SendLogLines {
    let business: SimulatedBusiness
    let day: Int
    var j = JSONWriter(capacity: 1 << 20, metaStyle: false)
    private var waba: SimWABA!
    private var midnight: Int64 = 0

    init(business: SimulatedBusiness, day: Int) {
        self.business = business
        self.day = day
    }

    static let errorCatalog: [Int: (title: String, details: String)] = [
        131_049: ("This message was not delivered to maintain healthy ecosystem engagement.",
                  "In order to maintain a healthy ecosystem engagement, the message failed to be delivered."),
        131_026: ("Message undeliverable",
                  "Unable to deliver message. Reasons can include: the recipient phone number is not a WhatsApp phone number; the recipient has not accepted the new Terms of Service."),
        131_050: ("Unable to deliver the message. This recipient has chosen to stop receiving marketing messages on WhatsApp from your business.",
                  "The recipient opted out of marketing messages from this business."),
        130_472: ("User's number is part of an experiment",
                  "Failed to send message because this user's phone number is part of an experiment"),
    ]
    static let otherCodes = [131_026, 131_050, 130_472, 131_049]

    mutating func beginWABA(_ w: SimWABA) {
        waba = w
        midnight = TimeZoneIDs.localMidnight(day: day, in: w.timeZone)
    }

    /// Writes the template-day's messages (the first `limit` of them); returns how many it wrote.
    @discardableResult
    mutating func templateDay(_ t: SimTemplate, product p: SimProduct, counts c: TemplateDayCounts, limit: Int = .max) -> Int {
        let h = business.hash
        let w = waba!
        let wu = w.index.u, tu = t.index.u, du = day.u, pu = p.ordinal
        let phone = w.phoneNumbers[t.phoneIndex]
        let category = p == .mmAPI ? "marketing_lite" : t.category.lowercased()
        let campaign = "\(t.name.prefix(12)) \"wk \(day / 7 % 53)\" \\ \(p == .mmAPI ? "MM" : "cloud") \u{1F3AF}"
        // Country of each delivered message: consecutive blocks, as split for pricing.
        var countryOf: [Int] = []
        countryOf.reserveCapacity(c.delivered)
        for (k, cc) in c.deliveredByCountry.enumerated() { countryOf.append(contentsOf: repeatElement(k, count: cc.count)) }
        let written = min(c.sent, max(0, limit))
        for i in 0..<written {
            let key = pu << 16 | i.u
            let delivered = i < c.delivered
            let country: RecipientCountry
            var errorCode = 0
            if delivered {
                country = w.deliverable[countryOf[i]]
            } else {
                let f = i - c.delivered
                if w.hasUSRecipients, f % 2 == 0 {
                    country = w.recipients.first { $0.country == "US" }!
                    errorCode = 131_049
                } else {
                    country = w.deliverable[h.below(w.deliverable.count, Salt.recipient.rawValue, wu, tu, du, key)]
                    errorCode = Self.otherCodes[h.below(Self.otherCodes.count, Salt.errorCode.rawValue, wu, tu, du, key)]
                }
            }
            let local = 100_000_000 + h.below(900_000_000, Salt.recipient.rawValue, wu,
                                               UInt64(h.below(5_000, Salt.recipient.rawValue, wu, tu, du, key)),
                                               UInt64(country.callingCode) ?? 0)
            let recipient = country.callingCode + String(local)
            // Business-scoped user id (webhooks carry it since 2026-04); one user in eight has a
            // username, and then neither the send log nor the webhooks show a phone number.
            let userID = country.country + "." + String(1_000_000_000_000_000 + h.below(8_999_999_999_999_999, Salt.recipient.rawValue, wu, UInt64(local)))
            let userIDs = day >= Self.userIDsFrom
            let hasUsername = userIDs && h.below(8, Salt.recipient.rawValue, wu, tu, du, key | 3 << 40) == 0
            let who = Recipient(phone: hasUsername ? nil : recipient, userID: userIDs ? userID : nil)
            let packed = wu << 48 | tu << 34 | (du & 0xF_FFFF) << 14 | pu << 13 | i.u
            let wamid = "wamid.HBgM" + hex(h(Salt.wamid.rawValue, wu, tu, du, key)) + hex(packed)
            let sentAt = midnight + 28_800 + Int64(h.below(43_200, Salt.sentAt.rawValue, wu, tu, du, key))

            j.beginObject()
            j.keyString("kind", "send")
            j.keyString("wamid", wamid)
            j.keyString("sent_at", CivilDate.iso8601(epochSeconds: sentAt))
            j.keyString("waba_id", w.id)
            j.keyString("phone_number_id", phone.id)
            j.keyString("template_id", t.id)
            j.keyString("template_name", t.name)
            j.keyString("language", t.language)
            if let phone = who.phone { j.keyString("recipient", "+" + phone) } else if let u = who.userID { j.keyString("user_id", u) }
            j.keyString("endpoint", p == .mmAPI ? "marketing_messages" : "messages")
            j.keyString("product_policy", "CLOUD_API_FALLBACK")
            j.key("message_activity_sharing"); j.bool(true)
            j.keyString("campaign", campaign)
            j.endObject()
            newline()

            var ts = sentAt + 1 + Int64(h.below(3, Salt.statusDelay.rawValue, wu, tu, du, key))
            status(wamid, "sent", ts, who, phone, category, error: 0, n: 0, key: key)
            if delivered {
                ts += 1 + Int64(h.below(60, Salt.statusDelay.rawValue, wu, tu, du, key | 1 << 40))
                status(wamid, "delivered", ts, who, phone, category, error: 0, n: 1, key: key)
                if i < c.read {
                    ts += 30 + Int64(h.below(10_800, Salt.readDelay.rawValue, wu, tu, du, key))
                    status(wamid, "read", ts, who, phone, nil, error: 0, n: 2, key: key)
                }
            } else {
                ts += 1 + Int64(h.below(30, Salt.statusDelay.rawValue, wu, tu, du, key | 2 << 40))
                status(wamid, "failed", ts, who, phone, nil, error: errorCode, n: 3, key: key)
            }
        }
        return written
    }

    /// One status record; `category` nil = no pricing object (read, failed).
    /// How a recipient shows in the log: a phone number, a business-scoped user id, or both.
    struct Recipient { var phone: String?; var userID: String? }

    /// Webhooks carry `user_id` from this day (2026-04-01).
    static let userIDsFrom = CivilDate.dayNumber(year: 2026, month: 4, day: 1)

    private mutating func status(_ wamid: String, _ status: StaticString, _ ts: Int64, _ recipient: Recipient,
                                 _ phone: SimPhoneNumber, _ category: String?, error: Int, n: UInt64, key: UInt64) {
        let w = waba!
        let webhook = business.hash(Salt.webhookForm.rawValue, w.index.u, day.u, key, n) & 1 == 0
        if webhook {
            j.beginObject()
            j.keyString("object", "whatsapp_business_account")
            j.key("entry"); j.beginArray(); j.beginObject()
            j.keyString("id", w.id)
            j.key("changes"); j.beginArray(); j.beginObject()
            j.key("value"); j.beginObject()
            j.keyString("messaging_product", "whatsapp")
            j.key("metadata"); j.beginObject()
            j.keyString("display_phone_number", phone.digits)
            j.keyString("phone_number_id", phone.id)
            j.endObject()
            j.key("statuses"); j.beginArray(); j.beginObject()
            j.keyString("id", wamid)
            j.key("status"); j.string(status)
            j.keyString("timestamp", String(ts))
            if let phone = recipient.phone { j.keyString("recipient_id", phone) }
            if let u = recipient.userID { j.keyString("user_id", u) }
            body(category: category, error: error)
            j.endObject(); j.endArray()
            j.endObject()
            j.keyString("field", "messages")
            j.endObject(); j.endArray()
            j.endObject(); j.endArray()
            j.endObject()
        } else {
            j.beginObject()
            j.keyString("kind", "status")
            j.keyString("wamid", wamid)
            j.key("status"); j.string(status)
            j.keyString("timestamp", CivilDate.iso8601(epochSeconds: ts))
            body(category: category, error: error)
            j.endObject()
        }
        newline()
    }

    private mutating func body(category: String?, error: Int) {
        if let category {
            j.key("pricing"); j.beginObject()
            j.key("billable"); j.bool(true)
            j.keyString("pricing_model", "PMP")
            j.keyString("type", "regular")
            j.keyString("category", category)
            j.endObject()
        }
        if error != 0 {
            let e = Self.errorCatalog[error]!
            j.key("errors"); j.beginArray(); j.beginObject()
            j.keyInt("code", error)
            j.keyString("title", e.title)
            j.keyString("message", e.title)
            j.key("error_data"); j.beginObject(); j.keyString("details", e.details); j.endObject()
            j.keyString("href", "/documentation/business-messaging/whatsapp/support/error-codes")
            j.endObject(); j.endArray()
        }
    }

    private mutating func newline() {
        j.bytes.append(0x0A)
        j.resetSeparator()
    }

    private func hex(_ v: UInt64) -> String {
        let s = String(v, radix: 16, uppercase: true)
        return String(repeating: "0", count: 16 - s.count) + s
    }
}
