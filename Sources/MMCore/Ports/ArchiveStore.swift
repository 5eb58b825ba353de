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
    /// The request's full context (absent in sidecars written before it was recorded: replay then
    /// reads the context back from `url`).
    public var request: PageRequest?

    public init(method: String = "GET", url: String, status: Int, responseHeaders: [HTTPHeader], fetchedAt: String,
                dataset: String, wabaID: String, windowStart: String, windowEnd: String, page: Int, request: PageRequest? = nil) {
        self.method = method; self.url = URLRedaction.redact(url); self.status = status
        self.responseHeaders = HTTPHeaders(responseHeaders).redacted.fields
        self.fetchedAt = fetchedAt; self.dataset = dataset; self.wabaID = wabaID
        self.windowStart = windowStart; self.windowEnd = windowEnd; self.page = page; self.request = request
    }
}

/// What a page answered, in full, so that replay needs no URL parsing, and what `archive verify
/// --repair-manifest` needs to rebuild a lost manifest row and to prove a fetch complete.
public struct PageRequest: Sendable, Codable, Equatable {
    /// The fetch (`etl.fetches`) the page belongs to.
    public var fetchID: Int64
    /// Position of the page in its fetch, from 0, over all the fetch's requests.
    public var fetchPage: Int
    /// True on the fetch's last page: with pages 0…fetchPage all present, the set is complete.
    public var lastOfFetch: Bool
    /// The sub-window of this request (a slice's window may be split into several requests).
    public var requestStart: String
    public var requestEnd: String
    /// Template analytics: the product type asked for, the template batch, the timezone switch.
    public var productType: String?
    public var templateIDs: [String]?
    public var useWABATimezone: Bool?
    /// Pricing analytics: the granularity and the dimension set asked for.
    public var granularity: String?
    public var dimensions: [String]?

    public init(fetchID: Int64, fetchPage: Int, lastOfFetch: Bool, requestStart: String, requestEnd: String,
                productType: String? = nil, templateIDs: [String]? = nil, useWABATimezone: Bool? = nil,
                granularity: String? = nil, dimensions: [String]? = nil) {
        self.fetchID = fetchID; self.fetchPage = fetchPage; self.lastOfFetch = lastOfFetch
        self.requestStart = requestStart; self.requestEnd = requestEnd; self.productType = productType
        self.templateIDs = templateIDs; self.useWABATimezone = useWABATimezone
        self.granularity = granularity; self.dimensions = dimensions
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
