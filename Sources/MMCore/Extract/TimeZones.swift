import Foundation

/// WABA timezones. The WABA field `timezone_id` is Meta's numeric id (the Marketing API's timezone
/// table), not an IANA name (reference §8). The IANA name comes, in order, from the pipeline file's
/// `timezone:`, a `waba_timezone` echoed by `template_analytics`, this table, else UTC with a diagnostic.
public enum TimeZones {
    /// Common ids of Meta's timezone table. Unknown ids fall back (diagnosed), never guessed.
    public static let byMetaID: [String: String] = [
        "0": "UTC", "1": "America/Los_Angeles", "2": "America/Denver", "3": "Pacific/Honolulu", "4": "America/Anchorage",
        "5": "America/Phoenix", "6": "America/Chicago", "7": "America/New_York", "8": "Asia/Dubai",
        "10": "America/Argentina/Buenos_Aires", "15": "Australia/Sydney", "25": "America/Sao_Paulo", "35": "America/Toronto",
        "42": "Asia/Shanghai", "43": "America/Bogota", "47": "Europe/Berlin",
    ]

    /// Resolves the IANA name and its source (`pipeline`, `response`, `table`, `utc-fallback`).
    public static func resolve(override: String?, echoed: String?, metaID: String?) -> (name: String, source: String) {
        if let o = override, TimeZone(identifier: o) != nil { return (o, "pipeline") }
        if let e = echoed, TimeZone(identifier: e) != nil { return (e, "response") }
        if let id = metaID, let n = byMetaID[id] { return (n, "table") }
        return ("UTC", "utc-fallback")
    }

    /// Epoch seconds of local midnight starting `day` in `zone` (falls back to UTC for an unknown zone).
    public static func localMidnight(_ day: Day, in zone: String) -> Int64 {
        guard let tz = TimeZone(identifier: zone), zone != "UTC" else { return day.epochSecondsUTC }
        // Offset at UTC midnight, then correct once with the offset at the candidate instant (DST days).
        let utc = day.epochSecondsUTC
        var candidate = utc - Int64(tz.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(utc))))
        candidate = utc - Int64(tz.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(candidate))))
        return candidate
    }

    /// The local date in `zone` of an instant.
    public static func localDay(epochSeconds: Int64, in zone: String) -> Day {
        guard let tz = TimeZone(identifier: zone), zone != "UTC" else { return Day(epochSecondsUTC: epochSeconds) }
        let offset = Int64(tz.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(epochSeconds))))
        return Day(epochSecondsUTC: epochSeconds + offset)
    }
}
