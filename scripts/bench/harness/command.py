"""One mmetl command, timed: wall, its own rusage (peak RSS, CPU) and the CPU of PostgreSQL and the
simulator over the same span."""
import os
import signal
import subprocess
import threading
import time

from harness.cpu import Sampler, cpu_seconds


def run_timed(argv, env, stdout_path, stderr_path, timeout_s, others, log):
    """Runs `argv` to completion (killed after `timeout_s`); `others` maps names to pids whose CPU is
    measured beside it. Returns wall_s, t0 (epoch), exit status, rusage figures of the command
    itself (from wait4: peak RSS, user and system CPU, context switches), CPU seconds of each other
    process over the run, and the CPU samples (every 0.5 s: the command and the others)."""
    before = {name: cpu_seconds(pid) for name, pid in others.items()}
    t0_epoch, t0 = time.time(), time.monotonic()
    with open(stdout_path, "w") as out, open(stderr_path, "w") as err:
        proc = subprocess.Popen(argv, env=env, stdout=out, stderr=err)
    sampler = Sampler({"mmetl": proc.pid, **others}).start()
    timer = threading.Timer(timeout_s, lambda: _kill(proc.pid, log, timeout_s))
    timer.start()
    try:
        _, status, usage = os.wait4(proc.pid, 0)
    except BaseException:
        _kill(proc.pid, log, None)
        raise
    finally:
        timer.cancel()
    proc.returncode = os.waitstatus_to_exitcode(status)  # reaped here: keep Popen from waiting again
    wall = time.monotonic() - t0
    rows = sampler.stop()
    return {
        "t0": t0_epoch, "wall_s": round(wall, 3), "exit_status": proc.returncode,
        "rusage": {"max_rss_kb": usage.ru_maxrss, "user_s": round(usage.ru_utime, 3), "sys_s": round(usage.ru_stime, 3),
                   "voluntary_ctx_switches": usage.ru_nvcsw, "involuntary_ctx_switches": usage.ru_nivcsw},
        "cpu_others_s": {name: round(cpu_seconds(pid) - before[name], 3) for name, pid in others.items()},
        "samples": rows,
    }


def _kill(pid, log, timeout_s):
    if timeout_s is not None:
        log(f"{pid} ran over {timeout_s} s: terminating it")
    try:
        os.kill(pid, signal.SIGTERM)
    except ProcessLookupError:
        pass
