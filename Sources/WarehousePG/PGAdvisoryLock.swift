/// A 64-bit key for PostgreSQL advisory locks (`pg_advisory_lock(bigint)`).
public struct PGAdvisoryKey: Sendable, Hashable, CustomStringConvertible {
    public let rawValue: Int64

    public init(_ rawValue: Int64) { self.rawValue = rawValue }

    /// A stable key for a name: FNV-1a 64 of its UTF-8 bytes, reinterpreted as a signed 64-bit
    /// integer. The same in every process and on every platform (unlike `hashValue`).
    public init(name: String) {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in name.utf8 {
            hash ^= UInt64(byte)
            hash &*= 0x0000_0100_0000_01b3
        }
        rawValue = Int64(bitPattern: hash)
    }

    public var description: String { String(rawValue) }
}

extension PGConnection {
    /// Waits for the session-level advisory lock `key` (held until `advisoryUnlock` or disconnect).
    public func advisoryLock(_ key: PGAdvisoryKey) throws {
        try query("SELECT pg_advisory_lock($1::bigint)", [key.rawValue])
    }

    /// Takes the session-level advisory lock `key` if free; returns whether it was taken.
    public func tryAdvisoryLock(_ key: PGAdvisoryKey) throws -> Bool {
        try query("SELECT pg_try_advisory_lock($1::bigint) AS taken", [key.rawValue]).bool(0, 0) ?? false
    }

    /// Takes the session-level advisory lock `key` in shared mode if no session holds it
    /// exclusively; returns whether it was taken.
    public func tryAdvisoryLockShared(_ key: PGAdvisoryKey) throws -> Bool {
        try query("SELECT pg_try_advisory_lock_shared($1::bigint) AS taken", [key.rawValue]).bool(0, 0) ?? false
    }

    /// Releases a session-level advisory lock; returns false when it was not held.
    @discardableResult
    public func advisoryUnlock(_ key: PGAdvisoryKey) throws -> Bool {
        try query("SELECT pg_advisory_unlock($1::bigint)", [key.rawValue]).bool(0, 0) ?? false
    }

    /// Waits for the transaction-level advisory lock `key`, released at COMMIT/ROLLBACK.
    /// Call inside `transaction { }`.
    public func advisoryTransactionLock(_ key: PGAdvisoryKey) throws {
        try query("SELECT pg_advisory_xact_lock($1::bigint)", [key.rawValue])
    }

    /// Takes the transaction-level advisory lock `key` if free; returns whether it was taken.
    public func tryAdvisoryTransactionLock(_ key: PGAdvisoryKey) throws -> Bool {
        try query("SELECT pg_try_advisory_xact_lock($1::bigint)", [key.rawValue]).bool(0, 0) ?? false
    }

    /// Runs `body` holding the session-level advisory lock `key`, released afterwards (also on throw).
    public func withAdvisoryLock<T>(_ key: PGAdvisoryKey, _ body: (PGConnection) throws -> T) throws -> T {
        try advisoryLock(key)
        defer { _ = try? advisoryUnlock(key) }
        return try body(self)
    }
}
