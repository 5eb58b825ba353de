/// Deterministic randomness: SplitMix64 as a sequential generator (to build the catalog) and as a
/// stateless keyed hash (so any metric of any template-day is computed in O(1), never stored).
/// No `Double.random`, no system generator: same seed, same bytes.
public struct SplitMix64: RandomNumberGenerator, Sendable {
    private var state: UInt64
    public init(seed: UInt64) { state = seed }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        return SplitMix64.finalize(state)
    }

    /// A value in 0..<bound (bound > 0); the modulo bias is irrelevant for synthetic data.
    public mutating func below(_ bound: Int) -> Int { Int(next() % UInt64(bound)) }

    @inline(__always)
    static func finalize(_ x: UInt64) -> UInt64 {
        var z = x
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// A keyed hash over up to five integers, salted by the seed.
struct SeededHash: Sendable {
    let seed: UInt64

    @inline(__always)
    func callAsFunction(_ a: UInt64, _ b: UInt64 = 0, _ c: UInt64 = 0, _ d: UInt64 = 0, _ e: UInt64 = 0) -> UInt64 {
        var h = SplitMix64.finalize(seed &+ 0x9E37_79B9_7F4A_7C15 &* (a &+ 1))
        h = SplitMix64.finalize(h ^ (b &* 0xD6E8_FEB8_6659_FD93))
        h = SplitMix64.finalize(h ^ (c &* 0xA076_1D64_78BD_642F))
        h = SplitMix64.finalize(h ^ (d &* 0xE703_7ED1_A0B4_28DB))
        return SplitMix64.finalize(h ^ (e &* 0x8EBC_6AF0_9C88_C6E3))
    }

    /// `hash % bound` as an Int.
    @inline(__always)
    func below(_ bound: Int, _ a: UInt64, _ b: UInt64 = 0, _ c: UInt64 = 0, _ d: UInt64 = 0, _ e: UInt64 = 0) -> Int {
        Int(self(a, b, c, d, e) % UInt64(bound))
    }

    /// A uniform value in [0, 1).
    @inline(__always)
    func unit(_ a: UInt64, _ b: UInt64 = 0, _ c: UInt64 = 0, _ d: UInt64 = 0, _ e: UInt64 = 0) -> Double {
        Double(self(a, b, c, d, e) >> 11) * 0x1.0p-53
    }
}

/// Salts that keep the hashed quantities independent of one another.
enum Salt: UInt64 {
    case active = 1, sent, failRate, readRate, clickRate, uniqueRate, quickReplyRate
    case atc, purchases, orderValue, appAtc, appPurchases, lead
    case countryRotation, noise, unknownCategory, fault, trace
    case recipient, sentAt, statusDelay, readDelay, wamid, errorCode, webhookForm, campaign
}

extension Int {
    @inline(__always) var u: UInt64 { UInt64(bitPattern: Int64(self)) }
}
