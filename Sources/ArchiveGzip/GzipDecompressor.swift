import CZlib

/// Streaming gzip decompression (window bits 15 + 16), accepting concatenated members.
///
/// Feed chunks with `decompress(_:into:)` and call `finish()` at the end of the input. A corrupt
/// stream (bad header, bad deflate data, CRC-32 or length mismatch, trailing garbage) throws
/// `GzipError.corrupt`; input that ends inside a member — or contains no member — makes `finish()`
/// throw `GzipError.truncated`. Never yields silent garbage. Not thread-safe: one owner at a time.
public final class GzipDecompressor {
    private static let chunkSize = 64 * 1024

    private enum Phase { case fresh, inMember, betweenMembers }

    private let stream: ZStream
    private let scratch: UnsafeMutableBufferPointer<UInt8>
    private var phase = Phase.fresh
    /// Complete members decoded so far.
    public private(set) var membersCompleted = 0

    /// - Throws: `GzipError.zlib` when zlib cannot allocate its state.
    public init() throws(GzipError) {
        let stream = ZStream()
        let rc = mm_inflateInit2(stream.pointer, 15 + 16)
        guard rc == Z_OK else {
            let message = stream.message(or: zlibCodeName(rc))
            stream.free()
            throw .zlib("inflateInit2 failed: \(message)")
        }
        self.stream = stream
        self.scratch = .allocate(capacity: Self.chunkSize)
    }

    deinit {
        inflateEnd(stream.pointer)
        stream.free()
        scratch.deallocate()
    }

    /// Decompresses all of `input`, appending the decoded bytes to `output`.
    public func decompress(_ input: UnsafeRawBufferPointer, into output: inout [UInt8]) throws(GzipError) {
        var rest = input
        while !rest.isEmpty {
            let consumed = try decompressSome(rest, into: &output, maxOutput: Int.max)
            guard consumed > 0 else { throw .zlib("inflate made no progress") }
            rest = UnsafeRawBufferPointer(rebasing: rest[consumed...])
        }
    }

    /// Decompresses all of `input`, appending the decoded bytes to `output`.
    public func decompress(_ input: [UInt8], into output: inout [UInt8]) throws(GzipError) {
        // `withUnsafeBytes` is untyped-rethrows, so the typed error is carried out by hand.
        let failure: GzipError? = input.withUnsafeBytes { raw -> GzipError? in
            do throws(GzipError) { try decompress(raw, into: &output); return nil } catch { return error }
        }
        if let failure { throw failure }
    }

    /// Decodes from `input` until `maxOutput` bytes were appended to `output` or `input` is used up
    /// (zlib may still hold pending output: call again, with the empty rest, to drain it).
    /// Returns how many input bytes were consumed; the caller offers the rest again.
    /// For bounded-memory readers.
    public func decompressSome(_ input: UnsafeRawBufferPointer, into output: inout [UInt8], maxOutput: Int) throws(GzipError) -> Int {
        guard maxOutput > 0 else { return 0 }
        var consumedTotal = 0
        var producedTotal = 0
        while consumedTotal < input.count || phase == .inMember {
            let rest = UnsafeRawBufferPointer(rebasing: input[consumedTotal...])
            switch phase {
            case .fresh:
                phase = .inMember
            case .betweenMembers:
                guard !rest.isEmpty else { return consumedTotal }
                // Another member follows (RFC 1952 allows concatenation; `gzip -d` accepts it).
                let rc = inflateReset(stream.pointer)
                guard rc == Z_OK else { throw .zlib("inflateReset failed: \(zlibCodeName(rc))") }
                phase = .inMember
            case .inMember:
                break
            }
            let room = min(scratch.count, maxOutput - producedTotal)
            let offered = stream.setInput(rest)
            stream.setOutput(UnsafeMutableRawBufferPointer(UnsafeMutableBufferPointer(rebasing: scratch[..<room])))
            let rc = inflate(stream.pointer, Z_NO_FLUSH)
            let consumed = offered - stream.availableIn
            let produced = room - stream.availableOut
            consumedTotal += consumed
            producedTotal += produced
            if produced > 0 { output.append(contentsOf: UnsafeBufferPointer(rebasing: scratch[..<produced])) }
            switch rc {
            case Z_STREAM_END:
                membersCompleted += 1
                phase = .betweenMembers
            case Z_OK, Z_BUF_ERROR:
                // Output space left over means zlib wants more input than we have.
                if stream.availableOut > 0 && consumedTotal == input.count { return consumedTotal }
                if consumed == 0 && produced == 0 { return consumedTotal }
            case Z_DATA_ERROR:
                throw .corrupt(stream.message(or: "invalid deflate data"))
            case Z_NEED_DICT:
                throw .corrupt("stream needs a preset dictionary")
            case Z_MEM_ERROR:
                throw .zlib("out of memory")
            default:
                throw .zlib("inflate failed: \(stream.message(or: zlibCodeName(rc)))")
            }
            if producedTotal >= maxOutput { return consumedTotal }
        }
        return consumedTotal
    }

    /// Declares the end of the input.
    /// - Throws: `GzipError.truncated` if the input ended inside a member or held no member at all.
    public func finish() throws(GzipError) {
        switch phase {
        case .betweenMembers:
            return
        case .fresh:
            throw .truncated("no gzip data (empty input)")
        case .inMember:
            if membersCompleted == 0 && stream.pointer.pointee.total_in == 0 {
                throw .truncated("no gzip data (empty input)")
            }
            throw .truncated("input ended before the end of the gzip stream")
        }
    }

    /// The concatenated contents of every member of `bytes`.
    public static func gunzip(_ bytes: [UInt8]) throws(GzipError) -> [UInt8] {
        let decompressor = try GzipDecompressor()
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count * 4)
        try decompressor.decompress(bytes, into: &out)
        try decompressor.finish()
        return out
    }
}
