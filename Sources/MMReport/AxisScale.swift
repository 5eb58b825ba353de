/// A linear value axis with "nice" ticks (1, 2, 5 × 10ⁿ) covering the data and zero.
struct AxisScale {
    let min: Double
    let max: Double
    let ticks: [Double]

    /// Covers `values` and 0; at most about `count` ticks. An empty or flat range still gets an axis.
    init(values: [Double], count: Int = 5) {
        var lo = Swift.min(0, values.min() ?? 0), hi = Swift.max(0, values.max() ?? 0)
        if hi == lo { hi = lo + 1 }
        let raw = (hi - lo) / Double(Swift.max(count, 1))
        let mag = pow10(floorLog10(raw))
        let step = [1.0, 2, 5, 10].map { $0 * mag }.first { $0 >= raw } ?? 10 * mag
        lo = (lo / step).rounded(.down) * step
        hi = (hi / step).rounded(.up) * step
        var t: [Double] = []
        var v = lo
        while v <= hi + step / 2 { t.append(abs(v) < step / 1e9 ? 0 : v); v += step }
        self.min = lo; self.max = hi; self.ticks = t
    }

    /// Where `v` falls between `from` (at min) and `to` (at max).
    func position(_ v: Double, from: Double, to: Double) -> Double {
        from + (v - min) / (max - min) * (to - from)
    }
}

private func floorLog10(_ x: Double) -> Int {
    guard x > 0 else { return 0 }
    var e = 0, v = x
    while v >= 10 { v /= 10; e += 1 }
    while v < 1 { v *= 10; e -= 1 }
    return e
}

private func pow10(_ e: Int) -> Double {
    var r = 1.0
    if e >= 0 { for _ in 0..<e { r *= 10 } } else { for _ in 0..<(-e) { r /= 10 } }
    return r
}
