import Foundation

/// Headless Chromium (the Debian `chromium` package, installed by scripts/install-deps.sh) pointed at
/// a local file, with the network closed: every proxy request goes to 127.0.0.1:9 (discard, nothing
/// listens), the browser's background services are off, and a net log records every request made.
struct HeadlessChromium {
    /// What one load of a page produced.
    struct Load {
        /// The DOM after load (`--dump-dom`).
        var dom: String
        /// Chromium's own log (`--enable-logging=stderr --v=0`): console messages appear as `:CONSOLE`.
        var log: String
        /// Every URL in the net log (requests made or attempted).
        var requestedURLs: [String]
    }

    /// Chromium's own service endpoints that it contacts whatever the page holds; any other URL in the
    /// net log came from the page. (Font and CDN hosts are deliberately not here.)
    static let browserOwnHosts = ["clients2.google.com", "update.googleapis.com", "accounts.google.com", "redirector.gvt1.com"]

    static var executable: String? {
        ["/usr/bin/chromium", "/usr/bin/chromium-browser"].first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    let binary: String
    let work: URL

    init(work: URL) throws {
        guard let binary = Self.executable else {
            throw CocoaError(.fileNoSuchFile, userInfo: [NSLocalizedDescriptionKey: "chromium is not installed: run scripts/install-deps.sh (Debian package chromium)"])
        }
        self.binary = binary
        self.work = work
    }

    private func flags(_ tag: String) -> [String] {
        ["--headless", "--no-sandbox", "--disable-gpu", "--proxy-server=127.0.0.1:9", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-default-apps",
         "--disable-extensions", "--user-data-dir=\(work.appendingPathComponent("profile-\(tag)").path)"]
    }

    /// Loads `page` and returns its DOM, console log and requested URLs.
    func load(_ page: URL) throws -> Load {
        let net = work.appendingPathComponent("net.json")
        let r = try CLI.exec(binary, flags("dom") + ["--enable-logging=stderr", "--v=0", "--log-net-log=\(net.path)", "--dump-dom", page.absoluteString],
                             environment: ProcessInfo.processInfo.environment, cwd: work)
        let netLog = (try? String(contentsOf: net, encoding: .utf8)) ?? ""
        var urls = Set<String>()
        var rest = netLog[...]
        while let start = rest.range(of: "\"url\":\"") {
            rest = rest[start.upperBound...]
            guard let end = rest.firstIndex(of: "\"") else { break }
            urls.insert(String(rest[..<end]))
            rest = rest[end...]
        }
        return Load(dom: r.stdout, log: r.stderr, requestedURLs: urls.sorted())
    }

    /// Renders `page` to a PNG at `out`, `width` × `height` CSS pixels.
    func screenshot(_ page: URL, to out: URL, width: Int = 900, height: Int = 10_000) throws {
        _ = try CLI.exec(binary, flags("png") + ["--window-size=\(width),\(height)", "--screenshot=\(out.path)", page.absoluteString],
                         environment: ProcessInfo.processInfo.environment, cwd: work)
    }

    /// URLs of `requested` that the browser itself did not make (its own services) nor the file itself.
    static func pageRequests(_ requested: [String], page: URL) -> [String] {
        requested.filter { url in
            if url == page.absoluteString || url.hasPrefix(page.absoluteString + "#") { return false }
            guard let host = URL(string: url)?.host else { return true }
            return !browserOwnHosts.contains(host)
        }
    }
}
