/// What one exchange (or, summed, a transport's lifetime) moved over the wire, for run statistics.
public struct TransferStats: Sendable, Hashable {
    /// Completed exchanges (any HTTP status).
    public var requests: Int
    /// Body bytes as received on the wire, before content decoding (`CURLINFO_SIZE_DOWNLOAD_T`).
    public var wireBodyBytes: Int
    /// Body bytes after content decoding: what `HTTPResponse.body` holds.
    public var decodedBodyBytes: Int
    /// Response header bytes (`CURLINFO_HEADER_SIZE`).
    public var headerBytes: Int
    /// New connections opened (`CURLINFO_NUM_CONNECTS`); 0 when a kept-alive connection was reused.
    public var newConnections: Int
    /// Wall time spent in the exchanges, in seconds (`CURLINFO_TOTAL_TIME`).
    public var totalSeconds: Double

    public init(requests: Int = 0, wireBodyBytes: Int = 0, decodedBodyBytes: Int = 0, headerBytes: Int = 0,
                newConnections: Int = 0, totalSeconds: Double = 0) {
        self.requests = requests; self.wireBodyBytes = wireBodyBytes; self.decodedBodyBytes = decodedBodyBytes
        self.headerBytes = headerBytes; self.newConnections = newConnections; self.totalSeconds = totalSeconds
    }

    /// Field-wise sum.
    public static func + (a: TransferStats, b: TransferStats) -> TransferStats {
        TransferStats(requests: a.requests + b.requests, wireBodyBytes: a.wireBodyBytes + b.wireBodyBytes,
                      decodedBodyBytes: a.decodedBodyBytes + b.decodedBodyBytes,
                      headerBytes: a.headerBytes + b.headerBytes,
                      newConnections: a.newConnections + b.newConnections,
                      totalSeconds: a.totalSeconds + b.totalSeconds)
    }
}
