"""The trends' share of page generation (issue 17): the overall progress of every team
and every cycle at each commit, and every key result's confidence series, against the
whole `build_site` of the same organisation, in the same run and process.

Organisation: 200 teams x 4 quarters (800 sheets), 5,000 commits (bench/synth.py), read
once; `OKR_BENCH_RUNS` (default 3) repeats each measurement, the median is quoted.
"""

from __future__ import annotations

import datetime as dt
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import synth  # noqa: E402
from _timing import runs_from_env  # noqa: E402

TEAMS, CYCLES, COMMITS = 200, ["2026-Q1", "2026-Q2", "2026-Q3", "2026-Q4"], 5000
TODAY = dt.date(2026, 11, 15)


def _median(fn: Callable[[], object], runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> int:
    from okrkit import trends
    from okrkit.config import load_config
    from okrkit.history import read_history
    from okrkit.model import Sheet
    from okrkit.site import build_site
    from okrkit.tree import load_tree

    runs = runs_from_env(3)
    with tempfile.TemporaryDirectory(prefix="okr-bench-trends-") as tmp:
        root = Path(tmp) / "org"
        synth.write_tree(root, teams=TEAMS, cycles=CYCLES)
        synth.make_history(root, commits=COMMITS)
        os.chdir(root)
        config, _ = load_config(root)
        tree, _ = load_tree(config)
        history = read_history(config)
        by_cycle: dict[str, list[Sheet]] = {}
        for sheet in tree.sheets:
            by_cycle.setdefault(sheet.cycle_id, []).append(sheet)

        def all_trends() -> None:
            # as the site does: each team's steps once, for its page and its cycle's
            cache: dict[str, list[tuple[Any, float | None]]] = {}

            def steps(sheet: Sheet) -> list[tuple[Any, float | None]]:
                if sheet.path not in cache:
                    cache[sheet.path] = trends.sheet_steps(sheet, history)
                return cache[sheet.path]

            for sheets in by_cycle.values():
                for sheet in sheets:
                    trends.progress_series([sheet], history, steps=steps)
                trends.progress_series(sheets, history, steps=steps)
            for sheet, objective, kr in tree.key_results():
                trends.confidence_series(history.timeline(sheet.ref(objective, kr)))

        def pages() -> None:
            build_site(tree, history, today=TODAY, lang="en", repo_url="https://github.com/o/r",
                       edit_uri="edit/main/")

        trend_s = _median(all_trends, runs)
        site_s = _median(pages, runs)
        krs = sum(1 for _ in tree.key_results())
        print(f"{len(tree.sheets)} sheets, {krs} key results, {COMMITS} commits "
              f"(median of {runs})")
        print(f"  build_site, every page (trends included) {site_s:7.2f} s")
        print(f"  the trends alone                          {trend_s:7.2f} s "
              f"({trend_s / site_s:.0%} of build_site)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
