"""The bench's phases, in the order they run. Each module has NAME, a docstring that defines its
figures, and run(ctx) → its raw figures (a dict stored as ctx.figures[NAME]; None: nothing measured);
REQUIRES names a phase whose figures it reads (it is skipped without them)."""
from phases import callgrind, e2e, latency, limit, merge, scale, sendlog, shards, small

ORDER = (e2e, limit, small, merge, latency, shards, sendlog, callgrind, scale)
# `make bench` without BENCH_PHASES; scale is opt-in, callgrind runs with BENCH_CALLGRIND=1.
DEFAULT = "e2e limit small merge latency shards sendlog"
