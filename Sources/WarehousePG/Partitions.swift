import Foundation
import MMCore

/// Month partitions of the facts, created on demand through `etl.ensure_month_partitions`.
///
/// Called before a slice's transaction for its window (a day either side), on the same connection,
/// one autocommitted statement per table: creating a partition locks the parent table exclusively
/// until commit, so doing it inside the slice would block other WABAs' loads of that table for the
/// whole slice (or deadlock two slices creating partitions of different tables). Inside the
/// transaction only for staged days beyond that (rows outside their window, not seen from the API),
/// where nothing is created when the months are known. An empty partition left by a slice that
/// later fails is harmless.
package enum Partitions {
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

    /// Makes sure the months of [first, last] have partitions of `table`; returns how many were
    /// created (nothing is asked of the database when every month is known to exist). One
    /// statement per unknown month: a call creating several months would hold the parent's lock of
    /// one while waiting for another's creation lock, and two such calls over overlapping months
    /// deadlock.
    package static func ensure(_ table: FactTable, from first: String, to last: String, on connection: PGConnection,
                       cache warehouse: PGWarehouse, remember: Bool = true) throws -> Int {
        var created = 0
        for month in months(from: first, to: last) where !warehouse.partitionKnown("\(table.name)|\(month)") {
            let start = "\(month)-01"
            created += try connection.query("SELECT etl.ensure_month_partitions($1, $2::date, $3::date) AS created",
                                            [table.name, start, start]).int(0, "created") ?? 0
            if remember { warehouse.rememberPartitions(["\(table.name)|\(month)"]) }
        }
        if created > 0 {
            warehouse.logger.info("created month partitions", metadata: [
                "table": .string(table.name), "created": .stringConvertible(created),
                "from": .string(first), "to": .string(last),
            ])
        }
        return created
    }
}
