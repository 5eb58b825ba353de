"""The scale phase's query side. query_ms: server time (planning + execution, from EXPLAIN (ANALYZE,
TIMING OFF, FORMAT JSON), so the rows are computed but not sent) of every sql/queries example (SET
mmetl.as_of = AS_OF: their own last-7/30-day ranges) and of every mm view with a `day` column over
the 30 days ending AS_OF (views without one whole), each for all WABAs and for one WABA (WHERE
waba_id = WABA; a query is wrapped in SELECT * FROM (…) q WHERE q.waba_id = WABA, n/a when it has no
waba_id column). Best of two runs. pruned: EXPLAIN of every one-WABA 30-day view query names only
partitions (<fact>_pYYYYMM) of the months that range overlaps."""
import datetime
import json
import os
import re

from harness.pg import query, run_file, sql_file
from harness.settings import BenchError

PARTITION = re.compile(r"_p(\d{6})$")


def server_ms(url, as_of, sql, runs=2):
    best = None
    for _ in range(runs):
        text = query(url, f"SET mmetl.as_of = '{as_of}'; EXPLAIN (ANALYZE, TIMING OFF, FORMAT JSON) {sql}")
        plan = json.loads(text[text.index("["):])[0]
        ms = plan.get("Planning Time", 0) + plan["Execution Time"]
        best = ms if best is None else min(best, ms)
    return round(best, 1)


def relations(node, out):
    if isinstance(node, dict):
        if "Relation Name" in node:
            out.add(node["Relation Name"])
        for v in node.values():
            relations(v, out)
    elif isinstance(node, list):
        for v in node:
            relations(v, out)
    return out


def months(first, last):
    out, d = set(), first.replace(day=1)
    while d <= last:
        out.add(d.strftime("%Y%m"))
        d = (d + datetime.timedelta(days=32)).replace(day=1)
    return out


def queries(url, as_of, waba, qdir):
    end = datetime.date.fromisoformat(as_of)
    start = end - datetime.timedelta(days=29)
    rng = f"day BETWEEN '{start}' AND '{end}'"
    result = {"queries": {}, "views": {}, "pruned_by_view": {}}

    def measure(sql):
        try:
            return server_ms(url, as_of, sql)
        except BenchError:
            return None

    for name in sorted(f for f in os.listdir(qdir) if f.endswith(".sql")):
        with open(os.path.join(qdir, name), encoding="utf-8") as f:
            sql = f.read().strip().rstrip(";")
        one = f"SELECT * FROM (\n{sql}\n) q WHERE q.waba_id = '{waba}'"
        result["queries"][name] = {"all_ms": measure(sql), "one_waba_ms": measure(one)}

    cols = run_file(url, sql_file("mm_view_columns.sql"))
    for line in cols.splitlines():
        view, names = line.split("|")
        names = set(names.split(","))
        where = [rng] if "day" in names else []
        base = f"SELECT * FROM mm.{view}"
        all_sql = base + (" WHERE " + " AND ".join(where) if where else "")
        one_sql = None
        if "waba_id" in names:
            one_sql = base + " WHERE " + " AND ".join(where + [f"waba_id = '{waba}'"])
        result["views"][view] = {"all_ms": measure(all_sql), "one_waba_ms": measure(one_sql) if one_sql else None,
                                 "range": "30 days" if where else "whole view"}
        if where and one_sql:
            text = query(url, f"SET mmetl.as_of = '{as_of}'; EXPLAIN (FORMAT JSON) {one_sql}")
            plan = json.loads(text[text.index("["):])
            parts = {m.group(1) for r in relations(plan, set()) for m in [PARTITION.search(r)] if m}
            result["pruned_by_view"][view] = (parts <= months(start, end)) if parts else None
    fn = f"SELECT * FROM mm.template_performance('{start}', '{end}')"
    result["views"]["template_performance()"] = {"all_ms": measure(fn), "one_waba_ms": measure(f"SELECT * FROM mm.template_performance('{start}', '{end}', '{waba}')"),
                                                 "range": "30 days"}
    checked = [v for v in result["pruned_by_view"].values() if v is not None]
    result["pruned"] = bool(checked) and all(checked)
    timed = [t for group in ("queries", "views") for t in result[group].values()]
    result["max_all_ms"] = max((t["all_ms"] for t in timed if t["all_ms"] is not None), default=None)
    result["max_one_waba_ms"] = max((t["one_waba_ms"] for t in timed if t["one_waba_ms"] is not None), default=None)
    return result
