/// Text as PostgreSQL can hold it.
enum PGText {
    /// `s` with each NUL (U+0000) replaced by U+FFFD: PostgreSQL text cannot hold NUL. COPY fields
    /// (`PGCopyText`) follow the same rule, so a value loads the same way by either path.
    static func replacingNUL(_ s: String) -> String {
        guard s.utf8.contains(0) else { return s }
        return String(String.UnicodeScalarView(s.unicodeScalars.map { $0 == "\u{0}" ? "\u{FFFD}" : $0 }))
    }
}
