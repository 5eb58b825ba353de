#!/usr/bin/env python3
"""The shard figure of `make bench` (python3 standard library only): what sharding itself costs.

The nightly latency scenario (default 200 WABAs × 5 templates, 100 ms per simulator response) run
twice against one simulator, each in a fresh database: one `mmetl run` at max_concurrency 24, then
3 shards (`mmetl run --shard K/3`, in parallel) at 8 each — the same total concurrency — followed by
`mmetl transform` (which a sharded night needs and one process does inside its run). The ratio
shards ÷ one process is the cost of sharding: the hashing, three processes, three database
sessions and the transform run separately.

    shards.py BIN ADMIN_URL WORKDIR AS_OF [WABAS TEMPLATES LATENCY_MS DAYS TOTAL_CONCURRENCY SHARDS]

prints the figures as JSON. `figures(...)` returns the same dict to a driver.
"""
import datetime
import json
import os
import subprocess
import sys
import time

INDUSTRIES = ["retail", "retail", "apparel"] + ["apparel", "apparel", "retail", "retail", "grocery"]


def _psql(url, sql):
    subprocess.run(["psql", "-X", "-q", "-At", "-v", "ON_ERROR_STOP=1", "-d", url, "-c", sql],
                   check=True, capture_output=True, text=True, env={**os.environ, "PGOPTIONS": "-c client_min_messages=warning"})


def _database(bin_, admin_url, name):
    _psql(admin_url, f"DROP DATABASE IF EXISTS {name}")
    _psql(admin_url, f"CREATE DATABASE {name}")
    url = admin_url.rsplit("/", 1)[0] + "/" + name
    subprocess.run([bin_, "migrate", "--database", url, "--quiet"], check=True, capture_output=True)
    return url


def _simulator(bin_, as_of, wabas, templates, days, latency_ms, log):
    p = subprocess.Popen([bin_, "simulate", "--port", "0", "--as-of", as_of, "--quiet", "--wabas", str(wabas),
                          "--templates", str(templates), "--days", str(days + 1), "--latency-ms", str(latency_ms)],
                         stdout=subprocess.PIPE, stderr=log, text=True)
    line = p.stdout.readline().strip()
    if not line.startswith("listening on "):
        p.terminate()
        raise RuntimeError(f"the simulator did not start: {line!r}")
    parts = line.split(" ")
    ids = next(x for x in parts if x.startswith("wabas="))[len("wabas="):].split(",")
    return p, parts[2], ids


def _pipeline(path, name, base_url, start, archive, concurrency, ids):
    lines = [f"name: {name}", f"start_date: {start}",
             f'graph: {{ base_url: "{base_url}", api_version: v25.0, token_env: MMETL_ACCESS_TOKEN, '
             f"max_concurrency: {concurrency}, page_size: 500, timeout_seconds: 60 }}",
             "warehouse: { url_env: DATABASE_URL }", f'archive: {{ dir: "{archive}" }}', "datasets:",
             "  pricing:   { granularity: DAILY, dimensions: [PRICING_CATEGORY, PRICING_TYPE, COUNTRY, PHONE, TIER], settle_days: 7 }",
             "  templates: { product_types: [MARKETING_MESSAGES_LITE_API, CLOUD_API], use_waba_timezone: true, settle_days: 10 }",
             "  catalog:   {}", "wabas:"]
    for i, w in enumerate(ids):
        industry = INDUSTRIES[i] if i < 3 else INDUSTRIES[3 + (i - 3) % 5]
        lines.append(f'  - {{ id: "{w}", industry: {industry} }}')
    with open(path, "w") as f:
        f.write("\n".join(lines) + "\n")


def _run(bin_, url, args, log):
    env = {**os.environ, "DATABASE_URL": url, "MMETL_ACCESS_TOKEN": "bench"}
    return subprocess.Popen([bin_] + args + ["--quiet", "--log-format", "json"], env=env, stdout=log, stderr=log)


def figures(bin_, admin_url, workdir, as_of, wabas=200, templates=5, latency_ms=100, days=3, total_concurrency=24, shards=3):
    """Runs both variants; returns seconds, exit codes and the ratio shards ÷ one process."""
    os.makedirs(workdir, exist_ok=True)
    start = (datetime.date.fromisoformat(as_of) - datetime.timedelta(days=days)).isoformat()
    per_shard = max(1, total_concurrency // shards)
    with open(os.path.join(workdir, "shards.log"), "w") as log:
        sim, base_url, ids = _simulator(bin_, as_of, wabas, templates, days, latency_ms, log)
        try:
            one_url = _database(bin_, admin_url, "bench_shards_one")
            one_yaml = os.path.join(workdir, "shards-one.yaml")
            _pipeline(one_yaml, "bench_shards", base_url, start, os.path.join(workdir, "archive-one"), total_concurrency, ids)
            t0 = time.monotonic()
            one_code = _run(bin_, one_url, ["run", "--pipeline", one_yaml, "--as-of", as_of], log).wait()
            one_s = time.monotonic() - t0

            sh_url = _database(bin_, admin_url, "bench_shards_n")
            sh_yaml = os.path.join(workdir, "shards-n.yaml")
            _pipeline(sh_yaml, "bench_shards", base_url, start, os.path.join(workdir, "archive-n"), per_shard, ids)
            t0 = time.monotonic()
            procs = [_run(bin_, sh_url, ["run", "--pipeline", sh_yaml, "--as-of", as_of, "--shard", f"{k}/{shards}"], log)
                     for k in range(1, shards + 1)]
            codes = [p.wait() for p in procs]
            loads_s = time.monotonic() - t0
            t1 = time.monotonic()
            transform_code = _run(bin_, sh_url, ["transform", "--pipeline", sh_yaml], log).wait()
            transform_s = time.monotonic() - t1
        finally:
            sim.terminate()
            sim.wait()
    total = loads_s + transform_s
    return {
        "scenario": {"wabas": wabas, "templates": templates, "latency_ms": latency_ms, "start_date": start, "as_of": as_of,
                     "one_process_concurrency": total_concurrency, "shards": shards, "per_shard_concurrency": per_shard},
        "one_process_s": round(one_s, 3), "one_process_exit": one_code,
        "shards_load_s": round(loads_s, 3), "shards_transform_s": round(transform_s, 3), "shards_s": round(total, 3),
        "shard_exits": codes, "transform_exit": transform_code,
        "ratio": round(total / one_s, 3) if one_s > 0 else None,
        "definition": "ratio = (slowest of the shards in parallel + mmetl transform) ÷ one process at the same total concurrency",
    }


def main(argv):
    if len(argv) < 5:
        print(__doc__, file=sys.stderr)
        return 64
    bin_, admin_url, workdir, as_of = argv[1:5]
    rest = [int(x) for x in argv[5:]]
    print(json.dumps(figures(bin_, admin_url, workdir, as_of, *rest)))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
