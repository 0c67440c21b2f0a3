"""The export document → JSON, CSV (one row per key result) or XLSX bytes.

XLSX is what an executive opens: one worksheet per cycle and a summary, real
number formats (percent, thousands), a frozen header, an autofilter, and
column widths from the display width of the text (a Han character takes two
columns, as in a terminal).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from okrkit.export.columns import (
    COLUMNS,
    STATUS_LABELS,
    SUMMARY,
    SUMMARY_HEADERS,
    Column,
    header,
)
from okrkit.i18n import display_width

FORMATS = ("json", "csv", "xlsx")
MAX_WIDTH = 60  # characters: longer text wraps in Excel rather than a column off the screen


def to_json(export: Mapping[str, Any]) -> bytes:
    return (dumps(export) + "\n").encode("utf-8")


def dumps(value: Any) -> str:
    """`json.dumps(value, ensure_ascii=False, indent=2)`, the same text, faster.

    With `indent`, the standard library leaves its C encoder for a generator per
    nesting level in Python: a site's data documents (16 MB for 800 sheets) took
    seconds. Here each container is written by one call and each string by the C
    escaper. Only JSON's own types (and tuples, as lists); anything else is a
    TypeError, as json.dumps without `default` gives.
    """
    out: list[str] = []
    _write(value, out, "\n")
    return "".join(out)


def _write(value: Any, out: list[str], newline: str) -> None:
    """`newline`: a line break and the indentation of `value`'s own line."""
    if isinstance(value, str):
        out.append(_string(value))
    elif value is None:
        out.append("null")
    elif value is True:
        out.append("true")
    elif value is False:
        out.append("false")
    elif isinstance(value, int):
        out.append(int.__repr__(value))
    elif isinstance(value, float):
        out.append(_float(value))
    elif isinstance(value, dict):
        if not value:
            out.append("{}")
            return
        inner = newline + "  "
        lead = "{" + inner
        for key, item in value.items():
            out.append(lead + _key(key) + ": ")
            _write(item, out, inner)
            lead = "," + inner
        out.append(newline + "}")
    elif isinstance(value, (list, tuple)):
        if not value:
            out.append("[]")
            return
        inner = newline + "  "
        lead = "[" + inner
        for item in value:
            out.append(lead)
            _write(item, out, inner)
            lead = "," + inner
        out.append(newline + "]")
    else:
        raise TypeError(f"Object of type {type(value).__name__} is not JSON serializable")


_string = json.encoder.encode_basestring  # the C escaper when there is one, as json uses


def _float(value: float) -> str:
    if value != value:
        return "NaN"
    if value in (float("inf"), float("-inf")):
        return "Infinity" if value > 0 else "-Infinity"
    return float.__repr__(value)


def _key(key: Any) -> str:
    """A dict key as json writes it: strings as they are, numbers and constants as text."""
    if isinstance(key, str):
        return _string(key)
    if isinstance(key, float):
        return _string(_float(key))
    if key is True or key is False or key is None:
        return _string({True: "true", False: "false", None: "null"}[key])
    if isinstance(key, int):
        return _string(int.__repr__(key))
    raise TypeError(f"keys must be str, int, float, bool or None, not {type(key).__name__}")


def kr_rows(export: Mapping[str, Any]) -> Iterator[dict[str, Any]]:
    """One row per key result, by column field; values as the export holds them."""
    for cycle in export["cycles"]:
        for sheet in cycle["sheets"]:
            for objective in sheet["objectives"]:
                for kr in objective["key_results"]:
                    yield {
                        "cycle": cycle["id"], "team": sheet["team"],
                        "objective_id": objective["id"], "objective": objective["title"],
                        "objective_description": objective["description"],
                        "kind": objective["kind"], "strategy": objective["strategy"],
                        "parent": objective["parent"], "objective_owner": objective["owner"],
                        "kr_id": kr["id"], "key_result": kr["title"], "metric": kr["metric"],
                        "source": kr["source"], "unit": kr["unit"],
                        "direction": kr["direction"], "baseline": kr["baseline"],
                        "target": kr["target"], "current": kr["current"],
                        "confidence": kr["confidence"], "due": kr["due"],
                        "owner": kr["owner"], "progress": kr["progress"],
                        "status": kr["status"], "grade": kr["grade"],
                        "last_checkin": (kr["last_checkin"] or "")[:10] or None,
                    }


def _text(column: Column, value: Any, lang: str) -> str:
    if value is None:
        return ""
    if column.field == "status":
        return STATUS_LABELS[lang][value]
    if column.kind == "list":
        return ", ".join(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def to_csv(export: Mapping[str, Any], *, lang: str = "en") -> bytes:
    """UTF-8 with a BOM, so Excel reads the Chinese as Chinese; numbers unformatted."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([header(c, lang) for c in COLUMNS])
    for row in kr_rows(export):
        writer.writerow([_text(c, row[c.field], lang) for c in COLUMNS])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


# -- XLSX ----------------------------------------------------------------------------

INTEGER = "#,##0"
DECIMAL = "#,##0.0###"
PERCENT = "0%"
GRADE = "0.00"
DATE = "yyyy-mm-dd"


def _cell(column: Column, value: Any, lang: str) -> tuple[Any, str | None]:
    """The cell value and its number format."""
    if value is None:
        return None, None
    if column.kind == "number" and not isinstance(value, bool):
        return value, INTEGER if float(value).is_integer() else DECIMAL
    if column.kind == "ratio":
        return value, PERCENT
    if column.kind == "grade":
        return value, GRADE
    if column.kind == "date":
        return dt.date.fromisoformat(value), DATE
    return _text(column, value, lang), None


def to_xlsx(export: Mapping[str, Any], *, lang: str = "en") -> bytes:
    """Written in openpyxl's write-only mode (streamed cells: about 5x faster on 800
    sheets), so widths are measured on the rows before they are written."""
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    rows = list(kr_rows(export))
    summary: list[list[tuple[Any, str | None]]] = []
    for cycle in export["cycles"]:
        for sheet in cycle["sheets"]:
            krs = [kr for o in sheet["objectives"] for kr in o["key_results"]]
            statuses = [kr["status"] for kr in krs]
            summary.append([
                (cycle["id"], None), (sheet["team"], None), (sheet["team_name"], None),
                (len(sheet["objectives"]), INTEGER), (len(krs), INTEGER),
                (sheet["progress"], PERCENT), (STATUS_LABELS[lang][sheet["status"]], None),
                (sheet["grade"], GRADE),
                *((statuses.count(s), INTEGER) for s in ("on_track", "at_risk", "off_track"))])
    _worksheet(book, SUMMARY[lang], SUMMARY_HEADERS[lang], summary)
    for cycle in export["cycles"]:
        cells = [[_cell(c, row[c.field], lang) for c in COLUMNS] for row in rows
                 if row["cycle"] == cycle["id"]]
        _worksheet(book, _title(cycle["id"]), [header(c, lang) for c in COLUMNS], cells)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _title(cycle_id: str) -> str:
    # Excel: at most 31 characters, none of []:*?/\ (cycle ids never have them)
    return cycle_id[:31]


def _worksheet(book: Any, title: str, names: Sequence[str],
               rows: Sequence[Sequence[tuple[Any, str | None]]]) -> None:
    """Bold frozen header, autofilter over the data, widths from the widest cell."""
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    ws = book.create_sheet(title)
    for index, name in enumerate(names, start=1):
        widest = max([_shown_width(name), *(_shown_width(r[index - 1][0]) for r in rows)])
        # +2: the filter button sits over the header's right edge
        ws.column_dimensions[get_column_letter(index)].width = min(max(widest, 6) + 2,
                                                                   MAX_WIDTH)
    ws.freeze_panes = "A2"
    last = f"{get_column_letter(len(names))}{len(rows) + 1}"
    ws.auto_filter.ref = f"A1:{last}"
    bold = Font(bold=True)
    wrap = Alignment(wrap_text=True, vertical="top")
    head = []
    for name in names:
        cell = WriteOnlyCell(ws, value=name)
        cell.font = bold
        head.append(cell)
    ws.append(head)
    for row in rows:
        out = []
        for value, fmt in row:
            text = isinstance(value, str)
            if fmt is None and not (text and (display_width(value) > MAX_WIDTH
                                              or value.startswith("="))):
                out.append(value)  # a plain value: no cell object to build
                continue
            cell = WriteOnlyCell(ws, value=value)
            if text and value.startswith("="):
                # openpyxl writes a string starting with "=" as a formula: a title typed
                # "=HYPERLINK(...)" must stay text, shown as typed
                cell.data_type = "s"
            if fmt is not None:
                cell.number_format = fmt
            elif display_width(value) > MAX_WIDTH:
                cell.alignment = wrap
            out.append(cell)
        ws.append(out)


def _shown_width(value: Any) -> int:
    if value is None:
        return 0
    if isinstance(value, dt.date):
        return 10
    if isinstance(value, float):
        return len(f"{value:,.4f}".rstrip("0").rstrip("."))
    if isinstance(value, int):
        return len(f"{value:,}")
    return display_width(str(value))
