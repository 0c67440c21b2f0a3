"""Check-ins without YAML: `okr checkin --from-issue` and `okr checkin --batch` on a large tree.

On 800 sheets (200 teams x 4 quarters, bench/synth.py):
- `--from-issue EVENT.json --dry-run` reads the event, the org and the one sheet its
  full reference names: it should cost about what `okr checkin KR VALUE` costs (the
  baseline, same run);
- `--batch` of 50 rows across 10 sheets reads the whole tree once; against 50 separate
  `okr checkin` processes (50 x the baseline's median) it should be far cheaper.
As in bench_authoring.py, the timed runs record what the warm-up run wrote, so they
measure finding and checking the key results.
"""

from __future__ import annotations

import json
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
PAYLOAD = HERE.parent / "tests" / "resources" / "checkin" / "issues-opened.json"


def _refs(root: Path, team: str) -> list[str]:
    sheet = root / "okrs" / "2026-Q4" / f"{team}.yaml"
    doc, _ = yamlload.load_text(sheet.name, sheet.read_text(encoding="utf-8"))
    assert doc is not None
    return [f"2026-Q4/{team}/{o['id']}/{kr['id']}" for o in doc.data["objectives"]
            for kr in o["key_results"] if kr.get("direction") != "milestone"
            and isinstance(kr.get("target"), (int, float))
            and not isinstance(kr.get("target"), bool)]


def main() -> int:
    runs = runs_from_env(5)
    with tempfile.TemporaryDirectory(prefix="okr-bench-") as tmp:
        root = Path(tmp)
        sheets = synth.write_tree(root, teams=200, cycles=QUARTERS)
        refs = [ref for i in range(10) for ref in _refs(root, f"team-{i * 20:03d}")[:5]]
        rows = refs[:50]
        batch = root / "week.csv"
        batch.write_text("kr,value,confidence\n" + "".join(
            f"{ref},{100 + i},0.{i % 10}\n" for i, ref in enumerate(rows)), encoding="utf-8")
        payload = json.loads(PAYLOAD.read_text(encoding="utf-8"))
        payload["issue"]["body"] = (f"### Key result\n\n{refs[0]}\n\n### Value\n\n7\n\n"
                                    "### Confidence\n\n0.6\n\n### Note\n\n_No response_")
        event = root / "event.json"
        event.write_text(json.dumps(payload), encoding="utf-8")
        print(f"tree: {len(sheets)} sheets; batch: {len(rows)} rows across "
              f"{len({r.split('/')[1] for r in rows})} sheets")
        single = time_command("okr checkin cycle/team/objective/kr VALUE",
                              [OKR, "checkin", refs[1], "5"], runs=runs, cwd=root, env=TODAY)
        issue = time_command("okr checkin --from-issue EVENT --dry-run",
                             [OKR, "checkin", "--from-issue", str(event), "--dry-run"],
                             runs=runs, cwd=root, env=TODAY)
        many = time_command(f"okr checkin --batch ({len(rows)} rows)",
                            [OKR, "checkin", "--batch", str(batch)], runs=runs, cwd=root,
                            env=TODAY)
        validate = time_command(f"okr validate ({len(sheets)} sheets)", [OKR, "validate"],
                                runs=runs, cwd=root, env=TODAY)
        print(table([single, issue, many, validate], baseline=single,
                    title="check-ins without YAML"))
        print(f"--batch of {len(rows)} rows vs {len(rows)} separate check-ins "
              f"({len(rows)} x {single.median:.3f} s): "
              f"{many.median / (len(rows) * single.median):.3f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
