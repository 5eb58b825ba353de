import MMCore

/// What a run reports as it goes, for progress display and metrics. Never carries a secret.
public enum RunEvent: Sendable {
    case planned(wabas: Int, slices: Int)
    case wabaStarted(String)
    case sliceLoaded(SliceIdentity, rows: Int, stats: LoadStats)
    case sliceFailed(SliceIdentity, error: String, failureClass: FailureClass)
    case wabaFinished(String)
}

/// Receives run events. The executable renders them as progress on a TTY.
public typealias RunEventSink = @Sendable (RunEvent) -> Void
