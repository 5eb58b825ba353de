"""The built-in simulator (`mmetl simulate`) on loopback, and the pipeline files that point at it."""
import os
import signal
import subprocess
import time

from harness.settings import BenchError

# By WABA position: RETAIL, RETAIL, APPAREL, then APPAREL, APPAREL, RETAIL, RETAIL, GROCERY repeating —
# the verticals the simulator's business profiles would return, so the benchmark transform sees the
# same cohorts as without the override (and mmetl makes no business-profile call).
_FIRST = ("retail", "retail", "apparel")
_CYCLE = ("apparel", "apparel", "retail", "retail", "grocery")


def industry_at(i):
    return _FIRST[i] if i < 3 else _CYCLE[(i - 3) % 5]


class Simulator:
    """`with Simulator(...) as sim:` starts `mmetl simulate --port 0` and waits for its
    "listening on URL … wabas=ID,…" line; `sim.url`, `sim.wabas`, `sim.pid`. Stopped (SIGTERM) on exit."""

    def __init__(self, binary, workdir, name, as_of, *args, start_timeout_s=60):
        self.argv = [binary, "simulate", "--port", "0", "--as-of", str(as_of), "--quiet", "--log-format", "json",
                     *map(str, args)]
        self.out_path = os.path.join(workdir, f"sim-{name}.out")
        self.err_path = os.path.join(workdir, f"sim-{name}.err")
        self.start_timeout_s = start_timeout_s
        self.proc, self.url, self.wabas = None, None, []

    @property
    def pid(self):
        return self.proc.pid if self.proc else 0

    def __enter__(self):
        with open(self.out_path, "w") as out, open(self.err_path, "w") as err:
            self.proc = subprocess.Popen(self.argv, stdout=out, stderr=err)
        deadline = time.monotonic() + self.start_timeout_s
        while time.monotonic() < deadline:
            line = _first_line(self.out_path, "listening on ")
            if line:
                parts = line.split()
                self.url = parts[2]
                self.wabas = next(p for p in parts if p.startswith("wabas="))[len("wabas="):].split(",")
                return self
            if self.proc.poll() is not None:
                raise BenchError(f"the simulator exited {self.proc.returncode}: {_tail(self.err_path)}")
            time.sleep(0.1)
        self.__exit__(None, None, None)
        raise BenchError(f"the simulator did not start within {self.start_timeout_s} s")

    def __exit__(self, *exc):
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        return False


def _first_line(path, prefix):
    try:
        with open(path, encoding="utf-8", errors="replace") as f:
            for line in f:
                if line.startswith(prefix) and line.endswith("\n"):
                    return line.strip()
    except OSError:
        pass
    return None


def _tail(path, n=5):
    try:
        with open(path, encoding="utf-8", errors="replace") as f:
            return "".join(f.readlines()[-n:]).strip()
    except OSError:
        return ""


def write_pipeline(path, name, base_url, start, archive, wabas, concurrency, page_size, max_window_days=True):
    """A pipeline over `wabas` (each with its `industry`) with every dataset: pricing with every
    dimension, both template product types in each WABA's timezone, the catalog."""
    window = ", max_window_days: 90" if max_window_days else ""
    lines = [
        f"name: {name}",
        f"start_date: {start}",
        f'graph: {{ base_url: "{base_url}", api_version: v25.0, token_env: MMETL_ACCESS_TOKEN, '
        f"max_concurrency: {concurrency}, page_size: {page_size}, timeout_seconds: 60 }}",
        "warehouse: { url_env: DATABASE_URL }",
        f'archive: {{ dir: "{archive}" }}',
        "datasets:",
        f"  pricing:   {{ granularity: DAILY, dimensions: [PRICING_CATEGORY, PRICING_TYPE, COUNTRY, PHONE, TIER], settle_days: 7{window} }}",
        f"  templates: {{ product_types: [MARKETING_MESSAGES_LITE_API, CLOUD_API], use_waba_timezone: true, settle_days: 10{window} }}",
        "  catalog:   {}",
        "wabas:",
    ]
    lines += [f'  - {{ id: "{w}", industry: {industry_at(i)} }}' for i, w in enumerate(wabas)]
    with open(path, "w", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")
