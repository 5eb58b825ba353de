import Foundation
import MMCore
import MMTestSupport
import Testing
@testable import WarehousePG

/// A small cohort computed by hand. Day D = 2026-11-20, window 7 days, min 5 businesses, a template
/// is a peer from 50 deliveries in the window. Peer percentiles are over businesses (one value per
/// business: its peer templates' reads or clicks ÷ deliveries), MM API only, clicks only from
/// businesses where Meta measures them.
///
/// BR / retail / MARKETING businesses (read, click over the window):
///   wA .50 .10 (two days in the window; a day 10 days back is outside it)   wB .60 .20
///   wC .70 .04 (its Cloud API row is left out)   wD .80 .30 (industry from its phone's vertical)
///   wE .90 .15 (sent the day before D only: a peer, but no row of its own)
///   wS .425 .06 (tS .75 .12 and tS2 .10 .00 pooled: 85 of 200, 12 of 200)
///   wX: tX 1.0 1.0 over 2 deliveries is not a peer (it would have moved every p75).
/// Subject tS (BR) → country:BR, 5 other businesses: p75 read = .80, click = .20 (position
/// 0.75 × 4 = 3 of the sorted five); businesses below: read 3/5 = .6, click 2/5 = .4.
/// tX (BR, not a peer itself) → 6 others: reads .425 .5 .6 .7 .8 .9 → p75 at 3.75 = .775, rank 1;
/// clicks .04 .06 .10 .15 .20 .30 → .15 + .75 × .05 = .1875.
/// Subject tT (AR) .65 .00: AR has one other business (wG .40 .10) → region:Americas with wA…wE,
/// wS, wG and wK (GB, region set to the Americas, .30, clicks not measured in GB): 8 businesses,
/// 9 templates; reads .30 .40 .425 .50 .60 .70 .80 .90 → p75 at 0.75 × 7 = 5.25 → .70 + .25 × .10
/// = .725, rank 5/8 = .625. Clicks of the 7 measured: .04 .06 .10 .10 .15 .20 .30 → at 4.5 →
/// .15 + .5 × .05 = .175; rank 0. tK (GB) has no click rate, no click p75 and no click rank.
/// Excluded from every cohort: tU (UTILITY), tF (fashion). tV (JP, alone in Asia) and tW (no
/// industry at all) get cohort none.
@Suite("Benchmarks transform (PostgreSQL)", .serialized)
struct TransformBenchmarkTests {
    struct Row { var waba, template, category, day: String; var product = "mm_api"; var delivered, read, clicks: Int }

    static let rows: [Row] = [
        Row(waba: "wA", template: "tA", category: "MARKETING", day: "2026-11-17", delivered: 60, read: 30, clicks: 6),
        Row(waba: "wA", template: "tA", category: "MARKETING", day: "2026-11-20", delivered: 40, read: 20, clicks: 4),
        Row(waba: "wA", template: "tA", category: "MARKETING", day: "2026-11-10", delivered: 100, read: 100, clicks: 100),
        Row(waba: "wB", template: "tB", category: "MARKETING", day: "2026-11-20", delivered: 100, read: 60, clicks: 20),
        Row(waba: "wC", template: "tC", category: "MARKETING", day: "2026-11-20", delivered: 50, read: 35, clicks: 2),
        Row(waba: "wC", template: "tC", category: "MARKETING", day: "2026-11-20", product: "cloud_api", delivered: 50, read: 35, clicks: 3),
        Row(waba: "wD", template: "tD", category: "MARKETING", day: "2026-11-20", delivered: 100, read: 80, clicks: 30),
        Row(waba: "wE", template: "tE", category: "MARKETING", day: "2026-11-19", delivered: 100, read: 90, clicks: 15),
        Row(waba: "wS", template: "tS", category: "MARKETING", day: "2026-11-20", delivered: 100, read: 75, clicks: 12),
        Row(waba: "wS", template: "tS2", category: "MARKETING", day: "2026-11-20", delivered: 100, read: 10, clicks: 0),
        Row(waba: "wU", template: "tU", category: "UTILITY", day: "2026-11-20", delivered: 100, read: 100, clicks: 100),
        Row(waba: "wF", template: "tF", category: "MARKETING", day: "2026-11-20", delivered: 100, read: 100, clicks: 100),
        Row(waba: "wT", template: "tT", category: "MARKETING", day: "2026-11-20", delivered: 100, read: 65, clicks: 0),
        Row(waba: "wG", template: "tG", category: "MARKETING", day: "2026-11-20", delivered: 100, read: 40, clicks: 10),
        Row(waba: "wV", template: "tV", category: "MARKETING", day: "2026-11-20", delivered: 100, read: 50, clicks: 5),
        Row(waba: "wW", template: "tW", category: "MARKETING", day: "2026-11-20", delivered: 100, read: 50, clicks: 5),
        Row(waba: "wK", template: "tK", category: "MARKETING", day: "2026-11-20", delivered: 100, read: 30, clicks: 50),
        Row(waba: "wX", template: "tX", category: "MARKETING", day: "2026-11-20", delivered: 2, read: 2, clicks: 2),
    ]

    /// waba → (country, industry)
    static let wabas: [(String, String, String)] = [
        ("wA", "BR", "retail"), ("wB", "BR", "Retail"), ("wC", "BR", "retail"), ("wD", "BR", ""), ("wE", "BR", "retail"),
        ("wS", "BR", "retail"), ("wU", "BR", "retail"), ("wF", "BR", "fashion"), ("wT", "AR", "retail"),
        ("wG", "AR", "retail"), ("wV", "JP", "retail"), ("wW", "BR", ""), ("wK", "GB", "retail"), ("wX", "BR", "retail"),
    ]

    static func seed(_ t: SendLogTestDB) throws {
        try t.conn.execute("SELECT etl.ensure_month_partitions('mm.fact_template_daily', '2026-11-01', '2026-11-30')")
        for (waba, country, industry) in wabas {
            try t.conn.query("INSERT INTO mm.dim_waba (waba_id, country, industry) VALUES ($1, $2, $3)", [waba, country, industry])
        }
        try t.conn.execute("INSERT INTO mm.dim_phone_number (waba_id, phone_number_id, vertical) VALUES ('wD', 'pD', 'RETAIL')")
        try t.conn.execute("UPDATE mm.dim_waba SET region = 'Americas' WHERE waba_id = 'wK'")
        var seen = Set<String>()
        for r in rows {
            if seen.insert(r.template).inserted {
                try t.conn.query("""
                    INSERT INTO mm.dim_template_version (waba_id, template_id, valid_from, name, language, category, status, quality_score)
                    VALUES ($1, $2, '2026-01-01', $2, 'en', $3, 'APPROVED', 'GREEN')
                    """, [r.waba, r.template, r.category])
            }
            try t.conn.query("""
                INSERT INTO mm.fact_template_daily (waba_id, template_id, product, day, product_type, bucket_start, bucket_end,
                    sent, delivered, read, url_clicks, unique_url_clicks, quick_reply_clicks, currency, waba_timezone, run_id,
                    first_fetched_at, last_fetched_at)
                VALUES ($1, $2, $3, $4::date, $3, $4::date, $4::date + 1, $5, $5, $6, $7, $7, 0, 'USD', 'UTC', 1, now(), now())
                """, [r.waba, r.template, r.product, r.day, r.delivered, r.read, r.clicks])
        }
    }

    struct Bench: Equatable {
        var cohort: String, businesses: Int, templates: Int
        var p75Read: Double?, p75Click: Double?, rankRead: Double?, rankClick: Double?
        var readRate: Double, clickRate: Double?
        var isPeer = true
    }

    static func benchmarks(_ t: SendLogTestDB) throws -> [String: Bench] {
        let r = try t.conn.query("""
            SELECT template_id, cohort, cohort_businesses, cohort_templates, p75_read_rate, p75_click_rate,
                   read_rate_percent_rank, click_rate_percent_rank, read_rate::float8, click_rate::float8, is_peer::text
            FROM mm.fact_benchmarks WHERE day = '2026-11-20'
            """)
        var out: [String: Bench] = [:]
        for i in 0..<r.count {
            out[try r.string(i, 0)!] = Bench(cohort: try r.string(i, 1)!, businesses: try r.int(i, 2)!, templates: try r.int(i, 3)!,
                                             p75Read: try r.double(i, 4), p75Click: try r.double(i, 5),
                                             rankRead: try r.double(i, 6), rankClick: try r.double(i, 7),
                                             readRate: try r.double(i, 8)!, clickRate: try r.double(i, 9),
                                             isPeer: try r.string(i, 10) == "true")
        }
        return out
    }

    func close(_ a: Double?, _ b: Double?) -> Bool {
        guard let a, let b else { return a == nil && b == nil }
        return abs(a - b) < 1e-9
    }

    @Test func handComputedCohortsPercentilesAndRanks() throws {
        let t = try SendLogTestDB.make("bench", settings: ["mmetl.benchmark_window_days": "7", "mmetl.benchmark_min_delivered": "50"])
        defer { t.close() }
        try Self.seed(t)
        try t.transform("2026-11-20", "2026-11-20")
        let b = try Self.benchmarks(t)
        #expect(Set(b.keys) == ["tA", "tB", "tC", "tD", "tS", "tS2", "tU", "tF", "tT", "tG", "tV", "tW", "tK", "tX"])

        let s = try #require(b["tS"])
        #expect(s.cohort == "country:BR" && s.businesses == 5 && s.templates == 5)
        #expect(close(s.readRate, 0.75) && close(s.clickRate, 0.12))
        #expect(close(s.p75Read, 0.80) && close(s.p75Click, 0.20))
        #expect(close(s.rankRead, 0.6) && close(s.rankClick, 0.4))

        let s2 = try #require(b["tS2"])
        #expect(s2.cohort == "country:BR" && s2.businesses == 5 && close(s2.rankRead, 0) && close(s2.p75Read, 0.80))

        // Below the minimum: a row of its own, but not a peer of anyone.
        let x = try #require(b["tX"])
        #expect(!x.isPeer && s.isPeer)
        #expect(x.cohort == "country:BR" && x.businesses == 6 && x.templates == 7)
        #expect(close(x.p75Read, 0.775) && close(x.p75Click, 0.1875) && close(x.rankRead, 1))

        let a = try #require(b["tA"])  // window of 7 days: the day 10 days back is not in it
        #expect(close(a.readRate, 0.5) && close(a.clickRate, 0.1))
        let c = try #require(b["tC"])  // MM API only: the Cloud API row is not counted
        #expect(close(c.readRate, 0.7) && close(c.clickRate, 0.04))

        let tt = try #require(b["tT"])
        #expect(tt.cohort == "region:Americas" && tt.businesses == 8 && tt.templates == 9)
        #expect(close(tt.p75Read, 0.725) && close(tt.p75Click, 0.175))
        #expect(close(tt.rankRead, 0.625) && close(tt.rankClick, 0))

        // GB: clicks not measured, so no click rate and nothing to compare it with.
        let k = try #require(b["tK"])
        #expect(k.cohort == "region:Americas" && k.clickRate == nil && k.p75Click == nil && k.rankClick == nil)
        #expect(close(k.readRate, 0.3) && k.p75Read != nil)

        for none in ["tV", "tW", "tU", "tF"] {
            let n = try #require(b[none])
            #expect(n.cohort == "none" && n.p75Read == nil && n.p75Click == nil && n.rankRead == nil, "\(none)")
        }
        #expect(b["tV"]?.businesses == 0)
        #expect(b["tV"]?.clickRate == nil)  // JP: clicks not measured
        #expect(try t.scalar("SELECT cohort_note FROM mm.fact_benchmarks WHERE template_id = 'tW'")?.hasPrefix("industry unknown") == true)
        #expect(try t.scalar("SELECT cohort_note FROM mm.fact_benchmarks WHERE template_id = 'tV'")?.hasPrefix("fewer than 5") == true)

        // The analyst view says what the numbers are, and its latest row per template.
        #expect(try t.rows("""
            SELECT peer_cohort, peer_businesses::text, round(peer_p75_read_rate::numeric, 4)::text, round(read_rate_vs_peer_p75, 4)::text
            FROM mm.v_template_peer_benchmark_latest WHERE template_id = 'tS'
            """) == [["country:BR", "5", "0.8000", "-0.0500"]])

        // Idempotent: running again gives the same rows.
        try t.transform("2026-11-20", "2026-11-20")
        #expect(try Self.benchmarks(t) == b)
    }

    @Test func defaultWindowIsThirtyDaysAndMinimumIsASetting() throws {
        let t = try SendLogTestDB.make("bench_defaults", settings: ["mmetl.min_cohort_businesses": "8"])
        defer { t.close() }
        try Self.seed(t)
        try t.transform("2026-11-20", "2026-11-20")
        let b = try Self.benchmarks(t)
        let a = try #require(b["tA"])  // 30 days: 150 read of 200 delivered
        #expect(close(a.readRate, 0.75))
        // 100 deliveries (the default) make a peer: wC's 50 MM API deliveries do not. 8 businesses
        // required: BR has 4 others (wA wB wD wE), the Americas 7 (those, wG, wK and wT) → none.
        #expect(b["tS"]?.cohort == "none" && b["tS"]?.businesses == 7)
        #expect(try t.scalar("SELECT DISTINCT window_days FROM mm.fact_benchmarks") == "30")
    }
}
