"""The weekly commands on a large tree: `okr checkin`, `okr status`, `okr score`.

On 800 sheets (200 teams x 4 quarters, bench/synth.py) each command should read
only what it needs: a full check-in reference its one sheet, a short one the
current cycle's sheets, status and score the one cycle they show. The
baseline, in the same run, is `okr validate` reading the whole tree. A
check-in's timed runs record the value the first (warm-up) run wrote, so they
measure finding and checking the key result, not the few milliseconds of
rewriting one file.
"""

from __future__ import annotations

import collections
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import synth  # noqa: E402
from _timing import BIN, runs_from_env, table, time_command  # noqa: E402

from okrkit import yamlload  # noqa: E402

OKR = str(BIN / "okr")
QUARTERS = ("2026-Q1", "2026-Q2", "2026-Q3", "2026-Q4")
TODAY = {"OKR_TODAY": "2026-11-20"}  # in 2026-Q4


def _unique_kr(sheet: Path) -> tuple[str, str]:
    """(objective id, key result id) of a key result whose id is unique in its sheet."""
    doc, _ = yamlload.load_text(sheet.name, sheet.read_text(encoding="utf-8"))
    assert doc is not None
    pairs = [(o["id"], kr["id"]) for o in doc.data["objectives"] for kr in o["key_results"]]
    counts = collections.Counter(kr for _, kr in pairs)
    return next((o, kr) for o, kr in pairs if counts[kr] == 1)


def main() -> int:
    runs = runs_from_env(5)
    with tempfile.TemporaryDirectory(prefix="okr-bench-") as tmp:
        root = Path(tmp)
        sheets = synth.write_tree(root, teams=200, cycles=QUARTERS)
        team = "team-002"
        objective, kr = _unique_kr(root / "okrs" / "2026-Q4" / f"{team}.yaml")
        print(f"tree: {len(sheets)} sheets in {root / 'okrs'}; key result "
              f"2026-Q4/{team}/{objective}/{kr}")
        rows = [
            time_command(f"okr validate ({len(sheets)} sheets: the whole tree)",
                         [OKR, "validate"], runs=runs, cwd=root, env=TODAY),
            time_command("okr checkin cycle/team/objective/kr",
                         [OKR, "checkin", f"2026-Q4/{team}/{objective}/{kr}", "1"],
                         runs=runs, cwd=root, env=TODAY),
            time_command("okr checkin team/kr (current cycle)",
                         [OKR, "checkin", f"{team}/{kr}", "2"], runs=runs, cwd=root,
                         env=TODAY),
            time_command("okr status (current cycle)", [OKR, "status"], runs=runs, cwd=root,
                         env=TODAY),
            time_command("okr status --team", [OKR, "status", "--team", team], runs=runs,
                         cwd=root, env=TODAY),
            time_command("okr score 2026-Q3", [OKR, "score", "2026-Q3"], runs=runs, cwd=root,
                         env=TODAY),
        ]
        print(table(rows, baseline=rows[0], title="the weekly commands"))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
