import Foundation
import Logging

/// Log output format: human-readable text, or one JSON object per line (for schedulers and log shippers).
enum LogFormat: String, CaseIterable, Sendable {
    case text, json
}

/// A log handler writing to standard error, as text or as JSON lines. Metadata (run id, WABA,
/// dataset, window) appears on every line. Values pass through `URLRedaction.scrubSecrets` as a
/// last line of defence, though nothing upstream logs a token.
struct StderrLogHandler: LogHandler {
    let label: String
    let format: LogFormat
    var logLevel: Logger.Level
    var metadata: Logger.Metadata = [:]

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        var merged = metadata
        if let extra = event.metadata { merged.merge(extra) { _, new in new } }
        let line: String
        switch format {
        case .json:
            var obj: [String: String] = ["ts": Self.timestamp(), "level": event.level.rawValue, "msg": Redact.text("\(event.message)")]
            for (k, v) in merged { obj[k] = Redact.text("\(v)") }
            let data = (try? JSONSerialization.data(withJSONObject: obj, options: [.sortedKeys, .withoutEscapingSlashes])) ?? Data()
            line = String(decoding: data, as: UTF8.self)
        case .text:
            let meta = merged.sorted { $0.key < $1.key }.map { "\($0.key)=\(Redact.text("\($0.value)"))" }.joined(separator: " ")
            line = "\(Self.timestamp()) \(event.level.rawValue.uppercased().padding(toLength: 7, withPad: " ", startingAt: 0)) \(Redact.text("\(event.message)"))\(meta.isEmpty ? "" : "  " + meta)"
        }
        StandardError.write((line + "\n"))
    }

    static func timestamp() -> String {
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return f.string(from: Date())
    }
}

enum Redact {
    static func text(_ s: String) -> String { URLRedactionBridge.scrub(s) }
}
