/// A forward-only stream of bytes read in bounded chunks (a file, or a gzip stream over one).
public protocol ByteSource: AnyObject {
    /// The file name used in error messages.
    var name: String { get }
    /// Appends up to `maxBytes` next bytes to `buffer` and returns how many; 0 only at the end.
    /// - Throws: `ByteSourceError` naming the file.
    func read(into buffer: inout [UInt8], maxBytes: Int) throws(ByteSourceError) -> Int
}

extension ByteSource {
    /// Everything left, for small inputs and tests.
    public func readAll(chunkSize: Int = 256 * 1024) throws(ByteSourceError) -> [UInt8] {
        var out: [UInt8] = []
        while try read(into: &out, maxBytes: chunkSize) > 0 {}
        return out
    }
}

/// Opening input files whose compression is detected from their content.
public enum ByteSources {
    /// Default chunk size for file reads: large enough for throughput, small enough to stream.
    public static let defaultChunkSize = 256 * 1024

    /// The bytes of `path`, gunzipped if the file starts with the gzip magic `1f 8b`.
    /// - Throws: `ByteSourceError.notGzip` if the name ends in `.gz` but the content is not gzip;
    ///   `.notFound` / `.io` if it cannot be opened.
    public static func open(path: String, chunkSize: Int = defaultChunkSize) throws(ByteSourceError) -> any ByteSource {
        let file = try FileByteSource(path: path, chunkSize: chunkSize)
        let isGzip = try file.startsWithGzipMagic()
        if isGzip { return try GzipByteSource(wrapping: file, chunkSize: chunkSize) }
        if path.hasSuffix(".gz") { throw .notGzip(path: path) }
        return file
    }
}
