import ArchiveGzip
import Foundation
import Testing

@Suite("line reader")
struct LineReaderTests {
    static let chunkSizes = [1, 2, 3, 7, 64, 65_536]

    private func lines(_ path: String, chunkSize: Int) throws -> [String] {
        let reader = try LineReader.open(path: path, chunkSize: chunkSize)
        var out: [String] = []
        while let line = try reader.nextLine() { out.append(String(decoding: line, as: UTF8.self)) }
        #expect(reader.lineNumber == out.count)
        #expect(try reader.nextLine() == nil)
        return out
    }

    @Test("exact lines from plain and gzip files, across chunk boundaries", arguments: chunkSizes)
    func exactLines(chunkSize: Int) throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let cases: [(String, [String])] = [
            ("", []),
            ("\n", [""]),
            ("a", ["a"]),
            ("a\n", ["a"]),
            ("a\r\nb\r\n", ["a", "b"]),
            ("a\r\nb", ["a", "b"]),
            ("a\r\nb\r", ["a", "b"]),
            ("one\n\ntwo\r\n\r\nthree", ["one", "", "two", "", "three"]),
            ("x\ry\n", ["x\ry"]),  // a lone CR inside a line is data
            ("{\"id\":1}\n{\"id\":2,\"s\":\"é\"}\n", ["{\"id\":1}", "{\"id\":2,\"s\":\"é\"}"]),
        ]
        for (index, (text, expected)) in cases.enumerated() {
            let bytes = Array(text.utf8)
            let plain = try dir.write(bytes, to: "case\(index).ndjson")
            let gz = try dir.write(try GzipCompressor.gzip(bytes), to: "case\(index).ndjson.gz")
            let gzNoSuffix = try dir.write(try GzipCompressor.gzip(bytes), to: "case\(index).bin")
            #expect(try lines(plain, chunkSize: chunkSize) == expected, "plain \(text.debugDescription)")
            #expect(try lines(gz, chunkSize: chunkSize) == expected, "gzip \(text.debugDescription)")
            #expect(try lines(gzNoSuffix, chunkSize: chunkSize) == expected, "gzip by magic \(text.debugDescription)")
        }
    }

    @Test("a large file: many lines, long lines, concatenated members")
    func largeFile() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        var rng = SplitMix64(seed: 11)
        var expected: [[UInt8]] = []
        var bytes: [UInt8] = []
        for i in 0..<20_000 {
            let length = i % 1000 == 0 ? 150_000 : Int(rng.next() % 200)  // some lines far longer than a chunk
            let line = [UInt8](repeating: UInt8(97 + i % 26), count: length)
            expected.append(line)
            bytes += line
            bytes += [0x0d, 0x0a]
        }
        let half = bytes.count / 2
        let gz = try GzipCompressor.gzip(Array(bytes[..<half]), level: 1) + GzipCompressor.gzip(Array(bytes[half...]), level: 1)
        let path = try dir.write(gz, to: "big.csv.gz")
        for chunkSize in [4096, 65_536] {
            let reader = try LineReader.open(path: path, chunkSize: chunkSize)
            var count = 0
            var mismatches = 0
            try reader.forEachLine { line in
                if count >= expected.count || Array(line) != expected[count] { mismatches += 1 }
                count += 1
            }
            #expect(count == expected.count)
            #expect(mismatches == 0)
        }
    }

    @Test("named .gz but not gzip is an error naming the file")
    func notGzip() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let path = try dir.write(Array("plain text\n".utf8), to: "sends.ndjson.gz")
        #expect(throws: ByteSourceError.notGzip(path: path)) { try LineReader.open(path: path) }
        #expect(ByteSourceError.notGzip(path: path).description.contains(path))
        #expect(throws: ByteSourceError.notFound(path: dir.file("missing.csv"))) { try LineReader.open(path: dir.file("missing.csv")) }
    }

    @Test("a truncated or corrupt gzip file fails instead of yielding a partial last line")
    func truncatedGzip() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let gz = try GzipCompressor.gzip(Array(String(repeating: "line of text\n", count: 10_000).utf8))
        let cut = try dir.write(Array(gz.dropLast(5)), to: "cut.ndjson.gz")
        #expect {
            let reader = try LineReader.open(path: cut, chunkSize: 1000)
            while try reader.nextLine() != nil {}
        } throws: { error in
            guard case ByteSourceError.corrupt(let path, _) = error else { return false }
            return path == cut
        }
        var flipped = gz
        flipped[gz.count / 2] ^= 0x10
        let bad = try dir.write(flipped, to: "bad.ndjson.gz")
        #expect(throws: ByteSourceError.self) {
            let reader = try LineReader.open(path: bad)
            while try reader.nextLine() != nil {}
        }
    }

    @Test("ByteSources.open gives raw bytes, gunzipped when needed")
    func byteSources() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let data = Samples.randomBytes(300_000)
        let path = try dir.write(try GzipCompressor.gzip(data), to: "x.gz")
        let source = try ByteSources.open(path: path, chunkSize: 1000)
        var buffer: [UInt8] = []
        let n = try source.read(into: &buffer, maxBytes: 500)
        #expect(n == 500 && buffer.count == 500)  // never more than asked
        #expect(buffer + (try source.readAll()) == data)
        #expect(source.name == path)
    }
}

@Suite("line reader: over-long lines")
struct LineReaderOverLongTests {
    @Test("a line over the cap is skipped as it is read: its start and true length are reported, the next line is intact",
          arguments: [7, 64, 65_536])
    func overLongLine(chunkSize: Int) throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let long = String(repeating: "y", count: 300_000)
        let text = "short\n\(long)\nafter\n\(long)"
        for path in [try dir.write(Array(text.utf8), to: "l.ndjson"), try dir.write(try GzipCompressor.gzip(Array(text.utf8)), to: "l.ndjson.gz")] {
            let reader = try LineReader.open(path: path, chunkSize: chunkSize)
            var seen: [(String, Int)] = []
            try reader.forEachLine(maxLineBytes: 1000) { slice, length in
                seen.append((String(decoding: slice, as: UTF8.self), length))
            }
            #expect(seen.map(\.1) == [5, 300_000, 5, 300_000])
            #expect(seen[0].0 == "short" && seen[2].0 == "after")
            #expect(seen[1].0.count <= LineReader.overLongPrefixBytes && seen[1].0.hasPrefix("yyyy"))
            #expect(reader.lineNumber == 4)
        }
    }
}
