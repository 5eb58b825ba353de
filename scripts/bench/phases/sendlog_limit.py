"""The database's own limit on a send-log load's final rows, taken in the `sendlog` phase right
after mmetl's load, on the same database: what PostgreSQL needs only to hold the rows the load
wrote, with no file, JSON, HMAC, stage or merge in it — as the nightly limit is for the facts.

Both send-log tables are exported with `\\copy (SELECT * FROM …) TO` (not timed), then loaded
three ways with `psql \\copy`:
- keyed: text (as the nightly limit) into empty copies with every index (LIKE … INCLUDING ALL),
  rows in the exported order;
- bare + indexes: text into empty copies without indexes, then the same indexes built
  (`maintenance_work_mem` 256 MB, as the load's own bulk path builds them);
- binary bare + indexes: the same in COPY's binary format (no timestamp or number parsed by the
  server, as mmetl's own COPYs), the index builds counted as above.
limit_s = the fastest of the three (one connection, the tables one after the other; the transforms are
left out on both sides of the nightly yardstick, so they are left out here too). ratio = limit_s ÷
mmetl's wall (transforms included); limit_lines_per_s = lines ÷ limit_s: the most any loader of
these rows could reach in this database on this machine, before it reads a byte of JSON."""
import os

from harness.pg import query, timed_query
from harness.settings import BenchError

TABLES = ("sendlog.messages", "sendlog.statuses")
SCHEMA = "bench_sendlog_limit"
MAINTENANCE_WORK_MEM = "256MB"



def index_statements(definitions, source, target, suffix):
    """The `pg_get_indexdef` texts of `source`'s indexes, rewritten to build the same indexes on
    `target` (schema-qualified), each name given `suffix` so it cannot meet the source's."""
    out = []
    for d in definitions:
        head, sep, tail = d.partition(f" ON {source} ")
        if not sep:
            raise BenchError(f"sendlog limit: cannot read the index definition {d!r}")
        name = head.rsplit(" ", 1)[1]
        out.append(f"{head.rsplit(' ', 1)[0]} {name}_{suffix} ON {target} {tail}")
    return out


def figures(lines, wall_s, tables):
    """limit_s, ratio and lines/s from the per-table seconds: `tables` = {table: {"keyed_s",
    "bare_s", "binary_bare_s", "index_s"}}; the limit is the fastest way over both tables."""
    keyed = sum(t["keyed_s"] for t in tables.values())
    bare = sum(t["bare_s"] + t["index_s"] for t in tables.values())
    binary = sum(t["binary_bare_s"] + t["index_s"] for t in tables.values())
    limit = round(min(keyed, bare, binary), 3)
    return {"limit_s": limit, "keyed_s": round(keyed, 3), "bare_and_indexes_s": round(bare, 3),
            "binary_bare_and_indexes_s": round(binary, 3),
            "ratio": round(limit / wall_s, 3) if wall_s else None,
            "limit_lines_per_s": round(lines / limit) if limit > 0 else None}


def measure(ctx, url, lines, wall_s):
    """The limit (see the module's comment) on the loaded database `url`; removes what it made."""
    ctx.log("sendlog: the database's own limit on the same rows (export, then psql \\copy keyed and bare + indexes)")
    query(url, f"DROP SCHEMA IF EXISTS {SCHEMA} CASCADE; CREATE SCHEMA {SCHEMA}")
    tables = {}
    try:
        for table in TABLES:
            name = table.split(".")[1]
            keyed, bare, binary = (f"{SCHEMA}.{name}_{k}" for k in ("keyed", "bare", "binary"))
            path, binary_path = ctx.path(f"sendlog-limit-{name}.copy"), ctx.path(f"sendlog-limit-{name}.bin")
            query(url, f"\\copy (SELECT * FROM {table}) TO '{path}'")
            query(url, f"\\copy (SELECT * FROM {table}) TO '{binary_path}' WITH (FORMAT binary)")
            with open(path, "rb") as f:
                rows = sum(1 for _ in f)
            bare_like = "INCLUDING DEFAULTS INCLUDING CONSTRAINTS INCLUDING STORAGE"
            query(url, f"CREATE TABLE {keyed} (LIKE {table} INCLUDING ALL); "
                       f"CREATE TABLE {bare} (LIKE {table} {bare_like}); CREATE TABLE {binary} (LIKE {table} {bare_like})")
            query(url, "CHECKPOINT")
            keyed_s = timed_query(url, f"\\copy {keyed} FROM '{path}'")
            query(url, "CHECKPOINT")
            bare_s = timed_query(url, f"\\copy {bare} FROM '{path}'")
            query(url, "CHECKPOINT")
            binary_s = timed_query(url, f"\\copy {binary} FROM '{binary_path}' WITH (FORMAT binary)")
            os.remove(path)
            os.remove(binary_path)
            definitions = query(url, f"SELECT pg_get_indexdef(indexrelid) FROM pg_index WHERE indrelid = '{table}'::regclass "
                                     "ORDER BY indexrelid").splitlines()
            builds = index_statements(definitions, table, bare, "limit")
            index_s = timed_query(url, f"SET maintenance_work_mem = '{MAINTENANCE_WORK_MEM}'; " + "; ".join(builds))
            for copy in (keyed, bare, binary):
                if int(query(url, f"SELECT count(*) FROM {copy}")) != rows:
                    raise BenchError(f"sendlog limit: {copy} does not hold the {rows} rows exported")
            tables[table] = {"rows": rows, "indexes": len(builds), "keyed_s": keyed_s, "bare_s": bare_s,
                              "binary_bare_s": binary_s, "index_s": index_s}
    finally:
        query(url, f"DROP SCHEMA IF EXISTS {SCHEMA} CASCADE")
    return {**figures(lines, wall_s, tables), "tables": tables,
            "definition": ("psql \\copy of the load's final rows of both send-log tables into empty copies, the "
                           "fastest of: text with every index; text, or binary, without and the same indexes built after; "
                           "one connection, transforms left out; ratio = limit_s ÷ mmetl's wall")}
