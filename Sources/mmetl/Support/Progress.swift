import Foundation
import MMCore
import MMRuntime
import Synchronization

/// Progress on a TTY (WABAs done/total, slices, rows, failures, ETA) on one rewritten stderr line.
/// Disabled off a TTY: nothing is printed then.
final class Progress: Sendable {
    struct State {
        var wabas = 0, wabasDone = 0, slices = 0, rows = 0, failed = 0
        var started = Date()
        var lastDraw = Date(timeIntervalSince1970: 0)
    }
    let enabled: Bool
    private let state = Mutex(State())

    init(enabled: Bool) { self.enabled = enabled }

    var sink: RunEventSink {
        { [self] event in
            guard enabled else { return }
            state.withLock { s in
                switch event {
                case .planned(let w, _): s.wabas = w; s.started = Date()
                case .wabaStarted: break
                case .wabaFinished: s.wabasDone += 1
                case .sliceLoaded(_, let rows, _): s.slices += 1; s.rows += rows
                case .sliceFailed: s.failed += 1
                }
                let now = Date()
                guard now.timeIntervalSince(s.lastDraw) > 0.2 || s.wabasDone == s.wabas else { return }
                s.lastDraw = now
                let elapsed = now.timeIntervalSince(s.started)
                let eta = s.wabasDone > 0 ? elapsed / Double(s.wabasDone) * Double(s.wabas - s.wabasDone) : 0
                let line = "WABAs \(s.wabasDone)/\(s.wabas) · slices \(s.slices) · rows \(s.rows) · failed \(s.failed) · ETA \(Int(eta))s"
                StandardError.write("\r\u{1B}[2K\(line)")
            }
        }
    }

    func finish() { if enabled { StandardError.write("\n") } }
}
