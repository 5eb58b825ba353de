/// One shard of a sharded run: shard `index` (counted from 1) of `count`.
///
/// Each shard takes the WABAs that rendezvous (highest-random-weight) hashing assigns to it: every
/// WABA scores each shard with a stable hash of (WABA id, shard number) and goes to the shard with
/// the highest score. The assignment is the same in every process and on every platform, every
/// WABA has exactly one owner, and going from N to N+1 shards moves only the WABAs the new shard
/// wins — about 1/(N+1) of them. Pure: no I/O, no environment.
public struct Shard: Sendable, Hashable, CustomStringConvertible {
    /// 1…count.
    public let index: Int
    /// ≥ 1.
    public let count: Int

    /// - Returns: nil unless 1 ≤ index ≤ count.
    public init?(index: Int, count: Int) {
        guard count >= 1, (1...count).contains(index) else { return nil }
        self.index = index; self.count = count
    }

    /// Parses `K/N` (`2/3`): nil for anything else (missing part, K outside 1…N, N < 1).
    public init?(_ text: String) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let k = Int(parts[0]), let n = Int(parts[1]) else { return nil }
        self.init(index: k, count: n)
    }

    /// The shard of a Kubernetes Indexed Job pod: `JOB_COMPLETION_INDEX` (from 0) + 1 of `count`.
    public init?(completionIndex: String, count: Int) {
        guard let i = Int(completionIndex) else { return nil }
        self.init(index: i + 1, count: count)
    }

    /// `K/N`: also the shard's key in the ledger and in its run lock.
    public var description: String { "\(index)/\(count)" }

    /// Whether this shard owns `wabaID`.
    public func owns(_ wabaID: String) -> Bool { Self.owner(of: wabaID, count: count) == index }

    /// The elements whose WABA this shard owns, in their original order.
    public func select<T>(_ items: [T], wabaID: (T) -> String) -> [T] { items.filter { owns(wabaID($0)) } }

    /// The shard (1…count) that owns `wabaID` among `count` shards.
    public static func owner(of wabaID: String, count: Int) -> Int {
        var best = 1
        var bestScore: UInt64 = 0
        for shard in 1...max(1, count) {
            let s = score(wabaID, shard)
            if shard == 1 || s > bestScore { best = shard; bestScore = s }
        }
        return best
    }

    /// The rendezvous weight of (WABA, shard): FNV-1a 64 of `id#shard`, finished with splitmix64 so
    /// neighbouring shard numbers give unrelated weights.
    static func score(_ wabaID: String, _ shard: Int) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in "\(wabaID)#\(shard)".utf8 {
            h ^= UInt64(byte)
            h &*= 0x0000_0100_0000_01b3
        }
        h ^= h >> 30; h &*= 0xbf58_476d_1ce4_e5b9
        h ^= h >> 27; h &*= 0x94d0_49bb_1331_11eb
        h ^= h >> 31
        return h
    }
}
