/// The WABA-local day (`YYYY-MM-DD`) of bucket starts, remembered per page: a page holds many data
/// points of few distinct starts, and the zone lookup and formatting cost more than the rest of a row.
struct DayCache {
    let zone: String
    private var known: [Int64: String] = [:]

    init(zone: String) { self.zone = zone }

    /// `TimeZones.localDay(epochSeconds:in:)` of `epochSeconds` in `zone`, as text.
    mutating func day(of epochSeconds: Int64) -> String {
        if let day = known[epochSeconds] { return day }
        let day = TimeZones.localDay(epochSeconds: epochSeconds, in: zone).description
        known[epochSeconds] = day
        return day
    }
}
