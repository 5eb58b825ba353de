import Foundation
import MMCore

/// `mm.dim_waba` and `mm.dim_phone_number`: latest state, updated in place only when a field
/// changes (`IS DISTINCT FROM` guard), so an unchanged WABA costs no write.
///
/// When the WABA's timezone changes (an id that used to fall back to UTC is now in Meta's table, or
/// the pipeline's `timezone:` changed), the facts already loaded get their `day` re-derived in the
/// same transaction (`etl.realign_waba_days`), so the next fetch updates them instead of adding a
/// second row per bucket; the send-log facts of the days touched are then rebuilt.
extension PGWarehouse {
    public func upsertWABA(_ info: WABAInfo, phones: [PhoneNumberRow], runID: Int64) async throws {
        let realigned: (from: String, to: String, moved: Int)? = try await withConnection { lease in
            try lease.connection.transaction { connection in
                let found = try connection.query("SELECT timezone FROM mm.dim_waba WHERE waba_id = $1 FOR UPDATE", [info.wabaID])
                let previous = found.count > 0 ? try found.string(0, "timezone") : nil
                try connection.query("""
                    INSERT INTO mm.dim_waba AS d (waba_id, name, currency, timezone_id, timezone, timezone_source, country,
                        region, industry, mm_onboarding_status, insights_enabled, run_id)
                    VALUES ($1, $2, $3, $4, $5, $6, upper($7),
                        (SELECT c.region FROM mm.dim_country c WHERE c.country_code = upper($7)), $8, $9, $10::boolean, $11)
                    ON CONFLICT (waba_id) DO UPDATE SET
                        name = EXCLUDED.name, currency = EXCLUDED.currency, timezone_id = EXCLUDED.timezone_id,
                        timezone = EXCLUDED.timezone, timezone_source = EXCLUDED.timezone_source, country = EXCLUDED.country,
                        region = EXCLUDED.region, industry = EXCLUDED.industry,
                        mm_onboarding_status = EXCLUDED.mm_onboarding_status,
                        insights_enabled = COALESCE(EXCLUDED.insights_enabled, d.insights_enabled),
                        updated_at = now(), run_id = EXCLUDED.run_id
                    WHERE (d.name, d.currency, d.timezone_id, d.timezone, d.timezone_source, d.country, d.region, d.industry,
                           d.mm_onboarding_status, d.insights_enabled)
                        IS DISTINCT FROM
                          (EXCLUDED.name, EXCLUDED.currency, EXCLUDED.timezone_id, EXCLUDED.timezone, EXCLUDED.timezone_source,
                           EXCLUDED.country, EXCLUDED.region, EXCLUDED.industry, EXCLUDED.mm_onboarding_status,
                           COALESCE(EXCLUDED.insights_enabled, d.insights_enabled))
                    """, [info.wabaID, info.name, info.currency, info.timezoneID, info.timezone, info.timezoneSource,
                          info.country, info.industry, info.onboardingStatus, info.insightsEnabled, runID])
                for phone in phones {
                    try connection.query("""
                        INSERT INTO mm.dim_phone_number AS p (waba_id, phone_number_id, display_phone_number, verified_name,
                            quality_rating, vertical, run_id)
                        VALUES ($1, $2, $3, $4, $5, $6, $7)
                        ON CONFLICT (waba_id, phone_number_id) DO UPDATE SET
                            display_phone_number = EXCLUDED.display_phone_number, verified_name = EXCLUDED.verified_name,
                            quality_rating = EXCLUDED.quality_rating, vertical = EXCLUDED.vertical,
                            updated_at = now(), run_id = EXCLUDED.run_id
                        WHERE (p.display_phone_number, p.verified_name, p.quality_rating, p.vertical)
                            IS DISTINCT FROM (EXCLUDED.display_phone_number, EXCLUDED.verified_name, EXCLUDED.quality_rating,
                                              EXCLUDED.vertical)
                        """, [phone.wabaID, phone.phoneNumberID, phone.displayPhoneNumber, phone.verifiedName,
                              phone.qualityRating, phone.vertical, runID])
                }
                guard let previous, previous != info.timezone else { return nil }
                let r = try connection.query("SELECT first_day::text AS f, last_day::text AS l, moved FROM etl.realign_waba_days($1, $2)",
                                             [info.wabaID, info.timezone])
                guard let from = try r.string(0, "f"), let to = try r.string(0, "l") else { return nil }
                return (from, to, try r.int(0, "moved") ?? 0)
            }
        }
        if let realigned {
            logger.warning("WABA timezone changed: loaded facts moved to its local days", metadata: [
                "waba": .string(info.wabaID), "timezone": .string(info.timezone), "rows_moved": .stringConvertible(realigned.moved),
                "from": .string(realigned.from), "to": .string(realigned.to),
            ])
            // The facts moved with the zone (committed above); the send-log facts are derived and a
            // failure here only leaves them stale until the next transform covers these days.
            do { _ = try await runTransforms(from: realigned.from, to: realigned.to) } catch {
                logger.error("send-log facts not rebuilt for the moved days", metadata: [
                    "waba": .string(info.wabaID), "from": .string(realigned.from), "to": .string(realigned.to), "error": .string("\(error)"),
                ])
            }
        }
    }
}
