#if canImport(Glibc)
import Glibc
#endif

/// A string that is equal, hashed and ordered by its UTF-8 bytes, as PostgreSQL compares text in
/// the "C" collation. Swift's own `==` on `String` is canonical equivalence: it would merge two
/// wamids (or statuses) that PostgreSQL keeps apart.
public struct ByteString: Hashable, Comparable, Sendable {
    public let string: String

    public init(_ string: String) { self.string = string }

    public static func == (a: ByteString, b: ByteString) -> Bool {
        let n = a.string.utf8.count
        guard n == b.string.utf8.count else { return false }
        if n == 0 { return true }
        return compare(a.string, b.string) { n, x, y in memcmp(x, y, n) == 0 } ?? a.string.utf8.elementsEqual(b.string.utf8)
    }

    public static func < (a: ByteString, b: ByteString) -> Bool { less(a.string, b.string) }

    /// `a` before `b` byte by byte (a prefix first).
    public static func less(_ a: String, _ b: String) -> Bool {
        if a.isEmpty || b.isEmpty { return a.isEmpty && !b.isEmpty }
        return compare(a, b) { _, x, y in
            let na = a.utf8.count, nb = b.utf8.count
            let c = memcmp(x, y, min(na, nb))
            return c < 0 || (c == 0 && na < nb)
        } ?? a.utf8.lexicographicallyPrecedes(b.utf8)
    }

    /// `body(count of a, a's bytes, b's bytes)` over both strings' contiguous UTF-8, both not empty
    /// (nil when one has no contiguous storage: a bridged string).
    private static func compare(_ a: String, _ b: String, _ body: (Int, UnsafeRawPointer, UnsafeRawPointer) -> Bool) -> Bool? {
        let r: Bool?? = a.utf8.withContiguousStorageIfAvailable { pa in
            b.utf8.withContiguousStorageIfAvailable { pb in
                body(pa.count, UnsafeRawPointer(pa.baseAddress!), UnsafeRawPointer(pb.baseAddress!))
            }
        }
        return r ?? nil
    }

    public func hash(into hasher: inout Hasher) {
        let done: Void? = string.utf8.withContiguousStorageIfAvailable { hasher.combine(bytes: UnsafeRawBufferPointer($0)) }
        if done == nil { for b in string.utf8 { hasher.combine(b) } }
    }

    /// Whether the text holds a NUL, which a COPY turns into U+FFFD (so PostgreSQL may see two
    /// different keys as one).
    public var hasNUL: Bool {
        string.utf8.withContiguousStorageIfAvailable { $0.isEmpty ? false : memchr($0.baseAddress!, 0, $0.count) != nil }
            ?? string.utf8.contains(0)
    }
}

/// Strings kept once each, named by a small integer (-1 is nil): the few distinct values of a
/// send log's WABA ids, phone numbers, statuses, templates and pricing fields.
public struct StringPool: Sendable {
    public private(set) var strings: [String] = []
    private var ids: [ByteString: Int32] = [:]
    /// Some string kept holds a NUL (`ByteString.hasNUL`).
    public private(set) var hasNUL = false

    public init() {}

    /// The id of `s` (nil → -1), added when new.
    public mutating func id(_ s: String?) -> Int32 {
        guard let s else { return -1 }
        let key = ByteString(s)
        if let id = ids[key] { return id }
        let id = Int32(strings.count)
        strings.append(s)
        ids[key] = id
        if key.hasNUL { hasNUL = true }
        return id
    }

    /// `id(_:)`, first trying `hint` (the id this caller took last), which it then holds.
    public mutating func id(_ s: String?, hint: inout Int32) -> Int32 {
        guard let s else { return -1 }
        if hint >= 0, ByteString(strings[Int(hint)]) == ByteString(s) { return hint }
        hint = id(s)
        return hint
    }

    public func string(_ id: Int32) -> String? { id < 0 ? nil : strings[Int(id)] }

    /// The lesser of two ids by their strings' bytes, nil (-1) losing to any value (SQL `min`).
    public func least(_ a: Int32, _ b: Int32) -> Int32 {
        if a < 0 { return b }
        if b < 0 || a == b { return a }
        return ByteString.less(strings[Int(b)], strings[Int(a)]) ? b : a
    }

    /// Whether id `a`'s string is byte-wise less than id `b`'s (both non-nil).
    public func less(_ a: Int32, _ b: Int32) -> Bool { a != b && ByteString.less(strings[Int(a)], strings[Int(b)]) }
}
