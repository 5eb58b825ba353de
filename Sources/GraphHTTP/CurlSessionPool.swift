import Synchronization

/// A bounded pool of `CurlSession`s.
///
/// `borrow()` hands out the most recently returned idle session (so sequential requests stay on one
/// warm connection), creates a new one while fewer than `maxSessions` exist, and otherwise waits
/// in FIFO order until one is returned. A waiting borrower that is cancelled stops waiting.
final class CurlSessionPool: Sendable {
    private struct Waiter {
        let id: UInt64
        let continuation: CheckedContinuation<CurlSession, any Error>
    }
    private struct State {
        var idle: [CurlSession] = []
        var created = 0
        var waiters: [Waiter] = []
        var nextWaiterID: UInt64 = 0
    }
    private enum Decision {
        case reuse(CurlSession)
        case create
        case wait
    }

    let maxSessions: Int
    private let label: String
    private let state = Mutex(State())

    init(maxSessions: Int, label: String) {
        precondition(maxSessions >= 1, "a pool needs at least one session")
        self.maxSessions = maxSessions
        self.label = label
    }

    /// Sessions that exist (idle or borrowed).
    var sessionCount: Int { state.withLock { $0.created } }

    /// A session for the caller's exclusive use; give it back with `giveBack(_:)`.
    /// - Throws: `CancellationError` if the task is cancelled while waiting;
    ///   `PoolError.sessionCreationFailed` if libcurl could not allocate a handle.
    func borrow() async throws -> CurlSession {
        try Task.checkCancellation()
        let decision: Decision = state.withLock { s in
            if let session = s.idle.popLast() { return .reuse(session) }
            if s.created < maxSessions { s.created += 1; return .create }
            return .wait
        }
        switch decision {
        case .reuse(let session):
            return session
        case .create:
            let ordinal = sessionCount
            guard let session = CurlSession(label: "\(label).session-\(ordinal)") else {
                state.withLock { $0.created -= 1 }
                throw PoolError.sessionCreationFailed
            }
            return session
        case .wait:
            return try await waitForSession()
        }
    }

    /// Returns a borrowed session: it goes to the oldest waiter, or back to the idle stack.
    func giveBack(_ session: CurlSession) {
        let waiter: Waiter? = state.withLock { s in
            if s.waiters.isEmpty { s.idle.append(session); return nil }
            return s.waiters.removeFirst()
        }
        waiter?.continuation.resume(returning: session)
    }

    private func waitForSession() async throws -> CurlSession {
        let id = state.withLock { s -> UInt64 in s.nextWaiterID += 1; return s.nextWaiterID }
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                let immediate: Result<CurlSession, any Error>? = state.withLock { s in
                    // Checked under the lock: either the cancel handler finds this waiter, or we see the flag here.
                    if Task.isCancelled { return .failure(CancellationError()) }
                    // A session may have come back between the first check and now.
                    if let session = s.idle.popLast() { return .success(session) }
                    s.waiters.append(Waiter(id: id, continuation: continuation))
                    return nil
                }
                if let immediate { continuation.resume(with: immediate) }
            }
        } onCancel: {
            let waiter: Waiter? = state.withLock { s in
                guard let index = s.waiters.firstIndex(where: { $0.id == id }) else { return nil }
                return s.waiters.remove(at: index)
            }
            waiter?.continuation.resume(throwing: CancellationError())
        }
    }

    enum PoolError: Error {
        case sessionCreationFailed
    }
}
