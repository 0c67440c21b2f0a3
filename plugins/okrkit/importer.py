"""Spreadsheets → sheets: `okr import FILE.csv|FILE.xlsx` (one row per key result).

Rows are read as tables (`read_tables`), mapped to sheets (`plan`), and only
when every cell of every row maps are the sheets written, through the same
writer as `okr new` (`sheet_templates.dump`), checked by the schema first.
Every problem names its sheet, row and column and has a stable code.

A number cell is read as every door of okrkit reads one (okrkit.numbers:
`12,000`, `15%`, `NT$500萬`, `500萬元`, `3.2K`), or is an XLSX number (a 0.15
cell formatted as a percent is 15 with the unit `%`); a unit written with it is
the key result's unit when the unit column is empty, and must agree with it
otherwise (IMP213). `約500`, `10-20`, `12,5`, `N/A`, `(500)` are refused with
their address.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import unicodedata
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from okrkit import csvtext, numbers, schema, sheet_templates, yamlload
from okrkit.config import Config
from okrkit.export.columns import COLUMNS, FIELDS, SUMMARY, Column, fold, lookup
from okrkit.findings import SEVERITY_NAMES
from okrkit.model import Org, is_id

MAX_ROWS = 20_000  # a spreadsheet bigger than any OKR sheet: refused, not read for minutes
MAX_BYTES = 50 * 1024 * 1024

MESSAGES: dict[str, dict[str, str]] = {
    "en": {
        "IMP001": "cannot read the file: {error}",
        "IMP002": "not UTF-8 and not Big5 (cp950) text: save the CSV as UTF-8",
        "IMP003": "no header row: the first non-empty row names the columns",
        "IMP004": "too big: more than {limit} rows",
        "IMP101": "unknown column '{header}': map it with --map '{header}=FIELD' (fields: "
                  "{fields}) or ignore it with --map '{header}=-'",
        "IMP102": "column '{header}' is a second '{field}' column (the first is {first})",
        "IMP103": "no '{field}' column: the {what}",
        "IMP104": "--map '{spec}': {problem}",
        "IMP201": "'{value}' is not a number okrkit understands (12000, 12,000, 1.5, 15%, "
                  "NT$500萬, 3.2K)",
        "IMP202": "'{value}' is not a confidence: 0 to 1 (0.7) or a percent (70%)",
        "IMP203": "'{value}' is not a date: YYYY-MM-DD, YYYY/M/D or a date cell",
        "IMP204": "'{value}' is not a cycle: 2026, 2026-H1, 2026-Q1 or a custom cycle "
                  "from .okrkit.yaml",
        "IMP205": "'{value}' is not a team of org.yaml (by id or by name){hint}",
        "IMP206": "'{value}' is not an id: lowercase ASCII letters and digits joined by "
                  "single hyphens (brand-awareness)",
        "IMP207": "'{value}' is not a person id (letters, digits, . _ @ + -) nor a "
                  "person's name in org.yaml",
        "IMP208": "'{value}' is not a direction: increase, decrease, at_least, at_most, "
                  "milestone (增加, 減少, 至少, 至多, 里程碑)",
        "IMP209": "'{value}' is not a kind: committed or aspirational (承諾型, 挑戰型)",
        "IMP210": "empty: fill in the {what}",
        "IMP211": "key result id '{value}' is already used in {where} (row {row})",
        "IMP212": "'{value}' differs from '{first}' given for this objective in row {row}",
        "IMP213": "'{value}' has the unit '{unit}', but the unit column says '{other}'",
        "IMP214": "'{value}' is not a strategy theme of org.yaml (by id or by title)",
        "IMP215": "'{value}' is not a person of org.yaml (by id or by name){hint}",
        "IMP301": "{path} already exists: okr import never overwrites a sheet",
        "IMP302": "the sheet for {cycle}/{team} would not be valid: {finding}",
    },
    "zh-TW": {
        "IMP001": "無法讀取檔案:{error}",
        "IMP002": "不是 UTF-8 也不是 Big5(cp950)文字:請將 CSV 另存為 UTF-8",
        "IMP003": "沒有標題列:第一個非空白列應列出各欄名稱",
        "IMP004": "檔案太大:超過 {limit} 列",
        "IMP101": "無法辨識的欄位「{header}」:請以 --map '{header}=FIELD' 對應(欄位:"
                  "{fields}),或以 --map '{header}=-' 忽略",
        "IMP102": "欄位「{header}」是第二個「{field}」欄(第一個是 {first})",
        "IMP103": "沒有「{field}」欄:{what}",
        "IMP104": "--map '{spec}':{problem}",
        "IMP201": "「{value}」不是 okrkit 能理解的數字(12000、12,000、1.5、15%、NT$500萬、"
                  "3.2K)",
        "IMP202": "「{value}」不是信心指數:0 到 1(0.7)或百分比(70%)",
        "IMP203": "「{value}」不是日期:YYYY-MM-DD、YYYY/M/D 或日期儲存格",
        "IMP204": "「{value}」不是週期:2026、2026-H1、2026-Q1 或 .okrkit.yaml 中的自訂週期",
        "IMP205": "「{value}」不是 org.yaml 中的團隊(依 id 或名稱){hint}",
        "IMP206": "「{value}」不是有效的 id:以單一連字號連接的小寫英文字母與數字"
                  "(brand-awareness)",
        "IMP207": "「{value}」不是人員代號(字母、數字、. _ @ + -),也不是 org.yaml 中的人名",
        "IMP208": "「{value}」不是方向:increase、decrease、at_least、at_most、milestone"
                  "(增加、減少、至少、至多、里程碑)",
        "IMP209": "「{value}」不是目標類型:committed 或 aspirational(承諾型、挑戰型)",
        "IMP210": "空白:請填入{what}",
        "IMP211": "關鍵結果 id「{value}」已在 {where}(第 {row} 列)使用",
        "IMP212": "「{value}」與第 {row} 列為此目標填的「{first}」不同",
        "IMP213": "「{value}」的單位是「{unit}」,但單位欄是「{other}」",
        "IMP214": "「{value}」不是 org.yaml 中的戰略主題(依 id 或標題)",
        "IMP215": "「{value}」不是 org.yaml 中的成員(依 id 或姓名){hint}",
        "IMP301": "{path} 已存在:okr import 絕不覆寫既有的表單",
        "IMP302": "{cycle}/{team} 的表單將不符合格式:{finding}",
    },
}
WHAT = {
    "en": {"cycle": "cycle (a cycle column, --cycle, or a worksheet named after the cycle)",
           "team": "team (a team column or --team)", "objective": "objective",
           "key_result": "key result's title", "target": "target (a number; true for a "
                                                         "milestone)"},
    "zh-TW": {"cycle": "週期(週期欄、--cycle,或以週期命名的工作表)",
              "team": "團隊(團隊欄或 --team)", "objective": "目標",
              "key_result": "關鍵結果的標題", "target": "目標值(數字;里程碑為 true)"},
}


@dataclass(frozen=True, slots=True)
class Problem:
    file: str
    sheet: str
    row: int  # 1-based; 0: the file as a whole
    column: int  # 1-based; 0: the row as a whole
    header: str
    code: str
    values: Mapping[str, Any] = field(default_factory=dict)

    def where(self, lang: str) -> str:
        if not self.row:
            return self.file
        if lang == "zh-TW":
            at = f"{self.file}:工作表「{self.sheet}」第 {self.row} 列"
            return at + (f" {_letter(self.column)} 欄({self.header})" if self.column else "")
        at = f"{self.file}: sheet '{self.sheet}', row {self.row}"
        return at + (f", column {_letter(self.column)} ({self.header})" if self.column else "")

    def message(self, lang: str) -> str:
        # a value given per language (a did-you-mean hint) is shown in `lang`
        return MESSAGES[lang][self.code].format(**{
            k: v.get(lang, "") if isinstance(v, Mapping) else v for k, v in self.values.items()})

    def line(self, lang: str) -> str:
        error = SEVERITY_NAMES[lang]["error"]
        return f"{self.where(lang)}: {error} {self.code} {self.message(lang)}"


def _letter(column: int) -> str:
    letters = ""
    while column:
        column, rest = divmod(column - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


# -- reading --------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Cell:
    value: Any  # str | int | float | bool | datetime | None
    percent: bool = False  # an XLSX number formatted as a percent (0.15 shown as 15%)


@dataclass(frozen=True, slots=True)
class Table:
    name: str  # the worksheet's name; a CSV's file name
    rows: tuple[tuple[Cell, ...], ...]


class ReadError(Exception):
    def __init__(self, problem: Problem) -> None:
        super().__init__(problem.code)
        self.problem = problem


def read_tables(path: Path, shown: str) -> list[Table]:
    """The file's tables: one for a CSV, one per worksheet of an XLSX."""
    def fail(code: str, **values: Any) -> ReadError:
        return ReadError(Problem(shown, "", 0, 0, "", code, values))

    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise fail("IMP001", error=f"larger than {MAX_BYTES // (1024 * 1024)} MB")
        if path.suffix.lower() in (".xlsx", ".xlsm"):
            return _read_xlsx(path, fail)
        raw = path.read_bytes()
    except OSError as err:
        raise fail("IMP001", error=err.strerror or str(err)) from err
    text = csvtext.decode(raw)  # Excel in Taiwan saves CSV as Big5 (cp950)
    if text is None:
        raise fail("IMP002")
    try:
        dialect: Any = csv.Sniffer().sniff(text[:4096].split("\n", 1)[0] or ",",
                                           delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    rows = []
    for n, row in enumerate(csv.reader(io.StringIO(text, newline=""), dialect)):
        if n > MAX_ROWS:
            raise fail("IMP004", limit=MAX_ROWS)
        rows.append(tuple(Cell(v) for v in row))
    return [Table(path.name, tuple(rows))]


def _read_xlsx(path: Path, fail: Any) -> list[Table]:
    import zipfile

    from openpyxl import load_workbook

    try:
        book = load_workbook(path, data_only=True)  # cached formula results, not formulas
    except (OSError, zipfile.BadZipFile, KeyError, ValueError) as err:
        raise fail("IMP001", error=f"not an XLSX workbook ({err})") from err
    tables = []
    for ws in book.worksheets:
        if ws.max_row > MAX_ROWS:
            raise fail("IMP004", limit=MAX_ROWS)
        rows = []
        for row in ws.iter_rows():
            rows.append(tuple(Cell(c.value, isinstance(c.value, (int, float))
                                   and "%" in str(c.number_format)) for c in row))
        tables.append(Table(ws.title, tuple(rows)))
    return tables


# -- cell values --------------------------------------------------------------------

class BadValue(Exception):
    pass


def parse_number(cell: Cell, *, percent_ok: bool = True) -> tuple[int | float | bool, str | None]:
    """(value, unit implied by the cell or None); BadValue when not understood. Text is
    read by okrkit.numbers, as every other door reads a number."""
    value = cell.value
    if isinstance(value, bool):
        return value, None
    if isinstance(value, (int, float)):
        if cell.percent:
            return _tidy(value * 100), "%"
        return _tidy(value), None
    done = numbers.parse_done(str(value))
    if done is not None:
        return done, None
    number = numbers.parse(str(value), percent_ok=percent_ok)
    if number is None:
        raise BadValue
    return numbers.to_yaml(number.value), number.unit


def _tidy(number: float) -> int | float:
    """12000.0 → 12000; 0.15 * 100 → 15 (not 15.000000000000002)."""
    rounded = round(float(number), 10)
    return int(rounded) if rounded.is_integer() and abs(rounded) < 2 ** 53 else rounded


def parse_confidence(cell: Cell) -> float:
    value = cell.value
    if isinstance(value, bool):
        raise BadValue
    if isinstance(value, (int, float)):  # a percent-formatted cell holds the fraction already
        number: float | None = float(value) if 0 <= value <= 1 else None
    else:
        number = numbers.parse_confidence(str(value))
    if number is None:
        raise BadValue
    return round(number, 4)


_DATE_RE = re.compile(r"([0-9]{4})[-/.]([0-9]{1,2})[-/.]([0-9]{1,2})\Z")


def parse_date(cell: Cell) -> str:
    value = cell.value
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    match = _DATE_RE.match(numbers.plain(str(value)))
    if match is None:
        raise BadValue
    try:
        return dt.date(*(int(g) for g in match.groups())).isoformat()
    except ValueError:
        raise BadValue from None


def _text(cell: Cell) -> str:
    value = cell.value
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


_DIRECTIONS = {"increase": "increase", "decrease": "decrease", "at_least": "at_least",
               "atleast": "at_least", "at_most": "at_most", "atmost": "at_most",
               "milestone": "milestone", "增加": "increase", "提升": "increase",
               "減少": "decrease", "降低": "decrease", "至少": "at_least", "至多": "at_most",
               "最多": "at_most", "里程碑": "milestone"}
_KINDS = {"committed": "committed", "aspirational": "aspirational", "承諾型": "committed",
          "承諾": "committed", "挑戰型": "aspirational", "挑戰": "aspirational"}
_PERSON_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._@+-]*\Z")


def slug(text: str) -> str:
    """A readable ASCII slug from a title's Latin words; "" when it has none (a Chinese
    title: the caller numbers it)."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    words = re.findall(r"[a-z0-9]+", ascii_text.lower())
    if not any(re.search("[a-z]", w) for w in words):
        return ""  # "20", "3" of a Chinese title say nothing: number it instead
    out = ""
    for word in words[:6]:
        if len(out) + len(word) + 1 > 48:
            break
        out = f"{out}-{word}" if out else word
    return out


# -- mapping ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Planned:
    """One sheet to write."""

    cycle: str
    team: str
    path: Path
    text: str
    objectives: int
    krs: int


@dataclass
class _Objective:
    data: dict[str, Any]
    first_row: int
    given: dict[str, tuple[str, int]]  # field → (value as typed, row) for conflicts
    key_results: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class _Sheet:
    cycle: str
    team: str
    table: str
    objectives: dict[str, _Objective] = field(default_factory=dict)
    kr_ids: dict[str, int] = field(default_factory=dict)


def parse_map(specs: Sequence[str]) -> tuple[dict[str, str | None], list[Problem]]:
    """`--map COLUMN=FIELD` (FIELD `-`: ignore the column) → {folded column: field}."""
    mapping: dict[str, str | None] = {}
    problems = []
    for spec in specs:
        column, sep, target = spec.rpartition("=")
        target = target.strip()
        if not sep or not column.strip():
            problems.append(Problem("--map", "", 0, 0, "", "IMP104",
                                    {"spec": spec, "problem": "expected COLUMN=FIELD"}))
            continue
        if target != "-" and (target not in FIELDS or FIELDS[target].computed):
            fields = ", ".join(c.field for c in COLUMNS if not c.computed)
            problems.append(Problem("--map", "", 0, 0, "", "IMP104", {
                "spec": spec, "problem": f"unknown field '{target}' ({fields})"}))
            continue
        mapping[fold(column)] = None if target == "-" else target
    return mapping, problems


def plan(tables: Sequence[Table], *, shown: str, config: Config, org: Org | None,
         cycle: str | None, team: str | None, mapping: Mapping[str, str | None],
         lang: str) -> tuple[list[Planned], list[Problem]]:
    """Every sheet the tables make, or every problem found: never some of each."""
    mapper = _Mapper(shown, config, org, cycle, team, lang)
    used = [t for t in tables if any(_text(c) for row in t.rows for c in row)] or tables[:1]
    for table in used:  # a workbook's empty worksheets (Sheet2, Sheet3) are not OKRs
        if table.name in SUMMARY.values() and len(used) > 1:
            continue  # `okr export --format xlsx` writes it; computed, not OKRs
        mapper.table(table, mapping)
    if mapper.problems:
        return [], mapper.problems
    return mapper.finish()


_At = Callable[[str], tuple[int, int, str]]  # a column's (row, column, header) in this row


class _Mapper:
    def __init__(self, shown: str, config: Config, org: Org | None, cycle: str | None,
                 team: str | None, lang: str) -> None:
        self.shown = shown
        self.config = config
        self.org = org
        self.cycle = cycle
        self.team = team
        self.lang = lang
        self.problems: list[Problem] = []
        self.sheets: dict[tuple[str, str], _Sheet] = {}
        self.headers = lookup()
        self.table_name = ""

    def problem(self, row: int, column: int, header: str, code: str, /, **values: Any
                ) -> None:
        self.problems.append(Problem(self.shown, self.table_name, row, column, header, code,
                                     values))

    def table(self, table: Table, mapping: Mapping[str, str | None]) -> None:
        self.table_name = table.name
        rows = list(enumerate(table.rows, start=1))
        start = next((i for i, (_, r) in enumerate(rows) if any(_text(c) for c in r)), None)
        if start is None:
            self.problem(1, 0, "", "IMP003")
            return
        header_row, header_cells = rows[start]
        columns: dict[str, tuple[int, str]] = {}  # field → (1-based column, header)
        for index, cell in enumerate(header_cells, start=1):
            name = _text(cell).lstrip("\ufeff")
            if not name:
                continue
            key = fold(name)
            if key in mapping:
                target = mapping[key]
                column: Column | None = None if target is None else FIELDS[target]
            elif key in self.headers:
                column = self.headers[key]
            else:
                fields = ", ".join(c.field for c in COLUMNS if not c.computed)
                self.problem(header_row, index, name, "IMP101", header=name, fields=fields)
                continue
            if column is None or column.computed:
                continue
            if column.field in columns:
                first = columns[column.field]
                self.problem(header_row, index, name, "IMP102", header=name,
                             field=column.field, first=_letter(first[0]))
                continue
            columns[column.field] = (index, name)
        for need in ("key_result", "target"):
            if need not in columns:
                self.problem(header_row, 0, "", "IMP103", field=need,
                             what=WHAT[self.lang][need])
        if "objective" not in columns and "objective_id" not in columns:
            self.problem(header_row, 0, "", "IMP103", field="objective",
                         what=WHAT[self.lang]["objective"])
        if self.problems:
            return
        carried: dict[str, Cell] = {}  # merged-looking cells: an empty one repeats the above
        for number, cells in rows[start + 1:]:
            if not any(_text(c) for c in cells):
                continue  # an empty row
            self.row(number, cells, columns, carried)

    def row(self, number: int, cells: Sequence[Cell], columns: Mapping[str, tuple[int, str]],
            carried: dict[str, Cell]) -> None:
        before = len(self.problems)

        def cell(name: str) -> Cell | None:
            if name not in columns:
                return None
            index = columns[name][0] - 1
            found = cells[index] if index < len(cells) else Cell(None)
            if name in _CARRIED:
                if _text(found):
                    carried[name] = found
                elif name in carried and (name != "objective_id" or continued):
                    return carried[name]
            return found if _text(found) else None

        def at(name: str) -> tuple[int, int, str]:
            return number, columns[name][0], columns[name][1]

        # a row without its objective's title continues the objective above (merged cells
        # read as empty ones); only then does an empty objective id repeat the one above
        title_index = columns["objective"][0] - 1 if "objective" in columns else None
        continued = title_index is None or title_index >= len(cells) \
            or not _text(cells[title_index])

        cycle_id = self._cycle(cell("cycle"), at, number)
        team_id = self._team(cell("team"), at, number)
        kr: dict[str, Any] = {}
        title_cell = cell("key_result")
        if title_cell is None:
            self.problem(*at("key_result"), "IMP210", what=WHAT[self.lang]["key_result"])
        else:
            kr["title"] = _text(title_cell)
        for name in ("metric", "source"):
            if (c := cell(name)) is not None:
                kr[name] = _text(c)
        unit_cell = cell("unit")
        unit = _text(unit_cell) if unit_cell is not None else None
        implied: str | None = None
        for name in ("baseline", "target", "current"):
            c = cell(name)
            if c is None:
                continue
            try:
                value, implied_here = parse_number(c)
            except BadValue:
                self.problem(*at(name), "IMP201", value=_text(c))
                continue
            if implied_here is not None:
                if unit is not None and not numbers.agrees(implied_here, unit):
                    self.problem(*at(name), "IMP213", value=_text(c), unit=implied_here,
                                 other=unit)
                    continue
                implied = implied_here
            kr[name] = value
        if unit or implied:
            kr["unit"] = unit or implied
        if "target" not in kr and (c := cell("target")) is None:
            self.problem(*at("target"), "IMP210", what=WHAT[self.lang]["target"])
        direction_cell = cell("direction")
        if direction_cell is not None:
            direction = _DIRECTIONS.get(fold(_text(direction_cell)).replace("-", "_"))
            if direction is None:
                self.problem(*at("direction"), "IMP208", value=_text(direction_cell))
            else:
                kr["direction"] = direction
        if "direction" not in kr:
            if isinstance(kr.get("target"), bool):
                kr["direction"] = "milestone"
            elif isinstance(kr.get("baseline"), (int, float)) \
                    and isinstance(kr.get("target"), (int, float)) \
                    and kr["target"] < kr["baseline"]:
                kr["direction"] = "decrease"  # a target below the baseline: a cut
            else:
                kr["direction"] = "increase"
        if (c := cell("confidence")) is not None:
            try:
                kr["confidence"] = parse_confidence(c)
            except BadValue:
                self.problem(*at("confidence"), "IMP202", value=_text(c))
        if (c := cell("due")) is not None:
            try:
                kr["due"] = parse_date(c)
            except BadValue:
                self.problem(*at("due"), "IMP203", value=_text(c))
        if (c := cell("owner")) is not None:
            kr["owner"] = self._person(c, *at("owner"))
        kr_id_cell = cell("kr_id")
        if kr_id_cell is not None:
            kr_id = _text(kr_id_cell)
            if not is_id(kr_id):
                self.problem(*at("kr_id"), "IMP206", value=kr_id)
            kr["id"] = kr_id
        objective = self._objective_fields(cell, at, "objective" in columns)
        if len(self.problems) > before or cycle_id is None or team_id is None:
            return
        sheet = self.sheets.setdefault((cycle_id, team_id),
                                       _Sheet(cycle_id, team_id, self.table_name))
        key = objective.get("id") or objective["title"]
        group = sheet.objectives.get(key)
        if group is None:
            given = {k: (str(v), number) for k, v in objective.items()}
            group = sheet.objectives[key] = _Objective(objective, number, given)
        else:
            for name, value in objective.items():
                first = group.given.get(name)
                if first is None:
                    group.data[name] = value
                    group.given[name] = (str(value), number)
                elif first[0] != str(value):
                    where = "objective" if name == "title" else name
                    column = {"id": "objective_id", "title": "objective",
                              "owner": "objective_owner"}.get(where, where)
                    self.problem(*at(column), "IMP212", value=str(value), first=first[0],
                                 row=first[1])
        if "id" in kr:
            if kr["id"] in sheet.kr_ids:
                self.problem(*at("kr_id"), "IMP211", value=kr["id"],
                             where=f"{cycle_id}/{team_id}", row=sheet.kr_ids[kr["id"]])
                return
            sheet.kr_ids[kr["id"]] = number
        group.key_results.append(kr)

    def _objective_fields(self, cell: Any, at: _At, has_title: bool) -> dict[str, Any]:
        out: dict[str, Any] = {}
        if (c := cell("objective_id")) is not None:
            value = _text(c)
            if not is_id(value):
                self.problem(*at("objective_id"), "IMP206", value=value)
            out["id"] = value
        if (c := cell("objective")) is not None:
            out["title"] = _text(c)
        elif "id" in out:
            out["title"] = out["id"]
        else:
            self.problem(*at("objective" if has_title else "objective_id"),
                         "IMP210", what=WHAT[self.lang]["objective"])
        if (c := cell("objective_description")) is not None:
            out["description"] = _text(c)
        if (c := cell("kind")) is not None:
            kind = _KINDS.get(fold(_text(c)))
            if kind is None:
                self.problem(*at("kind"), "IMP209", value=_text(c))
            else:
                out["kind"] = kind
        if (c := cell("strategy")) is not None:
            themes = []
            for part in re.split(r"[,、;;,]", _text(c)):
                name = part.strip()
                if not name:
                    continue
                theme = self._theme(name)
                if theme is None:
                    self.problem(*at("strategy"), "IMP214", value=name)
                else:
                    themes.append(theme)
            out["strategy"] = themes
        if (c := cell("parent")) is not None:
            out["parent"] = _text(c)
        if (c := cell("objective_owner")) is not None:
            out["owner"] = self._person(c, *at("objective_owner"))
        return out

    def _theme(self, name: str) -> str | None:
        themes = self.org.themes if self.org is not None else ()
        for theme in themes:
            if theme.id == name or theme.title == name:
                return theme.id
        return name if not themes and is_id(name) else None

    def _person(self, c: Cell, row: int, column: int, header: str) -> str | None:
        text = _text(c)
        people = self.org.people if self.org is not None else ()
        for person in people:
            if text in (person.id, person.name):
                return person.id
        if people:  # org.yaml lists them: anyone else is a typo `okr validate` would fail
            import difflib

            close = difflib.get_close_matches(text, sorted(p.id for p in people), n=1,
                                              cutoff=0.7)  # as OKR006 suggests
            hint = {"en": f" (did you mean '{close[0]}'?)",
                    "zh-TW": f"(是否指「{close[0]}」?)"} if close else {}
            self.problem(row, column, header, "IMP215", value=text, hint=hint)
        elif _PERSON_RE.match(text):
            return text  # no people in org.yaml: the id as typed, as OKR006 takes it
        else:
            self.problem(row, column, header, "IMP207", value=text)
        return None

    def _cycle(self, c: Cell | None, at: _At, number: int) -> str | None:
        if c is not None:
            value = _text(c)
            if self.config.calendar.get(value) is None:
                self.problem(*at("cycle"), "IMP204", value=value)
                return None
            return value
        if self.cycle is not None:
            return self.cycle
        if self.config.calendar.get(self.table_name) is not None:
            return self.table_name  # a worksheet named after its cycle
        if not any(p.code == "IMP103" and p.values.get("field") == "cycle"
                   for p in self.problems):
            self.problem(number, 0, "", "IMP103", field="cycle",
                         what=WHAT[self.lang]["cycle"])
        return None

    def _team(self, c: Cell | None, at: _At, number: int) -> str | None:
        if c is None:
            if self.team is not None:
                return self.team
            if not any(p.code == "IMP103" and p.values.get("field") == "team"
                       for p in self.problems):
                self.problem(number, 0, "", "IMP103", field="team",
                             what=WHAT[self.lang]["team"])
            return None
        value = _text(c)
        teams = self.org.teams if self.org is not None else ()
        for team in teams:
            if value in (team.id, team.name):
                return team.id
        if not teams and is_id(value):
            return value  # no org.yaml yet: the id as typed (OKR006 will ask for the org)
        hint = f" ({', '.join(t.id for t in teams)})" if teams else ""
        self.problem(*at("team"), "IMP205", value=value, hint=hint)
        return None

    def finish(self) -> tuple[list[Planned], list[Problem]]:
        planned = []
        for (cycle_id, team_id), sheet in self.sheets.items():
            used: set[str] = set(sheet.kr_ids)
            objectives = []
            taken_objectives: set[str] = set()
            for n, group in enumerate(sheet.objectives.values(), start=1):
                data = dict(group.data)
                if "id" not in data:
                    data["id"] = _unique(slug(data["title"]) or f"objective-{n}",
                                         taken_objectives)
                taken_objectives.add(data["id"])
                krs = []
                for kr in group.key_results:
                    kr = dict(kr)
                    if "id" not in kr:
                        kr["id"] = _unique(slug(kr["title"]) or f"kr-{len(used) + 1}", used)
                        used.add(kr["id"])
                    krs.append({"id": kr.pop("id"), **kr})
                objectives.append({"id": data.pop("id"), **data, "key_results": krs})
            owner = None
            team = self.org.team(team_id) if self.org is not None else None
            if team is not None:
                owner = team.lead or (team.members[0] if team.members else None)
            data = {"cycle": cycle_id, "team": team_id, "owner": owner,
                    "objectives": objectives}
            path = self.config.okrs_dir / cycle_id / f"{team_id}.yaml"
            text = sheet_templates.dump(data, self.lang, source=self.shown)
            shown = self.config.display_path(path)
            doc, findings = yamlload.load_text(shown, text)
            if doc is not None and not findings:
                findings = schema.validate(doc, "okr")
            if findings:
                first = findings[0]
                self.problem(0, 0, "", "IMP302", cycle=cycle_id, team=team_id,
                             finding=f"{first.pos}: {first.message(self.lang)}")
                continue
            if any(p.exists() for p in (path, path.with_suffix(".yml"))):
                self.problems.append(Problem(self.shown, sheet.table, 0, 0, "", "IMP301",
                                             {"path": shown}))
                continue
            planned.append(Planned(cycle_id, team_id, path, text, len(objectives),
                                   sum(len(o["key_results"]) for o in objectives)))
        if self.problems:
            return [], self.problems
        return planned, []


# repeated down a column when left empty (merged-looking cells); an objective's other
# fields need not repeat: the first row of the objective that gives one wins
_CARRIED = frozenset(("cycle", "team", "objective", "objective_id"))


def _unique(base: str, taken: set[str]) -> str:
    candidate, n = base, 2
    while candidate in taken:
        candidate = f"{base}-{n}"
        n += 1
    return candidate
