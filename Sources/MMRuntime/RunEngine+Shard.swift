import Logging
import MMCore

/// Scale-out: a run that is one shard of N (`--shard K/N`).
///
/// The shard's WABAs are chosen in exactly one place, after discovery (and after a backfill's
/// `--waba` list), by `Shard`'s rendezvous hash; the rest of the run is unchanged. The cross-WABA
/// transforms would see only this shard's facts and run N times a night, so a sharded run skips
/// them: `mmetl transform` runs them once, after every shard finished (`NightlyTransform`).
extension RunEngine {
    /// Whether this run leaves the transforms to `mmetl transform`.
    var defersTransforms: Bool { shard != nil }

    /// The entries this run owns: all of them unsharded, else the shard's share.
    func shardSelection(_ entries: [WABAEntry], logger: Logger) -> [WABAEntry] {
        guard let shard else { return entries }
        let mine = shard.select(entries) { $0.id }
        logger.info("shard selected its WABAs", metadata: ["shard": "\(shard)", "wabas": "\(mine.count)", "of": "\(entries.count)"])
        return mine
    }

    /// A shard shares the app usage it observes with the other shards through the warehouse
    /// (when the warehouse is an `AppUsageBoard`); an unsharded run relies on its own headers.
    func sharedAppUsage(logger: Logger) -> SharedAppUsage? {
        guard let shard, let board = appUsageBoard ?? (ports.warehouse as? any AppUsageBoard) else { return nil }
        return SharedAppUsage(board: board, pipeline: config.name, reporter: shard.description, clock: ports.clock, logger: logger)
    }
}
