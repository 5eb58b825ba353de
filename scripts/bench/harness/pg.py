"""PostgreSQL through `psql` (the throwaway cluster of scripts/with-postgres.sh: PG* variables set)."""
import json
import os
import subprocess
import time

from harness.settings import BenchError

SQL_DIR = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "sql")
_QUIET = {**os.environ, "PGOPTIONS": "-c client_min_messages=warning"}


def sql_file(name):
    """The path of one of the bench's own statements (scripts/bench/sql/NAME)."""
    return os.path.join(SQL_DIR, name)


def query(url, sql):
    """Runs `sql` (one or more statements, or a psql meta-command); returns the unaligned output."""
    return _psql(url, ["-c", sql])


def timed_query(url, sql):
    """`query(url, sql)`'s wall in seconds (3 decimals), psql's start included: how the limits time
    each `\\copy` and statement."""
    t0 = time.monotonic()
    query(url, sql)
    return round(time.monotonic() - t0, 3)


def query_json(url, sql):
    text = query(url, sql)
    return json.loads(text) if text else None


def run_file(url, path, variables=None, stdin=None):
    """Runs a .sql file with psql variables (`:name`, `:'name'` inside it); returns its output."""
    args = []
    for k, v in (variables or {}).items():
        args += ["-v", f"{k}={v}"]
    return _psql(url, args + ["-f", path], stdin=stdin)


def run_file_json(url, path, variables=None):
    text = run_file(url, path, variables)
    return json.loads(text) if text else None


def run_script(url, script):
    """A psql script on standard input (meta-commands such as \\i allowed); returns its output."""
    return _psql(url, [], stdin=script)


def _psql(url, args, stdin=None):
    out = subprocess.run(["psql", "-X", "-q", "-At", "-v", "ON_ERROR_STOP=1", "-d", url] + args,
                         input=stdin, capture_output=True, text=True, env=_QUIET)
    if out.returncode != 0:
        what = " ".join(args)[:200] or "script"
        raise BenchError(f"psql {what}: {out.stderr.strip()}")
    return out.stdout.strip()


class Cluster:
    """The cluster the bench runs against: database URLs, the postmaster's pid and its server log."""

    def __init__(self, env=os.environ):
        if not env.get("PGHOST") or not env.get("PGPORT"):
            raise BenchError("no PostgreSQL: run through scripts/with-postgres.sh")
        self.host, self.port, self.user = env["PGHOST"], env["PGPORT"], env.get("PGUSER", "postgres")
        self.admin_url = self.url("postgres")
        self.data_dir = query(self.admin_url, "SHOW data_directory")
        self.version = query(self.admin_url, "SHOW server_version")
        # scripts/with-postgres.sh writes the server log beside the data directory.
        self.log_path = os.path.join(os.path.dirname(self.data_dir), "server.log")

    def url(self, database):
        return f"postgresql://{self.user}@{self.host}:{self.port}/{database}"

    def postmaster_pid(self):
        with open(os.path.join(self.data_dir, "postmaster.pid"), encoding="ascii") as f:
            return int(f.readline())

    def drop(self, name):
        query(self.admin_url, f"DROP DATABASE IF EXISTS {name}")

    def new_database(self, name, binary, logdir):
        """A fresh database migrated by `mmetl migrate`; returns its URL."""
        self.drop(name)
        query(self.admin_url, f"CREATE DATABASE {name}")
        url = self.url(name)
        log = os.path.join(logdir, f"migrate-{name}.log")
        with open(log, "w") as f:
            code = subprocess.run([binary, "migrate", "--database", url, "--quiet"], stdout=f, stderr=f).returncode
        if code != 0:
            with open(log, encoding="utf-8", errors="replace") as f:
                raise BenchError(f"migrate {name} failed ({code}):\n{f.read()}")
        return url
