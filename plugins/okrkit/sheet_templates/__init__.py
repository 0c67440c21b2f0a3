"""The sheets `okr new --template NAME` starts from: the seed article's examples.

One YAML file per template and language, `<lang>/<name>.yaml`, each a whole
sheet with four placeholders (`@@cycle@@`, `@@team@@`, `@@owner@@`,
`@@due@@`); the English and the zh-TW file of a template hold the same ids,
numbers and directions, only the words differ (tested). `TEMPLATES` is the
index: the stable ASCII names in the order `okr new --list` shows them, with a
one-line description in each language. `okr init` writes `DEFAULT` as the new
repository's first sheet, through `render` too, so the two commands share one
source.

Each template names the strategy themes it belongs to (`strategy: [brand]`);
`render` keeps those the organisation has, else falls back to the org's first
theme, so the objective stays aligned (OKR401) in any org.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from okrkit.yamledit import format_scalar

TEMPLATES_DIR = Path(__file__).resolve().parent
DEFAULT = "brand-awareness"
DEFAULT_SCHEMA_REF = "../../schema/okr.schema.json"  # okrs/<cycle>/<team>.yaml → schema/
PLACEHOLDERS = frozenset({"cycle", "team", "owner", "due", "cycle_ref"})


@dataclass(frozen=True, slots=True)
class SheetTemplate:
    name: str  # a stable ASCII id: `--template NAME`
    description: Mapping[str, str]  # one line per language, for `okr new --list`

    def path(self, lang: str) -> Path:
        return TEMPLATES_DIR / lang / f"{self.name}.yaml"


# The seed article's examples (okr-article.zh-TW.txt lines 70-118): the three of
# 網路行銷OKR範例, then the success cases; content-reach is the 內容行銷 case
# 提升內容觸及率, as the demo's content team has it.
TEMPLATES: tuple[SheetTemplate, ...] = (
    SheetTemplate("brand-awareness", {
        "en": "Raise brand awareness: unique visitors +20%, social followers +15%, "
              "3 industry media stories",
        "zh-TW": "提升品牌知名度:不重複訪客數 +20%、社群粉絲 +15%、至少 3 次行業媒體報導",
    }),
    SheetTemplate("website-conversion", {
        "en": "Improve the website conversion rate: conversion 2% → 3%, lead cost −10%, "
              "email click-through +5%",
        "zh-TW": "提高網站轉換率:整體轉換率 2% → 3%、潛在客戶獲取成本 −10%、電子郵件點擊率 +5%",
    }),
    SheetTemplate("content-reach", {
        "en": "Extend the reach of our content: blog reads +30%, social interaction rate +10%, "
              "newsletter subscribers +15%",
        "zh-TW": "提升內容觸及率:部落格閱讀次數 +30%、社群互動率 +10%、電子報訂閱人數 +15%",
    }),
    SheetTemplate("ecommerce", {
        "en": "E-commerce: raise the store's conversion rate +15%, average cart value +8%, "
              "bounce rate −10%",
        "zh-TW": "電商平台:網站轉換率 +15%、平均購物車價值 +8%、跳出率 −10%",
    }),
    SheetTemplate("new-market", {
        "en": "Start-up: expand into a new market: new-market users +20%, market share +10%, "
              "MRR +15%",
        "zh-TW": "新創公司快速拓展市場:新市場用戶數 +20%、市場佔有率 +10%、MRR +15%",
    }),
    SheetTemplate("sales", {
        "en": "Sales team: grow sales to NT$5 million this quarter, new customers +15%, "
              "average order value +10%",
        "zh-TW": "銷售團隊提高銷售額:本季銷售額 500 萬元、新客戶數 +15%、平均訂單價值 +10%",
    }),
)
NAMES: tuple[str, ...] = tuple(t.name for t in TEMPLATES)

_TOKEN_RE = re.compile(r"@@([a-z_]+)@@")
_OWNER_LINE_RE = re.compile(r"^[ ]*owner: @@owner@@\n", re.MULTILINE)
_STRATEGY_LINE_RE = re.compile(r"^([ ]*)strategy: \[([a-z0-9, -]*)\]\n", re.MULTILINE)


def get(name: str) -> SheetTemplate | None:
    return next((t for t in TEMPLATES if t.name == name), None)


def render(name: str, lang: str, *, cycle_id: str, team: str, due: str, owner: str | None,
           themes: Sequence[str] | None, schema_ref: str = DEFAULT_SCHEMA_REF) -> str:
    """Template `name` in `lang` filled in for one team and cycle.

    `owner` None drops every `owner:` line (an owner nobody named is worse than
    none: OKR603 asks for one); `themes` are the org's strategy theme ids, None
    when there is no org.yaml to follow.
    """
    template = TEMPLATES_DIR / lang / f"{name}.yaml"
    text = template.read_text(encoding="utf-8")
    if schema_ref != DEFAULT_SCHEMA_REF:
        text = text.replace(f"$schema={DEFAULT_SCHEMA_REF}", f"$schema={schema_ref}", 1)
    if owner is None:
        text = _OWNER_LINE_RE.sub("", text)
    if themes is not None:
        text = _STRATEGY_LINE_RE.sub(lambda m: _strategy_line(m, themes), text)
    # the check-in hint names the key result in full: a short ref means the current
    # cycle's, which may be another sheet's (issue 14)
    values = {"cycle": format_scalar(cycle_id), "team": team, "owner": owner or "", "due": due,
              "cycle_ref": cycle_id}
    return fill(text, values)


def fill(text: str, values: Mapping[str, str]) -> str:
    """Fill in every `@@name@@` (these templates and `okr init`'s scaffold); an unknown
    name is a bug in the templates: KeyError."""
    return _TOKEN_RE.sub(lambda m: values[m.group(1)], text)


def _strategy_line(match: re.Match[str], themes: Sequence[str]) -> str:
    """The template's themes that the org has, else the org's first theme, else no line
    (an org without themes: OKR401 will say the objective needs a parent)."""
    wanted = [t.strip() for t in match.group(2).split(",") if t.strip()]
    kept = [t for t in wanted if t in themes] or list(themes[:1])
    return f"{match.group(1)}strategy: [{', '.join(kept)}]\n" if kept else ""


# -- a sheet from data (`okr import`): the templates' layout, key for key ----------------

_HEADER = {
    "en": "# One team's OKRs for one cycle, imported by `okr import` from {source}.\n"
          "# Check in weekly: edit `current:` and `confidence:` (or run `okr checkin`), "
          "then commit.\n",
    "zh-TW": "# 一個團隊在一個週期的 OKR,由 `okr import` 從 {source} 匯入。\n"
             "# 每週更新進度:修改 `current:` 與 `confidence:`(或執行 `okr checkin`),"
             "然後提交。\n",
}
_SHEET_KEYS = ("cycle", "team", "owner")
_OBJECTIVE_KEYS = ("id", "title", "description", "owner", "kind", "strategy", "parent")
_KR_KEYS = ("id", "title", "metric", "source", "unit", "direction", "baseline", "target",
            "current", "confidence", "due", "owner")
_DATE_RE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}\Z")


def dump(data: Mapping[str, object], lang: str, *, source: str,
         schema_ref: str = DEFAULT_SCHEMA_REF) -> str:
    """A whole sheet in the templates' layout (modeline, comment, keys in the schema's
    order, None left out), so an imported sheet reads like one `okr new` wrote."""
    lines = [f"# yaml-language-server: $schema={schema_ref}\n",
             _HEADER[lang].format(source=" ".join(source.split()))]
    lines += _pairs(data, _SHEET_KEYS, "")
    lines.append("\nobjectives:\n")
    for objective in data["objectives"]:  # type: ignore[attr-defined]
        lines += _pairs(objective, _OBJECTIVE_KEYS, "  ", first="- ")
        lines.append("    key_results:\n")
        for kr in objective["key_results"]:
            lines += _pairs(kr, _KR_KEYS, "      ", first="- ")
    return "".join(lines)


def _pairs(data: Mapping[str, object], keys: Sequence[str], indent: str, *,
           first: str = "") -> list[str]:
    out: list[str] = []
    for key in keys:
        value = data.get(key)
        if value is None or value == []:
            continue
        lead = indent + (first if not out else " " * len(first))
        out.append(f"{lead}{key}: {_scalar(value)}\n")
    return out


def _scalar(value: object) -> str:
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(format_scalar(v) for v in value) + "]"
    if isinstance(value, str) and _DATE_RE.match(value):
        return value  # as the templates write dates; the loader keeps them strings
    return format_scalar(value)
