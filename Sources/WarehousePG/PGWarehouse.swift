import Foundation
import Logging
import MMCore

/// The warehouse on PostgreSQL: the `Warehouse` port implemented with libpq.
///
/// Connections: a small pool (`PGWarehouseConnections`) serves ledger calls and slice loads, one
/// connection per concurrent call, so loads of different WABAs run in parallel; the pipeline run
/// lock lives on a connection of its own, held until `releaseRunLock`/`close`. Every libpq call
/// blocks, so each port method runs its work on a Dispatch worker thread, never on the Swift
/// concurrency pool.
///
/// Sessions use `TimeZone = UTC` (timestamps in JSON, e.g. revision keys, are then stable).
public final class PGWarehouse: Warehouse, @unchecked Sendable {
    let logger: Logger
    let transformsDirectory: URL
    /// Extra `mmetl.*` settings the transforms read (e.g. `mmetl.benchmark_window_days`).
    let transformSettings: [String: String]
    /// What `beginRun` records in `etl.runs.mmetl_version` (the binary's version line), if anything.
    let programVersion: String?
    package let connections: PGWarehouseConnections
    /// `work_mem` for a slice's merge statements (hash joins of staging against the facts).
    let mergeWorkMem: String
    let conninfo: String
    private let lock = NSLock()
    /// Each live run's liveness connection and its backend pid, by run id (see `PGWarehouse+Liveness`).
    private var liveness: [Int64: (connection: PGConnection, pid: Int64)] = [:]
    /// Connections holding a run lock, by pipeline (`pipeline#K/N` for a shard's).
    private var runLocks: [String: PGConnection] = [:]
    /// Month partitions known to exist (`mm.fact_pricing|2026-11`), to skip asking again.
    private var knownPartitions: Set<String> = []

    /// - Parameters:
    ///   - conninfo: a libpq URI or keyword/value string (may hold a password: it is never logged).
    ///   - logger: where lock waits, transforms and load summaries are logged.
    ///   - transformsDirectory: the folder of `sql/transforms/*.sql` (may be missing or empty).
    ///   - maxIdleConnections: connections kept open between calls.
    ///   - mergeWorkMem: `work_mem` set for each slice's transaction (PostgreSQL memory units).
    ///   - transformSettings: extra `mmetl.*` settings for the transforms (benchmark window, cohort size).
    ///   - programVersion: the running binary's version line, recorded with every run it begins.
    public init(conninfo: String, logger: Logger, transformsDirectory: URL, maxIdleConnections: Int = 4,
                mergeWorkMem: String = "256MB", transformSettings: [String: String] = [:], programVersion: String? = nil) {
        self.conninfo = conninfo
        self.transformSettings = transformSettings
        self.programVersion = programVersion
        self.mergeWorkMem = mergeWorkMem
        self.logger = logger
        self.transformsDirectory = transformsDirectory
        connections = PGWarehouseConnections(conninfo: conninfo, logger: logger, maxIdle: maxIdleConnections)
    }

    deinit { close() }

    /// Closes every connection (releasing run locks). Calls after this open new connections.
    public func close() {
        lock.lock()
        let held = Array(runLocks.values) + liveness.values.map(\.connection)
        runLocks = [:]
        liveness = [:]
        lock.unlock()
        for connection in held { connection.close() }
        connections.closeAll()
    }

    /// Runs blocking libpq work on a Dispatch worker thread and awaits its result.
    func offload<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global(qos: .userInitiated).async {
                continuation.resume(with: Result { try body() })
            }
        }
    }

    /// Runs `body` with a pooled connection on a worker thread.
    @discardableResult
    func withConnection<T: Sendable>(_ body: @escaping @Sendable (PGWarehouseConnections.Lease) throws -> T) async throws -> T {
        try await offload { try self.connections.withLease(body) }
    }

    // MARK: - Run lock

    /// The advisory key of a pipeline's run lock.
    public static func runLockKey(pipeline: String) -> PGAdvisoryKey { PGAdvisoryKey(name: "mmetl.run:\(pipeline)") }

    /// The advisory key of one shard's run lock (`K/N`).
    public static func runLockKey(pipeline: String, shard: Shard) -> PGAdvisoryKey { PGAdvisoryKey(name: "mmetl.run:\(pipeline)#\(shard)") }

    /// Unsharded: the pipeline's key, exclusively. Sharded: the pipeline's key shared (so an
    /// unsharded run and the shards exclude each other) and the shard's key exclusively (so the
    /// same shard never runs twice). Held on a connection of its own until released or closed.
    public func acquireRunLock(pipeline: String, shard: Shard? = nil, wait: Bool) async throws -> Bool {
        try await offload {
            let name = Self.runLockName(pipeline, shard)
            if self.heldRunLock(name) { return true }
            let connection = try PGConnection(self.conninfo, logger: self.logger)
            let pipelineKey = Self.runLockKey(pipeline: pipeline)
            do {
                let taken: Bool
                if let shard {
                    let shardKey = Self.runLockKey(pipeline: pipeline, shard: shard)
                    taken = try connection.tryAdvisoryLockShared(pipelineKey) && connection.tryAdvisoryLock(shardKey)
                    if !taken && wait {
                        self.logger.info("waiting for the shard's run lock", metadata: ["pipeline": .string(pipeline), "shard": "\(shard)"])
                        try connection.query("SELECT pg_advisory_unlock_all()")
                        try connection.query("SELECT pg_advisory_lock_shared($1::bigint)", [pipelineKey.rawValue])
                        try connection.advisoryLock(shardKey)
                    }
                } else {
                    taken = try connection.tryAdvisoryLock(pipelineKey)
                    if !taken && wait {
                        self.logger.info("waiting for the pipeline run lock", metadata: ["pipeline": .string(pipeline)])
                        try connection.advisoryLock(pipelineKey)
                    }
                }
                guard taken || wait else {
                    connection.close()
                    return false
                }
            } catch {
                connection.close()
                throw error
            }
            self.lock.lock()
            self.runLocks[name] = connection
            self.lock.unlock()
            return true
        }
    }

    /// Releases a run lock taken by `acquireRunLock` (closing its connection).
    public func releaseRunLock(pipeline: String, shard: Shard? = nil) {
        lock.lock()
        let connection = runLocks.removeValue(forKey: Self.runLockName(pipeline, shard))
        lock.unlock()
        connection?.close()
    }

    private static func runLockName(_ pipeline: String, _ shard: Shard?) -> String {
        shard.map { "\(pipeline)#\($0)" } ?? pipeline
    }

    private func heldRunLock(_ name: String) -> Bool {
        lock.lock()
        defer { lock.unlock() }
        guard let connection = runLocks[name] else { return false }
        if connection.isConnected { return true }
        runLocks[name] = nil
        return false
    }

    // MARK: - Run liveness

    func rememberLiveness(_ runID: Int64, connection: PGConnection, backendPID: Int64) {
        lock.lock()
        liveness[runID] = (connection, backendPID)
        lock.unlock()
    }

    func livenessPID(_ runID: Int64) -> Int64? {
        lock.lock()
        defer { lock.unlock() }
        return liveness[runID]?.pid
    }

    /// Ends a run's liveness: releases its lock by closing its connection.
    func endLiveness(_ runID: Int64) {
        lock.lock()
        let held = liveness.removeValue(forKey: runID)
        lock.unlock()
        held?.connection.close()
    }

    // MARK: - Partition cache

    func partitionKnown(_ key: String) -> Bool {
        lock.lock()
        defer { lock.unlock() }
        return knownPartitions.contains(key)
    }

    func rememberPartitions(_ keys: [String]) {
        lock.lock()
        knownPartitions.formUnion(keys)
        lock.unlock()
    }
}
