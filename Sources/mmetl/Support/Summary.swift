import Foundation
import MMCore
import MMRuntime

/// The few lines a command prints on stdout when it ends.
enum Summary {
    static func print(_ r: RunReport) {
        let t = r.totals
        let c = r.counters
        Swift.print("run \(r.runID): \(r.verdict.status) (exit \(r.verdict.exitCode)) · slices loaded \(r.loaded.count), skipped \(r.skipped.count), failed \(r.failed.count)")
        Swift.print("  api calls \(c.apiCalls) (retries \(c.retries), throttle waits \(c.throttleWaits), slowdowns \(c.slowdowns), \(String(format: "%.1f", c.throttleWaitSeconds))s waited) · pages \(c.pages) · data points \(c.dataPoints) · archived \(c.bytesArchived) bytes")
        Swift.print("  rows: inserted \(t.inserted), updated \(t.updated) (revisions \(t.revisions)), unchanged \(t.unchanged)")
        for f in r.failed.prefix(20) {
            Swift.print("  FAILED [\(f.failureClass.rawValue)] \(f.slice): \(f.error)")
        }
        if r.failed.count > 20 { Swift.print("  … and \(r.failed.count - 20) more failures (etl.run_items)") }
        for d in r.diagnostics.prefix(10) { Swift.print("  note: \(d)") }
        if let shard = r.shard { Swift.print("  shard \(shard): transforms left to `mmetl transform`") }
    }
}
