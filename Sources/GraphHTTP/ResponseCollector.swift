import CCurl
import MMCore
import Synchronization

/// Accumulates one transfer's body and headers from libcurl's callbacks.
///
/// Touched only by the thread running `curl_easy_perform` for the transfer (the callbacks run on
/// it), then read by the same thread once the perform returns: no locking needed.
final class ResponseCollector {
    private(set) var body: [UInt8] = []
    /// Headers of the latest response block: a new status line (after `100 Continue`, a proxy's
    /// `CONNECT` answer or a redirect) discards the previous block.
    private(set) var headers: [HTTPHeader] = []
    let cancellation: CancellationFlag
    /// Largest decoded body accepted; past it the write callback stops the transfer.
    let maxBodyBytes: Int
    /// Set when the decoded body passed `maxBodyBytes` (the transfer was stopped there).
    private(set) var oversize = false

    init(cancellation: CancellationFlag, maxBodyBytes: Int = .max) {
        self.cancellation = cancellation
        self.maxBodyBytes = maxBodyBytes
    }

    /// Appends decoded body bytes; false (stop the transfer) when the body would pass the cap.
    func appendBody(_ bytes: UnsafeRawBufferPointer) -> Bool {
        guard bytes.count <= maxBodyBytes - body.count else {
            oversize = true
            return false
        }
        body.append(contentsOf: bytes)
        return true
    }

    /// Handles one header line as libcurl delivers it (terminated by CRLF, status line included).
    func appendHeaderLine(_ raw: UnsafeRawBufferPointer) {
        var line = raw[...]
        while let last = line.last, last == UInt8(ascii: "\r") || last == UInt8(ascii: "\n") { line = line.dropLast() }
        if line.isEmpty { return }  // end of a block
        if line.starts(with: "HTTP/".utf8) {  // a new response block starts
            headers.removeAll(keepingCapacity: true)
            return
        }
        if let first = line.first, first == UInt8(ascii: " ") || first == UInt8(ascii: "\t") {
            // obsolete line folding: continues the previous value
            if !headers.isEmpty {
                headers[headers.count - 1].value += " " + String(decoding: line, as: UTF8.self).trimmingWhitespace()
            }
            return
        }
        guard let colon = line.firstIndex(of: UInt8(ascii: ":")) else { return }
        let name = String(decoding: line[..<colon], as: UTF8.self).trimmingWhitespace()
        let value = String(decoding: line[(colon + 1)...], as: UTF8.self).trimmingWhitespace()
        headers.append(HTTPHeader(name, value))
    }
}

/// Set when the awaiting task is cancelled; the transfer's progress callback then aborts it.
final class CancellationFlag: Sendable {
    private let flag = Atomic<Bool>(false)
    func cancel() { flag.store(true, ordering: .relaxed) }
    var isCancelled: Bool { flag.load(ordering: .relaxed) }
}

// MARK: - C callbacks (no captures: the collector travels as `Unmanaged` userdata)

let curlWriteCallback: @convention(c) (UnsafeMutablePointer<CChar>?, Int, Int, UnsafeMutableRawPointer?) -> Int = {
    ptr, size, count, userdata in
    guard let userdata else { return 0 }
    let total = size * count
    let collector = Unmanaged<ResponseCollector>.fromOpaque(userdata).takeUnretainedValue()
    // Returning less than `total` makes libcurl abort the transfer with CURLE_WRITE_ERROR.
    if total > 0, let ptr, !collector.appendBody(UnsafeRawBufferPointer(start: ptr, count: total)) { return 0 }
    return total
}

let curlHeaderCallback: @convention(c) (UnsafeMutablePointer<CChar>?, Int, Int, UnsafeMutableRawPointer?) -> Int = {
    ptr, size, count, userdata in
    guard let userdata else { return 0 }
    let total = size * count
    let collector = Unmanaged<ResponseCollector>.fromOpaque(userdata).takeUnretainedValue()
    if total > 0, let ptr { collector.appendHeaderLine(UnsafeRawBufferPointer(start: ptr, count: total)) }
    return total
}

/// Returning non-zero makes libcurl abort the transfer with `CURLE_ABORTED_BY_CALLBACK`.
let curlProgressCallback: @convention(c) (UnsafeMutableRawPointer?, curl_off_t, curl_off_t, curl_off_t, curl_off_t) -> Int32 = {
    userdata, _, _, _, _ in
    guard let userdata else { return 0 }
    let collector = Unmanaged<ResponseCollector>.fromOpaque(userdata).takeUnretainedValue()
    return collector.cancellation.isCancelled ? 1 : 0
}
