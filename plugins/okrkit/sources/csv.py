"""`measure: {from: csv, path|url, column, where, agg}`: a column of a CSV table.

The csv module reads it (UTF-8, with or without the byte-order mark that
spreadsheets exported on Windows start with; strict quoting, so a malformed
file is an error, not a wrong number). `path` is relative to the repository
root and must stay inside it; `url` is fetched with httpx (`base.fetch`).
"""

from __future__ import annotations

import csv
import io
import os
from collections.abc import Mapping
from decimal import Decimal
from pathlib import Path
from typing import Any

from okrkit import csvtext
from okrkit.sources.base import (
    Context,
    MeasureError,
    fetch,
    interpolate,
    parse_number,
    resolve,
    timeout_of,
)

AGGREGATES = ("last", "first", "sum", "mean", "min", "max", "count")


def preload() -> None:
    from okrkit.sources.base import preload_http

    preload_http()


def measure(spec: Mapping[str, Any], ctx: Context) -> Decimal:
    raw = _read(spec, ctx)
    # a sheet saved by Excel in Taiwan is Big5, as okr import and okr checkin --batch read it
    text = csvtext.decode(raw)
    if text is None:
        raise MeasureError("bad-csv", "the CSV is neither UTF-8 nor Big5 (cp950) text: save it "
                                      "as CSV UTF-8",
                           "CSV 既不是 UTF-8 也不是 Big5(cp950)文字:請存成 CSV UTF-8")
    column = str(spec["column"])
    where = {str(k): _cell_text(v) for k, v in (spec.get("where") or {}).items()}
    agg = str(spec.get("agg", "last"))
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    values: list[Decimal] = []
    matched = 0
    try:
        header = next(reader, None)
        if header is None:
            raise MeasureError("bad-csv", "the CSV is empty", "CSV 是空的")
        header = [h.strip() for h in header]
        for name in [column, *where]:
            if name not in header:
                known = ", ".join(header)
                raise MeasureError("missing-column",
                                   f"no column '{name}' in the CSV (columns: {known})",
                                   f"CSV 中沒有「{name}」欄(欄位:{known})")
        index = {name: header.index(name) for name in [column, *where]}
        for row in reader:
            if not any(cell.strip() for cell in row):
                continue  # a blank line, as spreadsheets leave at the end
            cells = {name: (row[i].strip() if i < len(row) else "") for name, i in index.items()}
            if any(cells[k] != v for k, v in where.items()):
                continue
            matched += 1
            cell = cells[column]
            if not cell:
                continue  # an empty cell is no data, not zero
            number = parse_number(cell, ctx.unit, (
                f"line {reader.line_num}, column '{column}'",
                f"第 {reader.line_num} 行「{column}」欄"))
            if number is None:
                raise MeasureError(
                    "not-a-number",
                    f"line {reader.line_num}, column '{column}': '{cell}' is not a number",
                    f"第 {reader.line_num} 行「{column}」欄:「{cell}」不是數字")
            values.append(number)
    except csv.Error as err:
        raise MeasureError("bad-csv", f"malformed CSV at line {reader.line_num}: {err}",
                           f"CSV 第 {reader.line_num} 行格式錯誤:{err}") from err
    if agg == "count":
        return Decimal(matched)
    if not values:
        shown = ", ".join(f"{k} = {v}" for k, v in where.items())
        raise MeasureError("no-rows",
                           f"no row with a value in '{column}'" + (f" where {shown}"
                                                                  if shown else ""),
                           f"沒有任何一列在「{column}」欄有值" + (f"(條件:{shown})"
                                                            if shown else ""))
    if agg == "first":
        return values[0]
    if agg == "sum":
        return sum(values, Decimal(0))
    if agg == "mean":
        return sum(values, Decimal(0)) / len(values)
    if agg == "min":
        return min(values)
    if agg == "max":
        return max(values)
    return values[-1]


def _cell_text(value: Any) -> str:
    """A `where:` value as a cell shows it: 2026 is "2026", 1.5 is "1.5"."""
    return str(value).strip()


def _read(spec: Mapping[str, Any], ctx: Context) -> bytes:
    if "url" in spec:
        url = interpolate(resolve(str(spec["url"]), ctx, "url"), ctx, "url")
        return fetch(url, ctx, timeout=timeout_of(spec))
    given = str(spec["path"])
    root = Path(os.path.realpath(ctx.root))
    path = Path(os.path.realpath(root / given))
    if Path(given).is_absolute() or not path.is_relative_to(root):
        raise MeasureError("outside-repository",
                           f"'{given}' is outside the repository: path is relative to its root",
                           f"「{given}」在儲存庫之外:path 是相對於儲存庫根目錄的路徑")
    try:
        size = path.stat().st_size
        if size > ctx.max_bytes:
            mib = ctx.max_bytes / (1024 * 1024)
            raise MeasureError("too-large", f"'{given}' is larger than {mib:g} MB",
                               f"「{given}」大於 {mib:g} MB")
        return path.read_bytes()
    except OSError as err:
        reason = err.strerror or str(err)
        raise MeasureError("unreadable", f"cannot read '{given}': {reason}",
                           f"無法讀取「{given}」:{reason}") from err
