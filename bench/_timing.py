"""Whole-process timing, hyperfine style: run a command N times, keep min/median/max and peak RSS.

Peak RSS and CPU time (user + system) come from `os.wait4`, which reports the
resource use of exactly the child it reaped, with the processes that child waited
for (RUSAGE_CHILDREN would mix every child of the benchmark). On a shared machine
wall time swings with the load; CPU time much less, so both are kept.
Figures are compared within one run only: the machine is shared, so absolute
numbers drift between runs while ratios measured side by side hold.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

BIN = Path(sys.executable).parent


def runs_from_env(default: int) -> int:
    """`OKR_BENCH_RUNS=3 make bench` for a quick pass."""
    value = os.environ.get("OKR_BENCH_RUNS")
    return max(1, int(value)) if value else default


@dataclass(frozen=True, slots=True)
class Timing:
    label: str
    runs: int
    min: float  # seconds
    median: float
    max: float
    peak_rss_mb: float
    exit_code: int
    cpu: float = 0.0  # median seconds, user + system, with the processes it waited for
    stdout: str = ""  # of the last run, when captured


def time_command(label: str, cmd: Sequence[str], *, runs: int = 10, warmup: int = 1,
                 cwd: Path | None = None, env: Mapping[str, str] | None = None,
                 ok_codes: Sequence[int] = (0,), capture_stdout: bool = False,
                 before: Sequence[str] | None = None) -> Timing:
    """Run `cmd` `warmup` + `runs` times; fails when an exit code is not in `ok_codes`
    (with the end of its stderr). `capture_stdout`: keep the last run's output.
    `before`: a command run (untimed) before each run."""
    walls: list[float] = []
    cpus: list[float] = []
    peaks: list[int] = []
    code = 0
    out = b""
    full_env = {**os.environ, **(env or {})}
    for n in range(warmup + runs):
        if before is not None:
            subprocess.run(list(before), cwd=cwd, env=full_env, check=False,
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        with tempfile.TemporaryFile() as err:
            start = time.perf_counter()
            proc = subprocess.Popen(list(cmd), cwd=cwd, env=full_env, stderr=err,
                                    stdout=subprocess.PIPE if capture_stdout
                                    else subprocess.DEVNULL)
            # read to the end before reaping: a full pipe would block the child
            out = proc.stdout.read() if proc.stdout is not None else b""
            _, status, usage = os.wait4(proc.pid, 0)
            wall = time.perf_counter() - start
            if proc.stdout is not None:
                proc.stdout.close()
            proc.returncode = code = os.waitstatus_to_exitcode(status)
            if code not in ok_codes:
                err.seek(0)
                tail = err.read().decode(errors="replace")[-500:]
                raise RuntimeError(f"{label}: exit code {code} from {' '.join(cmd)}\n{tail}")
        if n >= warmup:
            walls.append(wall)
            cpus.append(usage.ru_utime + usage.ru_stime)
            peaks.append(usage.ru_maxrss)  # KiB on Linux
    return Timing(label, runs, min(walls), statistics.median(walls), max(walls),
                  max(peaks) / 1024, code, statistics.median(cpus),
                  out.decode(errors="replace"))


def table(rows: Sequence[Timing], *, baseline: Timing | None = None,
          title: str = "", cpu: bool = False) -> str:
    """A plain-text table; `ratio` is each median over the baseline's median, and with
    `cpu` the CPU times and their ratio too."""
    head = ["command", "runs", "min s", "median s", "max s"]
    head += ["cpu s"] if cpu else []
    head += ["peak RSS MB", "exit"]
    if baseline is not None:
        head.append(f"x {baseline.label}")
        head += ["x (cpu)"] if cpu else []
    lines = [head]
    for t in rows:
        line = [t.label, str(t.runs), f"{t.min:.3f}", f"{t.median:.3f}", f"{t.max:.3f}"]
        line += [f"{t.cpu:.3f}"] if cpu else []
        line += [f"{t.peak_rss_mb:.0f}", str(t.exit_code)]
        if baseline is not None:
            line.append(f"{t.median / baseline.median:.2f}")
            line += [f"{t.cpu / baseline.cpu:.2f}"] if cpu else []
        lines.append(line)
    widths = [max(len(r[i]) for r in lines) for i in range(len(head))]
    out = [title] if title else []
    for r in lines:
        out.append("  ".join(c.ljust(w) if i == 0 else c.rjust(w)
                             for i, (c, w) in enumerate(zip(r, widths, strict=True))))
    return "\n".join(out) + "\n"
