"""`make bench`: throughput, memory, API efficiency and latency of the release binary against the
database's own limit, measured in one run. Run through scripts/with-postgres.sh (a throwaway
PostgreSQL; DATABASE_URL and PG* set, superuser):

    bash scripts/with-postgres.sh python3 scripts/bench

Phases (phases/*.py, each defines its figures; each in a database of its own, against the built-in
simulator on loopback): e2e, limit, small, merge, latency, shards; opt-in: scale (BENCH_PHASES=scale),
callgrind (BENCH_CALLGRIND=1). Their raw figures go into one dictionary; report/derive.py turns it
into the results (ratios beside absolute seconds, targets), printed as a table (report/table.py) and
written to bench-results/bench-<git short sha>-<UTC timestamp>.json and bench-results/latest.json.
SQL the bench runs itself lives in sql/. Settings: harness/settings.py (BENCH_* variables, listed in
docs/benchmarks.md). Exit status 1 when a phase failed (the others are still reported), 2 on bad
settings or a missing prerequisite.
"""
import datetime
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import traceback

import phases
from harness.context import Context
from harness.pg import Cluster
from harness.settings import BenchError, from_environment
from report.derive import results
from report.table import print_table

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def _git(*args):
    out = subprocess.run(["git", "-C", ROOT, *args], capture_output=True, text=True)
    return out.stdout.strip() if out.returncode == 0 else ""


def meta(settings, cluster, stamp):
    dirty = bool(_git("status", "--porcelain", "--untracked-files=no")) or \
        bool(_git("ls-files", "--others", "--exclude-standard", "Sources", "sql"))
    version = subprocess.run([settings.bin, "--version"], capture_output=True, text=True).stdout.strip()
    with open("/proc/meminfo") as f:
        mem_kb = next(int(line.split()[1]) for line in f if line.startswith("MemTotal"))
    return {"git_sha": _git("rev-parse", "--short", "HEAD") or "unknown", "git_dirty": dirty, "timestamp": stamp,
            "scale": settings.scale, "as_of": str(settings.as_of), "cores": os.cpu_count(),
            "loadavg_at_start": os.getloadavg()[0], "mem_gb": round(mem_kb / 1048576), "postgres": cluster.version,
            "binary": settings.bin, "mmetl_version": version or "unknown"}


def selected(settings):
    wanted = set(settings.phases)
    known = {p.NAME for p in phases.ORDER} - {"callgrind"}
    unknown = sorted(wanted - known)
    if unknown:
        raise BenchError(f"BENCH_PHASES: unknown phase {', '.join(unknown)} (known: {' '.join(sorted(known))})")
    return [p for p in phases.ORDER if p.NAME in wanted or (p.NAME == "callgrind" and settings.callgrind)]


def write_json(text, path):
    tmp = path + ".tmp"
    with open(tmp, "w", encoding="utf-8") as f:
        f.write(text + "\n")
    os.replace(tmp, path)


def main():
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    try:
        settings = from_environment(ROOT, phases.DEFAULT)
        for path in (settings.bin, settings.bench_bin):
            if not os.access(path, os.X_OK):
                raise BenchError(f"{path} not found: run `swift build -c release` (or `make bench`)")
        if not shutil.which("psql"):
            raise BenchError("psql not found: run scripts/install-deps.sh")
        cluster = Cluster()
        todo = selected(settings)
    except BenchError as e:
        print(f"bench: {e}", file=sys.stderr)
        return 2
    for note in settings.notes:
        Context.log(note)
    os.makedirs(settings.out_dir, exist_ok=True)
    stamp = datetime.datetime.now(datetime.timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    workdir = tempfile.mkdtemp(prefix="mmetl-bench.")
    ctx = Context(settings, cluster, workdir)
    ctx.figures["meta"] = meta(settings, cluster, stamp)
    if os.getloadavg()[0] > 0.5:
        Context.log(f"note: load average {' '.join(f'{x:.2f}' for x in os.getloadavg())} before the bench: "
                    "other work on this machine skews the figures")
    failed = []
    t0 = time.monotonic()
    try:
        for phase in todo:
            needs = getattr(phase, "REQUIRES", None)
            if needs and not ctx.figures.get(needs):
                Context.log(f"{phase.NAME}: skipped (needs the {needs} phase)")
                continue
            try:
                ctx.figures[phase.NAME] = phase.run(ctx)
            except (BenchError, OSError, subprocess.SubprocessError, ValueError, KeyError) as e:
                failed.append(phase.NAME)
                Context.log(f"{phase.NAME} failed: {e}")
                if os.environ.get("BENCH_DEBUG") == "1":
                    traceback.print_exc()
        Context.log(f"all phases took {time.monotonic() - t0:.3f} s")
        out = results(ctx.figures)
        out["failed_phases"] = failed
        print_table(out)
        text = json.dumps(out, indent=2, default=str)
        result = os.path.join(settings.out_dir, f"bench-{ctx.figures['meta']['git_sha']}-{stamp}.json")
        for path in (result, os.path.join(settings.out_dir, "latest.json")):
            write_json(text, path)
        print(f"figures: {result} (and {os.path.join(settings.out_dir, 'latest.json')})")
    finally:
        if settings.keep:
            Context.log(f"kept {workdir}")
        else:
            shutil.rmtree(workdir, ignore_errors=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
