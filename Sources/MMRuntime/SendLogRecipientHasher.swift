import Crypto
import Foundation
import MMCore

/// HMAC-SHA256 of a recipient's E.164 digits under the recipient hash key, as lower-case hex.
///
/// The key never leaves this value (not in `description`, not in logs). The same key must be used
/// for every load, or the hashes of one recipient will not match across files.
public struct SendLogRecipientHasher: RecipientHasher, CustomStringConvertible {
    /// SHA-256 with the key's inner pad, and with its outer pad, already absorbed (RFC 2104): a
    /// hash copies both, so the key schedule runs once per load, and neither pad is hashed again
    /// per recipient (`HMAC<SHA256>` hashes the outer pad at each `finalize()`: three SHA-256
    /// blocks a recipient instead of two). A test holds it to `HMAC<SHA256>` and RFC 4231.
    private let inner: SHA256
    private let outer: SHA256

    /// - Throws: `SendLogKeyError.empty` for an empty key.
    public init(key: [UInt8]) throws(SendLogKeyError) {
        guard !key.isEmpty else { throw .empty }
        var block = key.count > SHA256.blockByteCount ? Array(SHA256.hash(data: key)) : key
        block += [UInt8](repeating: 0, count: SHA256.blockByteCount - block.count)
        var inner = SHA256(), outer = SHA256()
        inner.update(data: block.map { $0 ^ 0x36 })
        outer.update(data: block.map { $0 ^ 0x5c })
        self.inner = inner
        self.outer = outer
    }

    public func hash(digits: String) -> String {
        var i = inner
        var digits = digits
        digits.withUTF8 { i.update(bufferPointer: UnsafeRawBufferPointer($0)) }
        var o = outer
        i.finalize().withUnsafeBytes { o.update(bufferPointer: $0) }
        return Self.hex(o.finalize())
    }

    public var description: String { "SendLogRecipientHasher(HMAC-SHA256, key redacted)" }

    /// Lower-case hex of a 32-byte digest or MAC.
    static func hex(_ mac: some ContiguousBytes) -> String {
        String(unsafeUninitializedCapacity: 64) { out in
            let digits: StaticString = "0123456789abcdef"
            var i = 0
            digits.withUTF8Buffer { d in
                mac.withUnsafeBytes { bytes in
                    for b in bytes.prefix(32) { out[i] = d[Int(b >> 4)]; out[i + 1] = d[Int(b & 0x0F)]; i += 2 }
                }
            }
            return i
        }
    }

    /// The key from the environment: `MMETL_RECIPIENT_HASH_KEY`, or the variable `keyEnv` names
    /// (the pipeline's `sendlog.hash_key_env`) when given. The value's UTF-8 bytes are the key.
    /// - Throws: `SendLogKeyError.missing` (a config error: `sendlog load` refuses to run, exit 64).
    public static func key(environment: [String: String], keyEnv: String? = nil) throws(SendLogKeyError) -> [UInt8] {
        let name = keyEnv.flatMap { $0.isEmpty ? nil : $0 } ?? "MMETL_RECIPIENT_HASH_KEY"
        guard let value = environment[name], !value.isEmpty else { throw .missing(variable: name) }
        return Array(value.utf8)
    }
}

/// The recipient hash key is missing or empty: a configuration error.
public enum SendLogKeyError: ClassifiedError, Equatable {
    case missing(variable: String)
    case empty

    public var failureClass: FailureClass { .config }
    public var description: String {
        switch self {
        case .missing(let v):
            return "no recipient hash key: set \(v) (any secret string; keep it stable, or recipient hashes stop matching). "
                + "Recipients are stored only as a keyed hash and a country, so sendlog load refuses to run without one"
        case .empty: return "the recipient hash key is empty"
        }
    }
}
