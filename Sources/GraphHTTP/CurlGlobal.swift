import CCurl
import MMCore

/// Process-wide libcurl initialisation, performed exactly once.
///
/// `curl_global_init` is not thread-safe in libcurl 7.88, so it runs inside a Swift `static let`
/// initialiser (which the runtime guarantees runs once, under a lock) before any easy handle exists.
enum CurlGlobal {
    private static let initResult: CURLcode = curl_global_init(mm_curl_global_all())

    /// Initialises libcurl if that has not happened yet.
    /// - Throws: `TransportError.other` if `curl_global_init` failed.
    static func ensureInitialized() throws(TransportError) {
        let code = initResult
        guard code == CURLE_OK else {
            throw .other("curl_global_init failed: \(CurlErrorMapping.strerror(code))")
        }
    }

    /// The linked libcurl's version string, e.g. `libcurl/7.88.1 OpenSSL/3.0.11 zlib/1.2.13`.
    static var versionString: String { String(cString: curl_version()) }
}
