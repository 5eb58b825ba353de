import Foundation

/// WABA timezones. The WABA field `timezone_id` is Meta's numeric id (the Marketing API's timezone
/// table), not an IANA name (reference §8). The IANA name comes, in order, from the pipeline file's
/// `timezone:`, a `waba_timezone` echoed by `template_analytics`, Meta's table, else UTC with a diagnostic.
public enum TimeZones {
    /// Meta's whole timezone-id table (`MetaTimeZoneTable`, from `data/meta-timezone-ids.tsv`).
    /// Id 0 (`UNKNOWN`) and ids Meta adds later are absent: they fall back (diagnosed), never guessed.
    public static var byMetaID: [String: String] { MetaTimeZoneTable.ianaByID }

    /// Resolves the IANA name and its source (`pipeline`, `response`, `table`, `utc-fallback`).
    public static func resolve(override: String?, echoed: String?, metaID: String?) -> (name: String, source: String) {
        if let o = override, TimeZone(identifier: o) != nil { return (o, "pipeline") }
        if let e = echoed, TimeZone(identifier: e) != nil { return (e, "response") }
        if let id = metaID?.trimmingCharacters(in: .whitespaces), let n = byMetaID[id], TimeZone(identifier: n) != nil {
            return (n, "table")
        }
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
