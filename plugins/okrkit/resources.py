"""Files shipped with okrkit: the schemas and the site templates.

In a wheel they sit inside the package (`okrkit/schema`, `okrkit/site_templates`,
see pyproject's force-include); in a checkout or an editable install they are
at the repository root, beside `plugins/`.
"""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def _shipped(name: str) -> Path:
    inside = _PACKAGE / name
    if inside.is_dir():
        return inside
    return _PACKAGE.parent.parent / name


def schema_dir() -> Path:
    return _shipped("schema")


def templates_dir() -> Path:
    return _shipped("site_templates")


def schema_file(kind: str) -> Path:
    """`kind` is okr, org or config."""
    return schema_dir() / f"{kind}.schema.json"
