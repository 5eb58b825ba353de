"""limit: the database's own limit on the e2e run's final fact rows. Each fact exported with
`\\copy (SELECT …) TO`, loaded with `psql \\copy` into an empty keyed copy (LIKE … INCLUDING ALL:
unpartitioned), and into an UNLOGGED staging table followed by the equivalent merge (INSERT … SELECT
… ON CONFLICT (primary key) DO UPDATE … WHERE values IS DISTINCT FROM) into an empty keyed target.
limit_s = Σ (stage copy + merge); the report divides it by mmetl's wall."""
import os

from harness.pg import query, run_file, sql_file, timed_query
from harness.settings import BenchError

NAME = "limit"
REQUIRES = "e2e"
FACTS = ("mm.fact_template_daily", "mm.fact_pricing", "mm.fact_conversions", "mm.fact_template_clicks")
# Bookkeeping columns every fact carries; the merge compares the other non-key columns.
BOOKKEEPING = {"run_id", "first_fetched_at", "last_fetched_at", "revision", "is_final"}


def merge_sql(columns, target, stage):
    """INSERT INTO target SELECT * FROM stage ON CONFLICT (<key>) DO UPDATE SET <every non-key
    column> WHERE (<value columns>) IS DISTINCT FROM (…); `columns` = [(name, in_primary_key)]."""
    keys = [n for n, k in columns if k]
    others = [n for n, k in columns if not k]
    values = [n for n in others if n not in BOOKKEEPING]
    q = lambda n: '"' + n + '"'  # noqa: E731  (`read`, `count`, `day` … are column names)
    return (f"INSERT INTO {target} AS t SELECT * FROM {stage} "
            f"ON CONFLICT ({', '.join(map(q, keys))}) DO UPDATE SET "
            + ", ".join(f"{q(n)} = EXCLUDED.{q(n)}" for n in others)
            + f" WHERE ({', '.join('t.' + q(n) for n in values)}) IS DISTINCT FROM ({', '.join('EXCLUDED.' + q(n) for n in values)})")



def run(ctx):
    url = ctx.figures["e2e"]["database_url"]
    ctx.log("limit: export the final facts, then psql \\copy + merge into a scratch schema")
    query(url, "DROP SCHEMA IF EXISTS bench_limit CASCADE; CREATE SCHEMA bench_limit")
    tables, merge = {}, ""
    for fact in FACTS:
        name = fact.split(".")[1]
        copy, stage, target = (f"bench_limit.{name}_{k}" for k in ("copy", "stage", "target"))
        run_file(url, sql_file("limit_tables.sql"), {"fact": fact, "copy": copy, "stage": stage, "target": target})
        columns = [(line.split("|")[0], line.split("|")[1] == "1")
                   for line in run_file(url, sql_file("primary_key_columns.sql"), {"fact": fact}).splitlines()]
        merge = merge_sql(columns, target, stage)
        path = ctx.path(f"limit-{name}.copy")
        export_s = timed_query(url, f"\\copy (SELECT * FROM {fact}) TO '{path}'")
        with open(path, "rb") as f:
            rows = sum(1 for _ in f)
        copy_s = timed_query(url, f"\\copy {copy} FROM '{path}'")
        stage_s = timed_query(url, f"\\copy {stage} FROM '{path}'")
        merge_s = timed_query(url, merge)
        if int(query(url, f"SELECT count(*) FROM {target}")) != rows:
            raise BenchError(f"limit: {name} target row count differs from the {rows} rows exported")
        tables[fact] = {"rows": rows, "export_s": export_s, "copy_s": copy_s, "stage_copy_s": stage_s, "merge_s": merge_s}
        os.remove(path)
    query(url, "DROP SCHEMA bench_limit CASCADE")
    return {"tables": tables, "merge_sql_example": merge}
