import ArgumentParser
import MMCore

/// `--shard K/N` / `--shard-count N` for `run` and `backfill`: scale-out over N processes.
struct ShardOptions: ParsableArguments {
    @Option(name: .long, help: "Run as shard K of N (K counted from 1): only the WABAs a stable hash assigns to this shard; the transforms are left to `mmetl transform`.")
    var shard: String?
    @Option(name: .long, help: "Run as one of N shards, K taken from $JOB_COMPLETION_INDEX + 1 (a Kubernetes Indexed Job).")
    var shardCount: Int?

    func validate() throws {
        if shard != nil && shardCount != nil { throw ValidationError("give either --shard K/N or --shard-count N, not both") }
        if let s = shard, Shard(s) == nil {
            throw ValidationError("--shard must be K/N with 1 ≤ K ≤ N (e.g. 2/3), not \"\(s)\"")
        }
        if let n = shardCount, n < 1 { throw ValidationError("--shard-count must be at least 1, not \(n)") }
    }

    /// The shard this process is, if any: `--shard`, else `--shard-count` with `JOB_COMPLETION_INDEX`.
    /// - Throws: a configuration error (exit 64) when `--shard-count` is given without a valid index.
    func resolve(environment: [String: String]) throws -> Shard? {
        if let s = shard { return Shard(s) }
        guard let n = shardCount else { return nil }
        guard let index = environment["JOB_COMPLETION_INDEX"], let shard = Shard(completionIndex: index, count: n) else {
            throw CommandFailure(.config, "--shard-count \(n) needs JOB_COMPLETION_INDEX set to 0…\(n - 1) (a Kubernetes Indexed Job sets it); got \(environment["JOB_COMPLETION_INDEX"].map { "\"\($0)\"" } ?? "nothing")")
        }
        return shard
    }
}
