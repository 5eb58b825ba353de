import Foundation

/// One `mm.fact_pricing` row: a `pricing_analytics` data point.
/// Key: waba_id, granularity, bucket_start, phone_number, country, pricing_category, pricing_type, tier,
/// dimensions (absent dimensions are empty strings in the key; `dimensions` names the grain requested).
public struct PricingRow: Sendable, Hashable {
    public var wabaID: String
    public var granularity: String
    /// Bucket bounds exactly as returned, in epoch seconds.
    public var bucketStart: Int64
    public var bucketEnd: Int64
    /// The bucket's date in the WABA's timezone (`YYYY-MM-DD`).
    public var day: String
    public var phoneNumber: String
    public var country: String
    /// Raw `pricing_category` as returned (e.g. `MARKETING_LITE`).
    public var pricingCategory: String
    public var pricingType: String
    public var tier: String
    public var product: Product
    public var volume: Int64
    /// NULL when Meta returns no cost (partner credit line).
    public var cost: Decimal?
    public var currency: String
    public var wabaTimezone: String
    /// The grain: the requested dimension set, canonical (`PricingGrain.canonical`), e.g. `COUNTRY,PRICING_CATEGORY`.
    public var dimensions: String

    public init(wabaID: String, granularity: String, bucketStart: Int64, bucketEnd: Int64, day: String,
                phoneNumber: String, country: String, pricingCategory: String, pricingType: String, tier: String,
                product: Product, volume: Int64, cost: Decimal?, currency: String, wabaTimezone: String, dimensions: String = "") {
        self.wabaID = wabaID; self.granularity = granularity; self.bucketStart = bucketStart; self.bucketEnd = bucketEnd
        self.day = day; self.phoneNumber = phoneNumber; self.country = country; self.pricingCategory = pricingCategory
        self.pricingType = pricingType; self.tier = tier; self.product = product; self.volume = volume
        self.cost = cost; self.currency = currency; self.wabaTimezone = wabaTimezone; self.dimensions = dimensions
    }
}

/// One `mm.fact_template_daily` row. Key: waba_id, template_id, product, day.
public struct TemplateDailyRow: Sendable, Hashable {
    public var wabaID: String
    public var templateID: String
    public var product: Product
    /// Raw product type as echoed (or requested, when not echoed), e.g. `marketing_messages_lite_api`.
    public var productType: String
    /// The day: WABA-local when `use_waba_timezone` was used, else the UTC date of `start`.
    public var day: String
    public var bucketStart: Int64
    public var bucketEnd: Int64
    public var sent: Int64
    public var delivered: Int64
    public var read: Int64
    public var urlClicks: Int64
    public var uniqueURLClicks: Int64
    public var quickReplyClicks: Int64
    public var amountSpent: Decimal?
    public var costPerDelivered: Decimal?
    public var costPerURLClick: Decimal?
    public var currency: String
    public var wabaTimezone: String
    /// Metric `REPLIED` (data point key `replied`); nil when the response has none.
    public var replied: Int64?

    public init(wabaID: String, templateID: String, product: Product, productType: String, day: String,
                bucketStart: Int64, bucketEnd: Int64, sent: Int64, delivered: Int64, read: Int64,
                urlClicks: Int64, uniqueURLClicks: Int64, quickReplyClicks: Int64, amountSpent: Decimal?,
                costPerDelivered: Decimal?, costPerURLClick: Decimal?, currency: String, wabaTimezone: String,
                replied: Int64? = nil) {
        self.wabaID = wabaID; self.templateID = templateID; self.product = product; self.productType = productType
        self.day = day; self.bucketStart = bucketStart; self.bucketEnd = bucketEnd; self.sent = sent
        self.delivered = delivered; self.read = read; self.urlClicks = urlClicks; self.uniqueURLClicks = uniqueURLClicks
        self.quickReplyClicks = quickReplyClicks; self.amountSpent = amountSpent; self.costPerDelivered = costPerDelivered
        self.costPerURLClick = costPerURLClick; self.currency = currency; self.wabaTimezone = wabaTimezone
        self.replied = replied
    }
}

/// One `mm.fact_template_clicks` row: a button of a template on a day.
/// Key: waba_id, template_id, product, day, button_type, button_content.
public struct TemplateClickRow: Sendable, Hashable {
    public var wabaID: String
    public var templateID: String
    public var product: Product
    public var day: String
    /// `url_button`, `unique_url_button`, `quick_reply_button`, or any new type as returned.
    public var buttonType: String
    public var buttonContent: String
    public var count: Int64

    public init(wabaID: String, templateID: String, product: Product, day: String, buttonType: String, buttonContent: String, count: Int64) {
        self.wabaID = wabaID; self.templateID = templateID; self.product = product; self.day = day
        self.buttonType = buttonType; self.buttonContent = buttonContent; self.count = count
    }
}

/// One `mm.fact_conversions` row. Key: waba_id, template_id, product, day, metric.
/// `metric` is lower-case as returned (`website_purchases`, `app_add_to_cart`, new names too).
public struct ConversionRow: Sendable, Hashable {
    public var wabaID: String
    public var templateID: String
    public var product: Product
    public var day: String
    public var metric: String
    public var value: Decimal
    public var currency: String

    public init(wabaID: String, templateID: String, product: Product, day: String, metric: String, value: Decimal, currency: String) {
        self.wabaID = wabaID; self.templateID = templateID; self.product = product; self.day = day
        self.metric = metric; self.value = value; self.currency = currency
    }
}

/// One template of the catalog (`message_templates`), a snapshot for `mm.dim_template`.
public struct TemplateRow: Sendable, Hashable {
    public var wabaID: String
    public var templateID: String
    public var name: String
    public var language: String
    public var category: String
    public var status: String
    public var qualityScore: String
    /// Max price as Meta stores it (`optimization_spec.bid_amount`, else the retired `bid_spec.bid_amount`):
    /// the maximum price per 1,000 deliveries in the currency's smallest unit as Meta defines it. Raw.
    public var bidAmount: Decimal?
    public var bidCurrency: String
    /// `bid_strategy` beside `bid_amount`, as returned; empty when none.
    public var bidStrategy: String
    /// `message_send_ttl_seconds`, when set.
    public var ttlSeconds: Int64?
    /// `send_type` (CAMPAIGN, DIRECT, TRIGGER, or any new value as returned); empty when none.
    public var sendType: String

    public init(wabaID: String, templateID: String, name: String, language: String, category: String, status: String,
                qualityScore: String, bidAmount: Decimal?, bidCurrency: String, ttlSeconds: Int64?,
                bidStrategy: String = "", sendType: String = "") {
        self.wabaID = wabaID; self.templateID = templateID; self.name = name; self.language = language
        self.category = category; self.status = status; self.qualityScore = qualityScore
        self.bidAmount = bidAmount; self.bidCurrency = bidCurrency; self.ttlSeconds = ttlSeconds
        self.bidStrategy = bidStrategy; self.sendType = sendType
    }
}

/// The WABA's own fields (`GET /<WABA_ID>?fields=name,currency,timezone_id`) plus what the pipeline says.
public struct WABAInfo: Sendable, Hashable, Codable {
    public var wabaID: String
    public var name: String
    public var currency: String
    /// Meta's numeric timezone id, as returned.
    public var timezoneID: String
    /// The IANA timezone used for `day`, and where it came from (`pipeline`, `response`, `table`, `utc-fallback`).
    public var timezone: String
    public var timezoneSource: String
    public var industry: String
    public var country: String
    public var onboardingStatus: String
    public var insightsEnabled: Bool?

    public init(wabaID: String, name: String, currency: String, timezoneID: String, timezone: String, timezoneSource: String,
                industry: String, country: String, onboardingStatus: String, insightsEnabled: Bool?) {
        self.wabaID = wabaID; self.name = name; self.currency = currency; self.timezoneID = timezoneID
        self.timezone = timezone; self.timezoneSource = timezoneSource; self.industry = industry; self.country = country
        self.onboardingStatus = onboardingStatus; self.insightsEnabled = insightsEnabled
    }
}

/// A phone number of a WABA, with its business profile's vertical (for benchmark industries).
public struct PhoneNumberRow: Sendable, Hashable {
    public var wabaID: String
    public var phoneNumberID: String
    public var displayPhoneNumber: String
    public var verifiedName: String
    public var qualityRating: String
    public var vertical: String
    public init(wabaID: String, phoneNumberID: String, displayPhoneNumber: String, verifiedName: String, qualityRating: String, vertical: String) {
        self.wabaID = wabaID; self.phoneNumberID = phoneNumberID; self.displayPhoneNumber = displayPhoneNumber
        self.verifiedName = verifiedName; self.qualityRating = qualityRating; self.vertical = vertical
    }
}

/// Everything one slice (WABA × dataset × window) normalizes to, ready to load.
public struct NormalizedBatch: Sendable {
    public var pricing: [PricingRow] = []
    public var templateDaily: [TemplateDailyRow] = []
    public var templateClicks: [TemplateClickRow] = []
    public var conversions: [ConversionRow] = []
    public var templates: [TemplateRow] = []
    public var diagnostics: [Diagnostic] = []
    /// Number of data points read from the raw pages (for the ledger and the benchmark).
    public var dataPoints: Int = 0
    public init() {}

    public mutating func append(_ other: NormalizedBatch) {
        pricing += other.pricing; templateDaily += other.templateDaily; templateClicks += other.templateClicks
        conversions += other.conversions; templates += other.templates; diagnostics += other.diagnostics
        dataPoints += other.dataPoints
    }
    public var rowCount: Int { pricing.count + templateDaily.count + templateClicks.count + conversions.count + templates.count }
}

/// Something worth telling that did not stop the run: an unknown enum, an unknown metric, a dropped data point.
public struct Diagnostic: Sendable, Hashable, Codable, CustomStringConvertible {
    public enum Kind: String, Sendable, Codable { case unknownEnum = "unknown_enum", unknownMetric = "unknown_metric", droppedDataPoint = "dropped_data_point", timezoneFallback = "timezone_fallback", optionalCallFailed = "optional_call_failed", pricingGrainChanged = "pricing_grain_changed", other }
    public var kind: Kind
    /// e.g. `pricing_category`, `product_type`, a metric name, or a file path.
    public var subject: String
    public var value: String
    public var count: Int
    public init(kind: Kind, subject: String, value: String, count: Int = 1) {
        self.kind = kind; self.subject = subject; self.value = value; self.count = count
    }
    public var description: String { "\(kind.rawValue) \(subject)=\(value) ×\(count)" }
}
