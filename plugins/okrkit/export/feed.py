"""Atom feeds of check-ins and plan changes, newest first, each linking to its key result
(feedgen writes the XML)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from okrkit.export.model import Export
from okrkit.numbers import with_unit

FEED_LIMIT = 100  # entries per feed: a reader polls often, the site keeps the rest

TEXT = {
    "en": {
        "title": "{org}: OKR check-ins and plan changes",
        "cycle-title": "{org} · {cycle}: OKR check-ins and plan changes",
        "checkin": "{team} · {kr}: {value}",
        "checkin-confidence": "{team} · {kr}: {value} (confidence {confidence})",
        "plan": "{team} · {kr}: plan changed ({fields})",
        "body": "{author} in {commit}: {subject}",
    },
    "zh-TW": {
        "title": "{org}:OKR 進度回報與計畫變更",
        "cycle-title": "{org} · {cycle}:OKR 進度回報與計畫變更",
        "checkin": "{team} · {kr}:{value}",
        "checkin-confidence": "{team} · {kr}:{value}(信心度 {confidence})",
        "plan": "{team} · {kr}:計畫變更({fields})",
        "body": "{author} 於 {commit}:{subject}",
    },
}


def _shown(value: Any, unit: str | None) -> str:
    if value is None:
        return "—"
    if isinstance(value, bool):
        return "✓" if value else "✗"
    number = f"{value:,}" if isinstance(value, int) or float(value).is_integer() \
        else f"{value:,.4f}".rstrip("0").rstrip(".")
    if isinstance(value, float) and value.is_integer():
        number = f"{int(value):,}"
    return with_unit(number, unit)


def feed_entries(export: Export, cycle: str | None = None) -> list[dict[str, Any]]:
    """Every check-in and plan change of the export (or of one cycle), newest first."""
    entries = []
    for c in export["cycles"]:
        if cycle is not None and c["id"] != cycle:
            continue
        for sheet in c["sheets"]:
            for objective in sheet["objectives"]:
                for kr in objective["key_results"]:
                    for point in kr["checkins"]:
                        entries.append({"kind": "checkin", "point": point, "kr": kr,
                                        "sheet": sheet, "objective": objective})
                    for point in kr["plan_changes"]:
                        entries.append({"kind": "plan", "point": point, "kr": kr,
                                        "sheet": sheet, "objective": objective})
    entries.sort(key=lambda e: (dt.datetime.fromisoformat(e["point"]["date"]),
                                e["point"]["commit"], e["kr"]["ref"], e["kind"]), reverse=True)
    return entries


def atom(export: Export, *, feed_id: str, self_url: str, home_url: str,
         kr_url: Callable[[Mapping[str, Any], Mapping[str, Any]], str], lang: str,
         cycle: str | None = None, limit: int = FEED_LIMIT) -> bytes:
    """The Atom feed; `kr_url(sheet, kr)` is the key result's link on the site."""
    from feedgen.feed import FeedGenerator

    text = TEXT[lang]
    org = export["organisation"]["name"] or "OKRs"
    entries = feed_entries(export, cycle)[:limit]
    fg = FeedGenerator()
    fg.id(feed_id)
    fg.title(text["cycle-title"].format(org=org, cycle=cycle) if cycle
             else text["title"].format(org=org))
    fg.link(href=self_url, rel="self")
    fg.link(href=home_url, rel="alternate")
    fg.language(lang)
    fg.generator("okrkit")
    # the newest entry's date, else the export's day: the same tree gives the same feed
    fg.updated(entries[0]["point"]["date"] if entries
               else dt.datetime.combine(dt.date.fromisoformat(export["generated"]),
                                        dt.time(), dt.timezone.utc))
    for entry in entries:
        point, kr, sheet = entry["point"], entry["kr"], entry["sheet"]
        fe = fg.add_entry(order="append")
        fe.id(f"{feed_id}#{point['commit']}/{entry['kind']}/{kr['ref']}")
        fe.title(_title(text, entry))
        fe.updated(point["date"])
        fe.published(point["date"])
        fe.author(name=point["author"] or "?")
        fe.link(href=kr_url(sheet, kr), rel="alternate")
        fe.summary(text["body"].format(author=point["author"], commit=point["commit"][:7],
                                       subject=point["subject"]))
        fe.category(term=entry["kind"])
    data: bytes = fg.atom_str(pretty=True)
    return data


def _title(text: Mapping[str, str], entry: Mapping[str, Any]) -> str:
    point, kr, sheet = entry["point"], entry["kr"], entry["sheet"]
    if entry["kind"] == "plan":
        return text["plan"].format(team=sheet["team_name"], kr=kr["title"],
                                   fields=", ".join(point["fields"]))
    value = _shown(point["value"], kr["unit"])
    if point["confidence"] is None:
        return text["checkin"].format(team=sheet["team_name"], kr=kr["title"], value=value)
    return text["checkin-confidence"].format(team=sheet["team_name"], kr=kr["title"],
                                             value=value, confidence=point["confidence"])


def cycles_of(export: Export) -> Sequence[str]:
    return [c["id"] for c in export["cycles"]]
