import Foundation
import MMCore

/// `sql/transforms`: the joins other stages build on the facts (send log, errors, benchmarks).
extension PGWarehouse {
    /// Runs every `*.sql` of the transforms directory in name order, each in its own transaction
    /// after `set_config('mmetl.from'|'mmetl.to', …, true)`; returns seconds per file name. Files
    /// marked to run beside the others (`SendLogTransformRunner.lanes()`) run meanwhile on a second
    /// connection, so PostgreSQL works on both cores. A missing or empty directory runs nothing.
    /// - Throws: the failing file's `PGError` (the ordered lane's first, after both lanes ended);
    ///   files that finished stay committed.
    public func runTransforms(from: String, to: String) async throws -> [String: Double] {
        guard let first = Day(from), let last = Day(to) else {
            throw PGError(kind: .usage, message: "transform range \(from)…\(to) is not two YYYY-MM-DD dates",
                          context: "running transforms")
        }
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: transformsDirectory.path, isDirectory: &isDirectory),
              isDirectory.boolValue else {
            logger.debug("no transforms directory", metadata: ["path": .string(transformsDirectory.path)])
            return [:]
        }
        let runner = SendLogTransformRunner(directory: transformsDirectory, settings: transformSettings)
        let logger = self.logger
        let lanes = try runner.lanes()
        func lane(_ files: [URL]) async -> Result<[String: Double], any Error> {
            guard !files.isEmpty else { return .success([:]) }
            do {
                return .success(try await withConnection { lease in
                    var seconds: [String: Double] = [:]
                    for timing in try runner.run(on: lease.connection, from: first, to: last, logger: logger, only: files) {
                        seconds[timing.name] = timing.seconds
                    }
                    return seconds
                })
            } catch {
                return .failure(error)
            }
        }
        async let ordered = lane(lanes.ordered)
        async let beside = lane(lanes.beside)
        let results = await [ordered, beside]
        var seconds: [String: Double] = [:]
        for result in results { seconds.merge(try result.get()) { a, _ in a } }
        return seconds
    }
}
