"""SVG badges for a team's README: "OKR 2026-Q4 · 41%", coloured by status.

A small template in the shields.io look rather than pybadges: pybadges imports the
stdlib's `imghdr`, removed in Python 3.13, and okrkit supports 3.10 on. Text is
escaped (`xml.sax.saxutils`); widths come from per-character advances of Verdana 11px
(a CJK character 11px), and `textLength` makes every renderer fit the text to them.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from xml.sax.saxutils import escape, quoteattr

from okrkit.i18n import display_width

# shields.io's colours: brightgreen, yellow, red, lightgrey
COLOURS = {"on_track": "#4c1", "at_risk": "#dfb317", "off_track": "#e05d44",
           "unknown": "#9f9f9f"}
TITLE = {
    "en": {"on_track": "on track", "at_risk": "at risk", "off_track": "off track",
           "unknown": "status unknown", "title": "{team} · {cycle}: {progress}, {status}"},
    "zh-TW": {"on_track": "進度正常", "at_risk": "有風險", "off_track": "落後",
              "unknown": "狀態未知", "title": "{team} · {cycle}:{progress},{status}"},
}
# Verdana 11px advances, rounded: narrow, wide and the rest (shields measures the same font)
_NARROW = {c: 3.5 for c in "ilj.,:;!|' "} | {"1": 7.0, "I": 4.3, "f": 3.9, "t": 4.3, "r": 4.7}
_WIDE = {c: 9.6 for c in "MWmw%@"} | {c: 8.0 for c in "ABCDGHKNOQRUVXY&"}


def text_width(text: str) -> float:
    width = 0.0
    for char in text:
        if display_width(char) == 2:
            width += 11.0
        else:
            width += _NARROW.get(char) or _WIDE.get(char) or 7.0
    return round(width, 1)


_TEMPLATE = (
    '<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="20" role="img" '
    'aria-label={label}><title>{title}</title>'
    '<linearGradient id="s" x2="0" y2="100%"><stop offset="0" stop-color="#bbb" '
    'stop-opacity=".1"/><stop offset="1" stop-opacity=".1"/></linearGradient>'
    '<clipPath id="r"><rect width="{w}" height="20" rx="3" fill="#fff"/></clipPath>'
    '<g clip-path="url(#r)"><rect width="{lw}" height="20" fill="#555"/>'
    '<rect x="{lw}" width="{rw}" height="20" fill="{colour}"/>'
    '<rect width="{w}" height="20" fill="url(#s)"/></g>'
    '<g fill="#fff" text-anchor="middle" font-family="Verdana,Geneva,DejaVu Sans,sans-serif" '
    'font-size="11">'
    '<text x="{lx}" y="15" fill="#010101" fill-opacity=".3" textLength="{ltl}">{left}</text>'
    '<text x="{lx}" y="14" textLength="{ltl}">{left}</text>'
    '<text x="{rx}" y="15" fill="#010101" fill-opacity=".3" textLength="{rtl}">{right}</text>'
    '<text x="{rx}" y="14" textLength="{rtl}">{right}</text></g></svg>\n')


def render(left: str, right: str, colour: str, title: str) -> str:
    ltl, rtl = text_width(left), text_width(right)
    lw, rw = ltl + 10, rtl + 10  # 5px padding each side
    return _TEMPLATE.format(w=round(lw + rw, 1), lw=round(lw, 1), rw=round(rw, 1),
                            lx=round(lw / 2, 1), rx=round(lw + rw / 2, 1), ltl=ltl, rtl=rtl,
                            left=escape(left), right=escape(right), colour=colour,
                            title=escape(title), label=quoteattr(f"{left}: {right}"))


def badge(cycle: Mapping[str, Any], sheet: Mapping[str, Any], *, lang: str) -> bytes:
    progress = sheet["progress"]
    shown = "—" if progress is None else f"{round(progress * 100):d}%"
    text = TITLE[lang]
    title = text["title"].format(team=sheet["team_name"], cycle=cycle["id"], progress=shown,
                                 status=text[sheet["status"]])
    return render(f"OKR {cycle['id']}", shown, COLOURS[sheet["status"]], title).encode("utf-8")
