import Dispatch

/// Runs blocking work (file I/O with fsync, libpq calls) on a Dispatch thread instead of Swift's
/// cooperative pool, which has only as many threads as cores.
enum Blocking {
    static func run<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { (c: CheckedContinuation<T, any Error>) in
            DispatchQueue.global(qos: .userInitiated).async { c.resume(with: Result { try work() }) }
        }
    }
}
