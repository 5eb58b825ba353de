#!/usr/bin/env python3
"""Helpers of scripts/bench.sh (python3 standard library only).

    bench.py timev FILE                      figures of a `/usr/bin/time -v -o FILE` report, as JSON
    bench.py cpu PID                         CPU seconds of a process, its reaped children and its live descendants
    bench.py sample FILE NAME=PID...         until SIGTERM, CPU seconds of each process tree every 0.5 s (JSON lines)
    bench.py pg-statements LOG OFFSET        statement durations in the server log from OFFSET, per statement kind
    bench.py callgrind-summary SELF INCL OUT SCENARIO   top functions of callgrind_annotate outputs
    bench.py run-figures URL                 the last run of a database: etl.runs, etl.run_items, etl.raw_pages, facts
    bench.py api-minimum URL ARGS...         the fewest Graph API requests the scenario allows (see `minimum` below)
    bench.py merge-sql URL TABLE SCHEMA      the limit's INSERT … ON CONFLICT … DO UPDATE … WHERE … IS DISTINCT FROM
    bench.py report FIGDIR OUT.json...       derived figures, the table on stdout, the JSON into every OUT.json

Database access goes through `psql` (PG* variables and URLs as libpq takes them).
"""
import json
import math
import os
import re
import subprocess
import sys

FACTS = ["mm.fact_template_daily", "mm.fact_pricing", "mm.fact_conversions", "mm.fact_template_clicks"]
# Bookkeeping columns every fact carries; the limit's merge compares the other non-key columns.
BOOKKEEPING = {"run_id", "first_fetched_at", "last_fetched_at", "revision", "is_final"}


def psql(url, sql):
    out = subprocess.run(["psql", "-X", "-q", "-At", "-v", "ON_ERROR_STOP=1", "-d", url, "-c", sql],
                         check=True, capture_output=True, text=True)
    return out.stdout.strip()


def psql_json(url, sql):
    text = psql(url, sql)
    return json.loads(text) if text else None


# ---------------------------------------------------------------------------------------------- timev
def timev(path):
    """`/usr/bin/time -v` report: peak RSS (kB), user/system CPU seconds, wall seconds, exit status."""
    fields = {}
    with open(path, encoding="utf-8", errors="replace") as f:
        for line in f:
            if ":" not in line:
                continue
            key, _, value = line.strip().rpartition(": ")
            fields[key.strip()] = value.strip()

    def num(key, default=0.0):
        try:
            return float(fields.get(key, default))
        except ValueError:
            return default

    wall = 0.0
    elapsed = fields.get("Elapsed (wall clock) time (h:mm:ss or m:ss)", "0")
    for part in elapsed.split(":"):
        wall = wall * 60 + float(part or 0)
    return {
        "max_rss_kb": int(num("Maximum resident set size (kbytes)")),
        "user_s": num("User time (seconds)"),
        "sys_s": num("System time (seconds)"),
        "wall_s": wall,
        "exit_status": int(num("Exit status")),
        "voluntary_ctx_switches": int(num("Voluntary context switches")),
        "involuntary_ctx_switches": int(num("Involuntary context switches")),
    }


# ------------------------------------------------------------------------------------------------ cpu
def _stat(pid):
    with open(f"/proc/{pid}/stat", encoding="ascii") as f:
        text = f.read()
    # Fields after the command name (which may hold spaces and parentheses).
    rest = text[text.rindex(")") + 2:].split()
    # rest[0] is field 3 (state): utime=14, stime=15, cutime=16, cstime=17, ppid=4.
    return {"ppid": int(rest[1]), "utime": int(rest[11]), "stime": int(rest[12]),
            "cutime": int(rest[13]), "cstime": int(rest[14])}


def cpu_seconds(pid):
    """CPU of `pid` itself and of its children it has reaped, plus every live descendant's own CPU
    (a PostgreSQL backend counts in the postmaster's cutime once it has exited and been reaped)."""
    tick = os.sysconf("SC_CLK_TCK")
    stats = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stats[int(entry)] = _stat(entry)
            except (OSError, ValueError, IndexError):
                pass
    if pid not in stats:
        return 0.0
    children = {}
    for p, s in stats.items():
        children.setdefault(s["ppid"], []).append(p)
    root = stats[pid]
    total = root["utime"] + root["stime"] + root["cutime"] + root["cstime"]
    todo = list(children.get(pid, []))
    while todo:
        p = todo.pop()
        total += stats[p]["utime"] + stats[p]["stime"]
        todo.extend(children.get(p, []))
    return total / tick


def sample(path, pids, interval=0.5):
    """Until SIGTERM: every `interval` seconds one JSON line {"t": epoch, "<name>": cpu seconds, …} for
    `pids` given as name=pid (each with its descendants, as in cpu_seconds)."""
    import signal
    import time
    stop = []
    signal.signal(signal.SIGTERM, lambda *_: stop.append(1))
    named = [p.split("=", 1) for p in pids]
    seen = {}
    with open(path, "a", encoding="utf-8") as f:
        while True:
            row = {"t": round(time.time(), 3)}
            for name, pid in named:
                # Monotonic: a process that has exited (and been reaped) reads as 0 from then on.
                seen[name] = max(seen.get(name, 0.0), cpu_seconds(int(pid)))
                row[name] = round(seen[name], 3)
            f.write(json.dumps(row) + "\n")
            f.flush()
            if stop:
                return
            time.sleep(interval)


def cpu_split(path, t_split, t_start=None):
    """CPU seconds of each sampled process before and after `t_split` (epoch seconds)."""
    rows = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            try:
                rows.append(json.loads(line))
            except ValueError:
                pass
    if len(rows) < 2:
        return None
    names = [k for k in rows[0] if k != "t"]

    def at(t):
        prev = rows[0]
        for r in rows:
            if r["t"] >= t:
                span = r["t"] - prev["t"]
                w = (t - prev["t"]) / span if span > 0 else 1.0
                return {n: prev[n] + w * (r[n] - prev[n]) for n in names}
            prev = r
        return {n: rows[-1][n] for n in names}

    first, last = dict(rows[0]), rows[-1]
    first["mmetl"] = 0.0  # the sampler starts a moment after the command: count mmetl from zero
    mid = at(t_split) if t_split else last
    before = {n: round(mid[n] - first[n], 2) for n in names}
    after = {n: round(last[n] - mid[n], 2) for n in names}
    return {"until_last_slice": before, "after_last_slice": after,
            "seconds_until_last_slice": round((t_split or last["t"]) - (t_start or first["t"]), 2),
            "seconds_after_last_slice": round(last["t"] - (t_split or last["t"]), 2)}


# ----------------------------------------------------------------------------------- statement times
ENTRY = re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d")
DURATION = re.compile(r"LOG:\s+duration: ([\d.]+) ms\s+(statement|execute|parse|bind)[^:]*:\s?(.*)", re.S)


def statement_label(sql):
    """A short label for a statement: its verb and the first relation it names."""
    text = " ".join(sql.split())
    verb = text.split(" ", 1)[0].upper() if text else "?"
    if text.startswith("--"):
        verb = "TRANSFORM"
    m = re.search(r"\b(mm\.\w+|etl\.\w+|staging\.\w+|sendlog\.\w+|pg_temp\.\w+|bm_\w+|mmetl_stg_\w+)", text)
    fact = re.search(r"\bmm\.(fact_\w+)", text)
    if "UPDATE" in text and "fact_revisions" in text and verb == "WITH" and fact:
        return f"merge: update changed {fact.group(1)}"
    if verb == "INSERT" and "NOT EXISTS" in text and fact:
        return f"merge: insert new {fact.group(1)}"
    if verb == "UPDATE" and "SET is_final = true" in text and fact:
        return f"merge: finalize {fact.group(1)}"
    if verb == "SELECT" and "set_config" in text:
        return "SELECT set_config(…)"
    rel = m.group(1) if m else ""
    return f"{verb} {rel.replace('pg_temp.mmetl_stg_', 'staging ')}".strip()


def pg_statements(path, offset):
    """Durations logged with log_min_duration_statement = 0 from byte `offset` of the server log,
    summed per statement label (concurrent statements overlap: the sum can exceed the wall time)."""
    entries, cur = [], None
    with open(path, encoding="utf-8", errors="replace") as f:
        f.seek(offset)
        for line in f:
            if ENTRY.match(line):
                if cur is not None:
                    entries.append(cur)
                cur = line
            elif cur is not None:
                cur += line
    if cur is not None:
        entries.append(cur)
    agg = {}
    for e in entries:
        m = DURATION.search(e)
        if not m:
            continue
        label = statement_label(m.group(3))
        a = agg.setdefault(label, {"statement": label, "calls": 0, "total_s": 0.0, "max_ms": 0.0})
        ms = float(m.group(1))
        # The extended protocol logs parse, bind and execute apart: time counts all, calls executions.
        a["calls"] += m.group(2) in ("statement", "execute")
        a["total_s"] += ms / 1000
        a["max_ms"] = max(a["max_ms"], ms)
    rows = sorted(agg.values(), key=lambda a: -a["total_s"])
    for a in rows:
        a["total_s"] = round(a["total_s"], 3)
        a["max_ms"] = round(a["max_ms"], 1)
    return {"total_s": round(sum(a["total_s"] for a in rows), 3), "top": rows[:25]}


# ------------------------------------------------------------------------------------------ run figures
RUN_SQL = """
WITH r AS (SELECT * FROM etl.runs WHERE command IN ('run', 'backfill') ORDER BY run_id DESC LIMIT 1)
SELECT json_build_object(
  'run_id', r.run_id, 'command', r.command, 'status', r.status, 'exit_code', r.exit_code,
  'api_calls', r.api_calls, 'throttle_waits', r.throttle_waits, 'bytes_archived', r.bytes_archived,
  'rows_loaded', r.rows_loaded,
  'db_seconds', extract(epoch FROM r.finished_at - r.started_at),
  'tail_after_last_item_s', extract(epoch FROM r.finished_at - (SELECT max(finished_at) FROM etl.run_items i WHERE i.run_id = r.run_id)),
  'last_item_epoch', (SELECT extract(epoch FROM max(finished_at)) FROM etl.run_items i WHERE i.run_id = r.run_id),
  'items', (SELECT json_object_agg(dataset, x) FROM (
      SELECT dataset, json_build_object(
        'n', count(*), 'failed', count(*) FILTER (WHERE status <> 'succeeded'),
        'api_calls', sum(api_calls), 'pages', sum(pages), 'load_seconds', coalesce(sum(seconds), 0),
        'rows_copied', sum(rows_copied), 'bytes_copied', sum(bytes_copied),
        'rows_inserted', sum(rows_inserted), 'rows_updated', sum(rows_updated),
        'data_points', coalesce(sum((diagnostics->>'data_points')::bigint), 0),
        'first_start', min(started_at), 'last_finish', max(finished_at)) AS x
      FROM etl.run_items WHERE run_id = r.run_id GROUP BY dataset) s),
  'raw_pages', (SELECT json_object_agg(dataset, x) FROM (
      SELECT dataset, json_build_object('n', count(*), 'raw_bytes', sum(raw_bytes), 'compressed_bytes', sum(compressed_bytes)) AS x
      FROM etl.raw_pages WHERE run_id = r.run_id GROUP BY dataset) p),
  'facts', json_build_object(%s)
) FROM r
"""


def run_figures(url):
    counts = ", ".join(f"'{t}', (SELECT count(*) FROM {t})" for t in FACTS)
    return psql_json(url, RUN_SQL % counts)


# ------------------------------------------------------------------------------------------ api minimum
def minimum(url, templates, window_start, window_end, window_days, page_size, products, industry_set):
    """The fewest requests the API allows for the scenario, independent of how mmetl batches:

    per WABA   1 WABA-fields call + 1 phone_numbers call (≤ 100 numbers per page)
               + 1 business-profile call per phone number unless the pipeline sets `industry`
               + ceil(templates / 250) message_templates pages (the catalog; 250 is Graph's page cap)
    pricing    per WABA and window of ≤ `window_days` days: max(1, ceil(data points / page_size)).
               Its volume is not known a priori: data points = the rows of mm.fact_pricing for that
               WABA and window after the run (one row per data point: the key is every dimension + day).
    templates  per WABA, product type and window: ceil(templates / 10) calls (≤ 10 template_ids per
               call), each max(1, ceil(its data points / page_size)) pages; data points = rows of
               mm.fact_template_daily (one per template × day × product; days with nothing sent are
               not served). Templates are grouped 10 by 10 in id order (length, then text). A WABA
               whose fields say is_enabled_for_insights=false needs none (the API refuses them).
               "dense" is the a-priori formula: every template has a data point every day.
    Windows: [start, end] split into spans of ≤ window_days (90 = one window for a 90-day scenario).
    """
    q = f"""
    WITH w AS (SELECT DISTINCT waba_id FROM mm.dim_waba),
    win AS (SELECT g AS idx, ('{window_start}'::date + g * {window_days}) AS ws,
                   least('{window_end}'::date, '{window_start}'::date + g * {window_days} + {window_days} - 1) AS we
            FROM generate_series(0, ('{window_end}'::date - '{window_start}'::date) / {window_days}) g),
    phones AS (SELECT waba_id, count(*) AS n FROM mm.dim_phone_number GROUP BY waba_id),
    pricing AS (
      SELECT w.waba_id, win.idx, greatest(1, ceil(count(p.*)::numeric / {page_size}))::int AS pages, count(p.*) AS points
      FROM w CROSS JOIN win LEFT JOIN mm.fact_pricing p ON p.waba_id = w.waba_id AND p.day BETWEEN win.ws AND win.we
      GROUP BY w.waba_id, win.idx),
    tpl AS (SELECT waba_id, template_id,
                   (row_number() OVER (PARTITION BY waba_id ORDER BY length(template_id), template_id) - 1) / 10 AS batch
            FROM (SELECT DISTINCT t.waba_id, t.template_id FROM mm.dim_template t
                  JOIN mm.dim_waba dw ON dw.waba_id = t.waba_id AND dw.insights_enabled IS NOT false) d),
    disabled AS (SELECT count(*) AS n FROM mm.dim_waba WHERE insights_enabled = false),
    prod AS (SELECT unnest(ARRAY[{",".join("'" + p + "'" for p in products)}]::text[]) AS product),
    tcalls AS (
      SELECT t.waba_id, t.batch, prod.product, win.idx, count(f.*) AS points,
             greatest(1, ceil(count(f.*)::numeric / {page_size}))::int AS pages
      FROM tpl t CROSS JOIN prod CROSS JOIN win
      LEFT JOIN mm.fact_template_daily f ON f.waba_id = t.waba_id AND f.template_id = t.template_id
           AND f.product = prod.product AND f.day BETWEEN win.ws AND win.we
      GROUP BY t.waba_id, t.batch, prod.product, win.idx)
    SELECT json_build_object(
      'wabas', (SELECT count(*) FROM w),
      'wabas_insights_disabled', (SELECT n FROM disabled),
      'windows', (SELECT count(*) FROM win),
      'phone_numbers', (SELECT coalesce(sum(n), 0) FROM phones),
      'catalog_templates', (SELECT count(*) FROM tpl),
      'pricing_points', (SELECT coalesce(sum(points), 0) FROM pricing),
      'pricing_pages', (SELECT coalesce(sum(pages), 0) FROM pricing),
      'template_points', (SELECT coalesce(sum(points), 0) FROM tcalls),
      'template_calls', (SELECT count(*) FROM tcalls),
      'template_pages', (SELECT coalesce(sum(pages), 0) FROM tcalls))
    """
    m = psql_json(url, q)
    wabas, windows = m["wabas"], m["windows"]
    per_waba = 2 + math.ceil(templates / 250)
    profiles = 0 if industry_set else m["phone_numbers"]
    batches = math.ceil(templates / 10)
    # Dense: every template-day served; per window the full batches and the last partial one.
    days = [min(window_days, (_days_between(window_start, window_end) + 1) - i * window_days) for i in range(windows)]
    dense_tpl = 0
    for d in days:
        for b in range(batches):
            n = min(10, templates - b * 10)
            dense_tpl += max(1, math.ceil(n * d / page_size))
    dense_tpl *= (wabas - m["wabas_insights_disabled"]) * len(products)
    m.update({
        "per_waba_fixed": per_waba, "business_profiles": profiles,
        "fixed": wabas * per_waba + profiles,
        "templates_dense_pages": dense_tpl,
        "minimum": wabas * per_waba + profiles + m["pricing_pages"] + m["template_pages"],
        "minimum_dense": wabas * per_waba + profiles + m["pricing_pages"] + dense_tpl,
        "window": [window_start, window_end, window_days], "page_size": page_size,
    })
    return m


def _days_between(a, b):
    import datetime
    return (datetime.date.fromisoformat(b) - datetime.date.fromisoformat(a)).days


# ------------------------------------------------------------------------------------------- merge sql
def merge_sql(url, table, schema):
    """INSERT INTO <schema>.<t>_target SELECT * FROM <schema>.<t>_stage ON CONFLICT (<primary key of
    the mm fact>) DO UPDATE SET <every non-key column> WHERE (<value columns>) IS DISTINCT FROM (…)."""
    name = table.split(".")[1]
    cols = psql(url, f"""
        SELECT string_agg(a.attname || ':' || (a.attnum = ANY (i.indkey))::int, ',' ORDER BY a.attnum)
        FROM pg_attribute a JOIN pg_index i ON i.indrelid = a.attrelid AND i.indisprimary
        WHERE a.attrelid = '{table}'::regclass AND a.attnum > 0 AND NOT a.attisdropped""")
    pairs = [c.split(":") for c in cols.split(",")]
    keys = [n for n, k in pairs if k == "1"]
    others = [n for n, k in pairs if k == "0"]
    values = [n for n in others if n not in BOOKKEEPING]
    q = lambda n: '"' + n + '"'  # noqa: E731  (`read`, `count`, `day` … are column names)
    return (f"INSERT INTO {schema}.{name}_target AS t SELECT * FROM {schema}.{name}_stage "
            f"ON CONFLICT ({', '.join(map(q, keys))}) DO UPDATE SET "
            + ", ".join(f"{q(n)} = EXCLUDED.{q(n)}" for n in others)
            + f" WHERE ({', '.join('t.' + q(n) for n in values)}) IS DISTINCT FROM ({', '.join('EXCLUDED.' + q(n) for n in values)})")


# ------------------------------------------------------------------------------------------- callgrind
COST = re.compile(r"^\s*([\d,]+) \(\s*([\d.]+)%\)\s+(.*)$")
# Library entry points worth naming next to mmetl's own functions.
LIBRARY_POINTS = ("JSONSerialization.jsonObject(with:options:)", "JSONDecoder.decode<A>(_:from:)",
                  "swift_retain", "swift_release", "_swift_getGenericMetadata", "malloc", "_int_free", "deflate")


def _costs(path):
    rows = []
    with open(path, encoding="utf-8", errors="replace") as f:
        for line in f:
            m = COST.match(line)
            if m and "PROGRAM TOTALS" not in line:
                name = m.group(3)
                if name.startswith("???:"):
                    name = name[4:]
                rows.append((int(m.group(1).replace(",", "")), float(m.group(2)), name))
    return rows


def callgrind_summary(self_path, incl_path, out_path, scenario):
    """Exclusive top 30; inclusive top 40 of mmetl's own functions (cycles marked '2 left out:
    callgrind counts recursive cycles several times) plus a few library entry points."""
    total = 0
    with open(self_path, encoding="utf-8", errors="replace") as f:
        for line in f:
            if "PROGRAM TOTALS" in line:
                total = int(line.split()[0].replace(",", ""))
    own, seen = [], set()
    for ir, pct, name in _costs(incl_path):
        fn = name.rsplit(" [", 1)[0]
        if "'2" in fn or fn in seen or fn.startswith(("partial apply", "protocol witness", "thunk", "closure #", "specialized closure #")):
            continue
        fn = fn.removeprefix("specialized ")
        if fn in seen:
            continue
        if "mmetl" in name.rsplit(" [", 1)[-1] or any(fn.endswith(p) or fn == p for p in LIBRARY_POINTS):
            seen.add(fn)
            own.append(f"{pct:5.1f}%  {fn}")
        if len(own) >= 40:
            break
    selfs = [f"{pct:5.1f}%  {name.rsplit(' [', 1)[0]}" for _, pct, name in _costs(self_path)[:30]]
    with open(out_path, "w", encoding="utf-8") as f:
        f.write(f"# valgrind --tool=callgrind: mmetl {scenario}\n")
        f.write(f"# {total:,} instructions (mmetl only: PostgreSQL and the simulator are other processes)\n")
        f.write("\n## inclusive: mmetl's functions and library entry points\n" + "\n".join(own) + "\n")
        f.write("\n## exclusive (self)\n" + "\n".join(selfs) + "\n")
    return {"scenario": scenario, "instructions": total, "file": out_path,
            "inclusive": [x[:200] for x in own], "exclusive": [x[:200] for x in selfs]}


# ---------------------------------------------------------------------------------------------- report
def load_figures(d):
    figs = {}
    for name in sorted(os.listdir(d)):
        if name.endswith(".json"):
            with open(os.path.join(d, name), encoding="utf-8") as f:
                text = f.read().strip()
            figs[name[:-5]] = json.loads(text) if text else None
    return figs


def ratio(a, b):
    return round(a / b, 3) if a is not None and b else None


def r3(x):
    return None if x is None else round(float(x), 3)


def backfill_block(figs, prefix):
    """Figures of one backfill scenario from what bench.sh collected under `prefix`."""
    run = figs.get(prefix + "_run")
    tv = figs.get(prefix + "_timev")
    if not run or not tv:
        return None
    items = run.get("items") or {}
    fact_items = [v for k, v in items.items() if k in ("pricing", "templates")]
    wall = figs.get(prefix + "_wall_s") or tv["wall_s"]
    facts = run.get("facts") or {}
    fact_rows = sum(facts.values())
    points = sum(v["data_points"] for v in fact_items)
    raw = run.get("raw_pages") or {}
    load_s = sum(float(v["load_seconds"]) for v in fact_items)
    cat = items.get("catalog")
    tail = float(run.get("tail_after_last_item_s") or 0)
    etl_wall = wall - tail
    split = None
    samples = figs.get(prefix + "_samples_path")
    if samples and os.path.exists(samples):
        split = cpu_split(samples, float(run.get("last_item_epoch") or 0), figs.get(prefix + "_t0"))
    return {
        "scenario": figs.get(prefix + "_scenario"),
        "status": run["status"], "exit_code": run["exit_code"],
        "wall_s": r3(wall),
        "wall_without_transforms_s": r3(etl_wall),
        "transforms_tail_s": r3(tail),
        "data_points": points, "data_points_per_s": round(points / wall) if wall else None,
        "fact_rows": fact_rows, "fact_rows_per_s": round(fact_rows / wall) if wall else None,
        "facts": facts,
        "requests": run["api_calls"], "requests_by_dataset": {k: v["api_calls"] for k, v in items.items()},
        "pages_archived_by_dataset": {k: v["n"] for k, v in raw.items()},
        "throttle_waits": run["throttle_waits"],
        "bytes_archived": run["bytes_archived"],
        "json_bytes_received": sum(v["raw_bytes"] for v in raw.values()),
        "bytes_copied": sum(v["bytes_copied"] for v in items.values()),
        "slices": {k: v["n"] for k, v in items.items()},
        "slices_failed": sum(v["failed"] for v in items.values()),
        "load_seconds_sum": r3(load_s),
        "catalog_load_seconds_sum": r3(cat["load_seconds"]) if cat else None,
        "peak_rss_mb": round(tv["max_rss_kb"] / 1024, 1),
        "cpu_s": {"mmetl_user": r3(tv["user_s"]), "mmetl_sys": r3(tv["sys_s"]),
                  "postgres": r3(figs.get(prefix + "_cpu_postgres_s")),
                  "simulator": r3(figs.get(prefix + "_cpu_simulator_s"))},
        "cpu_s_by_phase": split,
        "postgres_statements": figs.get(prefix + "_pg_statements"),
    }


def report(figdir, outs):
    figs = load_figures(figdir)
    meta = figs.get("meta") or {}
    out = {"meta": meta}
    e2e = backfill_block(figs, "e2e")
    small = backfill_block(figs, "small")
    out["end_to_end"] = e2e
    out["memory_small"] = small

    limit = figs.get("limit")
    if limit and e2e:
        tables = limit["tables"]
        lim_s = sum(t["stage_copy_s"] + t["merge_s"] for t in tables.values())
        copy_s = sum(t["copy_s"] for t in tables.values())
        rows = sum(t["rows"] for t in tables.values())
        limit.update({
            "rows": rows,
            "limit_s": r3(lim_s),
            "limit_rows_per_s": round(rows / lim_s) if lim_s else None,
            "copy_only_s": r3(copy_s),
            "ratio_wall": ratio(lim_s, e2e["wall_s"]),
            "ratio_wall_without_transforms": ratio(lim_s, e2e["wall_without_transforms_s"]),
            "ratio_load": ratio(lim_s, e2e["load_seconds_sum"]),
            "ratio_wall_copy_only": ratio(copy_s, e2e["wall_s"]),
            "definition": ("limit_s = Σ over the 4 facts of (psql \\copy of the exported rows into an empty "
                           "UNLOGGED staging table + INSERT … SELECT … ON CONFLICT (primary key) DO UPDATE … WHERE "
                           "values IS DISTINCT FROM into an empty, unpartitioned keyed target (LIKE … INCLUDING ALL)); "
                           "ratio_wall = limit_s ÷ mmetl backfill wall seconds (= mmetl rows/s ÷ limit rows/s); "
                           "ratio_wall_without_transforms = limit_s ÷ (wall − transforms tail), the tail being "
                           "etl.runs.finished_at − the last etl.run_items.finished_at (sql/transforms run there); "
                           "ratio_load = limit_s ÷ Σ etl.run_items.seconds of the pricing and templates slices "
                           "(mmetl's load-only time: partitions + COPY + merge + ledger, summed over slices that "
                           "ran up to max_concurrency at once); copy_only_s = \\copy into an empty keyed copy "
                           "(LIKE … INCLUDING ALL), no merge."),
        })
    out["limit"] = limit

    if e2e and small:
        out["memory"] = {"peak_rss_small_mb": small["peak_rss_mb"], "peak_rss_large_mb": e2e["peak_rss_mb"],
                         "ratio_large_to_small": ratio(e2e["peak_rss_mb"], small["peak_rss_mb"]),
                         "small": small["scenario"], "large": e2e["scenario"]}

    norm = figs.get("e2e_normalize")
    if norm:
        norm["definition"] = ("normalize_data_points_per_s = data points ÷ seconds of the normalizers (pricing and "
                              "template_analytics) over every archived page of the end-to-end run, pages in memory "
                              "(no I/O, no gunzip), one pass")
        out["normalize"] = norm

    merge = figs.get("merge")
    if merge:
        ph = merge["phases"]
        def rate(name):
            return ph.get(name, {}).get("rows_per_s")
        out["merge"] = {
            "rows": merge["rows"],
            "all_new_rows_per_s": rate("load 1: total"),
            "all_unchanged_rows_per_s": rate("load 2: total"),
            "all_changed_rows_per_s": rate("load 3: total"),
            "all_changed_s": ph.get("load 3: total", {}).get("seconds"),
            "phases": ph,
            "definition": ("one slice of `rows` synthetic mm.fact_pricing rows through the warehouse's own load path "
                           "(loadSlice: partitions, COPY into staging, merge, revisions, ledger) into an empty database: "
                           "load 1 all new, load 2 the same rows (all unchanged), load 3 every value changed (every row "
                           "updated with one revision); rows_per_s = rows ÷ that load's seconds"),
        }

    api_min = figs.get("e2e_api_min")
    if api_min and e2e:
        api_min["requests"] = e2e["requests"]
        api_min["ratio"] = ratio(e2e["requests"], api_min["minimum"])
        api_min["ratio_dense"] = ratio(e2e["requests"], api_min["minimum_dense"])
        api_min["chunk_days"] = (e2e["scenario"] or {}).get("chunk_days")
    out["api_efficiency"] = api_min

    lat_run = figs.get("latency_run")
    if lat_run:
        s = figs.get("latency_scenario") or {}
        wall = figs.get("latency_wall_s")
        req = lat_run["api_calls"]
        ideal = req * s.get("latency_ms", 0) / 1000 / max(1, s.get("max_concurrency", 1))
        lat_min = figs.get("latency_api_min") or {}
        tv = figs.get("latency_timev") or {}
        tail = float(lat_run.get("tail_after_last_item_s") or 0)
        out["latency"] = {
            "scenario": s, "status": lat_run["status"], "exit_code": lat_run["exit_code"],
            "wall_s": r3(wall), "requests": req, "minimum_requests": lat_min.get("minimum"),
            "ideal_s": r3(ideal), "ratio": ratio(wall, ideal),
            "transforms_tail_s": r3(tail), "ratio_without_transforms": ratio(wall - tail, ideal),
            "load_seconds_sum": r3(sum(float(v["load_seconds"]) for v in (lat_run.get("items") or {}).values())),
            "fact_rows": sum((lat_run.get("facts") or {}).values()),
            "peak_rss_mb": round(tv.get("max_rss_kb", 0) / 1024, 1),
            "definition": "ratio = wall ÷ (requests made × latency ÷ max_concurrency)",
        }
    cg = figs.get("callgrind")
    if cg:
        out["profile"] = cg
    sc = figs.get("scale")
    if sc:
        sc["benchmarks_growth"] = ratio(sc["benchmarks_s_1000"], sc["benchmarks_s_100"])
        sc["definition"] = ("transform_nightly_s = every sql/transforms file over the last 10 days (after the send-log "
                            "facts of all days were built); benchmarks_s_N = 30_fact_benchmarks.sql over those days at N "
                            "WABAs (same ten cohorts, N/10 WABAs each); query_ms = planning + execution from EXPLAIN "
                            "(ANALYZE, TIMING OFF) of each sql/queries file and each mm view over 30 days, best of two; "
                            "pruned = every one-WABA 30-day view plan names only that range's month partitions")
        out["scale"] = sc
    if figs.get("shards"):   # scripts/bench/shards.py: the cost of sharding itself
        out["shards"] = figs["shards"]

    targets = []

    def target(name, value, op, goal, unit=""):
        ok = None if value is None else (value >= goal if op == ">=" else value <= goal)
        targets.append({"target": name, "value": value, "goal": f"{op} {goal}{unit}", "met": ok})

    if out.get("limit"):
        target("end-to-end ÷ limit (wall)", out["limit"]["ratio_wall"], ">=", 0.5)
        target("end-to-end ÷ limit (wall without transforms)", out["limit"]["ratio_wall_without_transforms"], ">=", 0.7)
        target("end-to-end ÷ limit (load only)", out["limit"]["ratio_load"], ">=", 0.5)
    if e2e:
        target("peak RSS, large scenario (MB)", e2e["peak_rss_mb"], "<=", 100)
    if out.get("normalize"):
        target("normalize alone (data points/s)", out["normalize"]["normalize_data_points_per_s"], ">=", 150000)
    if out.get("memory"):
        target("peak RSS large ÷ small", out["memory"]["ratio_large_to_small"], "<=", 1.15)
    if out.get("merge"):
        target("all-changed merge (rows/s)", out["merge"]["all_changed_rows_per_s"], ">=", 50000)
    if out.get("api_efficiency"):
        target("API requests ÷ minimum", out["api_efficiency"]["ratio"], "<=", 1.05)
    if out.get("latency"):
        target("latency wall ÷ ideal", out["latency"]["ratio"], "<=", 1.3)
    if out.get("scale"):
        sc, qy = out["scale"], out["scale"]["queries"]
        target("scale: nightly transforms (s)", sc["transform_nightly_s"], "<=", 60)
        target("scale: benchmarks 1,000 ÷ 100 WABAs", sc["benchmarks_growth"], "<=", 12)
        target("scale: slowest query or view, all WABAs, 30 days (ms)", qy["max_all_ms"], "<=", 3000)
        target("scale: slowest query or view, one WABA, 30 days (ms)", qy["max_one_waba_ms"], "<=", 50)
        target("scale: one-WABA 30-day views pruned", 1 if qy["pruned"] else 0, ">=", 1)
    out["targets"] = targets

    print_table(out)
    text = json.dumps(out, indent=2, sort_keys=False, default=str)
    for path in outs:
        tmp = path + ".tmp"
        with open(tmp, "w", encoding="utf-8") as f:
            f.write(text + "\n")
        os.replace(tmp, path)


def fmt(v, unit=""):
    if v is None:
        return "n/a"
    if isinstance(v, float):
        return f"{v:,.3f}".rstrip("0").rstrip(".") + unit
    if isinstance(v, int):
        return f"{v:,}{unit}"
    return f"{v}{unit}"


def print_table(out):
    rows = []

    def row(k, v, note=""):
        rows.append((k, v, note))

    m = out["meta"]
    print(f"mmetl bench · {m.get('git_sha')}{' (dirty tree)' if m.get('git_dirty') else ''} · {m.get('timestamp')} · "
          f"{m.get('cores')} cores, load {m.get('loadavg_at_start')} at start · PostgreSQL {m.get('postgres')}")
    e = out.get("end_to_end")
    if e:
        s = e["scenario"] or {}
        row("SCENARIO", f"{s.get('wabas')} WABAs × {s.get('templates')} templates × {s.get('days')} days",
            f"backfill {s.get('from')}…{s.get('to')}, chunk {s.get('chunk_days')} d, concurrency {s.get('max_concurrency')}")
        row("end-to-end wall", fmt(e["wall_s"], " s"), f"{e['status']} (exit {e['exit_code']}), {sum(e['slices'].values())} slices")
        row("  without transforms", fmt(e["wall_without_transforms_s"], " s"), f"transforms (tail after the last slice) {fmt(e['transforms_tail_s'], ' s')}")
        row("data points", fmt(e["data_points"]), fmt(e["data_points_per_s"], " /s"))
        row("fact rows", fmt(e["fact_rows"]), fmt(e["fact_rows_per_s"], " /s"))
        row("requests", fmt(e["requests"]), ", ".join(f"{k} {v}" for k, v in sorted(e["requests_by_dataset"].items()))
            + f", waba {e['pages_archived_by_dataset'].get('waba', 0)}")
        row("bytes archived (gzip)", fmt(e["bytes_archived"]), f"{fmt(e['json_bytes_received'])} JSON bytes received")
        row("load seconds Σ slices", fmt(e["load_seconds_sum"], " s"), "Σ etl.run_items.seconds, pricing + templates (≤ max_concurrency at once)")
        c = e["cpu_s"]
        row("CPU seconds", f"mmetl {fmt(round(c['mmetl_user'] + c['mmetl_sys'], 2))}",
            f"(user {fmt(c['mmetl_user'])}, sys {fmt(c['mmetl_sys'])}), postgres {fmt(c['postgres'])}, simulator {fmt(c['simulator'])}")
        sp = e.get("cpu_s_by_phase")
        if sp:
            u, a = sp["until_last_slice"], sp["after_last_slice"]
            row("  CPU until last slice", f"{fmt(sp['seconds_until_last_slice'], ' s')} wall",
                f"mmetl {fmt(u.get('mmetl'))}, postgres {fmt(u.get('postgres'))}, simulator {fmt(u.get('simulator'))} (2 cores = {fmt(round(2 * sp['seconds_until_last_slice'], 1))} core-s)")
            row("  CPU after (transforms)", f"{fmt(sp['seconds_after_last_slice'], ' s')} wall",
                f"mmetl {fmt(a.get('mmetl'))}, postgres {fmt(a.get('postgres'))}, simulator {fmt(a.get('simulator'))}")
        row("peak RSS", fmt(e["peak_rss_mb"], " MB"))
        st = e.get("postgres_statements")
        if st and st.get("top"):
            row("PostgreSQL statement time", fmt(st["total_s"], " s"), "Σ of logged durations (log_min_duration_statement = 0), top:")
            for a in st["top"][:8]:
                row(f"  {a['statement'][:40]}", fmt(a["total_s"], " s"), f"{a['calls']} calls, max {fmt(a['max_ms'])} ms")
    lim = out.get("limit")
    if lim and "limit_s" in lim:
        row("LIMIT (psql)", f"{fmt(lim['rows'])} rows", "same final fact rows, scratch schema, unpartitioned")
        for t, v in lim["tables"].items():
            row(f"  {t}", f"{fmt(v['rows'])} rows", f"\\copy→stage {fmt(v['stage_copy_s'])} s + merge {fmt(v['merge_s'])} s; "
                f"\\copy→keyed {fmt(v['copy_s'])} s; export {fmt(v['export_s'])} s")
        row("limit: stage + merge", fmt(lim["limit_s"], " s"), fmt(lim["limit_rows_per_s"], " rows/s"))
        row("limit: \\copy only", fmt(lim["copy_only_s"], " s"), "into an empty keyed copy, no merge")
        row("ratio limit ÷ mmetl wall", fmt(lim["ratio_wall"]), "target ≥ 0.5")
        row("  … ÷ wall w/o transforms", fmt(lim["ratio_wall_without_transforms"]), "target ≥ 0.7; extract + archive + normalize + load only")
        row("ratio limit ÷ mmetl load", fmt(lim["ratio_load"]), "target ≥ 0.5 (load = Σ etl.run_items.seconds)")
    mg = out.get("merge")
    if mg:
        row("MERGE, all changed", fmt(mg["all_changed_rows_per_s"], " rows/s"),
            f"{fmt(mg['rows'])} rows revised in {fmt(mg['all_changed_s'])} s; all new {fmt(mg['all_new_rows_per_s'])} rows/s, "
            f"all unchanged {fmt(mg['all_unchanged_rows_per_s'])} rows/s; target ≥ 50,000")
    nm = out.get("normalize")
    if nm:
        row("NORMALIZE alone", fmt(nm["normalize_data_points_per_s"], " data points/s"),
            f"{fmt(nm['pages'])} archived pages, {fmt(nm['json_mb'])} MB JSON ({fmt(nm['normalize_mb_per_s'])} MB/s); target ≥ 150,000")
    mem = out.get("memory")
    if mem:
        sm = mem["small"] or {}
        row("MEMORY", f"small {fmt(mem['peak_rss_small_mb'], ' MB')}", f"{sm.get('days')} days; large {fmt(mem['peak_rss_large_mb'], ' MB')}")
        row("peak RSS large ÷ small", fmt(mem["ratio_large_to_small"]), "target ≤ 1.15, and ≤ 100 MB")
    a = out.get("api_efficiency")
    if a:
        row("API", f"{fmt(a['requests'])} requests", f"minimum {fmt(a['minimum'])} (fixed {a['fixed']}, pricing pages {a['pricing_pages']}, "
            f"template pages {a['template_pages']} in {a['template_calls']} calls); dense formula {fmt(a['minimum_dense'])}")
        row("requests ÷ minimum", fmt(a["ratio"]), f"target ≤ 1.05 (÷ dense formula {fmt(a['ratio_dense'])})")
    lat = out.get("latency")
    if lat:
        s = lat["scenario"]
        row("LATENCY", f"{s.get('wabas')} WABAs × {s.get('templates')} templates",
            f"nightly run, {s.get('latency_ms')} ms per response, concurrency {s.get('max_concurrency')}, {lat['status']} (exit {lat['exit_code']})")
        row("wall / ideal", f"{fmt(lat['wall_s'], ' s')} / {fmt(lat['ideal_s'], ' s')}",
            f"{fmt(lat['requests'])} requests (minimum {fmt(lat['minimum_requests'])})")
        row("ratio wall ÷ ideal", fmt(lat["ratio"]), f"target ≤ 1.3; without the transforms tail ({fmt(lat['transforms_tail_s'], ' s')}) "
            f"{fmt(lat['ratio_without_transforms'])}; Σ slice load seconds {fmt(lat['load_seconds_sum'], ' s')}")
    sh = out.get("shards")
    if sh:
        s = sh["scenario"]
        row("SHARDS", f"{s['wabas']} WABAs, {s['latency_ms']} ms", f"1 process × concurrency {s['one_process_concurrency']} vs "
            f"{s['shards']} shards × {s['per_shard_concurrency']} + mmetl transform (exits {sh['one_process_exit']} / {sh['shard_exits']} / {sh['transform_exit']})")
        row("wall 1 / shards", f"{fmt(sh['one_process_s'], ' s')} / {fmt(sh['shards_s'], ' s')}",
            f"shards load {fmt(sh['shards_load_s'], ' s')} + transform {fmt(sh['shards_transform_s'], ' s')}")
        row("ratio shards ÷ 1", fmt(sh["ratio"]), "the cost of sharding itself (same total concurrency)")
    cg = out.get("profile")
    if cg:
        row("PROFILE (callgrind)", f"{cg['instructions']:,} Ir", f"{cg['scenario']}; {cg['file']}")
        for line in cg["inclusive"][:10]:
            pct, _, fn = line.strip().partition("%")
            row("", pct.strip() + " %", fn.strip()[:110])
    sc = out.get("scale")
    if sc:
        s = sc["scenario"]
        row("SCALE", f"{s['wabas']:,} WABAs × {s['templates']} templates × {s['days']} days",
            f"{s['messages']:,} send-log messages; generated in {fmt(sc['generate_s'], ' s')}")
        row("nightly transforms", fmt(sc["transform_nightly_s"], " s"),
            ", ".join(f"{k} {fmt(v)}" for k, v in sc["transform_nightly_by_file_s"].items()))
        row("benchmarks 100 / 1,000", f"{fmt(sc['benchmarks_s_100'], ' s')} / {fmt(sc['benchmarks_s_1000'], ' s')}",
            f"growth {fmt(sc['benchmarks_growth'])}× for 10× the WABAs")
        timed = [(k, v) for g in ("queries", "views") for k, v in sc["queries"][g].items()]
        for k, v in sorted(timed, key=lambda kv: -(kv[1]["all_ms"] or 0))[:6]:
            row(f"  {k[:40]}", fmt(v["all_ms"], " ms"), f"one WABA {fmt(v['one_waba_ms'], ' ms')}")
        row("pruned", str(sc["queries"]["pruned"]), "one-WABA 30-day view plans touch only that range's partitions")
    w0 = max(len(r[0]) for r in rows) if rows else 10
    w1 = max(len(str(r[1])) for r in rows) if rows else 10
    for k, v, note in rows:
        print(f"  {k:<{w0}}  {str(v):>{w1}}  {note}")
    if out["targets"]:
        print("targets:")
        for t in out["targets"]:
            mark = {True: "MET ", False: "MISS", None: "n/a "}[t["met"]]
            print(f"  [{mark}] {t['target']}: {fmt(t['value'])} (goal {t['goal']})")


def main(argv):
    if len(argv) < 2:
        print(__doc__, file=sys.stderr)
        return 64
    cmd, args = argv[1], argv[2:]
    if cmd == "timev":
        print(json.dumps(timev(args[0])))
    elif cmd == "cpu":
        print(round(cpu_seconds(int(args[0])), 3))
    elif cmd == "sample":
        sample(args[0], args[1:])
    elif cmd == "pg-statements":
        print(json.dumps(pg_statements(args[0], int(args[1]))))
    elif cmd == "callgrind-summary":
        print(json.dumps(callgrind_summary(*args[:4])))
    elif cmd == "run-figures":
        print(json.dumps(run_figures(args[0])))
    elif cmd == "api-minimum":
        url, templates, ws, we, wd, ps, products, industry = args
        print(json.dumps(minimum(url, int(templates), ws, we, int(wd), int(ps), products.split(","), industry == "1")))
    elif cmd == "merge-sql":
        print(merge_sql(args[0], args[1], args[2]))
    elif cmd == "report":
        report(args[0], args[1:])
    else:
        print(f"unknown command {cmd}", file=sys.stderr)
        return 64
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
