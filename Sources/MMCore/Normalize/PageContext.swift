/// What a raw page needs from its request to become rows: whose it is and how to read its times.
public struct PageContext: Sendable, Hashable {
    public var wabaID: String
    public var currency: String
    /// IANA timezone used to derive `day`.
    public var timezone: String
    /// For template analytics: the product type requested (used when the response does not echo one).
    public var requestedProductType: String?
    /// For template analytics: whether `use_waba_timezone=true` was sent.
    public var useWABATimezone: Bool
    /// For pricing: the granularity requested.
    public var granularity: String
    /// For pricing: the grain, the requested dimension set (`PricingGrain.canonical`).
    public var pricingDimensions: String
    /// Where the bytes are (archive path), for error messages.
    public var source: String

    public init(wabaID: String, currency: String, timezone: String, requestedProductType: String? = nil,
                useWABATimezone: Bool = false, granularity: String = "DAILY", pricingDimensions: String = "", source: String) {
        self.wabaID = wabaID; self.currency = currency; self.timezone = timezone
        self.requestedProductType = requestedProductType; self.useWABATimezone = useWABATimezone
        self.granularity = granularity; self.pricingDimensions = pricingDimensions; self.source = source
    }
}
