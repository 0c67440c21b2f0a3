"""Golden files: expected output kept in tests/resources, rewritten on purpose only.

After a deliberate change, rewrite them with
`OKRKIT_UPDATE_GOLDEN=1 .venv/bin/python -m pytest tests/...`, then read the diff.
"""

from __future__ import annotations

import os
from pathlib import Path

UPDATE_VARIABLE = "OKRKIT_UPDATE_GOLDEN"


def updating() -> bool:
    return os.environ.get(UPDATE_VARIABLE) == "1"


def assert_golden(path: Path, text: str) -> None:
    """`text` equals the golden file at `path`; with OKRKIT_UPDATE_GOLDEN=1, it becomes it."""
    if updating():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    assert path.is_file(), f"no golden file {path}: run with {UPDATE_VARIABLE}=1, read it"
    assert text == path.read_text(encoding="utf-8"), (
        f"{path} differs (after a deliberate change: {UPDATE_VARIABLE}=1)")
