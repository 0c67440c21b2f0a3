"""What one build of the site keeps for the next under `mkdocs serve` (DESIGN "The site").

Under serve the plugin object lives across rebuilds, and an edit to one sheet changes one
sheet's bytes while the history (the same HEAD) stays as it was read. The plugin keeps a
`BuildCache` and hands its `hits` to the lint run and itself to `build_site`; what each
build reuses is keyed by the inputs it was made from:

- a sheet rule's hits on a sheet: `rules.memo.HitMemo`'s, kept in memory (`hits`, a
  `KeptHits`) with the build's key (it names HEAD) as the history's key, for a rule that
  says it reads nothing but its sheet, org.yaml, the cycles, the history and today (its
  `READS`, checked against its code: rules/base.py);
- a page's Markdown: by the digests of the sheets it shows (a team page: its sheet, the
  sheets of its parents and children, its stale notes, its nav flag; a cycle page and its
  alignment: the cycle's sheets; its changes: the cycle's key result refs; the lint page:
  the findings). The notices and the print footer (they change when the work tree turns
  dirty) are put into the kept Markdown, never rendered again (pages._Made);
- what pages made every time (the dashboard) and big pages show of each sheet or cycle
  (`views.Context.keep`): statuses, team rows, grades, summaries, report cards, trends,
  change rows;
- what is made of values rather than of sheets (`latest`, kept by a slot while the values
  are equal): a page's rows as rendered HTML (a cycle page's team rows, the alignment's
  nodes: an edit renders its own row again, not 200), a cycle's trend chart by its
  teams' progress steps, the dashboard's Markdown by what it shows;
- the export of a sheet, its JSON text and its badge, a cycle's JSON text, the feeds (by
  what they read of the tree).

Everything is dropped when anything the whole site reads changes: the build's key (the
history's HEAD, today, the config and the options, given by the plugin), the language,
org.yaml, the set of sheets (one added, deleted, failing to load or moved), the cycles,
the templates or the includes. The tree loader keeps each sheet's model by its bytes
itself (tree.py). `end` drops what a build did not use, so nothing grows without bound.
"""

from __future__ import annotations

import dataclasses
import hashlib
import os
from collections.abc import Callable, Hashable, Sequence
from typing import TYPE_CHECKING, Any

from okrkit.config import Config
from okrkit.rules.memo import KeptHits

if TYPE_CHECKING:
    from okrkit.model import Sheet
    from okrkit.tree import Tree


class BuildCache:
    """The kept results of the last build, valid while `key` is the same."""

    def __init__(self) -> None:
        self._key: Hashable = None
        self._site_key: Hashable = None
        # the rules' hits, for the lint run (`lint(kept_hits=...)`)
        self.hits = KeptHits()
        # page src → (its inputs, what it was made of: see pages._Builder._page)
        self.pages: dict[str, tuple[Hashable, Any]] = {}
        self.used_pages: set[str] = set()
        # (kind, sheet path, digest, ...) → an export dict, a JSON text, a badge; those this
        # build used (`end` keeps only them: swapped in, no key hashed again to sort them out)
        self.data: dict[Hashable, Any] = {}
        self.used_data: dict[Hashable, Any] = {}
        self.made_pages = self.reused_pages = 0  # of the last build (the tests, the bench)

    def begin(self, key: Hashable) -> None:
        """A build with these global inputs; anything kept under another key goes."""
        if key != self._key:
            self._key = key
            self._site_key = None
            self.hits = KeptHits()
            self.hits.history = fingerprint(key)  # the history rules' hits hold while it does
            self.forget_site()

    def forget_site(self) -> None:
        self.pages.clear()
        self.data = {}
        self.used_data = {}

    def begin_site(self, key: Hashable) -> None:
        """The whole-site part of the key (`site_key`): pages and data kept under another go."""
        if key != self._site_key:
            self._site_key = key
            self.forget_site()
        self.used_pages.clear()
        self.used_data = {}
        self.made_pages = self.reused_pages = 0

    def end(self) -> None:
        """Keep only what this build used: a replaced sheet's old results go (the hits:
        `HitMemo.save` keeps those the lint used)."""
        _keep(self.pages, self.used_pages)
        self.data, self.used_data = self.used_data, {}

    # -- pages and data -------------------------------------------------------------

    def page(self, src: str, key: Hashable, make: Callable[[], Any]) -> Any:
        """What `make()` returns, kept by `src` and `key`."""
        self.used_pages.add(src)
        found = self.pages.get(src)
        if found is not None and found[0] == key:
            self.reused_pages += 1
            return found[1]
        self.made_pages += 1
        made = make()
        self.pages[src] = (key, made)
        return made

    def datum(self, key: Hashable, make: Callable[[], Any]) -> Any:
        """What `make()` returns, kept by `key` (a tuple: hashed again at each look-up, so
        looked up twice at most)."""
        found = self.data.get(key, _MISSING)
        if found is _MISSING:
            found = self.data[key] = make()
        self.used_data[key] = found
        return found

    def latest(self, slot: Hashable, inputs: object, make: Callable[[], Any]) -> Any:
        """What `make()` returned when `slot` was last asked for, while `inputs` compare
        equal to that time's: the inputs are the very values the result is made of (a team
        row, a trend's steps), so no key is hashed, and the parts a build reused compare
        at once by identity (199 kept rows and one made again)."""
        found = self.data.get(slot, _MISSING)
        if found is _MISSING or found[0] != inputs:
            found = (inputs, make())
        self.used_data[slot] = found
        return found[1]


_MISSING = object()


def _keep(table: dict[Any, Any], used: set[Any]) -> None:
    for stale in [k for k in table if k not in used]:
        del table[stale]


def org_digest(tree: Tree) -> bytes | None:
    org = tree.org
    return None if org is None else tree.digests.get(org.src.path)


def sheet_key(tree: Tree, sheet: Sheet) -> Hashable:
    """A sheet's content as the key of what is made from it (its path and digest); the
    same tuple for the same sheet of the same tree (asked thousands of times a build)."""
    if _SHEET_KEYS[0] is not tree:
        _SHEET_KEYS[:] = [tree, {}]
    keys: dict[int, tuple[Sheet, Hashable]] = _SHEET_KEYS[1]
    found = keys.get(id(sheet))
    if found is None:
        digest = tree.digests.get(sheet.path)
        # no digest (a tree built by hand): a key equal to no other, so nothing is reused
        # (the sheet kept with its key: its id stays its own)
        found = keys[id(sheet)] = (sheet, (sheet.path, digest) if digest is not None
                                   else (sheet.path, object()))
    return found[1]


# the tree of the last build and its sheets' keys, by id(sheet)
_SHEET_KEYS: list[Any] = [None, {}]


def templates_key(dirs: Sequence[str]) -> tuple[tuple[str, int, int], ...]:
    """The page templates' names, sizes and times: an edited template remakes every page."""
    found = []
    for folder in dirs:
        try:
            entries = list(os.scandir(os.path.join(folder, "okrkit")))
        except OSError:
            continue
        for entry in entries:
            try:
                stat = entry.stat()
            except OSError:
                continue
            found.append((entry.path, stat.st_size, stat.st_mtime_ns))
    return tuple(sorted(found))


def fingerprint(value: object) -> str:
    """A short digest of a value's repr (the config, the includes): compared, not kept."""
    if isinstance(value, Config):
        calendar = value.calendar  # no repr of its own (its id would change every load)
        value = ([(f.name, getattr(value, f.name)) for f in dataclasses.fields(value)
                  if f.name not in ("calendar", "source")],
                 calendar.fiscal_year_start, sorted(calendar.custom.items()))
    return hashlib.blake2b(repr(value).encode(), digest_size=16).hexdigest()
