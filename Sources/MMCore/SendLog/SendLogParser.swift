/// The format of a send-log file.
public enum SendLogFileFormat: String, Sendable, Hashable {
    case ndjson
    case csv
    /// Decided by the first non-blank line: `{` means NDJSON, anything else CSV (stdin, odd names).
    case sniff

    /// By file name, ignoring a trailing `.gz`: `.ndjson`/`.jsonl`/`.json` → NDJSON, `.csv` → CSV,
    /// anything else (and `-`) → sniff.
    public static func of(path: String) -> SendLogFileFormat {
        var name = path.lowercased()
        if name.hasSuffix(".gz") { name.removeLast(3) }
        if name.hasSuffix(".ndjson") || name.hasSuffix(".jsonl") || name.hasSuffix(".json") { return .ndjson }
        if name.hasSuffix(".csv") { return .csv }
        return .sniff
    }
}

/// Parses one send-log file, line by line, in constant memory.
///
/// Feed every physical line in order (without its line terminator) with its 1-based number; each
/// call returns the line's verdict. NDJSON lines stand alone; CSV needs its header line first and
/// may continue a quoted field over several physical lines (the record is then reported on the
/// line that completes it, and a reject names the line where it began). Call `finish()` at the end
/// to learn about a CSV record left open.
public struct SendLogParser: Sendable {
    public private(set) var format: SendLogFileFormat
    private let builder: SendLogRecordBuilder
    private var header: SendLogCSV.Header?
    /// A CSV record whose quoted field is still open: its text so far and first line number.
    private var pending: (text: String, line: Int)?
    private static let maxPendingBytes = 1 << 20

    public init(format: SendLogFileFormat, hasher: any RecipientHasher) {
        self.format = format
        self.builder = SendLogRecordBuilder(hasher: hasher)
    }

    public mutating func parse(line: UnsafeBufferPointer<UInt8>, number: Int) -> SendLogLineResult {
        var line = line
        if number == 1, line.count >= 3, line[0] == 0xEF, line[1] == 0xBB, line[2] == 0xBF {  // UTF-8 BOM
            line = UnsafeBufferPointer(rebasing: line[3...])
        }
        if line.last == 0x0D { line = UnsafeBufferPointer(rebasing: line.dropLast()) }
        if pending == nil, isBlank(line) { return .skip }
        if format == .sniff {
            format = line.first { $0 != 0x20 && $0 != 0x09 } == UInt8(ascii: "{") ? .ndjson : .csv
        }
        switch format {
        case .csv: return parseCSV(line, number: number)
        default: return parseJSON(line, number: number)
        }
    }

    /// Convenience for tests and small inputs.
    public mutating func parse(line: String, number: Int) -> SendLogLineResult {
        var bytes = Array(line.utf8)
        return bytes.withUnsafeMutableBufferPointer { parse(line: UnsafeBufferPointer($0), number: number) }
    }

    /// At the end of the file: a reject for a CSV record whose quoted field never closed.
    public mutating func finish() -> SendLogReject? {
        guard let p = pending else { return nil }
        pending = nil
        return SendLogReject(reason: .invalidCSV, detail: "quoted field still open at the end of the file",
                             raw: RecipientPrivacy.redactCSVLine(p.text, phoneColumns: header?.phoneColumns ?? []), line: p.line)
    }

    private func isBlank(_ line: UnsafeBufferPointer<UInt8>) -> Bool {
        line.allSatisfy { $0 == 0x20 || $0 == 0x09 }
    }

    private func parseJSON(_ line: UnsafeBufferPointer<UInt8>, number: Int) -> SendLogLineResult {
        if let bad = Self.encodingProblem(line) { return reject(SendLogReject(reason: .invalidText, detail: bad), line, number) }
        var scanner = JSONScanner(line)
        let fields: SendLogFields
        do {
            scanner.skipWhitespace()
            fields = try SendLogFields.read(&scanner)
            try scanner.finish()
        } catch {
            let message = (error as? JSONScanner.Failure)?.message ?? "\(error)"
            return reject(SendLogReject(reason: message.hasPrefix("field ") ? .badField : .invalidJSON,
                                        detail: message), line, number)
        }
        // An unescaped value is never longer than its line: short lines (nearly all) skip the check.
        if line.count > SendLogLimits.maxFieldBytes, let o = SendLogLimits.oversizeField(fields) {
            return reject(SendLogLimits.fieldReject(o), line, number)
        }
        do {
            return .records(try builder.records(from: fields))
        } catch {
            return reject(error, line, number)
        }
    }

    private mutating func parseCSV(_ line: UnsafeBufferPointer<UInt8>, number: Int) -> SendLogLineResult {
        if let bad = Self.encodingProblem(line) {
            return .reject(SendLogReject(reason: .invalidText, detail: bad,
                                         raw: RecipientPrivacy.redactCSVLine(String(decoding: line, as: UTF8.self), phoneColumns: header?.phoneColumns ?? []),
                                         line: number))
        }
        var text = String(decoding: line, as: UTF8.self)
        var first = number
        if let p = pending {
            text = p.text + "\n" + text
            first = p.line
            pending = nil
        }
        if SendLogCSV.hasOpenQuote(text) {
            if text.utf8.count > Self.maxPendingBytes {
                return .reject(SendLogReject(reason: .invalidCSV, detail: "quoted field longer than 1 MiB",
                                             raw: RecipientPrivacy.redactCSVLine(text, phoneColumns: header?.phoneColumns ?? []), line: first))
            }
            pending = (text, first)
            return .skip
        }
        let fields: [String]
        do {
            fields = try SendLogCSV.split(text)
        } catch {
            return .reject(SendLogReject(reason: .invalidCSV, detail: (error as? SendLogCSV.Failure)?.message ?? "\(error)",
                                         raw: RecipientPrivacy.redactCSVLine(text, phoneColumns: header?.phoneColumns ?? []), line: first))
        }
        guard let header else {
            let h = SendLogCSV.Header(fields)
            guard h.hasWamid else {
                return .reject(SendLogReject(reason: .invalidCSV, detail: "the header row names no wamid column",
                                             raw: RecipientPrivacy.redactCSVLine(text, phoneColumns: []), line: first))
            }
            self.header = h
            return .skip
        }
        let redacted = { RecipientPrivacy.redactCSVLine(text, phoneColumns: header.phoneColumns) }
        guard fields.count == header.fieldCount else {
            return .reject(SendLogReject(reason: .invalidCSV, detail: "\(fields.count) fields where the header has \(header.fieldCount)",
                                         raw: redacted(), line: first))
        }
        do {
            let f = try SendLogFields(csv: fields, header: header)
            if text.utf8.count > SendLogLimits.maxFieldBytes, let o = SendLogLimits.oversizeField(f) { throw SendLogLimits.fieldReject(o) }
            return .records(try builder.records(from: f))
        } catch let r as SendLogReject {
            return .reject(SendLogReject(reason: r.reason, detail: r.detail, raw: redacted(), line: first))
        } catch {
            let message = (error as? JSONScanner.Failure)?.message ?? "\(error)"
            return .reject(SendLogReject(reason: .badField, detail: message, raw: redacted(), line: first))
        }
    }

    /// A NUL byte or invalid UTF-8 makes the whole line unusable (it would otherwise load altered
    /// text): the reason, or nil for a clean line. ASCII lines are checked in one pass, eight bytes
    /// at a time (a NUL and a byte ≥ 0x80 found by word arithmetic; the tail byte by byte).
    static func encodingProblem(_ line: UnsafeBufferPointer<UInt8>) -> String? {
        let nul = "NUL byte in the line"
        var high = false, i = 0
        if let base = line.baseAddress {
            let raw = UnsafeRawPointer(base)
            var seen: UInt64 = 0
            while i + 8 <= line.count {
                let w = raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)
                // Non-zero exactly when some byte of w is zero.
                if (w &- 0x0101_0101_0101_0101) & ~w & 0x8080_8080_8080_8080 != 0 { return nul }
                seen |= w
                i += 8
            }
            high = seen & 0x8080_8080_8080_8080 != 0
        }
        while i < line.count {
            if line[i] == 0 { return nul }
            if line[i] >= 0x80 { high = true }
            i += 1
        }
        guard high, String(validating: line, as: UTF8.self) == nil else { return nil }
        return "the line is not valid UTF-8"
    }

    private func reject(_ r: SendLogReject, _ line: UnsafeBufferPointer<UInt8>, _ number: Int) -> SendLogLineResult {
        let raw = line.count > 4 * SendLogReject.maxRawBytes ? UnsafeBufferPointer(rebasing: line.prefix(4 * SendLogReject.maxRawBytes)) : line
        return .reject(SendLogReject(reason: r.reason, detail: r.detail,
                                     raw: RecipientPrivacy.redactJSONLine(String(decoding: raw, as: UTF8.self)), line: number))
    }
}
