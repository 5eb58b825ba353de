import CZlib

/// Streaming gzip compression (RFC 1952 framing: deflate with window bits 15 + 16).
///
/// Feed chunks with `compress(_:into:)`, then call `finish(into:)` once; the appended output is one
/// complete gzip member that `gzip -d` / `zcat` read. Not thread-safe: one owner at a time.
public final class GzipCompressor {
    /// zlib's default trade-off; 1 is fastest, 9 smallest.
    public static let defaultLevel = 6
    private static let chunkSize = 64 * 1024

    public let level: Int
    private let stream: ZStream
    private let scratch: UnsafeMutableBufferPointer<UInt8>
    private var finished = false

    /// - Parameter level: 0 (store) … 9 (best).
    /// - Throws: `GzipError.zlib` for an invalid level or when zlib cannot allocate its state.
    public init(level: Int = GzipCompressor.defaultLevel) throws(GzipError) {
        guard (0...9).contains(level) else { throw .zlib("gzip level must be 0…9, got \(level)") }
        let stream = ZStream()
        let rc = mm_deflateInit2(stream.pointer, Int32(level), Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY)
        guard rc == Z_OK else {
            let message = stream.message(or: zlibCodeName(rc))
            stream.free()
            throw .zlib("deflateInit2 failed: \(message)")
        }
        self.level = level
        self.stream = stream
        self.scratch = .allocate(capacity: Self.chunkSize)
    }

    deinit {
        deflateEnd(stream.pointer)
        stream.free()
        scratch.deallocate()
    }

    /// Compresses `input`, appending whatever compressed bytes are ready to `output`.
    public func compress(_ input: UnsafeRawBufferPointer, into output: inout [UInt8]) throws(GzipError) {
        guard !finished else { throw .zlib("compress after finish") }
        var rest = input
        while !rest.isEmpty {
            let offered = stream.setInput(rest)
            try drive(flush: Z_NO_FLUSH, into: &output)
            rest = UnsafeRawBufferPointer(rebasing: rest[(offered - stream.availableIn)...])
        }
    }

    /// Compresses `input`, appending whatever compressed bytes are ready to `output`.
    public func compress(_ input: [UInt8], into output: inout [UInt8]) throws(GzipError) {
        // `withUnsafeBytes` is untyped-rethrows, so the typed error is carried out by hand.
        let failure: GzipError? = input.withUnsafeBytes { raw -> GzipError? in
            do throws(GzipError) { try compress(raw, into: &output); return nil } catch { return error }
        }
        if let failure { throw failure }
    }

    /// Flushes the remaining data and appends the gzip trailer (CRC-32, length). Call exactly once.
    public func finish(into output: inout [UInt8]) throws(GzipError) {
        guard !finished else { throw .zlib("finish called twice") }
        _ = stream.setInput(UnsafeRawBufferPointer(start: nil, count: 0))
        try drive(flush: Z_FINISH, into: &output)
        finished = true
    }

    /// Runs `deflate` until the offered input is consumed (or, for `Z_FINISH`, the stream ended).
    private func drive(flush: Int32, into output: inout [UInt8]) throws(GzipError) {
        while true {
            stream.setOutput(UnsafeMutableRawBufferPointer(scratch))
            let rc = deflate(stream.pointer, flush)
            let produced = scratch.count - stream.availableOut
            if produced > 0 { output.append(contentsOf: UnsafeBufferPointer(rebasing: scratch[..<produced])) }
            switch rc {
            case Z_STREAM_END:
                return
            case Z_OK, Z_BUF_ERROR:
                // More output pending while the scratch was filled; otherwise all input is in.
                if stream.availableOut == 0 { continue }
                if flush == Z_FINISH { continue }
                if stream.availableIn == 0 { return }
            default:
                throw .zlib("deflate failed: \(stream.message(or: zlibCodeName(rc)))")
            }
        }
    }

    /// `bytes` as one gzip member.
    public static func gzip(_ bytes: [UInt8], level: Int = GzipCompressor.defaultLevel) throws(GzipError) -> [UInt8] {
        let compressor = try GzipCompressor(level: level)
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count / 4 + 64)
        try compressor.compress(bytes, into: &out)
        try compressor.finish(into: &out)
        return out
    }
}
