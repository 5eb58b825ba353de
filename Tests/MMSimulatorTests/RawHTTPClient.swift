import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A deliberately small blocking HTTP/1.1 client over a raw socket, so tests see exactly what
/// the simulator sends (short bodies, held requests, bad JSON) without a library smoothing it over.
struct RawResponse {
    var status: Int
    var headers: [String: String]  // lower-cased names
    var body: [UInt8]
    /// Body shorter than Content-Length when the connection closed.
    var truncated: Bool
    var elapsed: Double

    var json: [String: Any]? {
        (try? JSONSerialization.jsonObject(with: Data(body))) as? [String: Any]
    }
    var text: String { String(decoding: body, as: UTF8.self) }
    var errorCode: Int? { (json?["error"] as? [String: Any])?["code"] as? Int }
}

struct RawHTTPError: Error, CustomStringConvertible {
    let description: String
}

enum RawHTTP {
    static let defaultToken = "test-token"

    /// GET `target` (a path+query, or an absolute http://127.0.0.1:PORT/... URL).
    static func get(port: Int, _ target: String, token: String? = defaultToken, headers: [String: String] = [:],
                    timeout: Double = 10) throws -> RawResponse {
        var path = target
        if target.hasPrefix("http://"), let r = target.dropFirst(7).firstIndex(of: "/") {
            path = String(target[r...])
        }
        let started = Date()
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw RawHTTPError(description: "socket failed") }
        defer { close(fd) }
        var tv = timeval(tv_sec: Int(timeout), tv_usec: Int((timeout - Double(Int(timeout))) * 1_000_000))
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = in_port_t(UInt16(port).bigEndian)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        let rc = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard rc == 0 else { throw RawHTTPError(description: "connect failed") }
        var req = "GET \(path) HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nConnection: close\r\n"
        if let token { req += "Authorization: Bearer \(token)\r\n" }
        for (k, v) in headers { req += "\(k): \(v)\r\n" }
        req += "\r\n"
        let bytes = Array(req.utf8)
        _ = bytes.withUnsafeBytes { send(fd, $0.baseAddress, $0.count, 0) }
        var data: [UInt8] = []
        var buf = [UInt8](repeating: 0, count: 65_536)
        while true {
            let n = buf.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if n > 0 { data.append(contentsOf: buf[0..<n]); continue }
            if n == 0 { break }
            if errno == EINTR { continue }
            throw RawHTTPError(description: "timed out after \(Date().timeIntervalSince(started))s (errno \(errno))")
        }
        guard let sep = find(data, Array("\r\n\r\n".utf8)) else {
            throw RawHTTPError(description: "no response head (\(data.count) bytes)")
        }
        let head = String(decoding: data[..<sep], as: UTF8.self).components(separatedBy: "\r\n")
        let statusParts = head[0].split(separator: " ")
        var hdrs: [String: String] = [:]
        for line in head.dropFirst() {
            if let c = line.firstIndex(of: ":") {
                hdrs[line[..<c].lowercased()] = line[line.index(after: c)...].trimmingCharacters(in: .whitespaces)
            }
        }
        let body = Array(data[(sep + 4)...])
        let expected = Int(hdrs["content-length"] ?? "") ?? body.count
        return RawResponse(status: Int(statusParts[1]) ?? 0, headers: hdrs, body: body, truncated: body.count < expected,
                           elapsed: Date().timeIntervalSince(started))
    }

    private static func find(_ hay: [UInt8], _ needle: [UInt8]) -> Int? {
        guard hay.count >= needle.count else { return nil }
        for i in 0...(hay.count - needle.count) where hay[i] == needle[0] && Array(hay[i..<(i + needle.count)]) == needle {
            return i
        }
        return nil
    }
}

/// Follows `paging.next` from `first` and returns every page's JSON.
func allPages(port: Int, _ first: String, key: String? = nil, maxPages: Int = 10_000) throws -> [[String: Any]] {
    var pages: [[String: Any]] = []
    var next: String? = first
    while let url = next, pages.count < maxPages {
        let r = try RawHTTP.get(port: port, url)
        guard r.status == 200, var obj = r.json else { throw RawHTTPError(description: "HTTP \(r.status): \(r.text)") }
        if let key, let inner = obj[key] as? [String: Any] { obj = inner }
        pages.append(obj)
        next = (obj["paging"] as? [String: Any])?["next"] as? String
    }
    return pages
}

/// The data points of a template/pricing analytics page.
func dataPoints(_ page: [String: Any]) -> [[String: Any]] {
    ((page["data"] as? [[String: Any]]) ?? []).flatMap { ($0["data_points"] as? [[String: Any]]) ?? [] }
}
