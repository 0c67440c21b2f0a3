"""Findings → text for people and machines."""

from __future__ import annotations

import json
from collections.abc import Sequence

from okrkit.findings import Finding


def text(findings: Sequence[Finding], lang: str, *, severity: bool = True) -> str:
    """`path:line:col: CODE [severity] message`, one per line."""
    lines = []
    for f in findings:
        label = f" [{f.severity.label}]" if severity else ""
        lines.append(f"{f.pos}: {f.code}{label} {f.message(lang)}")
    return "".join(line + "\n" for line in lines)


def as_json(findings: Sequence[Finding], lang: str) -> str:
    rows = [{"path": f.pos.path, "line": f.pos.line, "column": f.pos.col, "code": f.code,
             "severity": f.severity.label, "message": f.message(lang),
             "messages": dict(f.messages)} for f in findings]
    return json.dumps(rows, ensure_ascii=False, indent=2) + "\n"
