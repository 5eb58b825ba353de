import Foundation
import MMCore
#if canImport(Glibc)
import Glibc
#endif

/// What the test server received.
struct RecordedRequest: Sendable {
    var method: String
    /// Path with query, as sent.
    var target: String
    var headers: HTTPHeaders
    var path: String { String(target.prefix { $0 != "?" }) }
}

/// What the test server sends back.
struct CannedResponse: Sendable {
    var status = 200
    var headers: [HTTPHeader] = []
    var body: [UInt8] = []
    /// Wait this long before answering (in small slices, so `stop()` is not held up).
    var delayMilliseconds = 0
    /// Overrides `Content-Length` (e.g. declare more than is sent, then close).
    var declaredLength: Int?
    /// Close the connection after the response.
    var close = false
    /// Raw bytes sent before the status line (e.g. an informational `1xx` block).
    var preamble: [UInt8] = []

    static func json(_ text: String, status: Int = 200) -> CannedResponse {
        CannedResponse(status: status, headers: [HTTPHeader("Content-Type", "application/json")], body: Array(text.utf8))
    }
}

/// A tiny HTTP/1.1 server on 127.0.0.1 (POSIX sockets, one thread per connection, keep-alive),
/// for testing the transport against real sockets. Bounded: it serves until `stop()`.
final class LoopbackHTTPServer: @unchecked Sendable {
    typealias Handler = @Sendable (RecordedRequest) -> CannedResponse

    let port: Int
    private let listenFD: Int32
    private let handler: Handler
    private let lock = NSLock()
    private var stopped = false
    private var _accepted = 0
    private var inFlight = 0
    private var _peakInFlight = 0
    private var firstArrival: ContinuousClock.Instant?
    private var lastResponse: ContinuousClock.Instant?
    private var _hangups: [Duration] = []
    private var _hangupInstants: [ContinuousClock.Instant] = []
    private var _requests: [RecordedRequest] = []
    private let acceptLoopDone = DispatchSemaphore(value: 0)
    /// Written once by `stop()` and never read, so it stays readable and wakes every `poll`.
    private let wakeRead: Int32
    private let wakeWrite: Int32

    var baseURL: String { "http://127.0.0.1:\(port)" }
    /// TCP connections accepted so far.
    var acceptedConnections: Int { lock.withLock { _accepted } }
    var requests: [RecordedRequest] { lock.withLock { _requests } }
    /// Most requests being handled at the same moment (arrived, response not yet sent).
    var peakInFlight: Int { lock.withLock { _peakInFlight } }
    /// For each client that hung up while its response was delayed: how long after the request arrived.
    var hangups: [Duration] { lock.withLock { _hangups } }
    /// When each of those hang-ups was noticed.
    var hangupInstants: [ContinuousClock.Instant] { lock.withLock { _hangupInstants } }
    /// From the first request's arrival to the last response's dispatch.
    var busySpan: Duration? { lock.withLock { firstArrival.flatMap { f in lastResponse.map { $0 - f } } } }

    init(handler: @escaping Handler) throws {
        self.handler = handler
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw ServerError("socket: \(errno)") }
        var one: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0  // any free port
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0, listen(fd, 64) == 0 else { close(fd); throw ServerError("bind/listen: \(errno)") }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        self.port = Int(UInt16(bigEndian: address.sin_port))
        self.listenFD = fd
        var pipeFDs: [Int32] = [0, 0]
        guard pipe(&pipeFDs) == 0 else { close(fd); throw ServerError("pipe: \(errno)") }
        (wakeRead, wakeWrite) = (pipeFDs[0], pipeFDs[1])
        Thread.detachNewThread { [self] in acceptLoop() }
    }

    /// Stops accepting, disconnects every client and waits for the accept loop to end.
    func stop() {
        let first: Bool = lock.withLock {
            if stopped { return false }
            stopped = true
            return true
        }
        guard first else { return }
        var byte: UInt8 = 1
        _ = write(wakeWrite, &byte, 1)  // wakes the accept loop and every serving thread, which close their sockets
        _ = acceptLoopDone.wait(timeout: .now() + 5)
        close(listenFD)
        // Client sockets are deliberately not touched here: their threads close them, and a descriptor
        // number closed there may already belong to another test's connection.
    }

    deinit {
        stop()
        close(wakeRead)
        close(wakeWrite)
    }

    /// Waits until `fd` is readable; false once the server is stopping.
    private func waitReadable(_ fd: Int32) -> Bool {
        var fds = [pollfd(fd: fd, events: Int16(POLLIN), revents: 0), pollfd(fd: wakeRead, events: Int16(POLLIN), revents: 0)]
        while true {
            let n = poll(&fds, 2, -1)
            if n < 0 && errno == EINTR { continue }
            if n < 0 || fds[1].revents != 0 { return false }
            if fds[0].revents != 0 { return true }
        }
    }

    private var isStopped: Bool { lock.withLock { stopped } }

    private func acceptLoop() {
        defer { acceptLoopDone.signal() }
        while waitReadable(listenFD) {
            let fd = accept(listenFD, nil, nil)
            if fd < 0 {
                if errno == EINTR || errno == EAGAIN { continue }
                return
            }
            let keep: Bool = lock.withLock {
                if stopped { return false }
                _accepted += 1
                return true
            }
            guard keep else { close(fd); return }
            Thread.detachNewThread { [self] in serve(fd) }
        }
    }

    private func serve(_ fd: Int32) {
        defer { close(fd) }
        var buffer: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        let terminator: [UInt8] = Array("\r\n\r\n".utf8)
        while true {
            var headEnd = buffer.firstRange(of: terminator)
            while headEnd == nil {
                guard waitReadable(fd) else { return }
                let n = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
                if n <= 0 { return }
                buffer.append(contentsOf: chunk[..<n])
                headEnd = buffer.firstRange(of: terminator)
            }
            let head = String(decoding: buffer[..<headEnd!.lowerBound], as: UTF8.self)
            buffer.removeSubrange(..<headEnd!.upperBound)
            guard let request = Self.parse(head) else { return }
            let arrival = ContinuousClock.now
            lock.withLock {
                _requests.append(request)
                if firstArrival == nil { firstArrival = arrival }
                inFlight += 1
                _peakInFlight = max(_peakInFlight, inFlight)
            }
            let response = handler(request)
            let hungUp = delay(until: arrival + .milliseconds(response.delayMilliseconds), watching: fd)
            lock.withLock {
                inFlight -= 1
                lastResponse = .now
                if hungUp {
                    _hangups.append(.now - arrival)
                    _hangupInstants.append(.now)
                }
            }
            if hungUp || isStopped { return }
            guard sendAll(fd, Self.encode(response)) else { return }
            if response.close { return }
        }
    }

    /// Sleeps until `deadline` in 10 ms polls of `fd`; returns true early if the client closed the
    /// connection (timeout or cancellation on its side). Also ends when the server stops.
    private func delay(until deadline: ContinuousClock.Instant, watching fd: Int32) -> Bool {
        while ContinuousClock.now < deadline && !isStopped {
            var p = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            guard poll(&p, 1, 10) > 0 else { continue }
            var byte: UInt8 = 0
            let n = recv(fd, &byte, 1, Int32(MSG_PEEK | MSG_DONTWAIT))
            if n == 0 || (n < 0 && errno != EAGAIN && errno != EINTR) { return true }
            if n > 0 { usleep(10_000) }  // a pipelined request: not a hang-up
        }
        return false
    }

    private func sendAll(_ fd: Int32, _ bytes: [UInt8]) -> Bool {
        var sent = 0
        while sent < bytes.count {
            let n = bytes.withUnsafeBytes { send(fd, $0.baseAddress! + sent, $0.count - sent, Int32(MSG_NOSIGNAL)) }
            if n <= 0 { return false }
            sent += n
        }
        return true
    }

    private static func parse(_ head: String) -> RecordedRequest? {
        let lines = head.components(separatedBy: "\r\n")
        let parts = lines[0].split(separator: " ")
        guard parts.count == 3 else { return nil }
        var headers = HTTPHeaders()
        for line in lines.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers.add(String(line[..<colon]), line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces))
        }
        return RecordedRequest(method: String(parts[0]), target: String(parts[1]), headers: headers)
    }

    private static func encode(_ r: CannedResponse) -> [UInt8] {
        var head = "HTTP/1.1 \(r.status) \(reason(r.status))\r\n"
        for h in r.headers { head += "\(h.name): \(h.value)\r\n" }
        head += "Content-Length: \(r.declaredLength ?? r.body.count)\r\n"
        if r.close { head += "Connection: close\r\n" }
        head += "\r\n"
        return r.preamble + Array(head.utf8) + r.body
    }

    private static func reason(_ status: Int) -> String {
        switch status {
        case 200: "OK"
        case 429: "Too Many Requests"
        case 500: "Internal Server Error"
        default: "Status"
        }
    }

    struct ServerError: Error, CustomStringConvertible {
        let description: String
        init(_ d: String) { description = d }
    }
}

/// A port on 127.0.0.1 that refuses connections: bound but not listening, and held while this
/// object lives so no other test's server can take it.
final class RefusingPort: @unchecked Sendable {
    let port: Int
    private let fd: Int32

    init() throws {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard fd >= 0, bound == 0 else { close(fd); throw LoopbackHTTPServer.ServerError("bind: \(errno)") }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        self.fd = fd
        self.port = Int(UInt16(bigEndian: address.sin_port))
    }

    deinit { close(fd) }
}

/// `bytes` gzip-compressed by the system `gzip` (independent of the code under test).
func systemGzip(_ bytes: [UInt8]) throws -> [UInt8] {
    let path = NSTemporaryDirectory() + "mmetl-http-gzip-" + UUID().uuidString
    defer { try? FileManager.default.removeItem(atPath: path) }
    try Data(bytes).write(to: URL(fileURLWithPath: path))
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/bin/gzip")
    process.arguments = ["-c", "-n", path]
    let pipe = Pipe()
    process.standardOutput = pipe
    try process.run()
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return [UInt8](data)
}
