"""Measurement sources for `okr measure`: one module per `measure: {from: ...}`.

Each module (`csv`, `json`, `sql`, `ga4`) exposes `measure(spec, ctx) -> Decimal`
and raises `okrkit.sources.base.MeasureError` (see `base`). Modules are imported
only when a key result uses them, and only by `okr measure`: the linter, the
site and every other command import none of them, nor their libraries.
"""

from __future__ import annotations

import contextlib
import importlib
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any

from okrkit.sources.base import Context, MeasureError

NAMES = ("csv", "json", "sql", "ga4")


def preload(names: Iterable[str]) -> None:
    """Import these sources and their libraries now, in one thread: threads importing
    SQLAlchemy or httpx at once wait on each other's import locks (measured: the first
    8 key results of a run took 1.6 s instead of 0.5 s)."""
    for name in sorted(set(names) & set(NAMES)):
        module = importlib.import_module(f"{__name__}.{name}")
        with contextlib.suppress(ImportError):  # a missing extra is reported per key result
            module.preload()


def measure(spec: Mapping[str, Any], ctx: Context) -> Decimal:
    """The number `spec` (a `measure:` mapping) names, read from its source."""
    source = spec.get("from")
    if source not in NAMES:
        raise MeasureError("unknown-source", f"unknown source '{source}'",
                           f"未知的來源「{source}」")
    module = importlib.import_module(f"{__name__}.{source}")
    result: Decimal = module.measure(spec, ctx)
    return result
