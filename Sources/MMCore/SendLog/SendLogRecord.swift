/// One message as the sender logged it (a `send` record, SPEC §4), after privacy:
/// the recipient is only a country and a keyed hash, never a phone number.
public struct SendRecord: Sendable, Hashable {
    public var wamid: String
    /// When the message was sent, microseconds since the Unix epoch (UTC).
    public var sentAt: Int64
    public var wabaID: String?
    public var phoneNumberID: String?
    public var templateID: String?
    public var templateName: String?
    public var language: String?
    /// HMAC-SHA256 (lower-case hex) of the recipient's E.164 digits.
    public var recipientHash: String?
    /// ISO 3166 alpha-2 country of the recipient's calling code.
    public var recipientCountry: String?
    /// `marketing_messages` or `messages`, as logged.
    public var endpoint: String?
    /// `CLOUD_API_FALLBACK` or `STRICT`, as logged.
    public var productPolicy: String?
    public var messageActivitySharing: Bool?
    public var campaign: String?

    public init(wamid: String, sentAt: Int64, wabaID: String? = nil, phoneNumberID: String? = nil, templateID: String? = nil,
                templateName: String? = nil, language: String? = nil, recipientHash: String? = nil, recipientCountry: String? = nil,
                endpoint: String? = nil, productPolicy: String? = nil, messageActivitySharing: Bool? = nil, campaign: String? = nil) {
        self.wamid = wamid; self.sentAt = sentAt; self.wabaID = wabaID; self.phoneNumberID = phoneNumberID
        self.templateID = templateID; self.templateName = templateName; self.language = language
        self.recipientHash = recipientHash; self.recipientCountry = recipientCountry; self.endpoint = endpoint
        self.productPolicy = productPolicy; self.messageActivitySharing = messageActivitySharing; self.campaign = campaign
    }
}

/// One error of a failed status (`statuses[].errors[]`), with any recipient digits masked.
public struct StatusError: Sendable, Hashable {
    /// A 32-bit integer (`sendlog.statuses.error_codes` is `integer[]`): see `code(fromText:)`.
    public var code: Int?
    public var title: String?
    /// `error_data.details` (the useful text), else `message`.
    public var details: String?
    /// Title and details are free text from Meta or the sender: they pass through `NumberScrubber`.
    public init(code: Int?, title: String? = nil, details: String? = nil) {
        self.code = code; self.title = title.map(NumberScrubber.scrub); self.details = details.map(NumberScrubber.scrub)
    }

    /// The code a line gives as text: an integer that fits in 32 bits (Meta's error codes do), else
    /// nil. A larger number cannot be stored in `sendlog.statuses.error_codes` (`integer[]`).
    public static func code(fromText text: String) -> Int? { Int32(text).map(Int.init) }
}

/// One delivery status of a message (a webhook `statuses[]` element or a flattened `status` record).
public struct StatusRecord: Sendable, Hashable {
    public var wamid: String
    /// Lower-case: `sent`, `delivered`, `read`, `failed`, `played`, or any new value as received.
    public var status: String
    /// Microseconds since the Unix epoch (UTC).
    public var timestamp: Int64
    /// From the webhook `entry[].id` (or a flattened `waba_id`).
    public var wabaID: String?
    /// From the webhook `metadata.phone_number_id` (or a flattened `phone_number_id`).
    public var phoneNumberID: String?
    public var recipientHash: String?
    public var recipientCountry: String?
    /// `pricing.category` as received (`marketing_lite`, `marketing`, …).
    public var pricingCategory: String?
    public var pricingType: String?
    public var pricingModel: String?
    public var billable: Bool?
    /// `conversation.origin.type` as received.
    public var originType: String?
    public var errors: [StatusError]

    public init(wamid: String, status: String, timestamp: Int64, wabaID: String? = nil, phoneNumberID: String? = nil,
                recipientHash: String? = nil, recipientCountry: String? = nil, pricingCategory: String? = nil,
                pricingType: String? = nil, pricingModel: String? = nil, billable: Bool? = nil, originType: String? = nil,
                errors: [StatusError] = []) {
        self.wamid = wamid; self.status = status; self.timestamp = timestamp; self.wabaID = wabaID
        self.phoneNumberID = phoneNumberID; self.recipientHash = recipientHash; self.recipientCountry = recipientCountry
        self.pricingCategory = pricingCategory; self.pricingType = pricingType; self.pricingModel = pricingModel
        self.billable = billable; self.originType = originType; self.errors = errors
    }

    /// The route this status proves: `marketing_lite` in the pricing category or the conversation
    /// origin means the MM API sent it; `marketing` means Cloud API; anything else says nothing.
    public var route: Route {
        let byPricing = Route.ofWebhookCategory(pricingCategory)
        let byOrigin = Route.ofWebhookCategory(originType)
        if byPricing == .mmAPI || byOrigin == .mmAPI { return .mmAPI }
        if byPricing == .cloudAPI || byOrigin == .cloudAPI { return .cloudAPI }
        return .unknown
    }
}

/// What one line of a send-log file holds.
public enum SendLogItem: Sendable, Hashable {
    case send(SendRecord)
    case status(StatusRecord)
}

/// The verdict on one physical line.
public enum SendLogLineResult: Sendable, Hashable {
    /// Zero or more records (a webhook body may hold many statuses, or none worth keeping).
    case records([SendLogItem])
    /// Nothing to load and nothing wrong: a blank line, a CSV header, or a CSV line continuing a quoted field.
    case skip
    /// The line goes to `etl.sendlog_rejects`; the rest of the file still loads.
    case reject(SendLogReject)
}

/// Why a line was rejected, and the line itself with phone numbers masked.
public struct SendLogReject: Sendable, Hashable, Error {
    public enum Reason: String, Sendable, Hashable {
        case invalidJSON = "invalid_json"
        case invalidCSV = "invalid_csv"
        case missingWamid = "missing_wamid"
        case missingField = "missing_field"
        case badTimestamp = "bad_timestamp"
        case unknownKind = "unknown_kind"
        case badField = "bad_field"
        case lineTooLong = "line_too_long"
        case invalidText = "invalid_text"
    }
    public var reason: Reason
    /// Human detail, e.g. `sent_at: "yesterday" is not an epoch or ISO-8601 time`.
    public var detail: String
    /// The raw line, truncated to `SendLogReject.maxRawBytes`, with phone numbers masked and no
    /// number-like run of 7+ digits left (`NumberScrubber`).
    public var raw: String
    /// The 1-based physical line number where the record starts (set by the file parser).
    public var line: Int

    public static let maxRawBytes = 2_000

    /// `detail` and `raw` pass through `NumberScrubber` here, whoever builds the reject: no text of a
    /// rejected line that is stored, logged or printed keeps a recipient's number in any formatting.
    public init(reason: Reason, detail: String, raw: String = "", line: Int = 0) {
        self.reason = reason; self.detail = NumberScrubber.scrub(detail); self.raw = NumberScrubber.scrub(raw); self.line = line
    }
}
