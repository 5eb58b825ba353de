import Foundation
import Logging
import MMCore

/// The warehouse's connection pool: hands out one connection per concurrent call, opening a new
/// one when none is idle, and keeps at most `maxIdle` idle connections.
///
/// A connection comes back into the pool only when it is still connected and outside any
/// transaction; a broken one (e.g. its backend was terminated) is closed and forgotten, so the
/// next call reconnects. Every new session gets `TimeZone = UTC`.
package final class PGWarehouseConnections: @unchecked Sendable {
    /// One pooled connection and what has been set up on it.
    package final class Lease: @unchecked Sendable {
        package let connection: PGConnection
        /// The temporary staging tables exist in this session.
        var stagingReady = false
        init(connection: PGConnection) { self.connection = connection }
    }

    private let conninfo: String
    private let logger: Logger
    private let maxIdle: Int
    private let lock = NSLock()
    private var idle: [Lease] = []

    init(conninfo: String, logger: Logger, maxIdle: Int) {
        self.conninfo = conninfo
        self.logger = logger
        self.maxIdle = max(0, maxIdle)
    }

    /// Runs `body` with a connection of its own (blocking), then returns the connection to the pool.
    package func withLease<T>(_ body: (Lease) throws -> T) throws -> T {
        let lease = try acquire()
        defer { release(lease) }
        return try body(lease)
    }

    private func acquire() throws -> Lease {
        lock.lock()
        let reused = idle.popLast()
        lock.unlock()
        if let reused { return reused }
        let connection = try PGConnection(conninfo, logger: logger)
        do {
            try connection.execute("SET TimeZone = 'UTC'")
        } catch {
            connection.close()
            throw error
        }
        return Lease(connection: connection)
    }

    private func release(_ lease: Lease) {
        guard lease.connection.isConnected, lease.connection.transactionState == .idle else {
            lease.connection.close()
            return
        }
        lock.lock()
        if idle.count < maxIdle {
            idle.append(lease)
            lock.unlock()
        } else {
            lock.unlock()
            lease.connection.close()
        }
    }

    /// Closes the idle connections; leased ones are closed or kept when they come back.
    func closeAll() {
        lock.lock()
        let all = idle
        idle = []
        lock.unlock()
        for lease in all { lease.connection.close() }
    }
}
