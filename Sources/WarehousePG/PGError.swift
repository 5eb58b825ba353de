import MMCore

/// A PostgreSQL or libpq failure, with the server's diagnostic fields and what we were doing.
///
/// `description` is safe to log: it never contains a password (messages pass through
/// `PGConninfo.scrub`), and it carries no parameter values.
public struct PGError: ClassifiedError, Hashable {
    public enum Kind: String, Sendable, Hashable {
        /// Could not connect, or the connection broke.
        case connection
        /// The server rejected a statement (see `sqlState`).
        case server
        /// A COPY failed or was aborted.
        case copy
        /// A result did not have the expected shape (column missing, value not an integer, …).
        case decode
        /// Misuse of the API (e.g. a non-COPY statement passed to `copyIn`).
        case usage
    }

    public var kind: Kind
    /// Five-character SQLSTATE when the server sent one (`23505`, `40001`, …).
    public var sqlState: String?
    /// The primary message (libpq's or the server's), password-scrubbed.
    public var message: String
    public var detail: String?
    public var hint: String?
    /// What mmetl was doing: "connecting to db mmetl as loader on 127.0.0.1:5432", "COPY staging.x", ….
    public var context: String

    public init(kind: Kind, sqlState: String? = nil, message: String, detail: String? = nil,
                hint: String? = nil, context: String) {
        self.kind = kind
        self.sqlState = sqlState
        self.message = PGConninfo.scrub(message)
        self.detail = detail.map(PGConninfo.scrub)
        self.hint = hint.map(PGConninfo.scrub)
        self.context = PGConninfo.scrub(context)
    }

    /// Transient: connection failures, SQLSTATE class 08 (except 08P01), 40001, 40P01, 57P01–57P03, class 53.
    /// Config: class 28 (authentication) and 3D000 (unknown database), also when only libpq's
    /// connection message says so. Terminal otherwise.
    public var failureClass: FailureClass {
        if let state = sqlState {
            return Self.classify(sqlState: state)
        }
        switch kind {
        case .connection:
            let lower = message.lowercased()
            if lower.contains("authentication failed") || lower.contains("no pg_hba.conf entry")
                || lower.contains("password") && lower.contains("supplied")
                || lower.contains("role") && lower.contains("does not exist") {
                return .config
            }
            if lower.contains("database") && lower.contains("does not exist") { return .config }
            if lower.contains("invalid connection option") || lower.contains("invalid uri")
                || lower.contains("missing \"=\"") || lower.contains("invalid integer value")
                || lower.contains("could not translate host name") {
                return .config
            }
            return .transient
        case .server, .copy, .decode, .usage:
            return .terminal
        }
    }

    /// The class of a SQLSTATE alone (see `failureClass`).
    public static func classify(sqlState: String) -> FailureClass {
        // 08P01 (protocol violation, e.g. a parameter count mismatch) is a bug, not a network blip.
        if sqlState == "08P01" { return .terminal }
        let cls = sqlState.prefix(2)
        switch cls {
        case "08", "53": return .transient
        case "28": return .config
        default: break
        }
        switch sqlState {
        case "40001", "40P01", "57P01", "57P02", "57P03": return .transient
        case "3D000": return .config
        default: return .terminal
        }
    }

    public var description: String {
        var text = "\(context): \(message)"
        if let sqlState { text += " [SQLSTATE \(sqlState)]" }
        if let detail, !detail.isEmpty { text += " detail: \(detail)" }
        if let hint, !hint.isEmpty { text += " hint: \(hint)" }
        return text
    }
}
