/// Seconds per named step, for the debug log.
struct StepClock: CustomStringConvertible {
    private var last = ContinuousClock.now
    private var laps: [(String, Double)] = []

    mutating func lap(_ name: String) {
        let now = ContinuousClock.now
        let d = now - last
        laps.append((name, Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18))
        last = now
    }

    var description: String { laps.map { "\($0.0)=\(String(format: "%.2f", $0.1))" }.joined(separator: " ") }
}
