import Foundation

public enum SendLogFormat: String, Sendable {
    case ndjson
    /// `.ndjson.gz`, compressed with the system `gzip`.
    case ndjsonGzip
}

/// Writes the business's own send log (SPEC §4) matching the simulator's data.
///
/// For every WABA × template × WABA-local day × product in `[asOf-days+1 … asOf]` with sends,
/// one `{"kind":"send",…}` line per sent message, each followed by its status records: `sent`,
/// then `delivered` (+ `read`) or `failed`. Half the status records (chosen by hash) are raw Meta
/// `messages` webhook bodies (`timestamp` an epoch-seconds string), half flattened
/// `{"kind":"status",…}` records (`timestamp` ISO 8601 UTC). One file per day:
/// `sendlog-YYYY-MM-DD.ndjson[.gz]`.
///
/// Deltas against the API (`SimulatedBusiness.counts`, same asOf), per template-day-product:
/// - sent, delivered and failed (= sent − delivered): equal, zero delta.
/// - read: equal to the API's `read` as of the same asOf (both grow for 7 days; a send log
///   written with an earlier asOf than the API is queried with shows fewer reads).
/// - delivered per recipient country: equal to pricing_analytics `COUNTRY` volume of the
///   template's category (MARKETING_LITE for MM, MARKETING/UTILITY REGULAR for Cloud API).
///   pricing_analytics additionally holds SERVICE, free-utility, free-entry-point,
///   AUTHENTICATION and new-category noise that has no send log line.
/// - Days: `sent_at` is UTC; its WABA-local date (the WABA's timezone) is the API's day.
/// - Clicks and conversions have no send log counterpart.
/// - Route: `pricing.category` is `marketing_lite` for MM sends, `marketing`/`utility` for Cloud.
/// - Failed messages: recipients in the US always fail with 131049 (US marketing block); others
///   with 131026, 131050, 130472 or 131049.
public enum SendLogWriter {
    @discardableResult
    public static func write(business: SimulatedBusiness, asOf: String, days: Int, to directory: String,
                             format: SendLogFormat = .ndjson) throws -> [String] {
        guard let a = CivilDate.parse(asOf) else {
            throw SimulatorError(description: "send log as-of date '\(asOf)' is not a valid YYYY-MM-DD date")
        }
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        var paths: [String] = []
        for day in (a - max(1, days) + 1)...a {
            let path = (directory as NSString).appendingPathComponent("sendlog-\(CivilDate.format(day)).ndjson")
            let bytes = lines(business: business, day: day, asOf: a)
            guard FileManager.default.createFile(atPath: path, contents: Data(bytes)) else {
                throw SimulatorError(description: "cannot write \(path)")
            }
            if format == .ndjsonGzip {
                try gzip(path)
                paths.append(path + ".gz")
            } else {
                paths.append(path)
            }
        }
        return paths
    }

    /// All send log lines of WABA-local day `day` (day numbers, see `CivilDate`), reads as of `asOf`.
    public static func lines(business: SimulatedBusiness, day: Int, asOf: Int) -> [UInt8] {
        var out = SendLogLines(business: business, day: day)
        for w in business.wabas {
            out.beginWABA(w)
            for t in w.templates {
                for p in SimProduct.allCases {
                    guard let c = business.counts(waba: w.index, template: t.index, day: day, product: p, asOf: asOf) else { continue }
                    out.templateDay(t, product: p, counts: c)
                }
            }
        }
        return out.j.bytes
    }

    private static func gzip(_ path: String) throws {
        guard let tool = ["/usr/bin/gzip", "/bin/gzip"].first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else {
            throw SimulatorError(description: "gzip not found: write the send log as .ndjson instead")
        }
        let p = Process()
        p.executableURL = URL(fileURLWithPath: tool)
        p.arguments = ["-n", "-f", path]
        try p.run()
        p.waitUntilExit()
        guard p.terminationStatus == 0 else { throw SimulatorError(description: "gzip \(path) failed (\(p.terminationStatus))") }
    }
}
