/// At most `limit` Graph requests in flight at once across a run (`graph.max_concurrency`).
///
/// The engine keeps more WABAs in progress than there are slots (`RunEngine.wabasInProgress`), so a
/// WABA that is archiving a page, recording it or loading a slice into the warehouse holds no slot:
/// another WABA's request takes it, and the run's requests go out `limit` at a time for as long as
/// any is ready.
///
/// Waiters are served first come, first served. A task cancelled while it waits still gets its slot
/// (slots come back as requests finish) and then fails fast in the transport.
///
/// The libcurl transport also bounds its connections (`CurlSessionPool`, sized from
/// `max_concurrency` in the composition root, at least 2) and makes a request wait for one; that
/// pool is about reusing connections. The bound on requests is the engine's policy, so it lives
/// here: it holds for any transport (the twin tests use an in-process one) and for
/// `max_concurrency` 1, and the pool's own wait never comes into play.
public actor RequestSlots {
    public let limit: Int
    private var inUse = 0
    private var waiting: [CheckedContinuation<Void, Never>] = []

    public init(limit: Int) { self.limit = max(1, limit) }

    /// Runs `body` holding one slot; the slot is given back however `body` ends.
    public nonisolated func withSlot<T: Sendable>(_ body: @Sendable () async throws -> T) async throws -> T {
        await acquire()
        do {
            let value = try await body()
            await release()
            return value
        } catch {
            await release()
            throw error
        }
    }

    private func acquire() async {
        if inUse < limit {
            inUse += 1
            return
        }
        await withCheckedContinuation { waiting.append($0) }
    }

    private func release() {
        if waiting.isEmpty {
            inUse -= 1
        } else {
            waiting.removeFirst().resume()  // the slot passes straight to the next waiter
        }
    }
}
