import Foundation
import MMCore

/// Month partitions of the facts, created on demand through `etl.ensure_month_partitions`.
///
/// Called before a slice's transaction, on the same connection, one autocommitted statement per
/// table: creating a partition locks the parent table exclusively until commit, so doing it inside
/// the slice would block other WABAs' loads of that table for the whole slice (or deadlock two
/// slices creating partitions of different tables). An empty partition left by a slice that later
/// fails is harmless.
enum Partitions {
    /// `YYYY-MM` of every month touching [first, last]; empty when a date does not parse (COPY
    /// then rejects the row and names it).
    static func months(from first: String, to last: String) -> [String] {
        guard let start = Day(first), let end = Day(last), start <= end else { return [] }
        var months: [String] = []
        var month = start.monthStart
        while month <= end {
            months.append(String(month.description.prefix(7)))
            month = month.nextMonthStart
        }
        return months
    }

    /// Makes sure `rows`' months have partitions; returns how many were created.
    static func ensure(for rows: StagingRows, on connection: PGConnection, cache warehouse: PGWarehouse) throws -> Int {
        guard let days = rows.days else { return 0 }
        let keys = months(from: days.first, to: days.last).map { "\(rows.table.name)|\($0)" }
        guard !keys.isEmpty, !keys.allSatisfy(warehouse.partitionKnown) else { return 0 }
        let created = try connection.query("SELECT etl.ensure_month_partitions($1, $2::date, $3::date) AS created",
                                           [rows.table.name, days.first, days.last]).int(0, "created") ?? 0
        warehouse.rememberPartitions(keys)
        if created > 0 {
            warehouse.logger.info("created month partitions", metadata: [
                "table": .string(rows.table.name), "created": .stringConvertible(created),
                "from": .string(days.first), "to": .string(days.last),
            ])
        }
        return created
    }
}
