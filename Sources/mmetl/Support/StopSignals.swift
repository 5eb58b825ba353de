import Foundation
import Logging
import MMRuntime
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// SIGTERM and SIGINT for the long commands (`run`, `backfill`, `replay`, `sendlog load`).
///
/// Contract: on the first signal, `interruption` is triggered (no new WABA, slice or file
/// starts), every registered task is cancelled (transfers abort, waits end), and the command
/// finishes what is in flight: a slice's load commits
/// or rolls back whole, the run is recorded `interrupted` with the signal's name, and the process
/// exits 75. If that takes more than `graceSeconds` (or a second signal arrives), the process exits
/// 75 at once (`sendlog load -` keeps its copy of standard input unlinked, so even then nothing is
/// left on disk): PostgreSQL rolls back the open transaction when the connection drops, and the next
/// run marks the unfinished `etl.runs` row `abandoned`. Schedulers should allow a stop timeout
/// above `graceSeconds` (the shipped systemd unit and Kubernetes manifests give 45 s).
enum StopSignals {
    /// Seconds between the first signal and the forced exit: 30, or `MMETL_STOP_GRACE_SECONDS` (1–600).
    static let graceSeconds: Int = {
        if let v = ProcessInfo.processInfo.environment["MMETL_STOP_GRACE_SECONDS"].flatMap(Int.init), (1...600).contains(v) { return v }
        return 30
    }()
    static let interruption = Interruption()
    private static let state = Mutex<State>(State())

    private struct State {
        var installed = false
        var sources: [any DispatchSourceSignal] = []
        var cancellers: [@Sendable () -> Void] = []
        var logger: Logger?
    }

    /// Takes over SIGTERM and SIGINT (idempotent). Also disables core dumps: they could hold the token.
    static func install(logger: Logger) {
        var limit = rlimit(rlim_cur: 0, rlim_max: 0)
        _ = setrlimit(Int32(RLIMIT_CORE.rawValue), &limit)
        state.withLock { s in
            s.logger = logger
            guard !s.installed else { return }
            s.installed = true
            for sig in [SIGTERM, SIGINT] {
                signal(sig, SIG_IGN)
                let source = DispatchSource.makeSignalSource(signal: sig, queue: .global(qos: .userInitiated))
                source.setEventHandler { received(sig) }
                source.resume()
                s.sources.append(source)
            }
        }
    }

    /// Runs `body` as a task the first signal cancels; returns its value.
    static func cancellable<T: Sendable>(_ body: @escaping @Sendable () async throws -> T) async throws -> T {
        let task = Task { try await body() }
        state.withLock { $0.cancellers.append { task.cancel() } }
        if interruption.isTriggered { task.cancel() }
        return try await withTaskCancellationHandler { try await task.value } onCancel: { task.cancel() }
    }

    private static func received(_ sig: Int32) {
        let name = sig == SIGTERM ? "SIGTERM" : "SIGINT"
        let (first, cancellers, logger) = state.withLock { s in (!interruption.isTriggered, s.cancellers, s.logger) }
        guard first else {
            logger?.warning("second stop signal: exiting now", metadata: ["signal": "\(name)"])
            _exit(75)
        }
        interruption.trigger(name)
        logger?.warning("stop requested: finishing in-flight work, starting nothing new", metadata: [
            "signal": "\(name)", "grace_seconds": "\(graceSeconds)",
        ])
        for cancel in cancellers { cancel() }
        DispatchQueue.global().asyncAfter(deadline: .now() + .seconds(graceSeconds)) {
            logger?.error("stop grace period over: exiting; the next run marks this one abandoned", metadata: ["signal": "\(name)"])
            _exit(75)
        }
    }
}
