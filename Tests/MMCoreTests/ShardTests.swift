import Testing
@testable import MMCore

@Suite struct ShardTests {
    static let wabas = (0..<3000).map { "10\(200_000_000 + $0 * 7919)" }

    @Test func parsesKOverNAndRefusesTheRest() {
        #expect(Shard("2/3") == Shard(index: 2, count: 3))
        #expect(Shard("1/1")?.description == "1/1")
        for bad in ["0/3", "4/3", "3", "/3", "1/", "a/b", "1/0", "-1/3", "1/3/4"] { #expect(Shard(bad) == nil, "\(bad)") }
        #expect(Shard(completionIndex: "0", count: 3) == Shard(index: 1, count: 3))
        #expect(Shard(completionIndex: "3", count: 3) == nil)
        #expect(Shard(completionIndex: "x", count: 3) == nil)
    }

    @Test func everyWABAHasExactlyOneShardAndTheSplitIsEven() {
        let shards = (1...3).map { Shard(index: $0, count: 3)! }
        var total = 0
        for s in shards {
            let mine = s.select(Self.wabas) { $0 }
            total += mine.count
            #expect(mine.count > 850 && mine.count < 1150, "shard \(s) took \(mine.count) of 3000")
        }
        #expect(total == Self.wabas.count)
        for w in Self.wabas.prefix(200) { #expect(shards.filter { $0.owns(w) }.count == 1) }
    }

    @Test func goingFromThreeToFourShardsMovesAboutAQuarterAndOnlyToTheNewShard() {
        var moved = 0
        for w in Self.wabas {
            let before = Shard.owner(of: w, count: 3), after = Shard.owner(of: w, count: 4)
            if before != after {
                moved += 1
                #expect(after == 4, "\(w) moved \(before) → \(after), not to the new shard")
            }
        }
        // Rendezvous hashing moves 1/(N+1) = 25 %; a modulo hash would move 75 %.
        #expect(moved < Self.wabas.count / 3, "moved \(moved) of \(Self.wabas.count)")
        #expect(moved > Self.wabas.count / 6)
    }

    @Test func theAssignmentIsStable() {
        // Pinned: a change of the hash would silently reshuffle every deployment's shards.
        #expect((1...5).map { Shard.owner(of: "1000000000000\($0)", count: 3) } == Self.pinned)
    }
    static let pinned = [3, 3, 3, 1, 1]
}
