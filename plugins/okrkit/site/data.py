"""The site's data files beside its pages: the export at api/v1/okrs.json and
api/v1/<cycle>.json, Atom feeds (feed.xml for the site, cycles/<cycle>/feed.xml per
cycle) and SVG badges (badges/<cycle>/<team>.svg). All from one export model
(`okrkit.export`), so the API, the feeds, the badges and `okr export` agree.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import posixpath
import re
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from okrkit.export import badge as badges
from okrkit.export import build_export
from okrkit.export import feed as feeds
from okrkit.export.writers import dumps, to_json
from okrkit.site import urls
from okrkit.site.incremental import BuildCache, sheet_key

if TYPE_CHECKING:
    from okrkit.history import History
    from okrkit.model import Sheet
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
               page_urls: urls.Urls, site_url: str | None = None,
               cache: BuildCache | None = None,
               progress_of: Callable[[Sheet], float | None] | None = None) -> list[SiteFile]:
    """`cache` (under `mkdocs serve`): each sheet's export, JSON text and badge kept by its
    digest; the JSON documents are put together from the kept texts. `progress_of`: a
    sheet's progress as the pages worked it out (views.Context.progress)."""
    kept = _Kept(tree, cache) if cache is not None else None
    export = build_export(tree, history, today=today,
                          memo=kept.export if kept is not None else None,
                          progress_of=progress_of)
    for cycle in export["cycles"]:
        for sheet in cycle["sheets"]:
            sheet["page"] = page_urls.url(urls.team_src(cycle["id"], sheet["team"]))
    base = site_url.rstrip("/") + "/" if site_url else None
    json_of = kept.json if kept is not None else to_json
    files = [SiteFile(api_src(), json_of(export))]
    for cycle in export["cycles"]:
        files.append(SiteFile(api_src(cycle["id"]), json_of({**export, "cycles": [cycle]})))
    # what a feed reads of the tree (the rest is the history's, the org's and today's)
    shown = {c["id"]: tuple(kept.shown(s) for s in c["sheets"])
             for c in export["cycles"]} if kept is not None else {}
    for cycle_id in [None, *feeds.cycles_of(export)]:
        src = feed_src(cycle_id)
        home = page_urls.url(urls.cycle_src(cycle_id) if cycle_id else urls.index_src())
        make = functools.partial(
            feeds.atom, export, feed_id=_absolute(base, src) or _urn(export, src),
            self_url=_link(base, src, src), home_url=_link(base, src, home),
            kr_url=functools.partial(_kr_link, base, src), lang=lang, cycle=cycle_id)
        files.append(SiteFile(src, make() if kept is None else kept.cache.datum(
            ("feed", src, shown[cycle_id] if cycle_id else tuple(shown.items())), make)))
    for cycle in export["cycles"]:
        for sheet in cycle["sheets"]:
            make = functools.partial(badges.badge, cycle, sheet, lang=lang)
            files.append(SiteFile(badge_src(cycle["id"], sheet["team"]),
                                  make() if kept is None else kept.badge(sheet, make)))
    return files


class _Kept:
    """A serve's kept export parts, by sheet (the key of a sheet: its path and digest)."""

    def __init__(self, tree: Tree, cache: BuildCache) -> None:
        self.cache = cache
        self.by_path = {s.path: sheet_key(tree, s) for s in tree.sheets}
        # a sheet's part of the export, by id(): the JSON text and the badge find its key
        self.parts: dict[int, Any] = {}
        # kept with the cache, as the skeletons' texts are keys of the kept documents
        self.token: str = cache.datum(("token",), lambda: f"@okrkit-sheet-{uuid.uuid4().hex}-")
        # a skeleton's text by its other values (this run's objects, by id): the documents
        # api/v1/okrs.json and api/v1/<cycle>.json share the organisation's, dumped once
        self.skeletons: dict[tuple[Any, ...], str] = {}

    def export(self, sheet: Sheet, make: Callable[[], dict[str, Any]]) -> dict[str, Any]:
        key = self.by_path.get(sheet.path)
        if key is None:
            return make()
        part: dict[str, Any] = self.cache.datum(("export", key, sheet.cycle_id), make)
        self.parts[id(part)] = (key, sheet.cycle_id)
        return part

    def shown(self, part: dict[str, Any]) -> tuple[Any, ...]:
        """What a feed reads of a sheet's part, kept with it: the same tuple each build, so
        a feed's key (every sheet's) compares item by item at once."""
        def make() -> tuple[Any, ...]:
            return (part["team_name"], part["page"], tuple(
                (kr["ref"], kr["title"], kr["unit"]) for o in part["objectives"]
                for kr in o["key_results"]))

        key = self.parts.get(id(part))
        found: tuple[Any, ...] = make() if key is None else self.cache.datum(
            ("feed-shown", *key), make)
        return found

    def badge(self, part: dict[str, Any], make: Callable[[], bytes]) -> bytes:
        key = self.parts.get(id(part))
        return make() if key is None else self.cache.datum(("badge", *key), make)

    def json(self, export: Mapping[str, Any]) -> bytes:
        """`to_json(export)`, put together from each cycle's kept text, itself from each
        sheet's: json.dumps(indent=2) writes a value nested n levels in as it writes it
        alone, each line after the first indented 2n more (strings never hold a newline).
        Kept as UTF-8: a document is joined, not encoded again; and kept whole by what it
        is made of, so a cycle's document is joined again only when the cycle changed."""
        keys, texts = [], []
        for cycle in export["cycles"]:
            found = self._cycle(cycle)
            if found is None:
                return to_json(export)
            keys.append(found[0])
            texts.append(found[1])
        skeleton = self._skeleton(export, "cycles", len(texts))
        text: bytes = self.cache.datum(("document", skeleton, tuple(keys)), lambda: self._fill(
            export, "cycles", texts, end=b"\n"))
        return text

    def _cycle(self, cycle: Mapping[str, Any]) -> tuple[Any, bytes] | None:
        """A cycle's text as it sits in a document (in `cycles`: two levels in), and the
        key it is kept by."""
        keys = [self.parts.get(id(part)) for part in cycle["sheets"]]
        if None in keys:
            return None
        head = _dumps({k: v for k, v in cycle.items() if k != "sheets"})

        def make() -> bytes:
            texts = [self._sheet(part, key) for part, key in zip(cycle["sheets"], keys,
                                                                   strict=True)]
            return self._fill(cycle, "sheets", texts, indent=b" " * _INDENT)

        key = ("cycle-json", head, tuple(keys))
        text: bytes = self.cache.datum(key, make)
        return key, text

    def _sheet(self, part: Mapping[str, Any], key: Any) -> bytes:
        """A sheet's text as it sits in a document (in `sheets` of a cycle in `cycles`: four
        levels in), indented once: a changed cycle's 4 MB text is not indented again."""
        text: bytes = self.cache.datum(("json", *key), lambda: _dumps(part).replace(
            "\n", "\n" + " " * (2 * _INDENT)).encode("utf-8"))
        return text

    def _skeleton(self, value: Mapping[str, Any], field: str, count: int) -> str:
        """json.dumps(value) with value[field]'s `count` items written as tokens."""
        key = (field, count, *((k, id(v)) for k, v in value.items() if k != field))
        skeleton = self.skeletons.get(key)
        if skeleton is None:
            # the organisation's teams and people are most of a document's skeleton, made
            # anew each build and the same: kept while they compare equal, in the same order
            rest = {k: v for k, v in value.items() if k != field}
            skeleton = self.skeletons[key] = self.cache.latest(
                ("skeleton", field, count), (tuple(value), rest), lambda: _dumps(
                    {**value, field: [f"{self.token}{i}" for i in range(count)]}))
        return skeleton

    def _fill(self, value: Mapping[str, Any], field: str, texts: list[bytes], *,
              end: bytes = b"", indent: bytes = b"") -> bytes:
        """json.dumps(value) + `end`, with value[field]'s items written as `texts`, each line
        after the first indented by `indent` (the texts come indented so)."""
        skeleton = self._skeleton(value, field, len(texts))
        pieces = re.split('"' + re.escape(self.token) + r'(\d+)"', skeleton)
        if len(pieces) != 2 * len(texts) + 1:  # the token in a name: never rely on it
            return _dumps({**value, field: [json.loads(t) for t in texts]}).encode(
                "utf-8").replace(b"\n", b"\n" + indent) + end
        out = []
        for i, piece in enumerate(pieces):
            out.append(texts[int(piece)] if i % 2
                       else piece.encode("utf-8").replace(b"\n", b"\n" + indent))
        out.append(end)  # in the one join: a 16 MB document is not copied again for it
        return b"".join(out)


# a list item two levels in (cycles[i], or sheets[j] in a cycle) with json.dumps(indent=2)
_INDENT = 4


def _dumps(value: Any) -> str:
    return dumps(value)


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
