"""`okr export` against `okr lint`, both with the git history, on the same tree.

The synthetic organisation of bench/synth.py: 200 teams x 4 quarters (800
sheets) with 5,000 commits. Both commands read the tree and the history once;
the export then builds its model and writes JSON (and XLSX, the heaviest
writer), the linter runs its rules. Aim (issue 15): the export of 800 sheets
with history takes about as long as `okr lint` with history.
`OKR_BENCH_RUNS=1 python bench/bench_export.py` for a quick pass.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from _timing import BIN, runs_from_env, table, time_command  # noqa: E402

QUARTERS = ("2026-Q1", "2026-Q2", "2026-Q3", "2026-Q4")


def main() -> int:
    import synth

    runs = runs_from_env(5)
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "org"
        synth.write_tree(root, teams=200, cycles=QUARTERS)
        synth.make_history(root, commits=5000)
        env = {"OKR_TODAY": "2026-08-15"}
        okr = str(BIN / "okr")
        lint = time_command("okr lint", [okr, "lint"], runs=runs, cwd=root, env=env,
                            ok_codes=(0, 1))
        rows = [lint]
        for fmt in ("json", "csv", "xlsx"):
            out = str(Path(tmp) / f"okrs.{fmt}")
            rows.append(time_command(f"okr export --format {fmt}",
                                     [okr, "export", "--format", fmt, "-o", out],
                                     runs=runs, cwd=root, env=env))
        print(table(rows, baseline=lint, cpu=True,
                    title="800 sheets, 5,000 commits: export vs lint, both with history"))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
