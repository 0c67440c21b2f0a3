"""The history engine: one `git log` + one `git cat-file --batch` against a git process per file.

Two synthetic organisations (bench/synth.py, built by `git fast-import`):
100 teams x 4 quarters (400 sheets) with 2,500 commits, and 200 x 4 (800
sheets) with 5,000 commits. For each, in the same run:

- `read_history` of the whole OKR tree, cold: a fresh Python process each
  time (interpreter start and imports included);
- the same for one sheet (`read_history(config, [sheet])`, what the pre-commit
  hook's history rules read);
- the per-file approach, two ways: `git log -p --follow -- FILE` for every
  sheet (one git process per file: it lists the versions as diffs, a lower
  bound), and `git log --format=%H --follow -- FILE` plus a `git show` per
  version (what a per-file reader needs to get each version's values).
  Neither parses the YAML, so the ratios are conservative.

Each command is timed from outside (bench/_timing.py): wall time, CPU time (user +
system of the process and the git processes it waited for, from `os.wait4`) and peak
RSS (the Python process's own VmHWM, which it prints; wait4's for the git commands).
The machine is shared, so wall times swing with the load; CPU times much
less: both are printed, and both ratios.

Aims (issue 4): the whole history in at most 10 s cold, at least 20x faster
than per-file, and linear growth (2x the data, about 2x the time).
`OKR_BENCH_RUNS=1 python bench/bench_history.py` for a quick pass.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from _timing import Timing, runs_from_env, table, time_command  # noqa: E402

QUARTERS = ("2026-Q1", "2026-Q2", "2026-Q3", "2026-Q4")
SIZES = ((100, 2500), (200, 5000))  # (teams, commits): 400 and 800 sheets

READ = """\
import sys
from pathlib import Path
from okrkit.config import load_config
from okrkit.history import read_history
config, _ = load_config(Path.cwd())
paths = [Path(p) for p in sys.argv[1:]] or None
history = read_history(config, paths)
assert history.available and history.kr_refs(), history.warnings
points = sum(len(history.timeline(r)) for r in history.kr_refs())
# the peak of this process's own memory since exec (its rusage would include the parent's
# memory at fork time)
peak = next(line.split()[1] for line in open("/proc/self/status") if line.startswith("VmHWM"))
shas = {p.commit.sha for r in history.kr_refs() for p in history.timeline(r)}
print(len(shas | {e.commit.sha for e in history.events()}), len(history.kr_refs()), points,
      peak)
"""

MAKE = f"""\
import sys
from pathlib import Path
sys.path.insert(0, {str(HERE)!r})
import synth
root, teams, commits = Path(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
synth.write_tree(root, teams=teams, cycles={QUARTERS!r})
synth.make_history(root, commits=commits)
"""

# what a per-file reader needs for the values: each version's content, one `git show` each
PER_FILE_SHOW = """\
git ls-files -z okrs | xargs -0 -n1 sh -c \
'case "$0" in */org.yaml) ;; *) for c in $(git log --format=%H --follow -- "$0"); do \
git show "$c:$0" >/dev/null 2>&1 || true; done;; esac'
"""

# the git part of read_history alone: the same log, then every blob it names
GIT_ONE_PASS = """\
git log HEAD --raw -z --no-abbrev -M -c --date-order --reverse --format=%H -- okrs \
| tr '\\0' '\\n' | awk '/^:/ {print $4}' | grep -v '^0*$' | sort -u \
| git cat-file --batch >/dev/null
"""

PER_FILE = """\
git ls-files -z okrs | xargs -0 -n1 sh -c \
'case "$0" in */org.yaml) ;; *) git log -p --follow --format=%H%x00%an%x00%aI -- "$0" \
>/dev/null;; esac'
"""


def measure(label: str, cmd: Sequence[str], cwd: Path, runs: int) -> Timing:
    """`time_command` with the output kept; the peak RSS the reader reports itself (a
    forked child would count its parent's peak too), when it does."""
    timing = time_command(label, cmd, runs=runs, warmup=0, cwd=cwd, capture_stdout=True)
    fields = timing.stdout.split()
    if len(fields) == 4:
        timing = replace(timing, peak_rss_mb=int(fields[3]) / 1024)
    return timing


def main() -> int:
    runs = runs_from_env(3)
    results: dict[int, tuple[Timing, Timing, Timing, Timing, Timing]] = {}
    for teams, commits in SIZES:
        with tempfile.TemporaryDirectory(prefix="okr-bench-history-") as tmp:
            root = Path(tmp)
            # in a child process: a forked child starts with its parent's peak RSS on
            # Linux, so the benchmark itself stays small to keep the figures honest
            subprocess.run([sys.executable, "-c", MAKE, str(root), str(teams), str(commits)],
                           check=True)
            sheets = sorted((root / "okrs").glob("*/*.yaml"))
            one = sheets[0].relative_to(root).as_posix()
            label = f"{len(sheets)} sheets, {commits} commits"
            whole = measure("read_history, whole tree", [sys.executable, "-c", READ], root,
                            runs)
            single = measure("read_history, 1 sheet", [sys.executable, "-c", READ, one], root,
                             runs)
            git_only = measure("its git part: one log + one cat-file --batch",
                               ["sh", "-c", GIT_ONE_PASS], root, runs)
            per_file = measure(f"git log -p --follow per file ({len(sheets)} processes)",
                               ["sh", "-c", PER_FILE], root, 1)
            per_show = measure("git log per file + git show per version",
                               ["sh", "-c", PER_FILE_SHOW], root, 1)
            found = whole.stdout.split()
            print(f"{label} ({found[0]} commits change OKRs, {found[1]} KRs, "
                  f"{found[2]} timeline points)")
            print(table([whole, single, git_only, per_file, per_show], baseline=whole,
                        cpu=True), flush=True)
            results[len(sheets)] = (whole, single, per_file, git_only, per_show)

    small, large = (results[k] for k in sorted(results))
    print("summary (800 sheets / 5,000 commits unless said)")
    print(f"  whole history, cold: {large[0].median:.2f} s wall, {large[0].cpu:.2f} s CPU "
          f"(aim <= 10 s), peak RSS {large[0].peak_rss_mb:.0f} MB")
    print(f"  per-file approach: {large[2].median:.1f} s wall, {large[2].cpu:.1f} s CPU: "
          f"{large[2].median / large[0].median:.0f}x (wall), {large[2].cpu / large[0].cpu:.0f}x "
          "(CPU) slower (aim >= 20x)")
    print(f"  per file with each version's content (git show): {large[4].median:.1f} s wall, "
          f"{large[4].cpu:.1f} s CPU: {large[4].median / large[0].median:.0f}x (wall), "
          f"{large[4].cpu / large[0].cpu:.0f}x (CPU) slower")
    print(f"  the git part alone (one log, one cat-file): {large[3].median:.2f} s wall: "
          f"{large[2].median / large[3].median:.0f}x faster than per-file")
    print(f"  from 400/2,500 to 800/5,000 (2x the data): {large[0].median / small[0].median:.2f}x "
          f"the wall time, {large[0].cpu / small[0].cpu:.2f}x the CPU time")
    print(f"  one sheet (the hook's history rules): {large[1].median:.2f} s wall, "
          f"{large[1].cpu:.2f} s CPU")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
