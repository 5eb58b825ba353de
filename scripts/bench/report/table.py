"""The bench's results as the table `make bench` prints."""


def fmt(v, unit=""):
    if v is None:
        return "n/a"
    if isinstance(v, float):
        return f"{v:,.3f}".rstrip("0").rstrip(".") + unit
    if isinstance(v, int):
        return f"{v:,}{unit}"
    return f"{v}{unit}"


def print_table(out, file=None):
    """The results as a table (and the targets with MET / MISS) on `file` (stdout)."""
    rows = []

    def row(k, v, note=""):
        rows.append((k, v, note))

    m = out["meta"]
    print(f"mmetl bench · {m.get('git_sha')}{' (dirty tree)' if m.get('git_dirty') else ''} · {m.get('timestamp')} · "
          f"{m.get('cores')} cores, load {m.get('loadavg_at_start')} at start · PostgreSQL {m.get('postgres')}", file=file)
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
    sl = out.get("sendlog")
    if sl:
        row("SEND LOG", f"{fmt(sl.get('messages'))} messages", f"{fmt(sl.get('lines'))} lines, {fmt(sl.get('file_bytes'))} bytes gzip NDJSON, "
            "sendlog load into a fresh warehouse, transforms included")
        row("send log lines/s", fmt(sl.get("lines_per_s"), " /s"), f"{fmt(sl.get('wall_s'), ' s')} wall; target ≥ 100,000")
        lim = sl.get("limit")
        if lim:
            row("  database's own limit", fmt(lim.get("limit_s"), " s"),
                f"psql \\copy of the same final rows, indexes included ({fmt(lim.get('limit_lines_per_s'), ' lines/s')}); "
                f"ratio limit ÷ wall {fmt(lim.get('ratio'))}")
        pa = sl.get("parse_alone")
        if pa:
            row("  parser alone, one core", fmt(pa.get("lines_per_second"), " lines/s"),
                f"{fmt(pa.get('microseconds_per_line'), ' µs')} a line (JSON, records, HMAC, {pa.get('mode', 'encode')}; "
                f"gunzip {fmt(pa.get('read_seconds'), ' s')} left out)")
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
        print(f"  {k:<{w0}}  {str(v):>{w1}}  {note}", file=file)
    if out["targets"]:
        print("targets:", file=file)
        for t in out["targets"]:
            mark = {True: "MET ", False: "MISS", None: "n/a "}[t["met"]]
            print(f"  [{mark}] {t['target']}: {fmt(t['value'])} (goal {t['goal']})", file=file)
