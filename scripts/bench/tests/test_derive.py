"""The bench's pure parts: the limit's merge statement, the derived ratios and targets, the API
minimum's dense formula, the CPU split and the settings. Run by `make test`:
    cd scripts/bench && python3 -m unittest discover -s tests -t ."""
import datetime
import unittest

from harness.api_minimum import complete
from harness.cpu import cpu_split
from harness.settings import BenchError, from_environment
from phases.limit import merge_sql
from report.derive import results

TODAY = datetime.date(2026, 11, 30)


def backfill(wall, tail, rss_kb, points=(600, 400), facts=3000, load=(2.0, 1.0)):
    return {
        "scenario": {"wabas": 2, "templates": 10, "days": 30, "chunk_days": 90},
        "command": {"wall_s": wall, "t0": 0, "rusage": {"max_rss_kb": rss_kb, "user_s": 1.0, "sys_s": 0.5},
                    "cpu_others_s": {"postgres": 2.0, "simulator": 0.25}, "samples": []},
        "run": {"status": "succeeded", "exit_code": 0, "api_calls": 25, "throttle_waits": 0, "bytes_archived": 1000,
                "tail_after_last_item_s": tail,
                "items": {"pricing": {"n": 2, "failed": 0, "api_calls": 5, "load_seconds": load[0], "data_points": points[0], "bytes_copied": 10},
                          "templates": {"n": 4, "failed": 0, "api_calls": 8, "load_seconds": load[1], "data_points": points[1], "bytes_copied": 20},
                          "catalog": {"n": 2, "failed": 0, "api_calls": 4, "load_seconds": 0.5, "data_points": 0, "bytes_copied": 5}},
                "raw_pages": {"pricing": {"n": 5, "raw_bytes": 100}, "templates": {"n": 8, "raw_bytes": 300}},
                "facts": {"mm.fact_pricing": facts}},
    }


class MergeSQLTests(unittest.TestCase):
    def test_keys_conflict_bookkeeping_updated_but_not_compared(self):
        sql = merge_sql([("waba_id", True), ("day", True), ("cost", False), ("revision", False)], "s.t_target", "s.t_stage")
        self.assertEqual(sql, 'INSERT INTO s.t_target AS t SELECT * FROM s.t_stage ON CONFLICT ("waba_id", "day") '
                              'DO UPDATE SET "cost" = EXCLUDED."cost", "revision" = EXCLUDED."revision" '
                              'WHERE (t."cost") IS DISTINCT FROM (EXCLUDED."cost")')


class DeriveTests(unittest.TestCase):
    def figures(self):
        limit = {"tables": {"mm.fact_pricing": {"rows": 3000, "export_s": 0.1, "copy_s": 0.4, "stage_copy_s": 0.5, "merge_s": 1.5}}}
        return {"meta": {"git_sha": "abc"}, "e2e": backfill(10.0, 4.0, 102400), "small": backfill(5.0, 1.0, 51200), "limit": limit}

    def test_limit_ratios_divide_the_limit_by_mmetl(self):
        out = results(self.figures())
        self.assertEqual(out["limit"]["limit_s"], 2.0)
        self.assertEqual(out["limit"]["ratio_wall"], 0.2)                         # 2 ÷ 10
        self.assertEqual(out["limit"]["ratio_wall_without_transforms"], 0.333)    # 2 ÷ (10 − 4)
        self.assertEqual(out["limit"]["ratio_load"], 0.667)                       # 2 ÷ (2 + 1), catalog excluded
        self.assertEqual(out["end_to_end"]["data_points_per_s"], 100)
        self.assertEqual(out["memory"]["ratio_large_to_small"], 2.0)

    def test_targets_say_met_missed_or_not_measured(self):
        figs = self.figures()
        figs["sendlog"] = {"lines_per_s": 120000.0}
        out = results(figs)
        by = {t["target"]: t["met"] for t in out["targets"]}
        self.assertFalse(by["end-to-end ÷ limit (wall)"])
        self.assertTrue(by["peak RSS, large scenario (MB)"])       # 100 MB ≤ 100
        self.assertFalse(by["peak RSS large ÷ small"])
        self.assertTrue(by["send log end to end (lines/s)"])
        self.assertNotIn("latency wall ÷ ideal", by)               # no latency phase ran
        figs["sendlog"] = {"lines_per_s": None}
        self.assertIsNone({t["target"]: t["met"] for t in results(figs)["targets"]}["send log end to end (lines/s)"])

    def test_a_phase_missing_leaves_its_block_out(self):
        figs = self.figures()
        del figs["small"], figs["limit"]
        out = results(figs)
        self.assertIsNone(out["limit"])
        self.assertNotIn("memory", out)


class APIMinimumTests(unittest.TestCase):
    def test_dense_formula_counts_partial_batches_and_windows(self):
        m = {"wabas": 2, "windows": 2, "wabas_insights_disabled": 1, "phone_numbers": 3,
             "pricing_pages": 4, "template_pages": 6}
        # 100 days in 90-day windows (90 + 10), 25 templates = batches of 10, 10, 5, page size 500:
        # window 1: ceil(900/500) + ceil(900/500) + ceil(450/500) = 5; window 2: 1 + 1 + 1 = 3;
        # × 1 enabled WABA × 2 products = 16.
        out = complete(m, 25, "2026-01-01", "2026-04-10", 90, 500, 2, True)
        self.assertEqual(out["templates_dense_pages"], 16)
        self.assertEqual(out["fixed"], 2 * 3)
        self.assertEqual(out["minimum"], 6 + 4 + 6)
        self.assertEqual(complete(m, 25, "2026-01-01", "2026-04-10", 90, 500, 2, False)["fixed"], 6 + 3)


class CPUSplitTests(unittest.TestCase):
    def test_split_interpolates_between_samples(self):
        rows = [{"t": 0.0, "mmetl": 0.0, "postgres": 0.0}, {"t": 10.0, "mmetl": 10.0, "postgres": 4.0},
                {"t": 20.0, "mmetl": 10.0, "postgres": 8.0}]
        split = cpu_split(rows, 15.0)
        self.assertEqual(split["until_last_slice"], {"mmetl": 10.0, "postgres": 6.0})
        self.assertEqual(split["after_last_slice"], {"mmetl": 0.0, "postgres": 2.0})
        self.assertEqual(split["seconds_after_last_slice"], 5.0)
        self.assertIsNone(cpu_split(rows[:1], 15.0))


class SettingsTests(unittest.TestCase):
    def test_days_are_clamped_to_template_retention(self):
        s = from_environment("/r", "e2e", {"BENCH_DAYS": "120", "BENCH_AS_OF": "2026-11-30"}, today=TODAY)
        self.assertEqual(s.days, 90)                                  # today − 89 … today
        self.assertTrue(any("clamping 120 days to 90" in n for n in s.notes))
        s = from_environment("/r", "e2e", {"BENCH_AS_OF": "2026-11-20"}, today=TODAY)
        self.assertEqual(s.days, 80)

    def test_bad_settings_name_the_variable(self):
        with self.assertRaisesRegex(BenchError, "BENCH_SCALE"):
            from_environment("/r", "e2e", {"BENCH_SCALE": "huge"}, today=TODAY)
        with self.assertRaisesRegex(BenchError, "BENCH_MERGE_ROWS"):
            from_environment("/r", "e2e", {"BENCH_MERGE_ROWS": "lots"}, today=TODAY)
        with self.assertRaisesRegex(BenchError, "BENCH_AS_OF"):
            from_environment("/r", "e2e", {"BENCH_AS_OF": "yesterday"}, today=TODAY)


if __name__ == "__main__":
    unittest.main()
