"""Where PostgreSQL spent its time: statement durations from the server log (log_min_duration_statement = 0)."""
import re

ENTRY = re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d")
DURATION = re.compile(r"LOG:\s+duration: ([\d.]+) ms\s+(statement|execute|parse|bind)[^:]*:\s?(.*)", re.S)


def statement_label(sql):
    """A short label for a statement: its verb and the first relation it names."""
    text = " ".join(sql.split())
    verb = text.split(" ", 1)[0].upper() if text else "?"
    if text.startswith("--"):
        verb = "TRANSFORM"
    m = re.search(r"\b(mm\.\w+|etl\.\w+|staging\.\w+|sendlog\.\w+|pg_temp\.\w+|bm_\w+|mmetl_stg_\w+)", text)
    fact = re.search(r"\bmm\.(fact_\w+)", text)
    if "UPDATE" in text and "fact_revisions" in text and verb == "WITH" and fact:
        return f"merge: update changed, insert new {fact.group(1)}"
    if verb == "INSERT" and "NOT EXISTS" in text and fact:
        return f"merge: insert new {fact.group(1)}"
    if verb == "INSERT" and "mmetl_stg_" in text and fact:
        return f"merge: insert all {fact.group(1)}"
    if verb == "UPDATE" and "SET is_final = true" in text and fact:
        return f"merge: finalize {fact.group(1)}"
    if verb == "SELECT" and "set_config" in text:
        return "SELECT set_config(…)"
    rel = m.group(1) if m else ""
    return f"{verb} {rel.replace('pg_temp.mmetl_stg_', 'staging ')}".strip()


def pg_statements(path, offset):
    """Durations logged with log_min_duration_statement = 0 from byte `offset` of the server log,
    summed per statement label (concurrent statements overlap: the sum can exceed the wall time)."""
    entries, cur = [], None
    with open(path, encoding="utf-8", errors="replace") as f:
        f.seek(offset)
        for line in f:
            if ENTRY.match(line):
                if cur is not None:
                    entries.append(cur)
                cur = line
            elif cur is not None:
                cur += line
    if cur is not None:
        entries.append(cur)
    agg = {}
    for e in entries:
        m = DURATION.search(e)
        if not m:
            continue
        label = statement_label(m.group(3))
        a = agg.setdefault(label, {"statement": label, "calls": 0, "total_s": 0.0, "max_ms": 0.0})
        ms = float(m.group(1))
        # The extended protocol logs parse, bind and execute apart: time counts all, calls executions.
        a["calls"] += m.group(2) in ("statement", "execute")
        a["total_s"] += ms / 1000
        a["max_ms"] = max(a["max_ms"], ms)
    rows = sorted(agg.values(), key=lambda a: -a["total_s"])
    for a in rows:
        a["total_s"] = round(a["total_s"], 3)
        a["max_ms"] = round(a["max_ms"], 1)
    return {"total_s": round(sum(a["total_s"] for a in rows), 3), "top": rows[:25]}
