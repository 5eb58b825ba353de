"""callgrind (BENCH_CALLGRIND=1): a small backfill (BENCH_CG_WABAS × BENCH_CG_TEMPLATES ×
BENCH_CG_DAYS) under valgrind's callgrind. valgrind 3.19 cannot read the DWARF 5 the Swift toolchain
writes ("unhandled dwarf2 abbrev form"): it profiles a copy without debug sections (the ELF symbol
table keeps the function names, demangled with swift-demangle), with an LD_PRELOAD shim for its
sigsuspend bug (sigsuspend_shim.c). The top functions go to bench-results/callgrind-*.txt and the JSON."""
import os
import re
import shutil
import subprocess

from harness.simulator import Simulator, write_pipeline

NAME = "callgrind"
SHIM = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "sigsuspend_shim.c")


def run(ctx):
    s = ctx.settings
    if not shutil.which("valgrind"):
        ctx.log("callgrind: valgrind not installed, skipped")
        return None
    days = s.clamp_days(s.cg_days)
    start = s.start_for(days)
    scenario = f"backfill {s.cg_wabas} WABAs × {s.cg_templates} templates × {days} days, chunk {s.chunk_days}"
    ctx.log(f"callgrind: {scenario} under valgrind (slow)")
    url = ctx.new_database("bench_callgrind")
    cg_bin, shim, cg_out = ctx.path("mmetl-nodebug"), ctx.path("sigsuspend_shim.so"), ctx.path("callgrind.out")
    subprocess.run(["objcopy", "--strip-debug", s.bin, cg_bin], check=True)
    subprocess.run(["cc", "-shared", "-fPIC", "-O2", "-o", shim, SHIM, "-ldl"], check=True)
    with Simulator(s.bin, ctx.workdir, "callgrind", s.as_of, "--wabas", s.cg_wabas, "--templates", s.cg_templates,
                   "--days", days) as sim:
        pipeline = ctx.path("callgrind.yaml")
        write_pipeline(pipeline, "bench_callgrind", sim.url, start, ctx.path("archive-callgrind"), sim.wabas,
                       s.concurrency, s.page_size)
        env = {**ctx.mmetl_env(url), "MMETL_SQL_DIR": os.path.join(s.root, "sql"), "LD_PRELOAD": shim}
        with open(ctx.path("callgrind.stdout"), "w") as out, open(ctx.path("callgrind.stderr"), "w") as err:
            code = subprocess.run(["valgrind", "--tool=callgrind", f"--callgrind-out-file={cg_out}", cg_bin, "backfill",
                                   "--pipeline", pipeline, "--from", str(start), "--to", str(s.as_of),
                                   "--chunk-days", str(s.chunk_days)],
                                  env=env, stdout=out, stderr=err, timeout=s.cmd_timeout).returncode
        if code != 0:
            ctx.log(f"callgrind run exited {code}")
    ctx.cluster.drop("bench_callgrind")
    demangle = ["swift-demangle", "--simplified"] if shutil.which("swift-demangle") else ["cat"]
    paths = {}
    for kind, extra in (("self", []), ("incl", ["--inclusive=yes"])):
        annotated = subprocess.run(["callgrind_annotate", *extra, "--threshold=100", cg_out], capture_output=True, text=True).stdout
        paths[kind] = ctx.path(f"callgrind.{kind}.txt")
        with open(paths[kind], "w") as f:
            subprocess.run(demangle, input=annotated, stdout=f, text=True)
    out = os.path.join(s.out_dir, f"callgrind-{ctx.figures['meta']['timestamp']}.txt")
    fig = callgrind_summary(paths["self"], paths["incl"], out, scenario)
    ctx.log(f"callgrind: annotated profile in {out}")
    return fig


COST = re.compile(r"^\s*([\d,]+) \(\s*([\d.]+)%\)\s+(.*)$")
# Library entry points worth naming next to mmetl's own functions.
LIBRARY_POINTS = ("JSONSerialization.jsonObject(with:options:)", "JSONDecoder.decode<A>(_:from:)",
                  "swift_retain", "swift_release", "_swift_getGenericMetadata", "malloc", "_int_free", "deflate")


def _costs(path):
    rows = []
    with open(path, encoding="utf-8", errors="replace") as f:
        for line in f:
            m = COST.match(line)
            if m and "PROGRAM TOTALS" not in line:
                name = m.group(3)
                if name.startswith("???:"):
                    name = name[4:]
                rows.append((int(m.group(1).replace(",", "")), float(m.group(2)), name))
    return rows


def callgrind_summary(self_path, incl_path, out_path, scenario):
    """Exclusive top 30; inclusive top 40 of mmetl's own functions (cycles marked '2 left out:
    callgrind counts recursive cycles several times) plus a few library entry points."""
    total = 0
    with open(self_path, encoding="utf-8", errors="replace") as f:
        for line in f:
            if "PROGRAM TOTALS" in line:
                total = int(line.split()[0].replace(",", ""))
    own, seen = [], set()
    for ir, pct, name in _costs(incl_path):
        fn = name.rsplit(" [", 1)[0]
        if "'2" in fn or fn in seen or fn.startswith(("partial apply", "protocol witness", "thunk", "closure #", "specialized closure #")):
            continue
        fn = fn.removeprefix("specialized ")
        if fn in seen:
            continue
        if "mmetl" in name.rsplit(" [", 1)[-1] or any(fn.endswith(p) or fn == p for p in LIBRARY_POINTS):
            seen.add(fn)
            own.append(f"{pct:5.1f}%  {fn}")
        if len(own) >= 40:
            break
    selfs = [f"{pct:5.1f}%  {name.rsplit(' [', 1)[0]}" for _, pct, name in _costs(self_path)[:30]]
    with open(out_path, "w", encoding="utf-8") as f:
        f.write(f"# valgrind --tool=callgrind: mmetl {scenario}\n")
        f.write(f"# {total:,} instructions (mmetl only: PostgreSQL and the simulator are other processes)\n")
        f.write("\n## inclusive: mmetl's functions and library entry points\n" + "\n".join(own) + "\n")
        f.write("\n## exclusive (self)\n" + "\n".join(selfs) + "\n")
    return {"scenario": scenario, "instructions": total, "file": out_path,
            "inclusive": [x[:200] for x in own], "exclusive": [x[:200] for x in selfs]}
