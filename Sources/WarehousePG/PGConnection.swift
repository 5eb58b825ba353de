import CLibPQ
import Foundation
import Logging

/// One libpq connection, used with blocking calls.
///
/// Ownership: one owner at a time (a run, a test, a worker thread). Calls are serialized by a
/// recursive lock so accidental sharing cannot corrupt libpq state, but interleaving work from
/// two threads on one connection still mixes their transactions: give each thread its own.
/// The handle is closed with `PQfinish` in `deinit` (or earlier with `close()`).
///
/// Blocking: every call blocks the calling thread on the network. From async code, run it on a
/// thread you own rather than on the cooperative pool.
public final class PGConnection: @unchecked Sendable {
    /// The libpq handle; valid until `close()`/`deinit`. Only touched while holding `lock`.
    private var handle: OpaquePointer?
    let lock = NSRecursiveLock()
    private let notices: NoticeSink
    /// "db mmetl as loader on 127.0.0.1:5432" — for messages; never contains a password.
    public let target: String
    /// `PQserverVersion`, e.g. 150018 for 15.18.
    public let serverVersion: Int
    var savepointDepth = 0

    /// Connects with a libpq URI (`postgresql://user@host:5432/db?sslmode=require`), a
    /// keyword/value string (`host=… dbname=…`), a bare database name, or the empty string (then
    /// the `PG*` environment variables, `~/.pgpass` and service files decide, as for `psql`).
    ///
    /// The session uses client_encoding UTF8 and `fallback_application_name=mmetl`. Notices
    /// (e.g. "relation already exists, skipping") go to `logger` at debug level, warnings at
    /// warning level, or nowhere without a logger.
    ///
    /// - Throws: `PGError` of kind `.connection` naming host, database and user — never the password.
    public init(_ conninfo: String = "", logger: Logger? = nil, connectTimeoutSeconds: Int = 10) throws {
        notices = NoticeSink(logger: logger)
        let keywords = ["connect_timeout", "fallback_application_name", "dbname", "client_encoding"]
        let values = [String(connectTimeoutSeconds), "mmetl", conninfo, "UTF8"]
        let conn = Self.connect(keywords: keywords, values: values)
        guard let conn else {
            throw PGError(kind: .connection, message: "out of memory allocating a connection",
                          context: "connecting to PostgreSQL")
        }
        let target = Self.describeTarget(conn)
        guard PQstatus(conn) == CONNECTION_OK else {
            let message = String(cString: PQerrorMessage(conn)).trimmingTrailingNewlines
            PQfinish(conn)
            throw PGError(kind: .connection, message: message, context: "connecting to \(target)")
        }
        handle = conn
        self.target = target
        serverVersion = Int(PQserverVersion(conn))
        PQsetNoticeReceiver(conn, noticeReceiver, Unmanaged.passUnretained(notices).toOpaque())
    }

    deinit {
        if let handle { PQfinish(handle) }
    }

    /// Closes the connection now; later calls throw. Idempotent.
    public func close() {
        lock.lock()
        defer { lock.unlock() }
        if let handle { PQfinish(handle) }
        handle = nil
    }

    /// False once closed or when libpq reports the connection broken.
    public var isConnected: Bool {
        lock.lock()
        defer { lock.unlock() }
        guard let handle else { return false }
        return PQstatus(handle) == CONNECTION_OK
    }

    /// The options in effect (keyword → value, including ones from the environment and
    /// defaults). Contains the password when one was given: never log it.
    public func effectiveOptions() throws -> [String: String] {
        try withHandle(context: "reading connection options") { conn in
            guard let options = PQconninfo(conn) else { return [:] }
            defer { PQconninfoFree(options) }
            return PGConninfo.collect(options)
        }
    }

    // MARK: - Commands

    /// Runs a script of one or more statements (simple query protocol; no parameters). Multiple
    /// statements outside an explicit transaction run as one implicit transaction.
    ///
    /// - Throws: `PGError` with the server's SQLSTATE, message, detail and hint.
    public func execute(_ sql: String) throws {
        try withHandle(context: "running SQL") { conn in
            let result = PQexec(conn, sql)
            _ = try checkResult(result, conn: conn, context: summarize(sql))
        }
    }

    /// Runs one statement with `$1…$n` parameters sent separately in text format (`nil` is NULL;
    /// a NUL character becomes U+FFFD, the same rule as COPY — see `PGCopyText`)
    /// and returns its rows (empty for commands; see `PGRows.affectedRows`).
    @discardableResult
    public func query(_ sql: String, _ params: [(any PGValue)?] = []) throws -> PGRows {
        try withHandle(context: "running SQL") { conn in
            let texts = params.map { $0.map { PGText.replacingNUL($0.pgText) } }
            let result = withCStrings(texts) { pointers in
                PQexecParams(conn, sql, Int32(pointers.count), nil, pointers, nil, nil, 0)
            }
            return try checkResult(result, conn: conn, context: summarize(sql))
        }
    }

    // MARK: - Internals

    /// Runs `body` with the open handle under the lock; throws when closed.
    func withHandle<T>(context: String, _ body: (OpaquePointer) throws -> T) throws -> T {
        lock.lock()
        defer { lock.unlock() }
        guard let handle else {
            throw PGError(kind: .connection, message: "connection is closed", context: "\(context) on \(target)")
        }
        return try body(handle)
    }

    /// Turns a result into `PGRows`, or clears it and throws for an error status.
    func checkResult(_ result: OpaquePointer?, conn: OpaquePointer, context: String) throws -> PGRows {
        guard let result else {
            throw connectionError(conn, context: context)
        }
        let status = PQresultStatus(result)
        switch status {
        case PGRES_COMMAND_OK, PGRES_TUPLES_OK, PGRES_EMPTY_QUERY, PGRES_SINGLE_TUPLE:
            return PGRows(taking: result)
        default:
            let error = resultError(result, conn: conn, context: context)
            PQclear(result)
            throw error
        }
    }

    /// The error of a failed result (clears nothing).
    func resultError(_ result: OpaquePointer, conn: OpaquePointer, context: String, kind: PGError.Kind = .server) -> PGError {
        func field(_ code: Character) -> String? {
            guard let value = PQresultErrorField(result, Int32(code.asciiValue!)) else { return nil }
            return String(cString: value)
        }
        let sqlState = field("C")
        var message = field("M") ?? String(cString: PQresultErrorMessage(result)).trimmingTrailingNewlines
        if message.isEmpty {
            message = String(cString: PQerrorMessage(conn)).trimmingTrailingNewlines
        }
        if message.isEmpty {
            message = "unexpected result status \(String(cString: PQresStatus(PQresultStatus(result))))"
        }
        if sqlState == nil && PQstatus(conn) != CONNECTION_OK {
            return PGError(kind: .connection, message: message, context: "\(context) on \(target)")
        }
        var contextText = context
        if let where_ = field("W") { contextText += " (where: \(where_.replacingOccurrences(of: "\n", with: " / ")))" }
        return PGError(kind: kind, sqlState: sqlState, message: message, detail: field("D"), hint: field("H"),
                       context: contextText)
    }

    /// The error when libpq returned no result at all (connection lost, out of memory).
    func connectionError(_ conn: OpaquePointer, context: String) -> PGError {
        var message = String(cString: PQerrorMessage(conn)).trimmingTrailingNewlines
        if message.isEmpty { message = "no result from server" }
        return PGError(kind: .connection, message: message, context: "\(context) on \(target)")
    }

    /// The first line of a statement, shortened, for error context (never parameter values).
    func summarize(_ sql: String) -> String {
        let trimmed = sql.drop(while: { $0.isWhitespace })
        let lines = trimmed.split(whereSeparator: \.isNewline).filter { line in
            let text = line.drop(while: { $0.isWhitespace })
            return !text.isEmpty && !text.hasPrefix("--")
        }
        let first = lines.first.map { String($0.drop(while: { $0.isWhitespace })) } ?? ""
        return first.count > 80 ? String(first.prefix(77)) + "..." : first
    }

    private static func connect(keywords: [String], values: [String]) -> OpaquePointer? {
        let keywordPointers = keywords.map { UnsafePointer(strdup($0)) } + [nil]
        let valuePointers = values.map { UnsafePointer(strdup($0)) } + [nil]
        defer {
            for pointer in keywordPointers + valuePointers { free(UnsafeMutablePointer(mutating: pointer)) }
        }
        return PQconnectdbParams(keywordPointers, valuePointers, 1)
    }

    private static func describeTarget(_ conn: OpaquePointer) -> String {
        func text(_ value: UnsafeMutablePointer<CChar>?) -> String {
            value.map { String(cString: $0) } ?? "?"
        }
        let host = text(PQhost(conn))
        let port = text(PQport(conn))
        let location = host.hasPrefix("/") ? "socket \(host)/.s.PGSQL.\(port)" : "\(host):\(port)"
        return "db \(text(PQdb(conn))) as \(text(PQuser(conn))) on \(location)"
    }
}

/// Calls `body` with NUL-terminated copies of `strings` (nil stays nil), freed afterwards.
func withCStrings<T>(_ strings: [String?], _ body: ([UnsafePointer<CChar>?]) throws -> T) rethrows -> T {
    let pointers: [UnsafeMutablePointer<CChar>?] = strings.map { $0.map { strdup($0) } ?? nil }
    defer { for pointer in pointers { free(pointer) } }
    return try body(pointers.map { $0.map { UnsafePointer($0) } })
}

/// Receives server notices; holds the optional logger.
final class NoticeSink: Sendable {
    let logger: Logger?
    init(logger: Logger?) { self.logger = logger }
}

private func noticeReceiver(_ arg: UnsafeMutableRawPointer?, _ result: OpaquePointer?) {
    guard let arg, let result else { return }
    let sink = Unmanaged<NoticeSink>.fromOpaque(arg).takeUnretainedValue()
    guard let logger = sink.logger else { return }
    func field(_ code: Character) -> String? {
        PQresultErrorField(result, Int32(code.asciiValue!)).map { String(cString: $0) }
    }
    let severity = field("V") ?? "NOTICE"
    let message = PGConninfo.scrub(field("M") ?? "")
    let metadata: Logger.Metadata = ["sqlstate": .string(field("C") ?? ""), "severity": .string(severity)]
    if severity == "WARNING" {
        logger.warning("postgres: \(message)", metadata: metadata)
    } else {
        logger.debug("postgres: \(message)", metadata: metadata)
    }
}
