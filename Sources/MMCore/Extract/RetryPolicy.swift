/// What to do after a request failed or succeeded close to a limit. Pure: the caller supplies the
/// jitter and the budget left; the runtime sleeps on the injected clock.
public struct RetryPolicy: Sendable, Equatable {
    public var maxAttempts: Int
    public var baseDelay: Duration
    public var maxDelay: Duration
    /// Usage percentage at which the client starts slowing down.
    public var slowdownPercent: Int

    public init(maxAttempts: Int = 6, baseDelay: Duration = .seconds(1), maxDelay: Duration = .seconds(120), slowdownPercent: Int = 80) {
        self.maxAttempts = maxAttempts; self.baseDelay = baseDelay; self.maxDelay = maxDelay; self.slowdownPercent = slowdownPercent
    }

    public enum Decision: Equatable, Sendable {
        /// Wait this long, then try again.
        case retry(after: Duration)
        /// Give up: the error is final for this request.
        case fail
    }

    /// Decision after attempt number `attempt` (1-based) failed with `error`.
    /// - Parameters:
    ///   - jitter: a number in [0, 1) (random in production, fixed in tests).
    ///   - budgetLeft: wait time the run may still spend; a needed wait beyond it fails now.
    public func decide(after error: GraphError, attempt: Int, jitter: Double, budgetLeft: Duration) -> Decision {
        guard error.failureClass == .transient, attempt < maxAttempts else { return .fail }
        let exponent = min(attempt - 1, 16)
        let backoff = min(baseDelay * Int(1 << exponent), maxDelay)
        // Full jitter on top of half the backoff: spreads retries without ever waiting less than half.
        var wait = backoff / 2 + backoff / 2 * jitter
        if let minutes = error.regainAccessMinutes, minutes > 0 {
            wait = max(wait, .seconds(minutes * 60))
        } else if error.isThrottle {
            wait = max(wait, .seconds(5 * (1 << min(attempt - 1, 5))))
        }
        return wait <= budgetLeft ? .retry(after: wait) : .fail
    }

    /// Pause before the next request when the last response reported usage at or above the slowdown
    /// threshold: grows linearly from 1 s at the threshold to 60 s at 100 %. Nil below the threshold.
    public func slowdown(for usage: UsageHeaders) -> Duration? {
        guard let p = usage.maxPercent, p >= slowdownPercent else { return nil }
        let span = max(1, 100 - slowdownPercent)
        let frac = Double(min(p, 100) - slowdownPercent) / Double(span)
        return .milliseconds(Int(1000 + frac * 59_000))
    }
}
