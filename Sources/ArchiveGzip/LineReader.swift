#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Splits a `ByteSource` into lines without loading it whole (multi-GB NDJSON / CSV, plain or gzip).
///
/// Lines end at `\n`; one `\r` before it (CRLF) is dropped, as is a trailing `\r` on a last line
/// without a newline. A final line without a newline is still yielded; an empty input yields none,
/// and a trailing newline does not yield an extra empty line. Memory held: one chunk plus the
/// longest line.
public final class LineReader {
    private let source: any ByteSource
    private let chunkSize: Int
    private var buffer: [UInt8] = []
    private var start = 0
    private var scanFrom = 0
    private var ended = false
    /// 1-based number of the line most recently returned (0 before the first).
    public private(set) var lineNumber = 0

    public var name: String { source.name }

    public init(source: any ByteSource, chunkSize: Int = ByteSources.defaultChunkSize) {
        self.source = source
        self.chunkSize = max(1, chunkSize)
    }

    /// Opens `path`, gunzipping it when it starts with `1f 8b` (see `ByteSources.open`).
    public static func open(path: String, chunkSize: Int = ByteSources.defaultChunkSize) throws(ByteSourceError) -> LineReader {
        LineReader(source: try ByteSources.open(path: path, chunkSize: chunkSize), chunkSize: chunkSize)
    }

    /// The next line as a fresh array, without its terminator; nil at the end.
    public func nextLine() throws(ByteSourceError) -> [UInt8]? {
        guard case .whole(let range) = try nextLineRange(limit: .max) else { return nil }
        return Array(buffer[range])
    }

    /// Calls `body` with each remaining line, as a slice of the internal buffer (valid for the call;
    /// copy it to keep it). Stops early if `body` throws.
    public func forEachLine(_ body: (ArraySlice<UInt8>) throws -> Void) throws {
        while case .whole(let range) = try nextLineRange(limit: .max) {
            try body(buffer[range])
        }
    }

    /// Bytes of an over-long line handed to `body` (enough for a reject's masked excerpt).
    public static let overLongPrefixBytes = 8192

    /// Like `forEachLine(_:)`, with the line's full length as the second argument. A line longer
    /// than `maxLineBytes` is never held whole: `body` gets its first `overLongPrefixBytes` bytes
    /// and its length, the rest is skipped as it is read. Memory held: one chunk plus `maxLineBytes`.
    public func forEachLine(maxLineBytes: Int, _ body: (ArraySlice<UInt8>, Int) throws -> Void) throws {
        while let line = try nextLineRange(limit: max(1, maxLineBytes)) {
            switch line {
            case .whole(let r): try body(r.count > maxLineBytes ? buffer[r.prefix(Self.overLongPrefixBytes)] : buffer[r], r.count)
            case .overLong(let prefix, let length): try body(prefix[...], length)
            case .end: return
            }
        }
    }

    private enum Line { case whole(Range<Int>), overLong([UInt8], Int), end }

    private func nextLineRange(limit: Int) throws(ByteSourceError) -> Line? {
        while true {
            if let newline = findNewline(from: scanFrom) {
                let range = trimCR(start..<newline)
                start = newline + 1
                scanFrom = start
                lineNumber += 1
                return .whole(range)
            }
            scanFrom = buffer.count
            if ended {
                guard start < buffer.count else { return .end }
                let range = trimCR(start..<buffer.count)
                start = buffer.count
                scanFrom = start
                lineNumber += 1
                return .whole(range)
            }
            if buffer.count - start > limit { return try skipOverLong() }
            // Keep only the unfinished line, then read more after it.
            if start > 0 {
                buffer.removeSubrange(0..<start)
                scanFrom -= start
                start = 0
            }
            if try source.read(into: &buffer, maxBytes: chunkSize) == 0 { ended = true }
        }
    }

    /// Skips the rest of the line starting at `start`, keeping its first bytes; returns them with its length.
    private func skipOverLong() throws(ByteSourceError) -> Line {
        let prefix = Array(buffer[start..<min(buffer.count, start + Self.overLongPrefixBytes)])
        var length = 0
        var from = start
        while true {
            if let newline = findNewline(from: from) {
                length += newline - from
                start = newline + 1
                scanFrom = start
                lineNumber += 1
                return .overLong(prefix, length)
            }
            length += buffer.count - from
            buffer.removeAll(keepingCapacity: true)
            start = 0; scanFrom = 0; from = 0
            let read = ended ? 0 : try source.read(into: &buffer, maxBytes: chunkSize)
            if read == 0 {
                ended = true
                lineNumber += 1
                return .overLong(prefix, length)
            }
        }
    }

    private func trimCR(_ range: Range<Int>) -> Range<Int> {
        if range.upperBound > range.lowerBound && buffer[range.upperBound - 1] == UInt8(ascii: "\r") {
            return range.lowerBound..<(range.upperBound - 1)
        }
        return range
    }

    private func findNewline(from index: Int) -> Int? {
        guard index < buffer.count else { return nil }
        return buffer.withUnsafeBytes { raw -> Int? in
            guard let base = raw.baseAddress,
                  let hit = memchr(base + index, Int32(UInt8(ascii: "\n")), raw.count - index) else { return nil }
            return UnsafeRawPointer(hit) - base
        }
    }
}
