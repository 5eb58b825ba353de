import MMCore

/// The core's secret scrubber, for the log handlers.
enum URLRedactionBridge {
    static func scrub(_ s: String) -> String { URLRedaction.scrubSecrets(URLRedaction.redact(s)) }
}
