import CLibPQ

/// libpq connection strings: scrubbing passwords out of text, parsing, and building URIs.
public enum PGConninfo {
    /// Replaces every password in `text` with `***`: the `user:password@` of a URI, and
    /// `password=…` in keyword/value strings and URI queries (quoted values included).
    public static func scrub(_ text: String) -> String {
        guard text.contains("@") || text.lowercased().contains("password") else { return text }
        var result = text
        // postgres://user:secret@host → postgres://user:***@host
        if let userinfo = try? Regex(#"((?:postgres|postgresql)://[^:/@\s]*):[^@\s/]*@"#) {
            result = result.replacing(userinfo) { match in
                "\(match.output[1].substring ?? ""):***@"
            }
        }
        // password=secret, password = 'sec ret', ?password=secret&…
        if let keyword = try? Regex(#"(?i)(password\s*=\s*)('(?:[^'\\]|\\.)*'?|[^\s&]*)"#) {
            result = result.replacing(keyword) { match in
                "\(match.output[1].substring ?? "")***"
            }
        }
        return result
    }

    /// Parses a conninfo string or URI into keyword → value (only keywords given a value).
    /// Throws a `.connection`/config-class error naming libpq's complaint (password-scrubbed).
    public static func parse(_ conninfo: String) throws -> [String: String] {
        var errmsg: UnsafeMutablePointer<CChar>?
        guard let options = PQconninfoParse(conninfo, &errmsg) else {
            let message = errmsg.map { String(cString: $0) } ?? "out of memory"
            if let errmsg { PQfreemem(errmsg) }
            throw PGError(kind: .connection, message: message.trimmingTrailingNewlines,
                          context: "parsing connection string")
        }
        defer { PQconninfoFree(options) }
        return collect(options)
    }

    static func collect(_ options: UnsafeMutablePointer<PQconninfoOption>) -> [String: String] {
        var result: [String: String] = [:]
        var cursor = options
        while let keyword = cursor.pointee.keyword {
            if let value = cursor.pointee.val, value.pointee != 0 {
                result[String(cString: keyword)] = String(cString: value)
            }
            cursor += 1
        }
        return result
    }

    /// Keywords worth carrying from one connection to another when building a URI.
    static let carriedKeywords: [String] = [
        "connect_timeout", "options", "application_name", "sslmode", "sslcert", "sslkey",
        "sslrootcert", "sslcrl", "target_session_attrs", "passfile", "hostaddr",
    ]

    /// Builds a `postgresql://` URI from keyword → value options (as from `parse` or
    /// `PGConnection.effectiveOptions`). A Unix-socket or multi-host `host` goes in the query.
    /// The result contains the password when the options do: do not log it.
    public static func uri(from options: [String: String]) -> String {
        var uri = "postgresql://"
        var query: [(String, String)] = []
        if let user = options["user"] {
            uri += percentEncode(user)
            if let password = options["password"] { uri += ":" + percentEncode(password) }
            uri += "@"
        }
        if let host = options["host"] {
            if host.contains("/") || host.contains(",") {
                query.append(("host", host))
                if let port = options["port"] { query.append(("port", port)) }
            } else {
                uri += host.contains(":") ? "[\(host)]" : percentEncode(host)
                if let port = options["port"] { uri += ":" + port }
            }
        } else if let port = options["port"] {
            query.append(("port", port))
        }
        uri += "/"
        if let dbname = options["dbname"] { uri += percentEncode(dbname) }
        for keyword in carriedKeywords {
            guard let value = options[keyword] else { continue }
            if keyword == "sslmode" && value == "prefer" { continue }
            query.append((keyword, value))
        }
        if !query.isEmpty {
            uri += "?" + query.map { "\($0.0)=\(percentEncode($0.1))" }.joined(separator: "&")
        }
        return uri
    }

    /// Returns `conninfo` pointing at database `dbname` instead, as a URI.
    public static func replacingDatabase(in conninfo: String, with dbname: String) throws -> String {
        var options = try parse(conninfo)
        options["dbname"] = dbname
        return uri(from: options)
    }

    static func percentEncode(_ text: String) -> String {
        var out = ""
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                 UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."),
                 UInt8(ascii: "_"), UInt8(ascii: "~"):
                out.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                let hex = Array("0123456789ABCDEF".utf8)
                out += "%"
                out.unicodeScalars.append(Unicode.Scalar(hex[Int(byte >> 4)]))
                out.unicodeScalars.append(Unicode.Scalar(hex[Int(byte & 0x0F)]))
            }
        }
        return out
    }
}

extension String {
    var trimmingTrailingNewlines: String {
        var text = self
        while let last = text.last, last.isNewline || last == " " { text.removeLast() }
        return text
    }
}
