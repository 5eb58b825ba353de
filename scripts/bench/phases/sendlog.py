"""sendlog: the send log end to end. `mmetl-bench sendlog-generate` writes a send log of
BENCH_SENDLOG_MESSAGES messages (fixed seed, the simulator's line shapes: a send record per message,
then its statuses — sent; delivered and often read, or failed with an error — half of them raw
webhook bodies; ≈ 3.5 lines a message) as one gzip NDJSON file (not timed; kept in
bench-results/cache/ for the next run of the same mmetl-bench build). Then, in a freshly migrated
database, the timed step: `mmetl sendlog load FILE` exactly as a user runs it — parse, hash
recipients, COPY, merge, and the SQL transforms of the affected days. lines_per_s = lines ÷ that
wall (target ≥ 100,000); steps_s = seconds of each step from the load's own debug log; parse_alone =
`mmetl-bench sendlog-parse` over the same file: the parser on one core, no database (lines/s and µs
a line, gunzip left out); limit = the database's own limit on the load's final rows
(phases/sendlog_limit.py: psql \\copy into empty copies of both tables, their indexes included)."""
import glob
import hashlib
import json
import os
import time

from harness.pg import run_file_json, sql_file
from harness.settings import BenchError
from phases import sendlog_limit

NAME = "sendlog"
TARGET_LINES_PER_S = 100_000


def _pipeline(path, archive, waba_ids):
    """A pipeline naming the generated WABAs; the load makes no API call (the Graph address is a
    closed port)."""
    lines = ["name: bench_sendlog", "start_date: 2026-01-01",
             'graph: { base_url: "http://127.0.0.1:9", api_version: v25.0, token_env: MMETL_ACCESS_TOKEN }',
             "warehouse: { url_env: DATABASE_URL }", f'archive: {{ dir: "{archive}" }}',
             "datasets:", "  pricing:   { settle_days: 7 }", "  templates: { settle_days: 10 }", "  catalog:   {}",
             "wabas:"] + [f'  - {{ id: "{w}" }}' for w in waba_ids]
    with open(path, "w", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")


def _generated(ctx, messages):
    """The generated file and its description, from the cache when this mmetl-bench build wrote it
    (the generator is deterministic); older cached files are removed."""
    with open(ctx.settings.bench_bin, "rb") as f:
        build = hashlib.sha256(f.read()).hexdigest()[:12]
    cache = os.path.join(ctx.settings.out_dir, "cache")
    os.makedirs(cache, exist_ok=True)
    path = os.path.join(cache, f"sendlog-{messages}-{build}.ndjson.gz")
    if os.path.exists(path) and os.path.exists(path + ".json"):
        with open(path + ".json", encoding="utf-8") as f:
            return path, json.load(f), True
    for old in glob.glob(os.path.join(cache, f"sendlog-{messages}-*")):
        os.remove(old)
    gen = ctx.bench_tool("sendlog-generate", "--messages", messages, "--out", path)
    with open(path + ".json", "w", encoding="utf-8") as f:
        json.dump(gen, f)
    return path, gen, False


def steps(log_path):
    """Seconds per step from the load's debug log (JSON lines): parse + COPY and each merge
    statement ("send log merge steps"), then each transform ("transform done")."""
    found = {}
    with open(log_path, encoding="utf-8", errors="replace") as f:
        for line in f:
            try:
                rec = json.loads(line)
            except ValueError:
                continue
            if rec.get("msg") == "send log merge steps":
                for part in str(rec.get("seconds", "")).split():
                    name, _, value = part.partition("=")
                    found[name] = round(found.get(name, 0) + float(value), 3)
            elif rec.get("msg") == "transform done":
                found["transform " + str(rec.get("file", "?"))] = round(float(rec.get("seconds", 0)), 3)
    return found


def lines_per_second(lines, wall_s, exit_status):
    """lines ÷ wall of a load that succeeded; a failed load (its transforms included) has no
    throughput: BenchError, so the phase is reported failed instead of timing a run that stopped early."""
    if exit_status != 0:
        raise BenchError(f"sendlog: `mmetl sendlog load` exited {exit_status}; a failed load's wall is no throughput")
    return lines / wall_s if wall_s > 0 else None


def run(ctx):
    messages = ctx.settings.sendlog_messages
    t0 = time.monotonic()
    path, gen, cached = _generated(ctx, messages)
    generate_s = round(time.monotonic() - t0, 3)
    ctx.log(f"sendlog: {gen['messages']:,} messages, {gen['lines']:,} lines, {gen['file_bytes'] / 1e6:.1f} MB gzip "
            f"({'cached' if cached else f'generated in {generate_s} s'}); timing sendlog load into a fresh warehouse")
    url = ctx.new_database("bench_sendlog")
    pipeline = ctx.path("sendlog.yaml")
    _pipeline(pipeline, ctx.path("archive-sendlog"), gen["waba_ids"])
    cmd = ctx.timed("sendlog", url, ["sendlog", "load", "--pipeline", pipeline, path, "--log-format", "json", "--verbose"],
                    env={"MMETL_RECIPIENT_HASH_KEY": "bench-recipient-key"})
    wall = cmd["wall_s"]
    lines_per_s = lines_per_second(gen["lines"], wall, cmd["exit_status"])
    fig = {
        "messages": gen["messages"], "lines": gen["lines"], "file_bytes": gen["file_bytes"],
        "ndjson_bytes": gen.get("ndjson_bytes"), "generate_s": None if cached else generate_s,
        "exit": cmd["exit_status"], "wall_s": wall,
        "lines_per_s": round(lines_per_s) if lines_per_s else None,
        "target_lines_per_s": TARGET_LINES_PER_S,
        "ratio_to_target": round(lines_per_s / TARGET_LINES_PER_S, 3) if lines_per_s else None,
        "peak_rss_mb": round(cmd["rusage"]["max_rss_kb"] / 1024, 1),
        "cpu_s": {"mmetl_user": cmd["rusage"]["user_s"], "mmetl_sys": cmd["rusage"]["sys_s"],
                  "postgres": cmd["cpu_others_s"]["postgres"]},
        "steps_s": steps(ctx.path("sendlog.stderr")),
        "rows": run_file_json(url, sql_file("sendlog_counts.sql")),
        "definition": ("wall of `mmetl sendlog load FILE` (parse, recipient HMAC, COPY, merge, transforms of the "
                       "affected days) of a generated gzip NDJSON send log into a freshly migrated warehouse; "
                       "lines_per_s = lines ÷ wall"),
    }
    # The database's own limit on the rows the load wrote (phases/sendlog_limit.py).
    fig["limit"] = sendlog_limit.measure(ctx, url, gen["lines"], wall)
    ctx.cluster.drop("bench_sendlog")
    # The parser alone on one core over the same file (no database): what each worker thread
    # spends per line, the figure a faster parser moves.
    fig["parse_alone"] = ctx.bench_tool("sendlog-parse", path)
    return fig
