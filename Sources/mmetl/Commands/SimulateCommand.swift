import ArgumentParser
import Foundation
import MMSimulator

/// `mmetl simulate`: the built-in Graph API simulator on 127.0.0.1 (SPEC §6).
struct SimulateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "simulate",
        abstract: "Serve a Graph API simulator for seeded synthetic WABAs on 127.0.0.1.",
        discussion: "Prints one line `listening on http://127.0.0.1:PORT business=ID wabas=ID,…` when ready, then serves until interrupted.")

    @OptionGroup var global: GlobalOptions
    @Option(name: .long, help: "Port (0 = any free port).") var port = 8089
    @Option(name: .long, help: "Seed of the synthetic data.") var seed: UInt64 = 42
    @Option(name: .long, help: "Number of WABAs.") var wabas = 3
    @Option(name: .long, help: "Templates per WABA.") var templates = 25
    @Option(name: .long, help: "Days of history.") var days = 30
    @Option(name: .long, help: "Delay every response by this many milliseconds.") var latencyMs = 0
    @Option(name: .long, help: "Inject a fault: KIND[:RATE|@N], KIND one of throttle, appthrottle, 5xx, timeout, truncated, malformed, token, emptypage, foreignnext, endless, bomb, oversize (repeatable).")
    var fault: [String] = []
    @Option(name: .long, help: "The business portfolio id.") var businessID = "1000000000000001"
    @Option(name: .long, help: "Accept only this bearer token (default: any non-empty token).") var token: String?
    @Option(name: .long, help: "\"Today\" for the data, YYYY-MM-DD (default: the real date).") var asOf: String?
    @Option(name: .long, help: "Write the send log matching the data into this directory, then serve.") var writeSendlog: String?
    @Option(name: .long, help: "Where the foreignnext fault points paging.next.") var foreignBaseURL = "http://127.0.0.1:9"
    @Option(name: .long, help: "Decoded size of the bomb fault's gzip body, in MiB.") var bombMegabytes = 64
    @Option(name: .long, help: "Size of the oversize fault's page, in MiB.") var oversizeMegabytes = 4
    @Option(name: .long, help: "Requests per hour of all clients together that make X-App-Usage reach 100 % (default: far above any run).") var appBudget: Int?

    func validate() throws {
        for f in fault {
            do { _ = try FaultSpec.parse(f) } catch { throw ValidationError("--fault \(f): \(error)") }
        }
        if !(0...65535).contains(port) { throw ValidationError("--port must be 0…65535") }
    }

    func run() async throws {
        var config = SimulatorConfig()
        config.port = port; config.seed = seed; config.wabaCount = wabas; config.templatesPerWABA = templates; config.days = days
        config.latencyMs = latencyMs; config.appBudget = appBudget; config.faults = try fault.map(FaultSpec.parse); config.businessID = businessID
        config.token = token; config.asOf = asOf
        config.foreignBaseURL = foreignBaseURL; config.bombBytes = bombMegabytes << 20; config.oversizeBytes = oversizeMegabytes << 20
        let sim = GraphSimulator(config: config)
        _ = try await sim.start()
        if let dir = writeSendlog {
            let files = try SendLogWriter.write(business: sim.dataset, asOf: sim.asOf, days: days, to: dir)
            StandardError.write("wrote send log: \(files.joined(separator: " "))\n")
        }
        print(sim.startupLine())
        Terminal.flushStdout()
        // Serve until SIGINT/SIGTERM.
        let signals = [SIGINT, SIGTERM]
        for s in signals { signal(s, SIG_IGN) }
        await withCheckedContinuation { (cont: CheckedContinuation<Void, Never>) in
            let sources = signals.map { DispatchSource.makeSignalSource(signal: $0, queue: .global()) }
            let once = OnceFlag()
            for src in sources {
                src.setEventHandler { if once.set() { cont.resume() } }
                src.resume()
            }
            SignalSources.keep(sources)
        }
        try await sim.stop()
    }
}

final class OnceFlag: @unchecked Sendable {
    private var done = false
    private let lock = NSLock()
    func set() -> Bool { lock.lock(); defer { lock.unlock() }; if done { return false }; done = true; return true }
}

enum SignalSources {
    nonisolated(unsafe) static var kept: [any DispatchSourceSignal] = []
    static func keep(_ s: [any DispatchSourceSignal]) { kept = s }
}
