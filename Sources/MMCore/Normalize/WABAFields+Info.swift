/// The one place a WABA's own fields and its pipeline entry become a `WABAInfo` (the nightly run
/// and replay both call it, so a replayed slice reads days in the same timezone the run did).
extension CatalogNormalizer.WABAFields {
    /// - Parameters:
    ///   - entry: the WABA's pipeline entry (overrides for timezone, country, industry), if any.
    ///   - vertical: the phone numbers' business-profile vertical, used when the entry gives no industry.
    public func info(entry: WABAEntry?, vertical: String = "") -> WABAInfo {
        let tz = TimeZones.resolve(override: entry?.timezone, echoed: nil, metaID: timezone_id)
        return WABAInfo(wabaID: id, name: name ?? "", currency: currency ?? "USD", timezoneID: timezone_id ?? "",
                        timezone: tz.name, timezoneSource: tz.source, industry: (entry?.industry ?? vertical).lowercased(),
                        country: entry?.country ?? country ?? "", onboardingStatus: marketing_messages_onboarding_status ?? "",
                        insightsEnabled: is_enabled_for_insights)
    }
}
