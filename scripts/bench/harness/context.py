"""What a phase is given: the settings, the cluster, a work directory, a log, and the figures of the
phases before it (one dictionary, filled phase by phase)."""
import json
import os
import subprocess
import sys

from harness.command import run_timed
from harness.pg import run_file_json, sql_file
from harness.settings import BenchError


class Context:
    def __init__(self, settings, cluster, workdir):
        self.settings, self.cluster, self.workdir = settings, cluster, workdir
        self.figures = {}

    @staticmethod
    def log(message):
        print(f"bench: {message}", file=sys.stderr, flush=True)

    def path(self, name):
        return os.path.join(self.workdir, name)

    def new_database(self, name):
        return self.cluster.new_database(name, self.settings.bin, self.workdir)

    def mmetl_env(self, url=None):
        env = {**os.environ, "MMETL_ACCESS_TOKEN": "bench"}
        if url:
            env["DATABASE_URL"] = url
        return env

    def timed(self, prefix, url, args, simulator=None, env=None):
        """`mmetl ARGS` against `url` (with `env` added to its environment), measured
        (harness.command.run_timed); its stdout is echoed indented, its last log lines when it fails."""
        others = {"postgres": self.cluster.postmaster_pid(), "simulator": simulator.pid if simulator else 0}
        m = run_timed([self.settings.bin, *args], {**self.mmetl_env(url), **(env or {})}, self.path(f"{prefix}.stdout"),
                      self.path(f"{prefix}.stderr"), self.settings.cmd_timeout, others, self.log)
        with open(self.path(f"{prefix}.stdout"), encoding="utf-8", errors="replace") as f:
            for line in f:
                print("    " + line.rstrip("\n"), file=sys.stderr)
        if m["exit_status"] != 0:
            self.log(f"mmetl ({prefix}) exited {m['exit_status']}; last log lines:")
            with open(self.path(f"{prefix}.stderr"), encoding="utf-8", errors="replace") as f:
                sys.stderr.write("".join(f.readlines()[-5:]))
        return m

    def bench_tool(self, *args):
        """`mmetl-bench ARGS`: its JSON output."""
        out = subprocess.run([self.settings.bench_bin, *map(str, args)], capture_output=True, text=True)
        if out.returncode != 0:
            raise BenchError(f"mmetl-bench {args[0]} exited {out.returncode}: {out.stderr.strip()[-500:]}")
        return json.loads(out.stdout)

    def run_figures(self, url):
        """The last run of a database: etl.runs, etl.run_items, etl.raw_pages, fact row counts."""
        return run_file_json(url, sql_file("run_figures.sql"))
