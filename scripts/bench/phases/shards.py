"""shards: what sharding itself costs. The nightly latency scenario (LAT_WABAS × LAT_TEMPLATES,
LAT_MS per response) run twice against one simulator, each in a fresh database: one `mmetl run` at
max_concurrency 24, then 3 shards (`mmetl run --shard K/3`, in parallel) at 8 each — the same total
concurrency — followed by `mmetl transform` (which a sharded night needs and one process does inside
its run). ratio = shards ÷ one process: the hashing, three processes, three database sessions and
the transform run apart."""
import datetime
import subprocess
import time

from harness.simulator import Simulator, write_pipeline

NAME = "shards"
TOTAL_CONCURRENCY = 24
SHARDS = 3


def run(ctx):
    s = ctx.settings
    start = s.as_of - datetime.timedelta(days=s.lat_days)
    per_shard = max(1, TOTAL_CONCURRENCY // SHARDS)
    ctx.log(f"shards: {s.lat_wabas} WABAs at {s.lat_ms} ms, one process × {TOTAL_CONCURRENCY} vs "
            f"{SHARDS} shards × {per_shard} + mmetl transform")
    with open(ctx.path("shards.log"), "w") as log, \
            Simulator(s.bin, ctx.workdir, "shards", s.as_of, "--wabas", s.lat_wabas, "--templates", s.lat_templates,
                      "--days", s.lat_days + 1, "--latency-ms", s.lat_ms) as sim:
        def mmetl(url, args):
            return subprocess.Popen([s.bin, *args, "--quiet", "--log-format", "json"], env=ctx.mmetl_env(url),
                                    stdout=log, stderr=log)

        def pipeline(name, concurrency):
            path = ctx.path(f"shards-{name}.yaml")
            write_pipeline(path, "bench_shards", sim.url, start, ctx.path(f"archive-shards-{name}"), sim.wabas,
                           concurrency, s.page_size, max_window_days=False)
            return path

        one_url = ctx.new_database("bench_shards_one")
        one_yaml = pipeline("one", TOTAL_CONCURRENCY)
        t0 = time.monotonic()
        one_code = mmetl(one_url, ["run", "--pipeline", one_yaml, "--as-of", str(s.as_of)]).wait()
        one_s = time.monotonic() - t0

        sh_url = ctx.new_database("bench_shards_n")
        sh_yaml = pipeline("n", per_shard)
        t0 = time.monotonic()
        procs = [mmetl(sh_url, ["run", "--pipeline", sh_yaml, "--as-of", str(s.as_of), "--shard", f"{k}/{SHARDS}"])
                 for k in range(1, SHARDS + 1)]
        codes = [p.wait() for p in procs]
        loads_s = time.monotonic() - t0
        t1 = time.monotonic()
        transform_code = mmetl(sh_url, ["transform", "--pipeline", sh_yaml]).wait()
        transform_s = time.monotonic() - t1
    for name in ("bench_shards_one", "bench_shards_n"):
        ctx.cluster.drop(name)
    total = loads_s + transform_s
    return {
        "scenario": {"wabas": s.lat_wabas, "templates": s.lat_templates, "latency_ms": s.lat_ms, "start_date": str(start),
                     "as_of": str(s.as_of), "one_process_concurrency": TOTAL_CONCURRENCY, "shards": SHARDS,
                     "per_shard_concurrency": per_shard},
        "one_process_s": round(one_s, 3), "one_process_exit": one_code,
        "shards_load_s": round(loads_s, 3), "shards_transform_s": round(transform_s, 3), "shards_s": round(total, 3),
        "shard_exits": codes, "transform_exit": transform_code,
        "ratio": round(total / one_s, 3) if one_s > 0 else None,
        "definition": "ratio = (slowest of the shards in parallel + mmetl transform) ÷ one process at the same total concurrency",
    }
