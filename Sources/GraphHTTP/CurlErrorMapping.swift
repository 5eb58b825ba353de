import CCurl
import MMCore

/// Turns a failed `curl_easy_perform` into a `TransportError` whose message is safe to log.
enum CurlErrorMapping {
    /// libcurl's fixed message for `code`.
    static func strerror(_ code: CURLcode) -> String { String(cString: curl_easy_strerror(code)) }

    /// Classifies `code` (SPEC: timeout / connect / truncated / other) and builds the message from
    /// `curl_easy_strerror` plus libcurl's error buffer, with every secret of `request` removed.
    static func transportError(_ code: CURLcode, detail: String, request: HTTPRequest) -> TransportError {
        let base = strerror(code)
        let trimmedDetail = detail.trimmingWhitespace()
        let raw = trimmedDetail.isEmpty || trimmedDetail == base ? base : "\(base): \(trimmedDetail)"
        let message = SecretScrubber(request: request).scrub(raw)
        switch code {
        case CURLE_OPERATION_TIMEDOUT:
            return .timeout(message)
        case CURLE_COULDNT_CONNECT, CURLE_COULDNT_RESOLVE_HOST, CURLE_COULDNT_RESOLVE_PROXY,
             CURLE_SSL_CONNECT_ERROR, CURLE_PEER_FAILED_VERIFICATION:
            return .connectFailed(message)
        case CURLE_PARTIAL_FILE, CURLE_BAD_CONTENT_ENCODING, CURLE_RECV_ERROR, CURLE_GOT_NOTHING:
            return .truncated(message)
        default:
            return .other(message)
        }
    }
}

/// Removes a request's secrets (URL query, header values) from a message before it leaves the adapter.
///
/// libcurl's messages normally name only the host and port, but the error buffer is free text, so
/// anything that could carry the token or `appsecret_proof` is replaced by `<redacted>` regardless.
struct SecretScrubber {
    private let secrets: [String]

    init(request: HTTPRequest) {
        var secrets: [String] = [request.url]
        if let q = request.url.firstIndex(of: "?") {
            let query = request.url[request.url.index(after: q)...]
            secrets.append(String(query))
            for pair in query.split(separator: "&") {
                let parts = pair.split(separator: "=", maxSplits: 1)
                if parts.count == 2 { secrets.append(String(parts[1])) }
            }
        }
        for header in request.headers {
            secrets.append(header.value)
            // `Bearer <token>`: the token alone must go too.
            if let space = header.value.firstIndex(of: " ") {
                secrets.append(String(header.value[header.value.index(after: space)...]))
            }
        }
        // Longest first so a secret containing another is removed whole; tiny values are not secrets
        // and would only mangle the message.
        self.secrets = Array(Set(secrets.filter { $0.count >= 4 })).sorted { $0.count > $1.count }
    }

    func scrub(_ message: String) -> String {
        var out = message
        for secret in secrets where out.contains(secret) {
            out = out.replacingAll(secret, with: "<redacted>")
        }
        return out
    }
}

extension String {
    /// `self` without leading/trailing spaces, tabs, CR and LF.
    func trimmingWhitespace() -> String {
        let ws: Set<Character> = [" ", "\t", "\r", "\n"]
        var s = Substring(self)
        while let f = s.first, ws.contains(f) { s = s.dropFirst() }
        while let l = s.last, ws.contains(l) { s = s.dropLast() }
        return String(s)
    }

    /// Every occurrence of `target` replaced (without Foundation).
    func replacingAll(_ target: String, with replacement: String) -> String {
        guard !target.isEmpty else { return self }
        var result = ""
        var rest = Substring(self)
        while let range = rest.firstRange(of: target) {
            result += rest[..<range.lowerBound]
            result += replacement
            rest = rest[range.upperBound...]
        }
        result += rest
        return result
    }
}
