/// Gunzips another `ByteSource` on the fly, holding at most about one chunk of each side in memory.
/// Concatenated members are read as one stream; corruption or truncation throws
/// `ByteSourceError.corrupt` naming the file.
public final class GzipByteSource: ByteSource {
    public var name: String { inner.name }
    private let inner: any ByteSource
    private let decompressor: GzipDecompressor
    private let chunkSize: Int
    private var input: [UInt8] = []
    private var inputOffset = 0
    private var innerEnded = false
    private var finished = false

    public init(wrapping inner: any ByteSource, chunkSize: Int = ByteSources.defaultChunkSize) throws(ByteSourceError) {
        self.inner = inner
        self.chunkSize = max(1, chunkSize)
        do { self.decompressor = try GzipDecompressor() } catch { throw .io(path: inner.name, reason: error.description) }
    }

    public func read(into buffer: inout [UInt8], maxBytes: Int) throws(ByteSourceError) -> Int {
        let before = buffer.count
        while buffer.count - before < maxBytes && !finished {
            if inputOffset == input.count {
                input.removeAll(keepingCapacity: true)
                inputOffset = 0
                if !innerEnded, try inner.read(into: &input, maxBytes: chunkSize) == 0 { innerEnded = true }
            }
            if inputOffset == input.count && innerEnded {
                // Drain what zlib still holds, then insist the stream ended properly.
                try decode(UnsafeRawBufferPointer(start: nil, count: 0), into: &buffer, limit: maxBytes - (buffer.count - before))
                if buffer.count - before < maxBytes {
                    do { try decompressor.finish() } catch { throw .corrupt(path: name, reason: error.description) }
                    finished = true
                }
                continue
            }
            let limit = maxBytes - (buffer.count - before)
            let offset = inputOffset
            // `withUnsafeBytes` is untyped-rethrows, so the typed error is carried out by hand.
            let result: Result<Int, ByteSourceError> = input.withUnsafeBytes { raw -> Result<Int, ByteSourceError> in
                do throws(ByteSourceError) { return .success(try decode(UnsafeRawBufferPointer(rebasing: raw[offset...]), into: &buffer, limit: limit)) }
                catch { return .failure(error) }
            }
            inputOffset += try result.get()
        }
        return buffer.count - before
    }

    @discardableResult
    private func decode(_ chunk: UnsafeRawBufferPointer, into buffer: inout [UInt8], limit: Int) throws(ByteSourceError) -> Int {
        do {
            return try decompressor.decompressSome(chunk, into: &buffer, maxOutput: limit)
        } catch {
            throw .corrupt(path: name, reason: error.description)
        }
    }
}
