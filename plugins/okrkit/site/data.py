"""The site's data files beside its pages: the export at api/v1/okrs.json and
api/v1/<cycle>.json, Atom feeds (feed.xml for the site, cycles/<cycle>/feed.xml per
cycle) and SVG badges (badges/<cycle>/<team>.svg). All from one export model
(`okrkit.export`), so the API, the feeds, the badges and `okr export` agree.
"""

from __future__ import annotations

import datetime as dt
import functools
import posixpath
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from okrkit.export import badge as badges
from okrkit.export import build_export
from okrkit.export import feed as feeds
from okrkit.export.writers import to_json
from okrkit.site import urls

if TYPE_CHECKING:
    from okrkit.history import History
    from okrkit.tree import Tree


@dataclass(frozen=True, slots=True)
class SiteFile:
    """A generated file that is not a page: copied to the site as it is."""

    src: str  # "api/v1/okrs.json", as in a docs folder
    content: bytes


def api_src(cycle_id: str | None = None) -> str:
    return f"api/v1/{cycle_id or 'okrs'}.json"


def feed_src(cycle_id: str | None = None) -> str:
    return f"cycles/{cycle_id}/feed.xml" if cycle_id else "feed.xml"


def badge_src(cycle_id: str, team: str) -> str:
    return f"badges/{cycle_id}/{team}.svg"


def site_files(tree: Tree, history: History, *, today: dt.date, lang: str,
               page_urls: urls.Urls, site_url: str | None = None) -> list[SiteFile]:
    export = build_export(tree, history, today=today)
    for cycle in export["cycles"]:
        for sheet in cycle["sheets"]:
            sheet["page"] = page_urls.url(urls.team_src(cycle["id"], sheet["team"]))
    base = site_url.rstrip("/") + "/" if site_url else None
    files = [SiteFile(api_src(), to_json(export))]
    for cycle in export["cycles"]:
        files.append(SiteFile(api_src(cycle["id"]), to_json({**export, "cycles": [cycle]})))
    for cycle_id in [None, *feeds.cycles_of(export)]:
        src = feed_src(cycle_id)
        home = page_urls.url(urls.cycle_src(cycle_id) if cycle_id else urls.index_src())
        files.append(SiteFile(src, feeds.atom(
            export, feed_id=_absolute(base, src) or _urn(export, src),
            self_url=_link(base, src, src), home_url=_link(base, src, home),
            kr_url=functools.partial(_kr_link, base, src), lang=lang, cycle=cycle_id)))
    for cycle in export["cycles"]:
        for sheet in cycle["sheets"]:
            files.append(SiteFile(badge_src(cycle["id"], sheet["team"]),
                                  badges.badge(cycle, sheet, lang=lang)))
    return files


def _absolute(base: str | None, path: str) -> str | None:
    return None if base is None else base + path


def _urn(export: Mapping[str, Any], src: str) -> str:
    # Atom wants a permanent id; without site_url the organisation's name and the path
    name = quote(export["organisation"]["name"] or "okrs", safe="")
    return f"urn:okrkit:{name}:{src}"


def _link(base: str | None, from_src: str, to_path: str) -> str:
    """Absolute with site_url, else relative to the feed's folder (readers resolve it)."""
    if base is not None:
        return base + to_path
    folder = posixpath.dirname(from_src)
    rel = posixpath.relpath(to_path or ".", folder or ".")
    if to_path.endswith("/") or not to_path:
        rel = "./" if rel == "." else rel + "/"
    return rel


def _kr_link(base: str | None, from_src: str, sheet: Mapping[str, Any],
             kr: Mapping[str, Any]) -> str:
    objective_id = kr["ref"].split("/")[2]
    return _link(base, from_src, sheet["page"]) + "#" + urls.kr_anchor(objective_id, kr["id"])
