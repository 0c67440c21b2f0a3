"""`okr lint` with the history rules: cold (no parse cache), warm (the same command again),
warm after a new commit (the history read kept for the old HEAD does not apply), the disk
cache off (each content parsed once, in memory), cold until its cache is written (the
command returns before its forked writer ends: OKRKIT_CACHE_WAIT=1 makes it wait), against
a per-file reader.

Organisations from bench/synth.py: 200 teams x 4 quarters (800 sheets) with
5,000 commits, and twice that (1,600 sheets, 10,000 commits). "Cold" is a fresh
clone's first run: the cache folder (`<git-dir>/okrkit`) is removed before each
run, so every run parses everything and writes the cache. "Warm" runs after one
that filled it. The per-file reader (for the 800-sheet organisation only) is
bench_history.py's `git log --follow` per sheet plus a `git show` per version,
which parses nothing, so the ratio is conservative; it runs on every 10th sheet
(OKR_BENCH_PER_FILE_SAMPLE) and its times are multiplied back (an estimate,
said so in its label).

Aims (issue 16): cold <= 3.5 s and >= 20x the per-file reader; warm <= 1.5 s;
twice the data <= 2.1x the time, cold and warm. Wall and CPU time (with git's)
are both printed; on a shared machine, CPU time is the steadier.
`OKR_BENCH_RUNS=1 python bench/bench_cache.py` for a quick pass;
`OKR_BENCH_PER_FILE=0` skips the per-file reader. `OKR_BENCH_BASELINE=<commit>` also
times the cold run of that commit's code (its `plugins/`, from `git archive`) and of this
checkout's, one after the other in turns, and prints their paired ratios: on a shared
machine, the way to compare two versions.
"""

from __future__ import annotations

import os
import shlex
import statistics
import subprocess
import sys
import tempfile
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from _timing import BIN, Timing, runs_from_env, table, time_command  # noqa: E402

# bench_history.py's per-file reader, over every SAMPLE-th sheet: the whole of it takes
# minutes (76 s on a quiet machine, far more on a shared one); each sheet's reads are
# independent of the others', so the sample's time x SAMPLE estimates the whole
SAMPLE = int(os.environ.get("OKR_BENCH_PER_FILE_SAMPLE", "10"))
PER_FILE_SAMPLED = f"""\
git ls-files okrs | grep -v 'org.yaml$' | awk 'NR % {SAMPLE} == 1' | tr '\\n' '\\0' \
| xargs -0 -n1 sh -c \
'for c in $(git log --format=%H --follow -- "$0"); do \
git show "$c:$0" >/dev/null 2>&1 || true; done'
"""

OKR = str(BIN / "okr")
QUARTERS = ("2026-Q1", "2026-Q2", "2026-Q3", "2026-Q4")
SIZES = ((200, 5000), (400, 10000))
ENV = {"OKR_TODAY": "2026-11-20", "LANG": "C.UTF-8"}
MAKE = f"""\
import sys
from pathlib import Path
sys.path.insert(0, {str(HERE)!r})
import synth
root, teams, commits = Path(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
synth.write_tree(root, teams=teams, cycles={QUARTERS!r})
synth.make_history(root, commits=commits)
"""


# the writer a cold run forks finishes after the command returns (cache.in_background):
# before each timed run, untimed, the last run's writer is waited for (`okr cache info`
# waits for its lock), so no run shares the machine with the one before's writer
SETTLE = [OKR, "cache", "info"]


def settle(root: Path) -> Callable[[], object]:
    return lambda: subprocess.run(SETTLE, cwd=root, env={**os.environ, **ENV}, check=False,
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def measure(root: Path, runs: int, *, per_file: bool) -> list[Timing]:
    cold = (f"rm -rf .git/okrkit && exec {shlex.quote(OKR)} lint >/dev/null")
    after_commit = ("git -c user.name=bench -c user.email=bench@example.com commit -q "
                    f"--allow-empty -m bench && exec {shlex.quote(OKR)} lint >/dev/null")
    rows = [
        time_command("okr lint, cold (no cache: a fresh clone)", ["sh", "-c", cold],
                     runs=runs, cwd=root, env=ENV, ok_codes=(0, 1), before_each=settle(root)),
        time_command("okr lint, warm (the same command again)", [OKR, "lint"], runs=runs,
                     cwd=root, env=ENV, ok_codes=(0, 1), before_each=settle(root)),
        # the same command at a new commit: the kept history read is for another HEAD, so
        # the log is walked again from the kept snapshots (an empty commit moves HEAD)
        time_command("okr lint, warm after a new commit", ["sh", "-c", after_commit],
                     runs=runs, cwd=root, env=ENV, ok_codes=(0, 1)),
        time_command("okr lint, disk cache off (OKRKIT_PARSE_CACHE=0)", [OKR, "lint"],
                     runs=runs, cwd=root, env={**ENV, "OKRKIT_PARSE_CACHE": "0"},
                     ok_codes=(0, 1)),
        # the cold run until its cache is written too: the command waits for its writer
        time_command("okr lint, cold, waiting for its writer (OKRKIT_CACHE_WAIT=1)",
                     ["sh", "-c", cold], runs=runs, cwd=root,
                     env={**ENV, "OKRKIT_CACHE_WAIT": "1"}, ok_codes=(0, 1),
                     before_each=settle(root)),
    ]
    if per_file:
        sampled = time_command(f"per-file reader, 1 sheet in {SAMPLE}, x {SAMPLE}",
                               ["sh", "-c", PER_FILE_SAMPLED], runs=1, warmup=0, cwd=root)
        rows.append(replace(sampled, min=sampled.min * SAMPLE, median=sampled.median * SAMPLE,
                            max=sampled.max * SAMPLE, cpu=sampled.cpu * SAMPLE))
    return rows


def paired_cold(root: Path, ref: str, runs: int) -> str:
    """The cold run of `ref`'s code and of this checkout's, in turns (the first of each
    round alternating): their medians and the median of each round's ratio."""
    with tempfile.TemporaryDirectory(prefix="okr-bench-baseline-") as base:
        subprocess.run(f"git -C {shlex.quote(str(HERE.parent))} archive {shlex.quote(ref)} "
                       f"plugins schema site_templates | tar -x -C {shlex.quote(base)}",
                       shell=True, check=True)
        code = {"baseline": str(Path(base) / "plugins"), "this": str(HERE.parent / "plugins")}
        cold = f"rm -rf .git/okrkit && exec {shlex.quote(sys.executable)} -m okrkit lint >/dev/null"
        times: dict[str, list[Timing]] = {name: [] for name in code}
        for round_ in range(runs):
            for name in sorted(code, reverse=round_ % 2 == 1):
                times[name].append(time_command(
                    name, ["sh", "-c", cold], runs=1, warmup=0 if round_ else 1, cwd=root,
                    env={**ENV, "PYTHONPATH": code[name]}, ok_codes=(0, 1),
                    before_each=settle(root)))
    old, new = times["baseline"], times["this"]
    wall = statistics.median(n.median / o.median for o, n in zip(old, new, strict=True))
    cpu = statistics.median(n.cpu / o.cpu for o, n in zip(old, new, strict=True))
    return (f"  cold, {ref} then this checkout, {runs} rounds: "
            f"{statistics.median(t.median for t in old):.2f} s / "
            f"{statistics.median(t.median for t in new):.2f} s wall, "
            f"{statistics.median(t.cpu for t in old):.2f} s / "
            f"{statistics.median(t.cpu for t in new):.2f} s CPU; "
            f"paired ratios {wall:.3f} wall, {cpu:.3f} CPU")


def main() -> int:
    runs = runs_from_env(3)
    per_file = os.environ.get("OKR_BENCH_PER_FILE", "1") != "0"
    baseline = os.environ.get("OKR_BENCH_BASELINE")
    results: dict[int, list[Timing]] = {}
    paired: list[str] = []
    for teams, commits in SIZES:
        with tempfile.TemporaryDirectory(prefix="okr-bench-cache-") as tmp:
            root = Path(tmp)
            subprocess.run([sys.executable, "-c", MAKE, str(root), str(teams), str(commits)],
                           check=True)
            rows = measure(root, runs, per_file=per_file and teams == SIZES[0][0])
            if baseline:
                paired.append(f"{teams * 4} sheets:\n{paired_cold(root, baseline, runs)}")
            print(table(rows, baseline=rows[0], cpu=True,
                        title=f"{teams * 4} sheets, {commits} commits"), flush=True)
            results[teams] = rows
    small, large = results[SIZES[0][0]], results[SIZES[1][0]]
    print("summary (800 sheets / 5,000 commits unless said)")
    print(f"  cold: {small[0].median:.2f} s wall, {small[0].cpu:.2f} s CPU (aim <= 3.5 s)")
    print(f"  warm: {small[1].median:.2f} s wall, {small[1].cpu:.2f} s CPU (aim <= 1.5 s)")
    print(f"  warm after a new commit: {small[2].median:.2f} s wall, {small[2].cpu:.2f} s CPU")
    print(f"  disk cache off: {small[3].median:.2f} s wall, {small[3].cpu:.2f} s CPU")
    print(f"  cold until its cache is written: {small[4].median:.2f} s wall, "
          f"{small[4].cpu:.2f} s CPU (the writer's included)")
    if len(small) > 5:
        print(f"  per-file reader: {small[5].median:.1f} s wall: "
              f"{small[5].median / small[0].median:.1f}x cold (aim >= 20x), "
              f"{small[5].cpu / small[0].cpu:.1f}x in CPU")
    for index, name in ((0, "cold"), (1, "warm")):
        print(f"  2x the data, {name}: {large[index].median / small[index].median:.2f}x wall, "
              f"{large[index].cpu / small[index].cpu:.2f}x CPU (aim <= 2.1x)")
    for line in paired:
        print(line)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
