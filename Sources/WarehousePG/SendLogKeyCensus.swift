#if canImport(Glibc)
import Glibc
#endif

/// Whether a send-log file names a message's send record, or one (message, status, timestamp),
/// more than once — so a load whose file cannot repeat a key skips the sort that picks one record
/// per key (a sort of every staged record: 12 s of a 1 M-message load).
///
/// Keeps one 64-bit fingerprint per record, 8 bytes each (28 MB for 1 M messages and their 2.5 M
/// statuses); past its limit of records it stops counting and answers "may repeat". Two keys with the
/// same fingerprint (odds ≈ 3 in 10 million for 3.5 M records) only make the load sort, as it always
/// did: the answer "no repeat" is exact, "may repeat" is not.
///
/// Fingerprints come from the standard library's per-process seeded hasher: they are never stored
/// or compared across processes. Swift compares strings by canonical equivalence, PostgreSQL these
/// keys byte by byte ("C"), so the census can only see more repeats than the stage holds, never
/// fewer — except for NUL, which the COPY turns into U+FFFD: a key with a NUL answers "may repeat".
struct SendLogKeyCensus {
    /// Records (sends and statuses together) past which the census answers "may repeat" (128 MB).
    static let defaultLimit = 16_000_000

    private let limit: Int
    private var sends: [UInt64] = []
    private var statuses: [UInt64] = []
    private var overflowed = false

    init(limit: Int = Self.defaultLimit) { self.limit = limit }

    /// A send record of `wamid`.
    mutating func send(wamid: String) {
        guard room(), !hasNUL(wamid) else { return }
        sends.append(UInt64(bitPattern: Int64(wamid.hashValue)))
    }

    /// A status record.
    mutating func status(wamid: String, status: String, micros: Int64) {
        guard room(), !hasNUL(wamid), !hasNUL(status) else { return }
        var h = Hasher()
        h.combine(wamid)
        h.combine(status)
        h.combine(micros)
        statuses.append(UInt64(bitPattern: Int64(h.finalize())))
    }

    /// Takes over what `other` counted (a part of the same file), leaving it empty.
    mutating func absorb(_ other: inout SendLogKeyCensus) {
        overflowed = overflowed || other.overflowed
        if room(adding: other.sends.count + other.statuses.count) {
            sends += other.sends
            statuses += other.statuses
        }
        other = SendLogKeyCensus(limit: other.limit)
    }

    /// Whether some key may have been named twice, for sends and for statuses; empties the census.
    mutating func repeats() -> (sends: Bool, statuses: Bool) {
        defer { self = SendLogKeyCensus(limit: limit) }
        if overflowed { return (true, true) }
        return (Self.hasEqualNeighbours(&sends), Self.hasEqualNeighbours(&statuses))
    }

    private mutating func room(adding n: Int = 1) -> Bool {
        if !overflowed && sends.count + statuses.count + n > limit { giveUp() }
        return !overflowed
    }

    /// A key with a NUL gives up the census (see above).
    private mutating func hasNUL(_ key: String) -> Bool {
        // A native string's bytes are contiguous: memchr instead of the generic element-wise search.
        let found = key.utf8.withContiguousStorageIfAvailable { bytes in
            bytes.baseAddress.map { memchr($0, 0, bytes.count) != nil } ?? false
        } ?? key.utf8.contains(0)
        guard found else { return false }
        giveUp()
        return true
    }

    /// From now on the answer is "may repeat"; the fingerprints are let go.
    private mutating func giveUp() {
        overflowed = true
        sends = []
        statuses = []
    }

    private static func hasEqualNeighbours(_ prints: inout [UInt64]) -> Bool {
        prints.sort()
        return prints.indices.dropFirst().contains { prints[$0] == prints[$0 - 1] }
    }
}
