import Foundation

/// Meta's numeric `timezone_id` (the Marketing API's timezone table) → IANA name, for the zones
/// the simulator uses. Only ids confirmed against Meta's published table are listed; the ETL's
/// tests may compare their own fallback table with this one.
public enum TimeZoneIDs {
    public static let table: [String: String] = [
        "0": "UTC",  // TZ_UNKNOWN
        "1": "America/Los_Angeles",
        "2": "America/Denver",
        "3": "Pacific/Honolulu",
        "4": "America/Anchorage",
        "5": "America/Phoenix",
        "6": "America/Chicago",
        "7": "America/New_York",
        "8": "Asia/Dubai",
        "10": "America/Argentina/Buenos_Aires",
        "15": "Australia/Sydney",
        "25": "America/Sao_Paulo",
        "35": "America/Toronto",
        "42": "Asia/Shanghai",
        "43": "America/Bogota",
        "47": "Europe/Berlin",
        "57": "Europe/Paris",
        "71": "Asia/Kolkata",       // UTC+05:30: a half-hour offset
        "94": "America/Mexico_City",
        "128": "Asia/Singapore",
    ]

    /// IANA name of a Meta timezone id, if listed.
    public static func ianaName(forID id: String) -> String? { table[id] }

    /// UNIX time of local midnight starting civil date `day` in `zone`.
    public static func localMidnight(day: Int, in zone: TimeZone) -> Int64 {
        let utc = Int64(day) * 86_400
        let first = zone.secondsFromGMT(for: Date(timeIntervalSince1970: Double(utc)))
        var t = utc - Int64(first)
        let second = zone.secondsFromGMT(for: Date(timeIntervalSince1970: Double(t)))
        if second != first { t = utc - Int64(second) }
        return t
    }

    /// The local civil date containing UNIX time `t` in `zone`.
    public static func localDay(epochSeconds t: Int64, in zone: TimeZone) -> Int {
        let off = zone.secondsFromGMT(for: Date(timeIntervalSince1970: Double(t)))
        return CivilDate.utcDay(epochSeconds: t + Int64(off))
    }
}
