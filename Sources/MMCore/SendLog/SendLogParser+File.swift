extension SendLogParser {
    /// Parses every line of `source` into `sink` — records of good lines, rejects of bad ones —
    /// in constant memory; returns the counts for `etl.sendlog_files`.
    /// A line over `maxLineBytes` is rejected (`line_too_long`) by number, with a masked excerpt.
    public static func parseFile(_ source: any SendLogLineSource, format: SendLogFileFormat, hasher: any RecipientHasher,
                                 maxLineBytes: Int = SendLogLimits.defaultMaxLineBytes,
                                 into sink: any SendLogSink) throws -> SendLogFileCounts {
        var parser = SendLogParser(format: format, hasher: hasher)
        var counts = SendLogFileCounts()
        try source.forEachLine(maxLineBytes: maxLineBytes) { slice, length in
            counts.lines += 1
            try slice.withUnsafeBufferPointer {
                try parser.parse(line: $0, length: length, number: counts.lines, maxLineBytes: maxLineBytes, into: sink, counts: &counts)
            }
        }
        if let reject = parser.finish() {
            counts.rejectedLines += 1
            try sink.write(reject)
        }
        return counts
    }

    /// One physical line of a file (`line`: its bytes, or only its beginning when `length` is over
    /// `maxLineBytes`) parsed and written into `sink`; `counts` gains its records and rejects
    /// (not the line itself: the caller counts lines).
    public mutating func parse(line: UnsafeBufferPointer<UInt8>, length: Int, number: Int, maxLineBytes: Int,
                               into sink: any SendLogSink, counts: inout SendLogFileCounts) throws {
        let result = length > maxLineBytes
            ? .reject(SendLogReject(reason: .lineTooLong, detail: "line of \(length) bytes is over the \(maxLineBytes)-byte limit (sendlog.max_line_kilobytes)",
                                    raw: RecipientPrivacy.redactCSVLine(String(decoding: line.prefix(SendLogReject.maxRawBytes), as: UTF8.self), phoneColumns: []),
                                    line: number))
            : parse(line: line, number: number)
        switch result {
        case .skip:
            break
        case .records(let items):
            counts.loadedLines += 1
            for item in items {
                if case .send = item { counts.sends += 1 } else { counts.statuses += 1 }
                try sink.write(item, line: number)
            }
        case .reject(let reject):
            counts.rejectedLines += 1
            try sink.write(reject)
        }
    }
}
