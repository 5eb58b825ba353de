"""merge: `mmetl-bench merge`, the warehouse's own load path on one slice of BENCH_MERGE_ROWS
synthetic pricing rows: loaded into an empty fact (all new), again (all unchanged), then with every
value changed (every row revised)."""
NAME = "merge"


def run(ctx):
    rows = ctx.settings.merge_rows
    ctx.log(f"merge: one slice of {rows} pricing rows loaded new, unchanged, then with every value changed")
    url = ctx.new_database("bench_merge")
    fig = ctx.bench_tool("merge", "--database", url, "--rows", rows)
    ctx.cluster.drop("bench_merge")
    return fig
