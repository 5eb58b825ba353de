"""The bench's results from the phases' raw figures (one dictionary, keyed by phase): each block
with its definition, and the targets. Pure: no I/O."""


def ratio(a, b):
    return round(a / b, 3) if a is not None and b else None


def r3(x):
    return None if x is None else round(float(x), 3)


def backfill_block(fig):
    """Figures of one backfill scenario (phases/backfill.py)."""
    if not fig or not fig.get("run"):
        return None
    run, cmd = fig["run"], fig["command"]
    tv = cmd["rusage"]
    items = run.get("items") or {}
    fact_items = [v for k, v in items.items() if k in ("pricing", "templates")]
    wall = cmd["wall_s"]
    facts = run.get("facts") or {}
    fact_rows = sum(facts.values())
    points = sum(v["data_points"] for v in fact_items)
    raw = run.get("raw_pages") or {}
    load_s = sum(float(v["load_seconds"]) for v in fact_items)
    cat = items.get("catalog")
    tail = float(run.get("tail_after_last_item_s") or 0)
    return {
        "scenario": fig.get("scenario"),
        "status": run["status"], "exit_code": run["exit_code"],
        "wall_s": r3(wall),
        "wall_without_transforms_s": r3(wall - tail),
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
                  "postgres": r3(cmd["cpu_others_s"].get("postgres")),
                  "simulator": r3(cmd["cpu_others_s"].get("simulator"))},
        "cpu_s_by_phase": fig.get("cpu_by_phase"),
        "postgres_statements": fig.get("pg_statements"),
    }


LIMIT_DEFINITION = (
    "limit_s = Σ over the 4 facts of (psql \\copy of the exported rows into an empty "
    "UNLOGGED staging table + INSERT … SELECT … ON CONFLICT (primary key) DO UPDATE … WHERE "
    "values IS DISTINCT FROM into an empty, unpartitioned keyed target (LIKE … INCLUDING ALL)); "
    "ratio_wall = limit_s ÷ mmetl backfill wall seconds (= mmetl rows/s ÷ limit rows/s); "
    "ratio_wall_without_transforms = limit_s ÷ (wall − transforms tail), the tail being "
    "etl.runs.finished_at − the last etl.run_items.finished_at (sql/transforms run there); "
    "ratio_load = limit_s ÷ Σ etl.run_items.seconds of the pricing and templates slices "
    "(mmetl's load-only time: partitions + COPY + merge + ledger, summed over slices that "
    "ran up to max_concurrency at once); copy_only_s = \\copy into an empty keyed copy "
    "(LIKE … INCLUDING ALL), no merge.")


def limit_block(limit, e2e):
    tables = limit["tables"]
    lim_s = sum(t["stage_copy_s"] + t["merge_s"] for t in tables.values())
    copy_s = sum(t["copy_s"] for t in tables.values())
    rows = sum(t["rows"] for t in tables.values())
    return {**limit,
            "rows": rows,
            "limit_s": r3(lim_s),
            "limit_rows_per_s": round(rows / lim_s) if lim_s else None,
            "copy_only_s": r3(copy_s),
            "ratio_wall": ratio(lim_s, e2e["wall_s"]),
            "ratio_wall_without_transforms": ratio(lim_s, e2e["wall_without_transforms_s"]),
            "ratio_load": ratio(lim_s, e2e["load_seconds_sum"]),
            "ratio_wall_copy_only": ratio(copy_s, e2e["wall_s"]),
            "definition": LIMIT_DEFINITION}


def merge_block(merge):
    ph = merge["phases"]

    def rate(name):
        return ph.get(name, {}).get("rows_per_s")

    return {
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


def latency_block(lat):
    run, cmd, s = lat["run"], lat["command"], lat.get("scenario") or {}
    wall = cmd["wall_s"]
    req = run["api_calls"]
    ideal = req * s.get("latency_ms", 0) / 1000 / max(1, s.get("max_concurrency", 1))
    tail = float(run.get("tail_after_last_item_s") or 0)
    return {
        "scenario": s, "status": run["status"], "exit_code": run["exit_code"],
        "wall_s": r3(wall), "requests": req, "minimum_requests": (lat.get("api_minimum") or {}).get("minimum"),
        "ideal_s": r3(ideal), "ratio": ratio(wall, ideal),
        "transforms_tail_s": r3(tail), "ratio_without_transforms": ratio(wall - tail, ideal),
        "load_seconds_sum": r3(sum(float(v["load_seconds"]) for v in (run.get("items") or {}).values())),
        "fact_rows": sum((run.get("facts") or {}).values()),
        "peak_rss_mb": round(cmd["rusage"]["max_rss_kb"] / 1024, 1),
        "definition": "ratio = wall ÷ (requests made × latency ÷ max_concurrency)",
    }


SCALE_DEFINITION = (
    "transform_nightly_s = every sql/transforms file over the last 10 days (after the send-log "
    "facts of all days were built); benchmarks_s_N = 30_fact_benchmarks.sql over those days at N "
    "WABAs (same ten cohorts, N/10 WABAs each); query_ms = planning + execution from EXPLAIN "
    "(ANALYZE, TIMING OFF) of each sql/queries file and each mm view over 30 days, best of two; "
    "pruned = every one-WABA 30-day view plan names only that range's month partitions")


def results(figures):
    """The results document: meta, end_to_end, memory_small, limit, memory, normalize, merge,
    api_efficiency, latency, profile, scale, shards, sendlog, targets (absent phases: None or left out)."""
    e2e_fig = figures.get("e2e") or {}
    e2e = backfill_block(e2e_fig)
    small = backfill_block(figures.get("small"))
    out = {"meta": figures.get("meta") or {}, "end_to_end": e2e, "memory_small": small}
    out["limit"] = limit_block(figures["limit"], e2e) if figures.get("limit") and e2e else None
    if e2e and small:
        out["memory"] = {"peak_rss_small_mb": small["peak_rss_mb"], "peak_rss_large_mb": e2e["peak_rss_mb"],
                         "ratio_large_to_small": ratio(e2e["peak_rss_mb"], small["peak_rss_mb"]),
                         "small": small["scenario"], "large": e2e["scenario"]}
    norm = e2e_fig.get("normalize")
    if norm:
        out["normalize"] = {**norm, "definition": (
            "normalize_data_points_per_s = data points ÷ seconds of the normalizers (pricing and "
            "template_analytics) over every archived page of the end-to-end run, pages in memory "
            "(no I/O, no gunzip), one pass")}
    if figures.get("merge"):
        out["merge"] = merge_block(figures["merge"])
    api_min = e2e_fig.get("api_minimum")
    if api_min and e2e:
        api_min = {**api_min, "requests": e2e["requests"], "ratio": ratio(e2e["requests"], api_min["minimum"]),
                   "ratio_dense": ratio(e2e["requests"], api_min["minimum_dense"]),
                   "chunk_days": (e2e["scenario"] or {}).get("chunk_days")}
    out["api_efficiency"] = api_min
    if figures.get("latency") and figures["latency"].get("run"):
        out["latency"] = latency_block(figures["latency"])
    if figures.get("callgrind"):
        out["profile"] = figures["callgrind"]
    sc = figures.get("scale")
    if sc:
        out["scale"] = {**sc, "benchmarks_growth": ratio(sc["benchmarks_s_1000"], sc["benchmarks_s_100"]),
                        "definition": SCALE_DEFINITION}
    if figures.get("shards"):
        out["shards"] = figures["shards"]
    if figures.get("sendlog"):
        out["sendlog"] = figures["sendlog"]
    out["targets"] = targets(out)
    return out


def targets(out):
    """Each target with its value, goal and whether it was met (None: not measured in this run)."""
    found = []

    def target(name, value, op, goal, unit=""):
        ok = None if value is None else (value >= goal if op == ">=" else value <= goal)
        found.append({"target": name, "value": value, "goal": f"{op} {goal}{unit}", "met": ok})

    if out.get("limit"):
        target("end-to-end ÷ limit (wall)", out["limit"]["ratio_wall"], ">=", 0.5)
        target("end-to-end ÷ limit (wall without transforms)", out["limit"]["ratio_wall_without_transforms"], ">=", 0.7)
        target("end-to-end ÷ limit (load only)", out["limit"]["ratio_load"], ">=", 0.5)
    if out.get("end_to_end"):
        target("peak RSS, large scenario (MB)", out["end_to_end"]["peak_rss_mb"], "<=", 100)
    if out.get("normalize"):
        target("normalize alone (data points/s)", out["normalize"]["normalize_data_points_per_s"], ">=", 150000)
    if out.get("memory"):
        target("peak RSS large ÷ small", out["memory"]["ratio_large_to_small"], "<=", 1.15)
    if out.get("merge"):
        target("all-changed merge (rows/s)", out["merge"]["all_changed_rows_per_s"], ">=", 50000)
    if out.get("sendlog"):
        target("send log end to end (lines/s)", out["sendlog"].get("lines_per_s"), ">=", 100000)
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
    return found
