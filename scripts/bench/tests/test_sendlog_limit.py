"""The send-log limit rebuilds the source's own indexes on its bare copy and takes the faster way."""
import unittest

from harness.settings import BenchError
from phases.sendlog_limit import figures, index_statements


class IndexStatementsTests(unittest.TestCase):
    def test_each_index_rebuilt_on_the_copy_under_a_name_of_its_own(self):
        defs = ["CREATE UNIQUE INDEX messages_pkey ON sendlog.messages USING btree (waba_id, wamid)",
                "CREATE INDEX messages_occurred_at_idx ON sendlog.messages USING btree (occurred_at)"]
        self.assertEqual(index_statements(defs, "sendlog.messages", "s.messages_bare", "limit"), [
            "CREATE UNIQUE INDEX messages_pkey_limit ON s.messages_bare USING btree (waba_id, wamid)",
            "CREATE INDEX messages_occurred_at_idx_limit ON s.messages_bare USING btree (occurred_at)"])

    def test_an_index_of_another_table_is_an_error(self):
        with self.assertRaises(BenchError):
            index_statements(["CREATE INDEX x ON other.t USING btree (a)"], "sendlog.messages", "s.m", "limit")


class FiguresTests(unittest.TestCase):
    def test_the_faster_way_over_both_tables(self):
        tables = {"a": {"keyed_s": 10.0, "bare_s": 4.0, "binary_bare_s": 5.0, "index_s": 3.0},
                  "b": {"keyed_s": 20.0, "bare_s": 6.0, "binary_bare_s": 6.5, "index_s": 5.0}}
        f = figures(3_600_000, 72.0, tables)
        self.assertEqual((f["keyed_s"], f["bare_and_indexes_s"], f["binary_bare_and_indexes_s"], f["limit_s"]),
                         (30.0, 18.0, 19.5, 18.0))
        self.assertEqual((f["ratio"], f["limit_lines_per_s"]), (0.25, 200_000))
        keyed_faster = figures(100, 10.0, {"a": {"keyed_s": 2.0, "bare_s": 2.0, "binary_bare_s": 2.0, "index_s": 1.0}})
        self.assertEqual(keyed_faster["limit_s"], 2.0)
        binary_faster = figures(100, 10.0, {"a": {"keyed_s": 9.0, "bare_s": 4.0, "binary_bare_s": 2.5, "index_s": 1.0}})
        self.assertEqual(binary_faster["limit_s"], 3.5)


if __name__ == "__main__":
    unittest.main()
