/// The key that makes a message's latest status a plain `min()` in SQL.
///
/// A message's `last_status` is the status with the latest timestamp, ties going to the least
/// status (byte order). As an ordered aggregate (`array_agg(status ORDER BY at DESC, status)`)
/// PostgreSQL sorts every message's statuses on their own; with this key, written beside each
/// staged status, it is `substr(min(key), 20)` and the whole per-message summary is one hash
/// aggregate.
///
/// The key is 19 decimal digits of `offset − micros` (so later instants sort first), zero-padded,
/// then the status. Every `timestamptz` PostgreSQL can hold (|micros| < 2.2·10¹⁷) gives exactly 19
/// digits. `SendLogMergeSQL` computes the same text in SQL for records taken back from
/// `etl.sendlog_pending`; a test holds the two to one another.
public enum LatestStatusKey {
    /// 4·10¹⁸: above any instant's microseconds, and `offset + |micros|` stays below 10¹⁹.
    public static let offset: Int64 = 4_000_000_000_000_000_000
    /// Length of the digits before the status.
    public static let digits = 19

    /// The key of `status` at `micros` (microseconds since the Unix epoch).
    public static func key(micros: Int64, status: String) -> String {
        var value = offset &- micros
        var out = [UInt8](repeating: UInt8(ascii: "0"), count: digits)
        var i = digits - 1
        while value > 0, i >= 0 {
            out[i] = UInt8(ascii: "0") + UInt8(value % 10)
            value /= 10
            i -= 1
        }
        out.append(contentsOf: status.utf8)
        return String(decoding: out, as: UTF8.self)
    }
}
