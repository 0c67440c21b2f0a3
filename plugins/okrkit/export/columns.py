"""The spreadsheet columns: what `okr export --format csv|xlsx` writes and `okr import`
reads back, with their English and Traditional Chinese headers (one table, so the
round trip cannot drift)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Column:
    field: str  # the export's name for it; what `--map COLUMN=FIELD` names
    en: str
    zh: str
    kind: str  # text | number | ratio (a 0..1 fraction shown as %) | grade | date | list
    computed: bool = False  # written by the export, ignored by the import
    aliases: tuple[str, ...] = ()  # other headers the import accepts (compared folded)


COLUMNS: tuple[Column, ...] = (
    Column("cycle", "cycle", "週期", "text"),
    Column("team", "team", "團隊", "text"),
    Column("objective_id", "objective id", "目標 id", "text", aliases=("目標代碼",)),
    Column("objective", "objective", "目標", "text", aliases=("objective title", "目標名稱")),
    Column("objective_description", "objective description", "目標說明", "text",
           aliases=("description", "說明")),
    Column("kind", "kind", "類型", "text", aliases=("objective kind", "目標類型")),
    Column("strategy", "strategy", "戰略主題", "list", aliases=("strategy themes", "策略")),
    Column("parent", "parent", "上層目標", "text", aliases=("parent objective",)),
    Column("objective_owner", "objective owner", "目標負責人", "text"),
    Column("kr_id", "key result id", "關鍵結果 id", "text",
           aliases=("id", "kr id", "kr", "關鍵結果代碼")),
    Column("key_result", "key result", "關鍵結果", "text",
           aliases=("key result title", "kr title", "關鍵結果名稱")),
    Column("metric", "metric", "指標", "text"),
    Column("source", "source", "資料來源", "text", aliases=("data source", "來源")),
    Column("unit", "unit", "單位", "text"),
    Column("direction", "direction", "方向", "text"),
    Column("baseline", "baseline", "基準值", "number", aliases=("基準", "起始值")),
    Column("target", "target", "目標值", "number"),
    Column("current", "current", "目前值", "number", aliases=("current value", "現況", "目前")),
    Column("confidence", "confidence", "信心指數", "ratio", aliases=("信心",)),
    Column("due", "due", "截止日", "date", aliases=("due date", "deadline", "截止日期", "期限")),
    Column("owner", "owner", "負責人", "text", aliases=("kr owner", "關鍵結果負責人")),
    Column("progress", "progress", "進度", "ratio", computed=True),
    Column("status", "status", "狀態", "text", computed=True),
    Column("grade", "grade", "評分", "grade", computed=True),
    Column("last_checkin", "last check-in", "最近回報", "date", computed=True),
)
FIELDS = {c.field: c for c in COLUMNS}

STATUS_LABELS = {
    "en": {"on_track": "on track", "at_risk": "at risk", "off_track": "off track",
           "unknown": "unknown"},
    "zh-TW": {"on_track": "進度正常", "at_risk": "有風險", "off_track": "落後",
              "unknown": "未知"},
}

SUMMARY = {"en": "Summary", "zh-TW": "摘要"}  # the XLSX's summary worksheet
SUMMARY_HEADERS = {
    "en": ("cycle", "team", "team name", "objectives", "key results", "progress", "status",
           "grade", "on track", "at risk", "off track"),
    "zh-TW": ("週期", "團隊", "團隊名稱", "目標數", "關鍵結果數", "進度", "狀態", "評分",
              "進度正常", "有風險", "落後"),
}


def header(column: Column, lang: str) -> str:
    return column.zh if lang == "zh-TW" else column.en


def fold(text: str) -> str:
    """A header as compared: case, spaces, underscores and hyphens do not count."""
    return "".join(ch for ch in text.casefold() if ch not in " _-\u3000\ufeff")


def lookup() -> dict[str, Column]:
    """Every header the import understands, folded, → its column."""
    found: dict[str, Column] = {}
    for column in COLUMNS:
        for name in (column.field, column.en, column.zh, *column.aliases):
            found.setdefault(fold(name), column)
    return found
