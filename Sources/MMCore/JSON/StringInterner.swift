import Foundation

/// The strings of one document, each made once: a page repeats a few values in every data point
/// (template ids, pricing types, cost and button types), and a `String` of more than 15 bytes is a
/// heap allocation each time it is made. Looks a byte slice up by its FNV-1a hash and bytes, without
/// allocating, and returns the `String` made the first time those bytes were seen.
///
/// The `String` is `String(decoding:as: UTF8.self)` of the bytes (invalid UTF-8 repaired), exactly
/// what reading them again would give. At most `capacity` distinct strings are kept; later ones are
/// made every time (still correct, just not shared).
struct StringInterner {
    private struct Slot {
        var hash: UInt64
        var value: String
    }

    private var slots: [Slot?] = []
    private var count = 0
    private static let capacity = 4_096

    /// The string of `bytes`.
    mutating func string(_ bytes: UnsafeBufferPointer<UInt8>) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in bytes { hash = (hash ^ UInt64(b)) &* 0x100_0000_01b3 }
        if slots.isEmpty { slots = Array(repeating: nil, count: 256) }
        let mask = slots.count - 1
        var i = Int(truncatingIfNeeded: hash) & mask
        while let slot = slots[i] {
            if slot.hash == hash && Self.equal(slot.value, bytes) { return slot.value }
            i = (i + 1) & mask
        }
        let value = String(decoding: bytes, as: UTF8.self)
        guard count < Self.capacity else { return value }
        slots[i] = Slot(hash: hash, value: value)
        count += 1
        if count * 2 > slots.count { grow() }
        return value
    }

    private static func equal(_ value: String, _ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        var value = value
        return value.withUTF8 { utf8 in
            guard utf8.count == bytes.count else { return false }
            guard let a = utf8.baseAddress, let b = bytes.baseAddress else { return true }
            return memcmp(a, b, bytes.count) == 0
        }
    }

    private mutating func grow() {
        let old = slots
        slots = Array(repeating: nil, count: old.count * 2)
        let mask = slots.count - 1
        for case let slot? in old {
            var i = Int(truncatingIfNeeded: slot.hash) & mask
            while slots[i] != nil { i = (i + 1) & mask }
            slots[i] = slot
        }
    }
}
