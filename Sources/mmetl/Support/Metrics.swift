import Foundation
import MMCore
import MMRuntime

/// Prometheus text-format metrics for the node_exporter textfile collector, written atomically.
enum Metrics {
    static func write(_ r: RunReport, pipeline: String, started: Date, to path: String) throws {
        let p = "pipeline=\"\(escape(pipeline))\""
        let c = r.counters
        var lines: [String] = []
        func metric(_ name: String, _ help: String, _ type: String, _ samples: [(String, String)]) {
            lines.append("# HELP \(name) \(help)")
            lines.append("# TYPE \(name) \(type)")
            for (labels, value) in samples { lines.append("\(name){\(labels)} \(value)") }
        }
        let now = Date().timeIntervalSince1970
        if r.verdict.exitCode == 0 { metric("mmetl_last_success_timestamp_seconds", "End of the last fully successful run.", "gauge", [(p, String(Int(now)))]) }
        metric("mmetl_last_run_timestamp_seconds", "End of the last run.", "gauge", [(p, String(Int(now)))])
        metric("mmetl_last_run_exit_code", "Exit code of the last run.", "gauge", [(p, String(r.verdict.exitCode))])
        metric("mmetl_last_run_duration_seconds", "Duration of the last run.", "gauge", [(p, String(format: "%.3f", now - started.timeIntervalSince1970))])
        metric("mmetl_last_run_rows_loaded", "Rows loaded by the last run.", "gauge", [(p, String(c.rowsLoaded))])
        metric("mmetl_last_run_api_calls", "API calls of the last run.", "gauge", [(p, String(c.apiCalls))])
        metric("mmetl_last_run_throttle_wait_seconds", "Seconds waited on throttling/backoff in the last run.", "gauge", [(p, String(format: "%.3f", c.throttleWaitSeconds))])
        var failures: [String: Int] = [:]
        for f in r.failed { failures[f.slice.wabaID, default: 0] += 1 }
        metric("mmetl_last_run_failed_slices", "Failed slices per WABA in the last run.", "gauge",
               failures.sorted { $0.key < $1.key }.map { ("\(p),waba_id=\"\(escape($0.key))\"", String($0.value)) })
        let text = lines.joined(separator: "\n") + "\n"
        let tmp = path + ".tmp-\(getpid())"
        try Data(text.utf8).write(to: URL(fileURLWithPath: tmp))
        guard rename(tmp, path) == 0 else { throw CommandFailure(.terminal, "\(path): cannot write metrics (\(String(cString: strerror(errno))))") }
    }

    /// The metrics of a run that threw before it had a report: its exit code, duration, zero counters.
    static func writeFailure(_ error: any Error, pipeline: String, started: Date, to path: String) throws {
        let cls = (error as? any ClassifiedError)?.failureClass ?? .terminal
        let report = RunReport(runID: 0, verdict: RunVerdict(status: "failed", exitCode: RunVerdict.exitCode(for: cls)),
                               counters: RunCounters(waitBudget: .zero).snapshot)
        try write(report, pipeline: pipeline, started: started, to: path)
    }

    static func escape(_ s: String) -> String {
        s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"").replacingOccurrences(of: "\n", with: "\\n")
    }
}
