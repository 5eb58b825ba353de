#!/usr/bin/env python3
"""The send-log figure of `make bench` (python3 standard library only): send log end to end.

`mmetl-bench sendlog-generate` writes a send log of MESSAGES messages (fixed seed, the simulator's
line shapes: a send record per message, then its statuses — sent; delivered and often read, or
failed with an error — half of them raw webhook bodies; ≈ 3.45 lines a message) as one gzip NDJSON
file (not timed). Then, in a fresh database: `mmetl migrate` (not timed), and the timed step,
`mmetl sendlog load FILE` exactly as a user runs it — parse, hash recipients, COPY, merge, and the
SQL transforms of the affected days. lines_per_s = lines ÷ that wall; the target is 100 k lines/s.

    sendlog.py BIN BENCH_BIN ADMIN_URL WORKDIR [MESSAGES]

prints the figures as JSON. `figures(...)` returns the same dict to a driver.
"""
import json
import os
import resource
import subprocess
import sys
import time

TARGET_LINES_PER_S = 100_000
DEFAULT_MESSAGES = 1_000_000


def _psql(url, sql):
    out = subprocess.run(["psql", "-X", "-q", "-At", "-v", "ON_ERROR_STOP=1", "-d", url, "-c", sql],
                         check=True, capture_output=True, text=True,
                         env={**os.environ, "PGOPTIONS": "-c client_min_messages=warning"})
    return out.stdout.strip()


def _database(bin_, admin_url, name):
    _psql(admin_url, f"DROP DATABASE IF EXISTS {name}")
    _psql(admin_url, f"CREATE DATABASE {name}")
    url = admin_url.rsplit("/", 1)[0] + "/" + name
    subprocess.run([bin_, "migrate", "--database", url, "--quiet"], check=True, capture_output=True)
    return url


def _pipeline(path, waba_ids):
    lines = ["name: bench_sendlog", "start_date: 2026-01-01",
             'graph: { base_url: "http://127.0.0.1:9", api_version: v25.0, token_env: MMETL_ACCESS_TOKEN }',
             "warehouse: { url_env: DATABASE_URL }", f'archive: {{ dir: "{os.path.dirname(path)}/archive" }}',
             "datasets:", "  pricing:   { settle_days: 7 }", "  templates: { settle_days: 10 }", "  catalog:   {}",
             "wabas:"] + [f'  - {{ id: "{w}" }}' for w in waba_ids]
    with open(path, "w") as f:
        f.write("\n".join(lines) + "\n")


def _timed(argv, env, log):
    """Runs argv; returns (exit code, wall seconds, peak RSS in kB or None)."""
    gnu_time = "/usr/bin/time" if os.access("/usr/bin/time", os.X_OK) else None
    rss_file = None
    if gnu_time:
        rss_file = log.name + ".rss"
        argv = [gnu_time, "-f", "%M", "-o", rss_file] + argv
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    t0 = time.monotonic()
    code = subprocess.run(argv, env=env, stdout=log, stderr=log).returncode
    wall = time.monotonic() - t0
    rss = None
    if rss_file and os.path.exists(rss_file):
        try:
            with open(rss_file) as f:
                rss = int(f.read().strip().splitlines()[-1])
        except (ValueError, IndexError):
            rss = None
    if rss is None:
        after = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        rss = after if after > before else None  # the largest child so far: only meaningful when it grew
    return code, wall, rss


def _steps(log_path):
    """Seconds per step from the load's debug log: parse+copy and each merge statement, then each transform."""
    steps = {}
    with open(log_path) as f:
        for line in f:
            try:
                rec = json.loads(line)
            except ValueError:
                continue
            if rec.get("msg") == "send log merge steps":
                for part in rec.get("seconds", "").split():
                    name, _, value = part.partition("=")
                    steps[name] = round(steps.get(name, 0) + float(value), 3)
            elif rec.get("msg") == "transform done":
                steps["transform " + rec.get("file", "?")] = round(float(rec.get("seconds", 0)), 3)
    return steps


def figures(bin, bench_bin, admin_url, workdir, messages=DEFAULT_MESSAGES, log=print):
    """Generates the file (not timed), migrates a fresh database, times `mmetl sendlog load FILE`."""
    os.makedirs(workdir, exist_ok=True)
    path = os.path.join(workdir, f"sendlog-{messages}.ndjson.gz")
    t0 = time.monotonic()
    # The generator is deterministic (fixed seed): a file it wrote for the same count is reused.
    if os.path.exists(path) and os.path.exists(path + ".json"):
        with open(path + ".json") as f:
            gen = json.load(f)
    else:
        gen = json.loads(subprocess.run([bench_bin, "sendlog-generate", "--messages", str(messages), "--out", path],
                                        check=True, capture_output=True, text=True).stdout)
        with open(path + ".json", "w") as f:
            json.dump(gen, f)
    generate_s = time.monotonic() - t0
    log(f"sendlog: {gen['messages']:,} messages, {gen['lines']:,} lines, {gen['file_bytes'] / 1e6:.1f} MB gzip "
        f"(generated in {generate_s:.1f} s)")
    url = _database(bin, admin_url, "bench_sendlog")
    pipeline = os.path.join(workdir, "sendlog.yaml")
    _pipeline(pipeline, gen["waba_ids"])
    env = {**os.environ, "DATABASE_URL": url, "MMETL_RECIPIENT_HASH_KEY": "bench-recipient-key"}
    with open(os.path.join(workdir, "sendlog.log"), "w") as out:
        code, wall, rss_kb = _timed([bin, "sendlog", "load", "--pipeline", pipeline, path, "--log-format", "json", "--verbose"],
                                    env, out)
    steps = _steps(os.path.join(workdir, "sendlog.log"))
    counts = json.loads(_psql(url, "SELECT json_build_object("
                              "'messages', (SELECT count(*) FROM sendlog.messages), "
                              "'statuses', (SELECT count(*) FROM sendlog.statuses), "
                              "'fact_sends_daily', (SELECT count(*) FROM mm.fact_sends_daily), "
                              "'fact_sends_daily_sent', (SELECT coalesce(sum(sent), 0) FROM mm.fact_sends_daily), "
                              "'fact_errors', (SELECT count(*) FROM mm.fact_errors), "
                              "'rejects', (SELECT count(*) FROM etl.sendlog_rejects))"))
    lines_per_s = gen["lines"] / wall if wall > 0 else None
    log(f"sendlog: load exit {code}, {wall:.1f} s, {lines_per_s:,.0f} lines/s (target {TARGET_LINES_PER_S:,})")
    return {
        "messages": gen["messages"], "lines": gen["lines"], "file_bytes": gen["file_bytes"],
        "ndjson_bytes": gen["ndjson_bytes"], "generate_s": round(generate_s, 3),
        "exit": code, "wall_s": round(wall, 3),
        "lines_per_s": round(lines_per_s) if lines_per_s else None,
        "target_lines_per_s": TARGET_LINES_PER_S,
        "ratio_to_target": round(lines_per_s / TARGET_LINES_PER_S, 3) if lines_per_s else None,
        "peak_rss_mb": round(rss_kb / 1024, 1) if rss_kb else None,
        "rows": counts,
        "steps_s": steps,
        "definition": ("wall of `mmetl sendlog load FILE` (parse, recipient HMAC, COPY, merge, transforms of the "
                       "affected days) of a generated gzip NDJSON send log into a freshly migrated warehouse; "
                       "lines_per_s = lines ÷ wall"),
    }


def main(argv):
    if len(argv) < 5:
        print(__doc__, file=sys.stderr)
        return 64
    bin_, bench_bin, admin_url, workdir = argv[1:5]
    messages = int(argv[5]) if len(argv) > 5 else DEFAULT_MESSAGES
    print(json.dumps(figures(bin_, bench_bin, admin_url, workdir, messages, log=lambda m: print(m, file=sys.stderr))))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
