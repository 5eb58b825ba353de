"""Every phase module states its contract, and the bench runs the SQL files it ships."""
import os
import re
import unittest

import phases

BENCH = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


class PhaseTests(unittest.TestCase):
    def test_every_phase_has_a_name_a_definition_and_run(self):
        names = [p.NAME for p in phases.ORDER]
        self.assertEqual(len(names), len(set(names)))
        for p in phases.ORDER:
            self.assertTrue(callable(p.run), p.NAME)
            self.assertGreater(len((p.__doc__ or "").strip()), 40, f"{p.NAME}: its docstring defines its figures")
            self.assertIn(getattr(p, "REQUIRES", names[0]), names)
        self.assertLessEqual(set(phases.DEFAULT.split()), set(names))

    def test_every_sql_file_is_used(self):
        sources = ""
        for folder, _, files in os.walk(BENCH):
            for f in files:
                if f.endswith(".py") and "tests" not in folder:
                    with open(os.path.join(folder, f), encoding="utf-8") as fh:
                        sources += fh.read()
        for f in os.listdir(os.path.join(BENCH, "sql")):
            self.assertRegex(sources, re.escape(f'"{f}"'), f"sql/{f} is not run by any phase")


if __name__ == "__main__":
    unittest.main()
