"""Sheets as text, for the history, diff, log and history-rule tests (real git repositories).

`sheet_yaml(...)` writes a complete, schema-valid sheet whose key results are
given as `kr(...)` dicts, so a test can change one value and commit again;
`ORG` is a small org (teams marketing, sales, growth; people mei, kai, fang).
Commit with the `git_repo` fixture of tests/conftest.py: `.write(path, text)`,
`.commit(message, author="Kai <kai@example.com>", date=at("2026-01-05"))`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

MEI = "Mei Chen <mei@example.com>"
KAI = "Kai Lin <kai@example.com>"
FANG = "Fang Wu <fang@example.com>"

ORG = """\
name: 測試公司 Test Co.
strategy:
  - id: brand
    title: 品牌知名度
teams:
  - id: marketing
    name: 行銷部
    lead: mei
  - id: sales
    name: 業務部
    lead: kai
  - id: growth
    name: 成長部
    lead: kai
people:
  - id: mei
    name: 陳美玲
  - id: kai
    name: 林凱文
  - id: fang
    name: 吳芳瑜
"""


def at(day: str, time: str = "10:00:00", tz: str = "+08:00") -> str:
    """An ISO 8601 date for GIT_AUTHOR_DATE: `at("2026-01-05")`."""
    return f"{day}T{time}{tz}"


def kr(id: str, *, title: str | None = None, baseline: Any = 50000, target: Any = 60000,
       current: Any = 50000, confidence: Any = 0.5, direction: str | None = None,
       unit: str = "visitors", metric: str | None = None, owner: str = "kai",
       due: str = "2026-03-31", revisions: Sequence[Mapping[str, Any]] = ()) -> dict[str, Any]:
    return {"id": id, "title": title or f"{id} 達到目標值",
            "metric": metric or f"{id} metric", "baseline": baseline, "target": target,
            "current": current, "confidence": confidence, "direction": direction,
            "unit": unit, "owner": owner, "due": due, "revisions": list(revisions)}


def _scalar(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str) and (value in ("%",) or ":" in value or value.startswith("#")):
        return f'"{value}"'
    return str(value)


def sheet_yaml(krs: Sequence[Mapping[str, Any]], *, cycle: str = "2026-Q1",
               team: str = "marketing", objective: str = "brand-awareness",
               objective_title: str = "提升品牌知名度",
               more: Sequence[tuple[str, str, Sequence[Mapping[str, Any]]]] = (),
               parent: str | None = None) -> str:
    """A sheet with one objective holding `krs` (and the objectives in `more`)."""
    cycle_text = f'"{cycle}"' if cycle.isdigit() else cycle
    lines = ["# yaml-language-server: $schema=../../schema/okr.schema.json",
             f"cycle: {cycle_text}", f"team: {team}", "owner: mei", "", "objectives:"]
    for obj_id, obj_title, obj_krs in [(objective, objective_title, krs), *more]:
        lines += [f"  - id: {obj_id}", f"    title: {obj_title}", "    owner: mei",
                  "    kind: aspirational", "    strategy: [brand]"]
        if parent is not None:
            lines.append(f"    parent: {parent}")
        lines.append("    key_results:")
        for k in obj_krs:
            lines += [f"      - id: {k['id']}", f"        title: {k['title']}",
                      f"        metric: {k['metric']}", "        source: Google Analytics",
                      f"        unit: {_scalar(k['unit'])}"]
            if k["direction"] is not None:
                lines.append(f"        direction: {k['direction']}")
            for name in ("baseline", "target", "current", "confidence"):
                lines.append(f"        {name}: {_scalar(k[name])}")
            lines += [f"        due: {k['due']}", f"        owner: {k['owner']}"]
            if k["revisions"]:
                lines.append("        revisions:")
                for r in k["revisions"]:
                    lines += [f"          - date: {r['date']}", f"            field: {r['field']}",
                              f"            from: {_scalar(r['from'])}",
                              f"            to: {_scalar(r['to'])}",
                              f"            reason: {r['reason']}"]
    return "\n".join(lines) + "\n"
