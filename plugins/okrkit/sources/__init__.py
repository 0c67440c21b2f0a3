"""Measurement sources for `okr measure`: one module per `measure: {from: ...}`.

Each module (`csv`, `json`, `sql`, `ga4`) exposes `measure(spec, ctx) -> Decimal`
and raises `okrkit.sources.base.MeasureError` (see `base`). Modules are imported
only when a key result uses them, and only by `okr measure`: the linter, the
site and every other command import none of them, nor their libraries.
"""

from __future__ import annotations

import importlib
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from okrkit.sources.base import Context, MeasureError

NAMES = ("csv", "json", "sql", "ga4")


def measure(spec: Mapping[str, Any], ctx: Context) -> Decimal:
    """The number `spec` (a `measure:` mapping) names, read from its source."""
    source = spec.get("from")
    if source not in NAMES:
        raise MeasureError("unknown-source", f"unknown source '{source}'",
                           f"未知的來源「{source}」")
    module = importlib.import_module(f"{__name__}.{source}")
    result: Decimal = module.measure(spec, ctx)
    return result
