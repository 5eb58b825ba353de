"""CPU seconds of process trees from /proc, sampled while a command runs."""
import os
import threading
import time


def _stat(pid):
    with open(f"/proc/{pid}/stat", encoding="ascii") as f:
        text = f.read()
    # Fields after the command name (which may hold spaces and parentheses).
    rest = text[text.rindex(")") + 2:].split()
    # rest[0] is field 3 (state): utime=14, stime=15, cutime=16, cstime=17, ppid=4.
    return {"ppid": int(rest[1]), "utime": int(rest[11]), "stime": int(rest[12]),
            "cutime": int(rest[13]), "cstime": int(rest[14])}


def cpu_seconds(pid):
    """CPU of `pid` itself and of its children it has reaped, plus every live descendant's own CPU
    (a PostgreSQL backend counts in the postmaster's cutime once it has exited and been reaped).
    0 for no process (pid 0 or gone)."""
    if not pid:
        return 0.0
    tick = os.sysconf("SC_CLK_TCK")
    stats = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stats[int(entry)] = _stat(entry)
            except (OSError, ValueError, IndexError):
                pass
    if pid not in stats:
        return 0.0
    children = {}
    for p, s in stats.items():
        children.setdefault(s["ppid"], []).append(p)
    root = stats[pid]
    total = root["utime"] + root["stime"] + root["cutime"] + root["cstime"]
    todo = list(children.get(pid, []))
    while todo:
        p = todo.pop()
        total += stats[p]["utime"] + stats[p]["stime"]
        todo.extend(children.get(p, []))
    return total / tick


class Sampler:
    """Every `interval` seconds, the CPU seconds of each named process tree, in a thread, from start()
    until stop() (one row at each end).
    Monotonic per name: a process that has exited (and been reaped) reads as 0 from then on."""

    def __init__(self, pids, interval=0.5):
        self.pids, self.interval, self.rows = dict(pids), interval, []
        self._stop = threading.Event()
        self._seen = {}
        self._thread = threading.Thread(target=self._loop, daemon=True)

    def start(self):
        self._thread.start()
        return self

    def stop(self):
        self._stop.set()
        self._thread.join()
        return self.rows

    def _loop(self):
        while True:
            stopping = self._stop.wait(self.interval if self.rows else 0)
            row = {"t": round(time.time(), 3)}
            for name, pid in self.pids.items():
                self._seen[name] = max(self._seen.get(name, 0.0), cpu_seconds(pid))
                row[name] = round(self._seen[name], 3)
            self.rows.append(row)  # the last row is taken after stop(): the samples span the whole command
            if stopping:
                return


def cpu_split(rows, t_split, t_start=None):
    """CPU seconds of each sampled process before and after `t_split` (epoch seconds), interpolated
    between samples; None with fewer than two samples."""
    if len(rows) < 2:
        return None
    names = [k for k in rows[0] if k != "t"]

    def at(t):
        prev = rows[0]
        for r in rows:
            if r["t"] >= t:
                span = r["t"] - prev["t"]
                w = (t - prev["t"]) / span if span > 0 else 1.0
                return {n: prev[n] + w * (r[n] - prev[n]) for n in names}
            prev = r
        return {n: rows[-1][n] for n in names}

    first, last = dict(rows[0]), rows[-1]
    first["mmetl"] = 0.0  # the sampler starts a moment after the command: count mmetl from zero
    mid = at(t_split) if t_split else last
    before = {n: round(mid[n] - first[n], 2) for n in names}
    after = {n: round(last[n] - mid[n], 2) for n in names}
    return {"until_last_slice": before, "after_last_slice": after,
            "seconds_until_last_slice": round((t_split or last["t"]) - (t_start or first["t"]), 2),
            "seconds_after_last_slice": round(last["t"] - (t_split or last["t"]), 2)}
