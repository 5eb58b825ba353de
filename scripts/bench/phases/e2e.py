"""e2e: `mmetl backfill` of WABAS × TEMPLATES × DAYS (both template product types, pricing with every
dimension, catalog): wall, data points/s, fact rows/s, requests against the API minimum, bytes
archived, peak RSS, CPU of mmetl, PostgreSQL and the simulator (split at the last slice: before,
extract + load; after, sql/transforms), every statement's duration, and normalize alone over the
run's archived pages (mmetl-bench normalize)."""
from phases.backfill import scenario

NAME = "e2e"


def run(ctx):
    return scenario(ctx, "e2e", ctx.settings.days, detailed=True)
