"""scale (opt-in: BENCH_PHASES=scale, ≈ 10–25 min on 2 cores): a synthetic partner warehouse
generated in SQL (sql/scale.sql): BENCH_SCALE_WABAS × BENCH_SCALE_TEMPLATES × BENCH_SCALE_DAYS, both
products, conversions, clicks, pricing with every dimension, a send log of BENCH_SCALE_MESSAGES
messages; the same ten cohorts at BENCH_SCALE_WABAS_SMALL WABAs in a second database (benchmarks
only). Figures: transform_nightly_s (every sql/transforms file over the last 10 days, as after a
nightly load, once the send-log facts of all days were built), benchmarks_s_100 / _1000 (30_fact_benchmarks.sql
over those days at the small and the large size), and the query side (phases/scale_queries.py)."""
import datetime
import os
import time

from harness.pg import query, run_file, run_file_json, run_script, sql_file
from phases.scale_queries import queries

NAME = "scale"


def run_transform(url, path, start, end):
    """One sql/transforms file as mmetl runs it (its own transaction, mmetl.from/to set locally);
    returns its seconds."""
    t0 = time.monotonic()
    run_script(url, f"BEGIN;\nSELECT set_config('mmetl.from', '{start}', true), set_config('mmetl.to', '{end}', true);\n"
                    f"\\i {path}\nCOMMIT;\n")
    return round(time.monotonic() - t0, 3)


def run(ctx):
    s = ctx.settings
    as_of = s.as_of
    first = as_of - datetime.timedelta(days=s.scale_days - 1)
    nightly = as_of - datetime.timedelta(days=9)
    transforms = os.path.join(s.root, "sql", "transforms")
    generate = {"templates": s.scale_templates, "days": s.scale_days, "as_of": as_of}
    ctx.log(f"scale: {s.scale_wabas_small} WABAs (benchmarks only), then {s.scale_wabas} WABAs × {s.scale_templates} "
            f"templates × {s.scale_days} days + {s.scale_messages} send-log messages")
    url_small = ctx.new_database("bench_scale_small")
    run_file(url_small, sql_file("scale.sql"), {**generate, "wabas": s.scale_wabas_small, "messages": 0})
    bm_small = run_transform(url_small, os.path.join(transforms, "30_fact_benchmarks.sql"), nightly, as_of)
    ctx.log(f"scale: benchmarks at {s.scale_wabas_small} WABAs {bm_small} s")
    ctx.cluster.drop("bench_scale_small")

    url = ctx.new_database("bench_scale")
    t0 = time.monotonic()
    run_file(url, sql_file("scale.sql"), {**generate, "wabas": s.scale_wabas, "messages": s.scale_messages})
    gen_s = round(time.monotonic() - t0, 3)
    ctx.log(f"scale: generated in {gen_s} s; send-log facts for all {s.scale_days} days (preparation, not measured)")
    t0 = time.monotonic()
    for f in ("10_fact_sends_daily.sql", "20_fact_errors.sql"):
        run_transform(url, os.path.join(transforms, f), first, as_of)
    run_transform(url, os.path.join(transforms, "15_fact_template_performance.sql"), first, nightly)
    prep_s = round(time.monotonic() - t0, 3)
    query(url, "VACUUM ANALYZE")
    ctx.log(f"scale: nightly transforms over {nightly}…{as_of}")
    per = {}
    for f in sorted(os.listdir(transforms)):
        if f.endswith(".sql"):
            per[f] = run_transform(url, os.path.join(transforms, f), nightly, as_of)
    total = round(sum(per.values()), 3)
    bm_big = per.get("30_fact_benchmarks.sql")
    query(url, "VACUUM ANALYZE")
    ctx.log(f"scale: transforms {total} s (benchmarks {bm_big} s); timing queries and views")
    fig = {
        "scenario": {"wabas": s.scale_wabas, "wabas_small": s.scale_wabas_small, "templates": s.scale_templates,
                     "days": s.scale_days, "messages": s.scale_messages, "as_of": str(as_of), "nightly_from": str(nightly)},
        "generate_s": gen_s, "prepare_s": prep_s, "transform_nightly_s": total, "transform_nightly_by_file_s": per,
        # Named for the default sizes (100 and 1,000 WABAs); `scenario` says which sizes ran.
        "benchmarks_s_100": bm_small, "benchmarks_s_1000": bm_big,
        "facts": run_file_json(url, sql_file("scale_counts.sql")),
        "queries": queries(url, str(as_of), "sw00042", os.path.join(s.root, "sql", "queries")),
    }
    if not s.keep:
        ctx.cluster.drop("bench_scale")
    return fig
