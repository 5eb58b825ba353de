"""latency: the nightly `mmetl run` over LAT_WABAS WABAs × LAT_TEMPLATES templates with the
simulator answering after LAT_MS per response; the report divides its wall by the ideal
(requests × latency ÷ max_concurrency)."""
import datetime

from harness.api_minimum import minimum
from harness.simulator import Simulator, write_pipeline

NAME = "latency"


def run(ctx):
    s = ctx.settings
    start = s.as_of - datetime.timedelta(days=s.lat_days)
    ctx.log(f"latency: nightly run over {s.lat_wabas} WABAs × {s.lat_templates} templates, {s.lat_ms} ms per "
            f"response (start_date {start})")
    url = ctx.new_database("bench_latency")
    fig = {"scenario": {"wabas": s.lat_wabas, "templates": s.lat_templates, "latency_ms": s.lat_ms,
                        "start_date": str(start), "as_of": str(s.as_of), "max_concurrency": s.concurrency}}
    with Simulator(s.bin, ctx.workdir, "latency", s.as_of, "--wabas", s.lat_wabas, "--templates", s.lat_templates,
                   "--days", s.lat_days + 1, "--latency-ms", s.lat_ms) as sim:
        pipeline = ctx.path("latency.yaml")
        write_pipeline(pipeline, "bench_latency", sim.url, start, ctx.path("archive-latency"), sim.wabas,
                       s.concurrency, s.page_size)
        fig["command"] = ctx.timed("latency", url, ["run", "--pipeline", pipeline, "--as-of", str(s.as_of)], sim)
    fig["run"] = ctx.run_figures(url)
    fig["api_minimum"] = minimum(url, s.lat_templates, start, s.as_of, 90, s.page_size, ["mm_api", "cloud_api"], True)
    ctx.cluster.drop("bench_latency")
    return fig
