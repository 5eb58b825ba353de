"""The send-log phase reads each step's seconds from the load's JSON debug log, and times only a load that succeeded."""
import json
import os
import tempfile
import unittest

from harness.settings import BenchError
from phases.sendlog import lines_per_second, steps


class StepsTests(unittest.TestCase):
    def test_merge_steps_summed_and_transforms_named(self):
        lines = [
            {"level": "debug", "msg": "send log merge steps", "path": "/a.gz", "seconds": "copy=1.5 messages=2.25"},
            "not json at all",
            {"level": "debug", "msg": "send log merge steps", "path": "/b.gz", "seconds": "copy=0.5"},
            {"level": "debug", "msg": "transform done", "file": "10_fact_sends_daily.sql", "seconds": "3.25"},
            {"level": "info", "msg": "something else", "seconds": "99"},
        ]
        with tempfile.NamedTemporaryFile("w", suffix=".log", delete=False) as f:
            for line in lines:
                f.write((line if isinstance(line, str) else json.dumps(line)) + "\n")
        try:
            self.assertEqual(steps(f.name), {"copy": 2.0, "messages": 2.25, "transform 10_fact_sends_daily.sql": 3.25})
        finally:
            os.remove(f.name)


class ThroughputTests(unittest.TestCase):
    def test_a_failed_load_has_no_throughput(self):
        self.assertEqual(lines_per_second(3_000, 1.5, 0), 2_000)
        with self.assertRaises(BenchError):
            lines_per_second(3_000, 1.5, 1)


if __name__ == "__main__":
    unittest.main()
