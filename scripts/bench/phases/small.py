"""small: the e2e backfill over SMALL_DAYS (same WABAs, templates and chunk): the memory comparison."""
from phases.backfill import scenario

NAME = "small"


def run(ctx):
    return scenario(ctx, "small", ctx.settings.small_days, detailed=False)
