import Foundation

/// Where one raw page lives in the archive (SPEC §5):
/// `<dataset>/waba=<id>/<YYYY-MM-DD>/<run_id>-<seq>.json.gz`, the date being the window start.
public struct ArchiveKey: Sendable, Hashable, Codable {
    public var dataset: String
    public var wabaID: String
    public var windowStart: String
    public var runID: Int64
    public var seq: Int

    public init(dataset: String, wabaID: String, windowStart: String, runID: Int64, seq: Int) {
        self.dataset = dataset; self.wabaID = wabaID; self.windowStart = windowStart
        self.runID = runID; self.seq = seq
    }

    /// Path relative to the archive directory.
    public var relativePath: String {
        "\(dataset)/waba=\(wabaID)/\(windowStart)/\(runID)-\(String(format: "%06d", seq)).json.gz"
    }
    /// Path of the sidecar holding the request and the response headers, beside the body.
    public var sidecarRelativePath: String {
        "\(dataset)/waba=\(wabaID)/\(windowStart)/\(runID)-\(String(format: "%06d", seq)).meta.json"
    }
}

/// What is kept beside a body: the request without secrets and the response headers.
public struct ArchiveSidecar: Sendable, Codable, Equatable {
    public var method: String
    /// The request URL with `access_token`/`appsecret_proof` removed.
    public var url: String
    public var status: Int
    public var responseHeaders: [HTTPHeader]
    /// ISO-8601 UTC time the response was received.
    public var fetchedAt: String
    public var dataset: String
    public var wabaID: String
    public var windowStart: String
    public var windowEnd: String
    public var page: Int

    public init(method: String = "GET", url: String, status: Int, responseHeaders: [HTTPHeader], fetchedAt: String,
                dataset: String, wabaID: String, windowStart: String, windowEnd: String, page: Int) {
        self.method = method; self.url = URLRedaction.redact(url); self.status = status
        self.responseHeaders = HTTPHeaders(responseHeaders).redacted.fields
        self.fetchedAt = fetchedAt; self.dataset = dataset; self.wabaID = wabaID
        self.windowStart = windowStart; self.windowEnd = windowEnd; self.page = page
    }
}

/// The manifest entry of one archived page (a row of `etl.raw_pages`).
public struct ArchivedPage: Sendable, Hashable, Codable {
    public var relativePath: String
    /// Lower-case hex SHA-256 of the stored (compressed) file: `sha256sum FILE` prints the same.
    public var sha256: String
    public var rawBytes: Int
    public var compressedBytes: Int
    public init(relativePath: String, sha256: String, rawBytes: Int, compressedBytes: Int) {
        self.relativePath = relativePath; self.sha256 = sha256
        self.rawBytes = rawBytes; self.compressedBytes = compressedBytes
    }
}

/// Errors of the archive; each names the file.
public enum ArchiveError: Error, Sendable, Equatable, CustomStringConvertible {
    case checksumMismatch(path: String, expected: String, actual: String)
    case corrupt(path: String, reason: String)
    case notFound(path: String)
    case io(path: String, reason: String)

    public var description: String {
        switch self {
        case .checksumMismatch(let p, let e, let a): return "\(p): checksum mismatch (expected sha256 \(e), found \(a))"
        case .corrupt(let p, let r): return "\(p): corrupt archive file: \(r)"
        case .notFound(let p): return "\(p): archive file not found"
        case .io(let p, let r): return "\(p): \(r)"
        }
    }
}

/// Durable, compressed storage of raw response bodies.
public protocol ArchiveStore: Sendable {
    /// Compresses and stores `body` under `key` atomically (temporary name, then rename), with the
    /// sidecar beside it. Returns the manifest entry. Overwrites an existing file at the same key.
    func write(_ body: [UInt8], sidecar: ArchiveSidecar, at key: ArchiveKey) throws -> ArchivedPage
    /// Reads back a body, verifying the stored file's SHA-256 first and the gzip stream after.
    /// Throws `ArchiveError` naming the file on any mismatch, truncation or corruption.
    func read(relativePath: String, expectedSHA256: String) throws -> [UInt8]
    /// Reads the sidecar stored beside the body at `relativePath` (replay rebuilds each page's
    /// request context from it).
    func readSidecar(relativePath: String) throws -> ArchiveSidecar
}

extension ArchiveKey {
    /// The sidecar path for a body path (`….json.gz` → `….meta.json`).
    public static func sidecarPath(forBody relativePath: String) -> String {
        relativePath.hasSuffix(".json.gz") ? String(relativePath.dropLast(8)) + ".meta.json" : relativePath + ".meta.json"
    }
}
