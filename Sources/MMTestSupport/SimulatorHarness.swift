@_exported import MMSimulator

/// Runs `body` against a freshly started Graph API simulator and always stops it afterwards.
///
/// ```swift
/// try await withSimulator(SimulatorConfig(seed: 7, asOf: "2026-11-24")) { sim in
///     let url = sim.baseURL + "/v25.0/" + sim.wabaIDs[0]
/// }
/// ```
public func withSimulator<T>(_ config: SimulatorConfig = SimulatorConfig(),
                             _ body: (GraphSimulator) async throws -> T) async throws -> T {
    let sim = GraphSimulator(config: config)
    try await sim.start()
    do {
        let result = try await body(sim)
        try await sim.stop()
        return result
    } catch {
        try? await sim.stop()
        throw error
    }
}

/// The same as a namespace, for call sites that prefer `SimulatorHarness.with(…)`.
public enum SimulatorHarness {
    public static func with<T>(_ config: SimulatorConfig = SimulatorConfig(),
                               _ body: (GraphSimulator) async throws -> T) async throws -> T {
        try await withSimulator(config, body)
    }

    /// A config pinned for tests: fixed as-of date, small business, seed 42.
    public static func testConfig(asOf: String = "2026-11-24", wabas: Int = 3, templates: Int = 12) -> SimulatorConfig {
        var c = SimulatorConfig()
        c.asOf = asOf
        c.wabaCount = wabas
        c.templatesPerWABA = templates
        return c
    }
}
