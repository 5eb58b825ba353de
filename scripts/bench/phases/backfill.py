"""A backfill scenario in its own database against its own simulator (the e2e and small phases):
`mmetl backfill` of WABAS × TEMPLATES × DAYS with every dataset, measured."""
import os

from harness.api_minimum import minimum
from harness.cpu import cpu_split
from harness.pg import query
from harness.simulator import Simulator, write_pipeline
from harness.statements import pg_statements


def scenario(ctx, prefix, days, detailed):
    """Runs the scenario; `detailed` adds the statement log, the API minimum and normalize alone
    (mmetl-bench over the run's archive). Returns the phase's raw figures."""
    s = ctx.settings
    start = s.start_for(days)
    ctx.log(f"{prefix}: backfill {s.wabas} WABAs × {s.templates} templates × {days} days "
            f"({start}…{s.as_of}, chunk {s.chunk_days} d)")
    db = f"bench_{prefix}"
    url = ctx.new_database(db)
    log_offset = None
    if detailed and s.pg_log and os.path.exists(ctx.cluster.log_path):
        # Every statement's duration in the server log, for this database only (sessions started from now).
        query(ctx.cluster.admin_url, f"ALTER DATABASE {db} SET log_min_duration_statement = 0")
        log_offset = os.path.getsize(ctx.cluster.log_path)
    archive = ctx.path(f"archive-{prefix}")
    fig = {"scenario": {"wabas": s.wabas, "templates": s.templates, "days": days, "from": str(start), "to": str(s.as_of),
                        "chunk_days": s.chunk_days, "max_concurrency": s.concurrency, "page_size": s.page_size}}
    with Simulator(s.bin, ctx.workdir, prefix, s.as_of, "--wabas", s.wabas, "--templates", s.templates, "--days", days) as sim:
        pipeline = ctx.path(f"{prefix}.yaml")
        write_pipeline(pipeline, db, sim.url, start, archive, sim.wabas, s.concurrency, s.page_size)
        fig["command"] = ctx.timed(prefix, url, ["backfill", "--pipeline", pipeline, "--from", str(start),
                                                 "--to", str(s.as_of), "--chunk-days", str(s.chunk_days)], sim)
    if log_offset is not None:
        query(ctx.cluster.admin_url, f"ALTER DATABASE {db} RESET log_min_duration_statement")
        fig["pg_statements"] = pg_statements(ctx.cluster.log_path, log_offset)
    fig["run"] = ctx.run_figures(url)
    run = fig["run"] or {}
    fig["cpu_by_phase"] = cpu_split(fig["command"]["samples"], float(run.get("last_item_epoch") or 0),
                                    fig["command"]["t0"])
    if detailed:
        fig["api_minimum"] = minimum(url, s.templates, start, s.as_of, 90, s.page_size, ["mm_api", "cloud_api"], True)
        # Normalize alone: the normalizers over the run's archived pages, in memory (no I/O, no gunzip).
        fig["normalize"] = ctx.bench_tool("normalize", archive, "--passes", 1)
        fig["database_url"] = url
    else:
        ctx.cluster.drop(db)
    return fig
