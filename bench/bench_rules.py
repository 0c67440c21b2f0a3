"""Where a warm `okr lint` spends its CPU once the files are parsed: each rule, the model build.

The organisation of issue 16 (bench/synth.py: 200 teams x 4 quarters, 800
sheets, 9,600 key results, 5,000 commits), linted once to fill the parse cache;
then each run is a fresh process that lints the whole tree in-process (as `okr
lint` does, history included) and reports the CPU time (time.process_time) of:
the history read, the tree load, the model build alone (build.sheet_from over
every sheet, measured apart after the lint), every rule's checks, and the JSON
report. The median over the runs is printed.

`python bench/bench_rules.py --baseline REF` also measures the package as it is
at git REF (exported to a scratch folder, with its own copy of the repository,
since the parse cache is keyed by the code) in the same run, alternating, and
prints the ratios.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import synth  # noqa: E402
from _timing import runs_from_env  # noqa: E402

REPO = HERE.parent
ENV = {"OKR_TODAY": "2026-11-20", "LANG": "C.UTF-8"}
COMMITS = 5000
QUARTERS = ("2026-Q1", "2026-Q2", "2026-Q3", "2026-Q4")


def measure() -> dict[str, float]:
    """One warm lint in this process (cwd: the organisation), CPU seconds per phase."""
    import dataclasses
    import time
    from collections import defaultdict
    from collections.abc import Callable
    from typing import Any

    from okrkit import build, reporters
    from okrkit.config import config_for, today_from_env
    from okrkit.findings import unique_sorted
    from okrkit.rules import all_rules, runner

    spent: dict[str, float] = defaultdict(float)

    def timed(name: str, fn: Callable[..., Any], *, drain: bool = False) -> Callable[..., Any]:
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            start = time.process_time()
            try:
                result = fn(*args, **kwargs)
                return list(result) if drain else result  # a rule is a generator
            finally:
                spent[name] += time.process_time() - start
        return wrapper

    rules = [dataclasses.replace(r, check=timed(r.code, r.check, drain=True))
             if r.check is not None else r for r in all_rules()]
    for name, label in (("_read_history", "history read"), ("load_tree", "tree load")):
        if hasattr(runner, name):  # the runner's own seams: skipped if they move
            setattr(runner, name, timed(label, getattr(runner, name)))
    start = time.process_time()
    _, config, found = config_for([])
    result = runner.lint(config, None, today=today_from_env(), rules=rules)
    spent["lint (all of it)"] = time.process_time() - start
    start = time.process_time()
    reporters.as_json(unique_sorted([*found, *result.findings]), "en")
    spent["json report"] = time.process_time() - start
    docs = [sheet.src.doc for sheet in result.tree.sheets]
    start = time.process_time()
    for doc in docs:
        build.sheet_from(doc)
    spent["model build (apart)"] = time.process_time() - start
    spent["rules (sum)"] = sum(v for k, v in spent.items() if k.startswith("OKR"))
    return dict(spent)


def run_once(org: Path, pythonpath: str | None) -> dict[str, float]:
    env = {**os.environ, **ENV}
    if pythonpath:
        env["PYTHONPATH"] = pythonpath
    out = subprocess.run([sys.executable, str(Path(__file__)), "--measure"], cwd=org, env=env,
                         capture_output=True, text=True, check=True).stdout
    result: dict[str, float] = json.loads(out)
    return result


def export(ref: str, into: Path) -> str:
    """The package (and its schemas) as at `ref`, for PYTHONPATH."""
    archive = subprocess.run(["git", "archive", ref, "plugins", "schema"], cwd=REPO,
                             capture_output=True, check=True).stdout
    subprocess.run(["tar", "-x", "-C", str(into)], input=archive, check=True)
    return str(into / "plugins")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--measure", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--baseline", metavar="REF", help="also measure the package at REF")
    args = parser.parse_args()
    if args.measure:
        print(json.dumps(measure()))
        return 0
    runs = runs_from_env(5)
    with tempfile.TemporaryDirectory(prefix="okr-bench-rules-") as tmp:
        org = Path(tmp) / "org"
        org.mkdir()
        synth.write_tree(org, teams=200, cycles=QUARTERS)
        synth.make_history(org, commits=COMMITS)
        sides: dict[str, tuple[Path, str | None]] = {"now": (org, None)}
        if args.baseline:
            base_org = Path(tmp) / "org-baseline"
            shutil.copytree(org, base_org, symlinks=True)
            base_pkg = Path(tmp) / "baseline"
            base_pkg.mkdir()
            sides[args.baseline] = (base_org, export(args.baseline, base_pkg))
        for where, path in sides.values():
            run_once(where, path)  # fills that side's parse cache
        seen: dict[str, list[dict[str, float]]] = {side: [] for side in sides}
        for _ in range(runs):
            for side, (where, path) in sides.items():
                seen[side].append(run_once(where, path))
    medians = {side: {key: statistics.median(run.get(key, 0.0) for run in found)
                      for key in found[0]} for side, found in seen.items()}
    now = medians["now"]
    keys = sorted(now, key=lambda k: (not k.startswith(("lint", "rules")), -now[k]))
    head = f"{'CPU s, median of ' + str(runs):28}" + "".join(f"{side:>12}" for side in sides)
    print(head + ("       ratio" if args.baseline else ""))
    for key in keys:
        if now[key] < 0.002 and all(m.get(key, 0.0) < 0.002 for m in medians.values()):
            continue
        row = f"{key:28}" + "".join(f"{m.get(key, 0.0):12.3f}" for m in medians.values())
        if args.baseline:
            base = medians[args.baseline].get(key, 0.0)
            row += f"{now[key] / base:12.2f}" if base else f"{'':12}"
        print(row)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
