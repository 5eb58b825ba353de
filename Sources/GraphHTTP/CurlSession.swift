import CCurl
import Dispatch
import MMCore

/// One libcurl easy handle and the thread that drives it.
///
/// The handle keeps its connection (and DNS / TLS session caches) between requests, which is what
/// gives keep-alive. `curl_easy_perform` blocks, so it runs on this session's own serial dispatch
/// queue — never on Swift's cooperative pool — and the awaiting task resumes from a continuation.
///
/// Invariant: a session is used by at most one request at a time (the pool hands it to one
/// borrower), and the handle is only touched on `queue`; hence `@unchecked Sendable`.
final class CurlSession: @unchecked Sendable {
    private let handle: UnsafeMutableRawPointer
    private let queue: DispatchQueue
    private let errorBuffer: UnsafeMutablePointer<CChar>
    private let errorBufferSize: Int

    /// Returns nil when `curl_easy_init` fails (out of memory).
    init?(label: String) {
        guard let handle = curl_easy_init() else { return nil }
        self.handle = handle
        self.queue = DispatchQueue(label: label)
        self.errorBufferSize = Int(mm_curl_error_size())
        self.errorBuffer = .allocate(capacity: errorBufferSize)
        self.errorBuffer.initialize(repeating: 0, count: errorBufferSize)
    }

    deinit {
        curl_easy_cleanup(handle)
        errorBuffer.deallocate()
    }

    /// Performs `request` on this session's thread. Cancelling the calling task aborts the transfer
    /// at libcurl's next progress tick and throws `CancellationError`.
    func perform(_ request: HTTPRequest, userAgent: String) async throws -> (HTTPResponse, TransferStats) {
        let cancellation = CancellationFlag()
        let result: Result<(HTTPResponse, TransferStats), any Error> = await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                queue.async {
                    continuation.resume(returning: Result {
                        try self.performBlocking(request, userAgent: userAgent, cancellation: cancellation)
                    })
                }
            }
        } onCancel: {
            cancellation.cancel()
        }
        return try result.get()
    }

    /// The blocking exchange. Runs on `queue` only.
    private func performBlocking(_ request: HTTPRequest, userAgent: String,
                                 cancellation: CancellationFlag) throws -> (HTTPResponse, TransferStats) {
        if cancellation.isCancelled { throw CancellationError() }
        // Forget the previous request's options; live connections and caches survive a reset.
        curl_easy_reset(handle)
        errorBuffer[0] = 0

        var headerList: UnsafeMutablePointer<curl_slist>? = nil
        defer { curl_slist_free_all(headerList) }
        for header in request.headers {
            headerList = curl_slist_append(headerList, try Self.headerLine(header))
            if headerList == nil { throw TransportError.other("out of memory building the request headers") }
        }

        let collector = ResponseCollector(cancellation: cancellation, maxBodyBytes: request.maxBodyBytes)
        let userdata = Unmanaged.passUnretained(collector).toOpaque()
        try withExtendedLifetime(collector) {
            var options = OptionSetter(handle: handle)
            options.string(CURLOPT_URL, request.url, "URL")
            options.long(CURLOPT_HTTPGET, 1, "HTTPGET")
            options.slist(CURLOPT_HTTPHEADER, headerList, "HTTPHEADER")
            options.string(CURLOPT_USERAGENT, userAgent, "USERAGENT")
            options.string(CURLOPT_ACCEPT_ENCODING, "", "ACCEPT_ENCODING")  // gzip/deflate, decoded by curl
            options.long(CURLOPT_CONNECTTIMEOUT_MS, Self.milliseconds(request.connectTimeout), "CONNECTTIMEOUT_MS")
            options.long(CURLOPT_TIMEOUT_MS, Self.milliseconds(request.timeout), "TIMEOUT_MS")
            options.long(CURLOPT_NOSIGNAL, 1, "NOSIGNAL")
            options.long(CURLOPT_FOLLOWLOCATION, 0, "FOLLOWLOCATION")
            options.long(CURLOPT_TCP_KEEPALIVE, 1, "TCP_KEEPALIVE")
            options.string(CURLOPT_PROTOCOLS_STR, "http,https", "PROTOCOLS_STR")
            options.pointer(CURLOPT_ERRORBUFFER, UnsafeMutableRawPointer(errorBuffer), "ERRORBUFFER")
            options.callback(CURLOPT_WRITEFUNCTION, curlWriteCallback, "WRITEFUNCTION")
            options.pointer(CURLOPT_WRITEDATA, userdata, "WRITEDATA")
            options.callback(CURLOPT_HEADERFUNCTION, curlHeaderCallback, "HEADERFUNCTION")
            options.pointer(CURLOPT_HEADERDATA, userdata, "HEADERDATA")
            options.long(CURLOPT_NOPROGRESS, 0, "NOPROGRESS")
            options.record(mm_curl_setopt_xferinfo_cb(handle, curlProgressCallback), "XFERINFOFUNCTION")
            options.pointer(CURLOPT_XFERINFODATA, userdata, "XFERINFODATA")
            // TLS verification and proxy settings keep libcurl's defaults (verify on; *_proxy env honoured).
            if let failure = options.failure {
                throw TransportError.other("curl_easy_setopt(\(failure.option)) failed: \(CurlErrorMapping.strerror(failure.code))")
            }

            let code = curl_easy_perform(handle)
            if code != CURLE_OK {
                if code == CURLE_ABORTED_BY_CALLBACK && cancellation.isCancelled { throw CancellationError() }
                if collector.oversize {
                    throw TransportError.tooLarge("the decoded response body passed \(request.maxBodyBytes) bytes (graph.max_body_megabytes); transfer stopped")
                }
                let detail = String(cString: errorBuffer)
                throw CurlErrorMapping.transportError(code, detail: detail, request: request)
            }
        }

        var status = 0
        var response = 0
        if mm_curl_getinfo_long(handle, CURLINFO_RESPONSE_CODE, &response) == CURLE_OK { status = response }
        let body = collector.body
        let stats = TransferStats(requests: 1,
                                  wireBodyBytes: Int(infoOffT(CURLINFO_SIZE_DOWNLOAD_T)),
                                  decodedBodyBytes: body.count,
                                  headerBytes: infoLong(CURLINFO_HEADER_SIZE),
                                  newConnections: infoLong(CURLINFO_NUM_CONNECTS),
                                  totalSeconds: infoDouble(CURLINFO_TOTAL_TIME))
        return (HTTPResponse(status: status, headers: HTTPHeaders(collector.headers), body: body), stats)
    }

    private func infoLong(_ info: CURLINFO) -> Int {
        var v = 0
        return mm_curl_getinfo_long(handle, info, &v) == CURLE_OK ? v : 0
    }
    private func infoOffT(_ info: CURLINFO) -> curl_off_t {
        var v: curl_off_t = 0
        return mm_curl_getinfo_off_t(handle, info, &v) == CURLE_OK ? v : 0
    }
    private func infoDouble(_ info: CURLINFO) -> Double {
        var v = 0.0
        return mm_curl_getinfo_double(handle, info, &v) == CURLE_OK ? v : 0
    }

    /// `Name: value` for `CURLOPT_HTTPHEADER`. An empty value needs `Name;` (plain `Name:` would
    /// remove the header). CR/LF would inject headers, so they are refused — without echoing the value.
    static func headerLine(_ header: HTTPHeader) throws -> String {
        // Checked on bytes: "\r\n" is a single `Character`, equal to neither "\r" nor "\n".
        let forbidden: (UInt8) -> Bool = { $0 == 0x0d || $0 == 0x0a || $0 == 0 }
        guard !header.name.isEmpty, !header.name.utf8.contains(where: forbidden), !header.name.contains(":"),
              !header.value.utf8.contains(where: forbidden) else {
            let safeName = String(decoding: header.name.utf8.filter { !forbidden($0) }.prefix(64), as: UTF8.self)
            throw TransportError.other("invalid request header \(safeName): name or value contains CR, LF or NUL")
        }
        return header.value.isEmpty ? "\(header.name);" : "\(header.name): \(header.value)"
    }

    /// `duration` in whole milliseconds for libcurl, at least 1 (0 would mean "no limit").
    static func milliseconds(_ duration: Duration) -> Int {
        let (seconds, attoseconds) = duration.components
        let ms = Double(seconds) * 1000 + Double(attoseconds) / 1e15
        return max(1, Int(min(ms.rounded(.up), Double(Int32.max))))
    }
}

/// Applies options, remembering the first failure so the caller throws once.
private struct OptionSetter {
    let handle: UnsafeMutableRawPointer
    var failure: (option: String, code: CURLcode)?

    init(handle: UnsafeMutableRawPointer) { self.handle = handle }

    mutating func record(_ code: CURLcode, _ name: String) {
        if code != CURLE_OK && failure == nil { failure = (name, code) }
    }
    mutating func long(_ o: CURLoption, _ v: Int, _ name: String) { record(mm_curl_setopt_long(handle, o, v), name) }
    /// libcurl copies string options, so Swift's temporary C string is enough.
    mutating func string(_ o: CURLoption, _ v: String, _ name: String) { record(mm_curl_setopt_string(handle, o, v), name) }
    mutating func pointer(_ o: CURLoption, _ v: UnsafeMutableRawPointer?, _ name: String) { record(mm_curl_setopt_pointer(handle, o, v), name) }
    mutating func slist(_ o: CURLoption, _ v: UnsafeMutablePointer<curl_slist>?, _ name: String) { record(mm_curl_setopt_slist(handle, o, v), name) }
    mutating func callback(_ o: CURLoption, _ cb: mm_curl_write_cb, _ name: String) { record(mm_curl_setopt_write_cb(handle, o, cb), name) }
}
