"""The bench's settings, read once from the environment (the names `make bench` documents)."""
import dataclasses
import datetime
import os
from dataclasses import dataclass, field

SCALES = {  # wabas, templates, days, small_days
    "default": (50, 40, 90, 30),
    "small": (10, 20, 30, 10),
}


class BenchError(Exception):
    """A phase cannot go on (a missing tool, a command that failed): the bench stops with its message."""


def _int(env, name, default):
    raw = env.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise BenchError(f"{name} must be an integer, not {raw!r}") from None


@dataclass(frozen=True)
class Settings:
    root: str
    bin: str
    bench_bin: str
    scale: str
    wabas: int
    templates: int
    days: int
    small_days: int
    chunk_days: int
    concurrency: int
    page_size: int
    lat_wabas: int
    lat_templates: int
    lat_ms: int
    lat_days: int
    merge_rows: int
    sendlog_messages: int
    phases: tuple
    callgrind: bool
    cg_wabas: int
    cg_templates: int
    cg_days: int
    scale_wabas: int
    scale_wabas_small: int
    scale_templates: int
    scale_days: int
    scale_messages: int
    cmd_timeout: int
    pg_log: bool
    keep: bool
    out_dir: str
    today: datetime.date
    as_of: datetime.date
    notes: list = field(default_factory=list)

    @property
    def floor(self):
        """mmetl refuses backfills starting before today − 89 days (template retention, real date)."""
        return self.today - datetime.timedelta(days=89)

    def clamp_days(self, n):
        """The largest count ≤ n of days ending at as_of that starts on or after the retention floor."""
        start = self.as_of - datetime.timedelta(days=n - 1)
        if start < self.floor:
            clamped = (self.as_of - self.floor).days + 1
            self.notes.append(f"clamping {n} days to {clamped}: mmetl checks template retention against "
                              f"today ({self.today}, earliest {self.floor})")
            return clamped
        return n

    def start_for(self, days):
        return self.as_of - datetime.timedelta(days=days - 1)


def from_environment(root, default_phases, env=os.environ, today=None):
    """Settings from `env` (BENCH_PHASES defaults to `default_phases`); raises BenchError naming the
    variable that is wrong."""
    scale = env.get("BENCH_SCALE", "default")
    if scale not in SCALES:
        raise BenchError(f"BENCH_SCALE must be default or small, not {scale}")
    d_wabas, d_templates, d_days, d_small = SCALES[scale]
    today = today or datetime.datetime.now(datetime.timezone.utc).date()
    try:
        as_of = datetime.date.fromisoformat(env["BENCH_AS_OF"]) if env.get("BENCH_AS_OF") else today
    except ValueError:
        raise BenchError(f"BENCH_AS_OF must be a date (YYYY-MM-DD), not {env['BENCH_AS_OF']!r}") from None
    binary = env.get("MMETL_BIN") or os.path.join(root, ".build", "release", "mmetl")
    phases = tuple((env.get("BENCH_PHASES") or default_phases).split())
    s = Settings(
        root=root, bin=binary,
        bench_bin=env.get("MMETL_BENCH_BIN") or os.path.join(os.path.dirname(binary), "mmetl-bench"),
        scale=scale,
        wabas=_int(env, "BENCH_WABAS", d_wabas), templates=_int(env, "BENCH_TEMPLATES", d_templates),
        days=_int(env, "BENCH_DAYS", d_days), small_days=_int(env, "BENCH_SMALL_DAYS", d_small),
        chunk_days=_int(env, "BENCH_CHUNK_DAYS", 90), concurrency=_int(env, "BENCH_CONCURRENCY", 8),
        page_size=_int(env, "BENCH_PAGE_SIZE", 500),
        lat_wabas=_int(env, "BENCH_LAT_WABAS", 200), lat_templates=_int(env, "BENCH_LAT_TEMPLATES", 5),
        lat_ms=_int(env, "BENCH_LAT_MS", 100), lat_days=_int(env, "BENCH_LAT_DAYS", 3),
        merge_rows=_int(env, "BENCH_MERGE_ROWS", 200000),
        sendlog_messages=_int(env, "BENCH_SENDLOG_MESSAGES", 1000000 if scale == "default" else 100000),
        phases=phases, callgrind=env.get("BENCH_CALLGRIND") == "1",
        cg_wabas=_int(env, "BENCH_CG_WABAS", 4), cg_templates=_int(env, "BENCH_CG_TEMPLATES", 40),
        cg_days=_int(env, "BENCH_CG_DAYS", 30),
        scale_wabas=_int(env, "BENCH_SCALE_WABAS", 1000), scale_wabas_small=_int(env, "BENCH_SCALE_WABAS_SMALL", 100),
        scale_templates=_int(env, "BENCH_SCALE_TEMPLATES", 20), scale_days=_int(env, "BENCH_SCALE_DAYS", 90),
        scale_messages=_int(env, "BENCH_SCALE_MESSAGES", 5000000),
        cmd_timeout=_int(env, "BENCH_TIMEOUT", 1200), pg_log=env.get("BENCH_PG_LOG", "1") == "1",
        keep=env.get("BENCH_KEEP") == "1", out_dir=env.get("BENCH_OUT") or os.path.join(root, "bench-results"),
        today=today, as_of=as_of,
    )
    days, small_days = s.clamp_days(s.days), s.clamp_days(s.small_days)
    if days < 1 or small_days < 1:
        raise BenchError(f"BENCH_AS_OF {as_of} leaves no day within retention")
    return dataclasses.replace(s, days=days, small_days=small_days, notes=s.notes)
