import Foundation
import MMCore

/// Run liveness: every run holds a session-level advisory lock named after its `run_id` on a
/// connection of its own, from the moment its `etl.runs` row is visible until it finishes.
///
/// - `beginRun` first marks `abandoned` every `running` row whose liveness lock nobody holds (its
///   process was killed or crashed), then inserts the new row and takes its lock in one transaction.
/// - Before a slice commits, `assertAlive` checks in the slice's own transaction that the lock is
///   still held by the liveness session. After a PostgreSQL restart it is not (the session died,
///   pooled connections reconnected): the slice rolls back with a transient error (exit 75), so a
///   second run that took over the pipeline can never interleave with this one.
extension PGWarehouse {
    static func livenessKey(_ runID: Int64) -> PGAdvisoryKey { PGAdvisoryKey(name: "mmetl.alive:\(runID)") }

    /// Marks abandoned the `running` runs whose liveness lock is free. Returns their ids.
    func sweepAbandonedRuns(on connection: PGConnection) throws -> [Int64] {
        let rows = try connection.query("SELECT run_id FROM etl.runs WHERE status = 'running' ORDER BY run_id")
        var abandoned: [Int64] = []
        for i in 0..<rows.count {
            guard let id = try rows.int64(i, "run_id") else { continue }
            let key = Self.livenessKey(id)
            guard try connection.tryAdvisoryLock(key) else { continue }   // its process is alive
            defer { _ = try? connection.advisoryUnlock(key) }
            let updated = try connection.query("""
                UPDATE etl.runs SET status = 'abandoned', finished_at = now(),
                    error = coalesce(error || '; ', '') || 'abandoned: the process ended without finishing the run (killed, crashed or lost its database session)'
                WHERE run_id = $1 AND status = 'running'
                """, [id])
            if (updated.affectedRows ?? 0) > 0 { abandoned.append(id) }
        }
        if !abandoned.isEmpty {
            logger.warning("runs left 'running' by a process that died were marked abandoned", metadata: ["run_ids": "\(abandoned)"])
        }
        return abandoned
    }

    /// Inserts the run's row and takes its liveness lock on a dedicated connection, atomically.
    func beginLiveRun(_ start: RunStart) throws -> Int64 {
        let connection = try PGConnection(conninfo, logger: logger)
        do {
            _ = try sweepAbandonedRuns(on: connection)
            let runID: Int64 = try connection.transaction { c in
                let rows = try c.query("""
                    INSERT INTO etl.runs (pipeline, command, args, as_of, status, started_at, mmetl_version, shard)
                    VALUES ($1, $2, $3::jsonb, $4::date, 'running', to_timestamp($5::float8), $6, $7)
                    RETURNING run_id
                    """, [start.pipeline, start.command, start.argsJSON, start.asOf, start.startedAt.timeIntervalSince1970,
                          self.programVersion, start.shard])
                guard let id = try rows.int64(0, "run_id") else {
                    throw PGError(kind: .decode, message: "INSERT … RETURNING run_id returned no id", context: "beginning a run")
                }
                try c.advisoryLock(Self.livenessKey(id))
                return id
            }
            let pid = try connection.query("SELECT pg_backend_pid() AS pid").int64(0, "pid") ?? 0
            rememberLiveness(runID, connection: connection, backendPID: pid)
            return runID
        } catch {
            connection.close()
            throw error
        }
    }

    /// Throws a transient error when the run's liveness lock is no longer held by its session.
    /// Call inside the slice's transaction, just before it commits.
    func assertAlive(_ runID: Int64, on connection: PGConnection) throws {
        guard let pid = livenessPID(runID) else { return }   // a run begun elsewhere (tests, tools)
        let key = Self.livenessKey(runID)
        let held = try connection.query("""
            SELECT EXISTS (SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND granted AND pid = $1::int
                           AND database = (SELECT oid FROM pg_database WHERE datname = current_database())
                           AND classid = (($2::bigint >> 32) & 4294967295)::oid AND objid = ($2::bigint & 4294967295)::oid
                           AND objsubid = 1) AS held
            """, [pid, key.rawValue]).bool(0, 0) ?? false
        guard held else { throw RunLivenessLostError(runID: runID) }
    }
}
