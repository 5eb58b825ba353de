import ArchiveGzip
import Foundation
import Testing

@Suite("gzip streaming")
struct GzipStreamTests {
    static let sizes = [0, 1, 100, 65_535, 65_536, 200_001]

    @Test("round trip of random and JSON data", arguments: sizes)
    func roundTrip(size: Int) throws {
        for input in [Samples.randomBytes(size), Array(Samples.analyticsJSON(approximateBytes: size).prefix(size))] {
            for level in [1, 6, 9] {
                let gz = try GzipCompressor.gzip(input, level: level)
                #expect(gz.starts(with: [0x1f, 0x8b]))
                #expect(try GzipDecompressor.gunzip(gz) == input)
            }
        }
    }

    @Test("10 MB round trip, fed in uneven chunks")
    func tenMegabytes() throws {
        let input = Samples.analyticsJSON(approximateBytes: 10_000_000)
        let compressor = try GzipCompressor()
        var gz: [UInt8] = []
        var offset = 0
        var step = 1
        while offset < input.count {
            let end = min(input.count, offset + step)
            try compressor.compress(Array(input[offset..<end]), into: &gz)
            offset = end
            step = step * 3 % 1_000_003 + 1
        }
        try compressor.finish(into: &gz)
        #expect(gz.count < input.count / 4)

        let decompressor = try GzipDecompressor()
        var out: [UInt8] = []
        offset = 0
        while offset < gz.count {
            let end = min(gz.count, offset + 77_777)
            try decompressor.decompress(Array(gz[offset..<end]), into: &out)
            offset = end
        }
        try decompressor.finish()
        #expect(out == input)

        let random = Samples.randomBytes(10_000_000, seed: 99)
        #expect(try GzipDecompressor.gunzip(try GzipCompressor.gzip(random, level: 1)) == random)
    }

    @Test("the system gzip reads our output, and we read its output")
    func interoperatesWithSystemGzip() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        for input in [[], [0x41], Samples.analyticsJSON(approximateBytes: 300_000), Samples.randomBytes(100_000)] as [[UInt8]] {
            let path = try dir.write(try GzipCompressor.gzip(input), to: "ours.gz")
            let zcat = try run("/bin/gzip", ["-d", "-c", path])
            #expect(zcat.status == 0)
            #expect(zcat.stdout == input)

            let plain = try dir.write(input, to: "theirs")
            let gz = try run("/bin/gzip", ["-c", "-9", plain])
            #expect(gz.status == 0)
            #expect(try GzipDecompressor.gunzip(gz.stdout) == input)
        }
    }

    @Test("concatenated members decode as one stream")
    func concatenatedMembers() throws {
        let a = Array("first member\n".utf8), b = Samples.randomBytes(70_000), c: [UInt8] = []
        let joined = try GzipCompressor.gzip(a) + GzipCompressor.gzip(b, level: 1) + GzipCompressor.gzip(c)
        #expect(try GzipDecompressor.gunzip(joined) == a + b + c)

        // Fed one byte at a time, so member boundaries fall between calls.
        let decompressor = try GzipDecompressor()
        var out: [UInt8] = []
        for byte in joined { try decompressor.decompress([byte], into: &out) }
        try decompressor.finish()
        #expect(out == a + b + c)
        #expect(decompressor.membersCompleted == 3)
    }

    @Test("a truncated stream is an error at every cut point")
    func truncated() throws {
        let input = Samples.analyticsJSON(approximateBytes: 50_000)
        let gz = try GzipCompressor.gzip(input)
        for cut in [1, 2, 10, gz.count / 2, gz.count - 8, gz.count - 1] {
            #expect(throws: GzipError.self) { try GzipDecompressor.gunzip(Array(gz.prefix(cut))) }
        }
        #expect(throws: GzipError.truncated("no gzip data (empty input)")) { try GzipDecompressor.gunzip([]) }
        // Truncated after a complete first member is still truncated.
        let two = try GzipCompressor.gzip(input) + GzipCompressor.gzip(input)
        #expect(throws: GzipError.self) { try GzipDecompressor.gunzip(Array(two.dropLast(3))) }
    }

    @Test("a flipped byte is a data or CRC error, never garbage")
    func corrupt() throws {
        let input = Samples.analyticsJSON(approximateBytes: 20_000)
        let gz = try GzipCompressor.gzip(input)
        var rng = SplitMix64(seed: 3)
        var failures = 0
        for _ in 0..<50 {
            var bad = gz
            let index = 10 + Int(rng.next() % UInt64(gz.count - 10))  // past the header's free-form fields
            bad[index] ^= 0x20
            do {
                let out = try GzipDecompressor.gunzip(bad)
                Issue.record("flipped byte at \(index) decoded to \(out.count) bytes")
            } catch {
                failures += 1
            }
        }
        #expect(failures == 50)

        // The CRC-32 in the trailer is checked.
        var badCRC = gz
        badCRC[gz.count - 6] ^= 0xff
        #expect(throws: GzipError.corrupt("incorrect data check")) { try GzipDecompressor.gunzip(badCRC) }
        // Not gzip at all; trailing garbage after a member.
        #expect(throws: GzipError.self) { try GzipDecompressor.gunzip(Array("{\"plain\":true}".utf8)) }
        #expect(throws: GzipError.self) { try GzipDecompressor.gunzip(gz + [0x00, 0x01, 0x02]) }
    }

    @Test("invalid levels and misuse are reported")
    func misuse() throws {
        #expect(throws: GzipError.self) { try GzipCompressor(level: 10) }
        let c = try GzipCompressor()
        var out: [UInt8] = []
        try c.finish(into: &out)
        #expect(throws: GzipError.self) { try c.finish(into: &out) }
        #expect(throws: GzipError.self) { try c.compress([1, 2, 3], into: &out) }
        #expect(try GzipDecompressor.gunzip(out) == [])
    }
}
