"""The git log, read once, as per-KR timelines and per-sheet events (DESIGN "History").

One `git log --raw` over the OKR tree names every version of every sheet by
its blob id; one `git cat-file --batch` streams those blobs; each distinct
blob is parsed once (strict loader, schema, model). Never a git process per
file or per commit.

Decisions:

- **All parents, not `--first-parent`.** A check-in made on a branch keeps its
  own author and date; a merge contributes only what it changed against every
  parent (a conflict resolution), so merged check-ins are not counted twice.
  Points are ordered as `git log --date-order --reverse` lists the commits.
- **Identity.** A KR is its ref `cycle/team/objective/kr`. A sheet renamed or
  moved (git's rename detection, or a deleted and an added sheet of one commit
  sharing most KR ids) carries its KRs' timelines to the new refs; so does an
  objective whose id changed (paired by the same title or by sharing at least
  half of its KR ids) and a KR whose id changed (same title or metric) or that
  moved to another objective of the sheet. Old refs stay resolvable.
- **A version that does not parse** becomes a `parse-error` event with its
  finding; the next good version is compared with the last good one.
- **Bounded reads.** The history rules judge nothing before their sheets'
  cycle started but each KR's state then (OKR503: check-ins since the start;
  OKR604: moves since the start, against the last version before it). Asked
  for the history `since` a date, the read starts at a boundary commit B: the
  newest commit on HEAD's first-parent chain committed (committer date, what
  `git log --before` compares) at least `BOUND_MARGIN` (a week) before that
  date, provided the `BOUND_SLOP` (5) commits below it on the chain were
  committed before it too. The log is then `B..HEAD` (every commit B does not
  reach, whatever its date: a branch merged since comes whole), and the
  sheets as they are at B (one `ls-tree`) seed each KR's timeline with one
  point, B's. What this relies on: no ancestor of B was authored on or after
  the date asked for, i.e. no commit was committed more than a week before
  something it builds on was authored. Rebase, amend and cherry-pick keep the
  author date and stamp the committer date "now" (unless told
  `--committer-date-is-author-date`), so only a clock wrong by over a week,
  or dates set by hand, break it. Dates out of order right at the boundary
  (the slop), a shallow clone, a boundary version that does not parse, or no
  commit that old make the read whole again (the last costs a walk of the
  whole first-parent chain first: no trees, a few microseconds a commit).
  Not done in a bounded read: the `dirty` check (the rules do not use it) and
  warnings about versions before B that did not parse.
- **Speed.** Most versions are check-ins that rewrite a value or two in place.
  When a version differs from the one before it only in lines of the form
  `key: <plain scalar>` (same key, same indentation), its values are patched
  into the previous version's parsed document instead of parsing the whole
  file again; the schema still validates the result. Anything else (a comment,
  a quoted or multi-line value, a line added or removed) is parsed in full.
  A read of many versions parses them in two processes, a sheet's versions
  all in one (see `_parse_versions`).
- **Kept walks.** A whole read (every sheet, no `since`) keeps the walk's
  state by commit (okrkit.history_store): the next whole read at that commit
  finishes it without reading the log, one at a later commit walks only the
  commits after those it went through, when the log lists them first.
"""

from __future__ import annotations

import datetime as dt
import gc
import itertools
import marshal
import operator
import os
import re
from collections import Counter
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, fields, replace
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO

from okrkit import build, forked, git, schema, yamlload
from okrkit import cache as parse_cache
from okrkit.errors import FatalError
from okrkit.findings import Finding, Pos, Severity
from okrkit.model import Value
from okrkit.pairing import (
    CHECKIN_FIELDS,
    PLAN_FIELDS,
    Outline,
    easier_moves,
    find_revision,
    match,
    same_value,
)
from okrkit.tree import YAML_SUFFIXES, Tree, load_bytes

if TYPE_CHECKING:
    from okrkit.config import Config
    from okrkit.cycles import CycleCalendar

# KrState's fields, in its order
STATE_FIELDS = ("title", "current", "confidence", "target", "baseline", "due", "owner",
                "direction", "unit")
REASON_TRAILER = "OKR-Reason"
MEASURED_TRAILER = "OKR-Measured"  # `okr measure`'s: `ref = value (source)`, one per key result
# a bounded read starts at a commit committed this long before the date asked for
BOUND_MARGIN = dt.timedelta(days=7)
BOUND_SLOP = 5  # ... and the commits just below it must be older still (git's own slop)


@dataclass(frozen=True, slots=True)
class Commit:
    sha: str
    author: str  # name
    email: str
    date: dt.datetime  # author date, timezone-aware
    subject: str
    trailers: Mapping[str, str] = field(default_factory=dict, compare=False)

    @property
    def short(self) -> str:
        return self.sha[:7]

    def measured(self) -> dict[str, str]:
        """ref → source of the key results `okr measure` wrote in this commit (its
        `OKR-Measured` trailers, which `_commit` joined with "; ")."""
        found = {}
        for item in self.trailers.get(MEASURED_TRAILER, "").split("; "):
            ref, sep, rest = item.partition(" = ")
            if sep and rest.endswith(")") and "(" in rest:
                found[ref.strip()] = rest[rest.rindex("(") + 1:-1]
        return found


@dataclass(frozen=True, slots=True)
class KrState:
    """One KR's values in one version of its sheet."""

    title: str
    current: Value
    confidence: float | None
    target: Value
    baseline: Value
    due: str | None
    owner: str | None
    direction: str
    unit: str | None


@dataclass(frozen=True, slots=True)
class TimelinePoint:
    commit: Commit
    state: KrState
    changed: tuple[str, ...]  # fields changed vs the version before ("added" for the first)


@dataclass(frozen=True, slots=True)
class SheetEvent:
    commit: Commit
    # objective-added | objective-removed | objective-renamed | objective-reparented |
    # kr-added | kr-removed | kr-renamed | sheet-added | sheet-removed | sheet-renamed |
    # parse-error
    kind: str
    ref: str  # cycle/team[/objective[/kr]] (the new ref for renames)
    path: str  # the sheet's path at that commit, relative to the repository
    detail: Mapping[str, Any] = field(default_factory=dict, compare=False)


@dataclass(frozen=True, slots=True)
class GoalPostMove:
    """A target or baseline made easier after its cycle started (OKR604's fact)."""

    commit: Commit
    field: str  # target | baseline
    old: Value
    new: Value
    reason: str | None  # the recorded reason; None when there is none
    source: str | None  # "revision" (the KR's `revisions:`) | "trailer" (OKR-Reason:)


@dataclass(frozen=True, slots=True)
class History:
    available: bool  # False: not a git repository (or git missing)
    shallow: bool = False  # a shallow clone: the timeline starts at the graft
    warnings: tuple[Mapping[str, str], ...] = ()  # one-line notices {"en": ..., "zh-TW": ...}
    dirty: bool = False  # uncommitted changes under the OKR tree (not in any timeline;
    # not looked at by a bounded read, nor by a read of some sheets: False)
    # a bounded read: complete from this date on; before it, each KR has one point, its
    # state at the boundary commit (see "Bounded reads"). None: the whole history
    since: dt.date | None = None
    _timelines: Mapping[str, tuple[TimelinePoint, ...]] = field(
        default_factory=dict, repr=False, compare=False)
    _events: tuple[SheetEvent, ...] = field(default=(), repr=False, compare=False)
    _aliases: Mapping[str, str] = field(default_factory=dict, repr=False, compare=False)
    _revisions: Mapping[str, tuple[tuple[str, Any, str], ...]] = field(
        default_factory=dict, repr=False, compare=False)
    _calendar: CycleCalendar | None = field(default=None, repr=False, compare=False)

    def _start(self, ref: str) -> dt.date | None:
        cycle = self._calendar.get(ref.split("/", 1)[0]) if self._calendar else None
        return cycle.start if cycle is not None else None

    def resolve(self, ref: str) -> str:
        """The ref a KR or objective has now, following renames."""
        seen = set()
        while ref not in self._timelines and ref in self._aliases and ref not in seen:
            seen.add(ref)
            ref = self._aliases[ref]
        return ref

    def timeline(self, kr_ref: str) -> tuple[TimelinePoint, ...]:
        """Oldest first; a point per commit that changed the KR."""
        return self._timelines.get(self.resolve(kr_ref), ())

    def checkins(self, kr_ref: str) -> tuple[TimelinePoint, ...]:
        """Points that moved `current` or `confidence`."""
        return tuple(p for p in self.timeline(kr_ref)
                     if any(f in p.changed for f in CHECKIN_FIELDS))

    def plan_changes(self, kr_ref: str) -> tuple[TimelinePoint, ...]:
        """Points that changed target, baseline, due, owner, title, direction or unit."""
        return tuple(p for p in self.timeline(kr_ref)
                     if any(f in p.changed for f in PLAN_FIELDS))

    def last_checkin(self, kr_ref: str) -> Commit | None:
        points = self.checkins(kr_ref)
        return points[-1].commit if points else None

    def events(self, cycle_id: str | None = None) -> tuple[SheetEvent, ...]:
        """Newest first."""
        if cycle_id is None:
            return self._events
        return tuple(e for e in self._events if e.ref.split("/", 1)[0] == cycle_id)

    def kr_refs(self) -> tuple[str, ...]:
        """Every KR with a timeline, by its latest ref."""
        return tuple(self._timelines)

    def original(self, kr_ref: str, field_name: str = "target") -> Value:
        """A field as the KR's cycle started: the last value committed before the start,
        else the first one (a KR added later). None without a timeline."""
        points = self.timeline(kr_ref)
        if not points:
            return None
        start = self._start(self.resolve(kr_ref))
        before = [p for p in points if start is not None and p.commit.date.date() < start]
        chosen = before[-1] if before else points[0]
        value: Value = getattr(chosen.state, field_name)
        return value

    def original_target(self, kr_ref: str) -> Value:
        """The target as the cycle started (what the site shows beside the revised one)."""
        return self.original(kr_ref, "target")

    def goal_post_moves(self, kr_ref: str) -> tuple[GoalPostMove, ...]:
        """Targets and baselines made easier after the cycle started, oldest first,
        each with its recorded reason (a `revisions:` entry of the KR's latest
        version, or an `OKR-Reason:` trailer of the commit) or None."""
        ref = self.resolve(kr_ref)
        start = self._start(ref)
        if start is None:
            return ()
        revisions = self._revisions.get(ref, ())
        moves = []
        points = self.timeline(ref)
        for before, point in itertools.pairwise(points):
            if before.state.target == point.state.target and \
                    before.state.baseline == point.state.baseline:
                continue  # a check-in: no goal post moved (the cheaper test first)
            if point.commit.date.date() < start:
                continue
            for name, old, new in easier_moves(before.state, point.state):
                reason, source = None, None
                found = find_revision(revisions, name, new)
                if found is not None:
                    reason, source = found, "revision"
                elif point.commit.trailers.get(REASON_TRAILER):
                    reason, source = point.commit.trailers[REASON_TRAILER], "trailer"
                moves.append(GoalPostMove(point.commit, name, old, new, reason, source))
        return tuple(moves)


def empty_history(reason_en: str, reason_zh: str) -> History:
    """No history, with the one-line reason shown to the user."""
    return History(available=False, warnings=({"en": reason_en, "zh-TW": reason_zh},))


# -- snapshots of one sheet version ----------------------------------------------------


@dataclass(frozen=True, slots=True)
class _KrSnap:
    id: str
    state: KrState
    metric: str | None
    revisions: tuple[tuple[str, Any, str], ...]  # (field, to, reason)


@dataclass(frozen=True, slots=True)
class _ObjSnap:
    id: str
    title: str
    parent: str | None
    krs: tuple[_KrSnap, ...]


@dataclass(frozen=True, slots=True)
class _SheetSnap:
    cycle: str
    team: str
    objectives: tuple[_ObjSnap, ...]

    @property
    def prefix(self) -> str:
        return f"{self.cycle}/{self.team}"

    def kr_map(self) -> dict[str, tuple[_ObjSnap, _KrSnap]]:
        """`objective/kr` → (objective, KR); the first of duplicate ids wins."""
        found: dict[str, tuple[_ObjSnap, _KrSnap]] = {}
        for o in self.objectives:
            for k in o.krs:
                found.setdefault(f"{o.id}/{k.id}", (o, k))
        return found


@dataclass(slots=True)
class _Parsed:
    """A parsed version kept for patching the next one."""

    doc: yamlload.Document
    lines: list[str]
    leaves: dict[int, tuple[yamlload.JPath, int]]  # line → (jpath, column) of a lone scalar
    snap: _SheetSnap  # objectives and KRs in the order of the data


# `key: value` with a plain scalar that cannot start or hide any other YAML syntax
_LEAF_RE = re.compile(r"(?P<head>[ ]*(?:-[ ]+)?[A-Za-z_][A-Za-z0-9_-]*:[ ]+)"
                      r"(?P<value>(?:[0-9A-Za-z_]|[-+.][0-9])[0-9A-Za-z_.+-]*)[ ]*\Z")
_ODD_CHARS_RE = re.compile("[\r\t\x85\u2028\u2029\ufeff]")
_MAX_PATCHED_LINES = 16


def _leaves(doc: yamlload.Document) -> dict[int, tuple[yamlload.JPath, int]]:
    """Each line holding exactly one scalar value: the value's path and column.

    A path no other path extends is a scalar (or an empty `[]`/`{}`, which no
    patch matches: `_LEAF_RE` admits neither bracket).
    """
    parents = {jpath[:-1] for jpath in doc.values if jpath}
    found: dict[int, tuple[yamlload.JPath, int]] = {}
    crowded: set[int] = set()
    for jpath, (line, col) in doc.values.items():
        if jpath in parents:
            continue
        if line in found:
            crowded.add(line)
        found[line] = (jpath, col)
    for line in crowded:
        del found[line]
    return found


def _same(a: Any, b: Any) -> bool:
    return type(a) is type(b) and a == b


def _set_in(data: Any, jpath: yamlload.JPath, value: Any) -> Any:
    """A copy of `data` with one leaf replaced; untouched branches are shared."""
    if not jpath:
        return value
    head, rest = jpath[0], jpath[1:]
    if isinstance(data, dict):
        copy: Any = dict(data)
    else:
        copy = list(data)
    copy[head] = _set_in(data[head], rest, value)
    return copy


def _get_in(data: Any, jpath: yamlload.JPath) -> Any:
    for part in jpath:
        data = data[part]
    return data


@cache
def _value_validator(pointer: str) -> Callable[[Any], Any] | None:
    """A validator of one property of the sheet schema (`keyResult/properties/current`),
    with the loader's formats; None when the schema has no such property."""
    full = schema.load_schema("okr")
    node: Any = full["definitions"]
    for part in pointer.split("/"):
        node = node.get(part) if isinstance(node, dict) else None
    if node is None:
        return None
    document = {"$schema": full["$schema"], "$id": full["$id"],
                "$ref": f"#/definitions/{pointer}", "definitions": full["definitions"]}
    # every $ref is local; cached on disk as the whole-file validator is (the hook checks
    # a patch's values with two or three of them); fastjsonschema's default use_default
    return schema.validator(f"okr-{pointer.replace('/', '-')}", document, use_default=True,
                            source=schema.schema_bytes("okr"))


def _valid_values(changes: Sequence[Change]) -> bool:
    """Whether the patched values are valid where they stand.

    A patch changes values, never keys, so `required` and `additionalProperties`
    still hold, and the sheet schema has no constraint across properties (no
    if/then, no dependencies): each new value checked against its property's
    schema says what validating the whole file would. Values elsewhere than a
    KR's or an objective's own properties are left to the whole-file validator.
    """
    for jpath, value in changes:
        if len(jpath) == 5 and jpath[0] == "objectives" and jpath[2] == "key_results":
            validator = _value_validator(f"keyResult/properties/{jpath[4]}")
        elif len(jpath) == 3 and jpath[0] == "objectives":
            validator = _value_validator(f"objective/properties/{jpath[2]}")
        else:
            return False
        if validator is None:
            return False
        try:
            validator(value)
        except schema.Invalid:
            return False
    return True


Change = tuple[yamlload.JPath, Any]  # a leaf's path and its new value


def _patch(base: _Parsed, path: str, text: str
           ) -> tuple[yamlload.Document, list[str], list[Change]] | None:
    """The new version as a patch of `base` when only lone plain scalars changed.

    The base's lines are plain (no tab, CR, BOM or odd line break), so the new
    text's unchanged lines are too, and `_LEAF_RE` admits none of those in a
    changed line: a CRLF or BOM version differs in every line or in its first,
    and is parsed in full.
    """
    lines = text.split("\n")
    old = base.lines
    if len(lines) != len(old):
        return None
    changed = list(itertools.compress(range(len(old)), map(operator.ne, old, lines)))
    if not changed or len(changed) > _MAX_PATCHED_LINES:
        return None
    data = base.doc.data
    changes: list[Change] = []
    resolve = yamlload._resolve_scalar  # the loader's own plain-scalar rules
    for index in changed:
        leaf = base.leaves.get(index + 1)
        m_old, m_new = _LEAF_RE.match(old[index]), _LEAF_RE.match(lines[index])
        if leaf is None or m_old is None or m_new is None or m_old["head"] != m_new["head"]:
            return None
        jpath, col = leaf
        if col != len(m_old["head"]) + 1:
            return None
        # the whole scalar is on this line (no continuation): the old text resolves to it
        if not _same(resolve(m_old["value"]), _get_in(data, jpath)):
            return None
        value = resolve(m_new["value"])
        data = _set_in(data, jpath, value)
        changes.append((jpath, value))
    doc = yamlload.Document(path, data, base.doc.values, base.doc.keys, base.doc.comments)
    return doc, lines, changes


# which patched leaves change a snapshot, and how; any other leaf of a KR, objective or
# sheet (source, notes, score, kind, ...) leaves the snapshot as it was
_KR_SNAP_FIELDS = frozenset((*STATE_FIELDS, "metric"))
_OBJECTIVE_SNAP_FIELDS = frozenset(("title", "parent"))


def _patched_snapshot(base: _SheetSnap, changes: Sequence[Change]) -> _SheetSnap | None:
    """The base's snapshot with the patched values; None when ids, cycle, team or
    revisions changed (those are rebuilt from the model).

    What did not change stays the very same object, so the walk tells unchanged
    objectives and KRs apart with `is`.
    """
    objectives = list(base.objectives)
    for jpath, value in changes:
        name = jpath[-1]
        if len(jpath) == 1:
            if name in ("cycle", "team"):
                return None
            continue
        if jpath[0] != "objectives" or not isinstance(jpath[1], int):
            return None
        o = objectives[jpath[1]]
        if len(jpath) == 3:
            if name in _OBJECTIVE_SNAP_FIELDS:
                objectives[jpath[1]] = _ObjSnap(o.id, value if name == "title" else o.title,
                                                value if name == "parent" else o.parent, o.krs)
            elif name == "id":
                return None
            continue
        if len(jpath) != 5 or jpath[2] != "key_results" or not isinstance(jpath[3], int):
            return None  # initiatives, revisions, strategy lists: rebuild
        if name not in _KR_SNAP_FIELDS:
            if name == "id":
                return None
            continue
        k = o.krs[jpath[3]]
        if name == "metric":
            k = _KrSnap(k.id, k.state, value, k.revisions)
        else:
            values = list(_state_tuple(k.state))
            values[_STATE_INDEX[name]] = value
            k = _KrSnap(k.id, KrState(*values), k.metric, k.revisions)
        krs = list(o.krs)
        krs[jpath[3]] = k
        objectives[jpath[1]] = _ObjSnap(o.id, o.title, o.parent, tuple(krs))
    return _SheetSnap(base.cycle, base.team, tuple(objectives))


# KrState's fields as a tuple, in one C call (the pack's inner loop)
_state_tuple = operator.attrgetter(*(f.name for f in fields(KrState)))
_STATE_INDEX = {f.name: i for i, f in enumerate(fields(KrState))}


class _Parser:
    """Blob → snapshot (or the finding that stopped it), each distinct blob once."""

    def __init__(self, max_bytes: int) -> None:
        self.max_bytes = max_bytes
        self.snaps: dict[str, _SheetSnap | Finding] = {}
        self.parsed: dict[str, _Parsed] = {}  # blobs some path still shows: patch bases
        self._interned: dict[Any, Any] = {}
        self.fresh: list[str] = []  # blobs parsed (not taken from the cache) by this read

    # the parse cache keeps snapshots as plain tuples; a state, KR or objective shared by
    # many versions stays one object (one tuple in the pack, one object when read back)
    def pack(self, snap: _SheetSnap, memo: dict[int, Any]) -> Any:
        objectives = []
        for o in snap.objectives:
            packed = memo.get(id(o))
            if packed is None:
                krs = []
                for k in o.krs:
                    kr = memo.get(id(k))
                    if kr is None:
                        state = memo.get(id(k.state))
                        if state is None:
                            state = memo[id(k.state)] = _state_tuple(k.state)
                        kr = memo[id(k)] = (k.id, state, k.metric, k.revisions)
                    krs.append(kr)
                packed = memo[id(o)] = (o.id, o.title, o.parent, tuple(krs))
            objectives.append(packed)
        return (snap.cycle, snap.team, tuple(objectives))

    def unpack(self, packed: Any, memo: dict[int, Any]) -> _SheetSnap:
        """`pack` undone; `memo` (by the id of each tuple read) keeps shared ones shared,
        so the walk's `is` tests see what did not change (interning by value again would
        hash every state: slower than what it saves). Loops, not nested functions: this
        runs for every version of a warm read."""
        cycle, team, packed_objectives = packed
        objectives = []
        for t in packed_objectives:
            o = memo.get(id(t))
            if o is None:
                krs = []
                for k in t[3]:
                    kr = memo.get(id(k))
                    if kr is None:
                        state = memo.get(id(k[1]))
                        if state is None:
                            state = memo[id(k[1])] = KrState(*k[1])
                        kr = memo[id(k)] = _KrSnap(k[0], state, k[2], k[3])
                    krs.append(kr)
                o = memo[id(t)] = _ObjSnap(t[0], t[1], t[2], tuple(krs))
            objectives.append(o)
        return _SheetSnap(cycle, team, tuple(objectives))

    def _intern(self, value: Any) -> Any:
        return self._interned.setdefault(value, value)

    def parse(self, sha: str, raw: bytes, path: str, base_sha: str | None) -> None:
        if sha in self.snaps:
            return
        base = self.parsed.get(base_sha) if base_sha else None
        if base is not None and len(raw) <= self.max_bytes and self._parse_patch(
                sha, raw, path, base):
            return
        self.fresh.append(sha)
        doc, findings = yamlload.load_bytes(path, raw, max_bytes=self.max_bytes)
        if doc is None:
            self.snaps[sha] = findings[0]
            return
        errors = schema.validate(doc, "okr")
        if errors:
            self.snaps[sha] = errors[0]
            return
        snap = self.snaps[sha] = self._snapshot(doc)
        text = raw.decode("utf-8", "replace")
        # a patch base must be plain: no duplicate key, no BOM, no odd line breaks
        if not findings and not _ODD_CHARS_RE.search(text):
            self.parsed[sha] = _Parsed(doc, text.split("\n"), _leaves(doc), snap)

    def _parse_patch(self, sha: str, raw: bytes, path: str, base: _Parsed) -> bool:
        """Parse a version as a patch of `base`; False when it is not one."""
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            return False
        patched = _patch(base, path, text)
        if patched is None:
            return False
        self.fresh.append(sha)
        doc, lines, changes = patched
        if not _valid_values(changes):
            errors = schema.validate(doc, "okr")
            if errors:
                self.snaps[sha] = errors[0]
                return True
        snap = _patched_snapshot(base.snap, changes) or self._snapshot(doc)
        self.snaps[sha] = snap
        self.parsed[sha] = _Parsed(doc, lines, base.leaves, snap)
        return True

    def _snapshot(self, doc: yamlload.Document) -> _SheetSnap:
        """A version's snapshot, read from its schema-valid values as `build.sheet_from`
        reads them (the same defaults), without building the rest of the model: a full
        parse (every sheet's first version) spent a third of its model's time on it."""
        data = doc.data
        objectives = []
        intern = self._intern
        for o in data.get("objectives") or ():
            krs = []
            for kr in o.get("key_results") or ():
                get = kr.get
                state = KrState(kr["title"], get("current"), get("confidence"), get("target"),
                                get("baseline"), get("due"), get("owner"),
                                get("direction", "increase"), get("unit"))
                krs.append(intern(_KrSnap(
                    kr["id"], intern(state), get("metric"),
                    tuple([(r["field"], r.get("to"), r["reason"])
                           for r in get("revisions") or ()]))))
            objectives.append(intern(_ObjSnap(o["id"], o["title"], o.get("parent"),
                                              tuple(krs))))
        return _SheetSnap(str(data["cycle"]), data["team"], tuple(objectives))

    def release(self, sha: str) -> None:
        self.parsed.pop(sha, None)


# -- the walk ----------------------------------------------------------------------


def _commit(raw: git.RawCommit) -> Commit:
    trailers: dict[str, str] = {}
    for line in raw.trailers.splitlines():
        key, sep, value = line.partition(":")
        if sep and key.strip() and value.strip():
            key = key.strip()
            trailers[key] = f"{trailers[key]}; {value.strip()}" if key in trailers \
                else value.strip()
    try:
        date = dt.datetime.fromisoformat(raw.date)
    except ValueError:  # pragma: no cover (git always writes %aI in ISO 8601)
        date = dt.datetime.fromtimestamp(0, dt.timezone.utc)
    return Commit(raw.sha, raw.author, raw.email, date, raw.subject, trailers)


class _Walk:
    """Turns the log's changes, in order, into timelines and events."""

    def __init__(self, parser: _Parser) -> None:
        self.parser = parser
        self.ident: dict[str, int] = {}  # KR ref → identity
        self.ref_of: dict[int, str] = {}
        self.points: dict[int, list[tuple[int, TimelinePoint]]] = {}  # (sequence, point)
        self.seq = 0
        self.aliases: dict[str, str] = {}
        self.events: list[SheetEvent] = []
        self.last_good: dict[str, _SheetSnap] = {}  # path → its last version that parsed
        self.unique: dict[int, bool] = {}  # see _same_shape

    # identities
    def _identity(self, ref: str) -> int:
        found = self.ident.get(ref)
        if found is None:
            found = len(self.ref_of)
            self.ident[ref] = found
            self.ref_of[found] = ref
            self.points[found] = []
        return found

    def _rename_all(self, pairs: Sequence[tuple[str, str]]) -> None:
        """Move identities to their new refs, all at once (two KRs may swap ids)."""
        moving = [(self.ident.pop(a, None), a, b) for a, b in pairs if a != b]
        for identity, old_ref, new_ref in moving:
            self.aliases[old_ref] = new_ref
            if identity is not None:
                # an identity already at new_ref is merged with this one at the end
                self.ident[new_ref] = identity
                self.ref_of[identity] = new_ref

    def _point(self, ref: str, commit: Commit, state: KrState, changed: tuple[str, ...]
               ) -> None:
        self.seq += 1
        self.points[self._identity(ref)].append((self.seq, TimelinePoint(commit, state, changed)))

    def _has_points(self, ref: str) -> bool:
        identity = self.ident.get(ref)
        return identity is not None and bool(self.points[identity])

    def _event(self, commit: Commit, kind: str, ref: str, path: str, **detail: Any) -> None:
        self.events.append(SheetEvent(commit, kind, ref, path, detail))

    def snap(self, sha: str, path: str) -> _SheetSnap | Finding | None:
        if sha == git.NULL_SHA:
            return None
        found = self.parser.snaps.get(sha)
        if isinstance(found, Finding) and found.pos.path != path:
            found = replace(found, pos=replace(found.pos, path=path))
        return found

    def seed(self, commit: Commit, changes: Sequence[git.RawChange]) -> bool:
        """Start a bounded read from the sheets as they were at its boundary commit: each
        KR's first point is its state there, "added"; no events (nothing happened then).
        False when one of them did not parse there."""
        for change in changes:
            found = self.snap(change.new_sha, change.new_path)
            if not isinstance(found, _SheetSnap):
                return False
            self.last_good[change.new_path] = found
            for o in found.objectives:
                for k in o.krs:
                    self._point(f"{found.prefix}/{o.id}/{k.id}", commit, k.state, ("added",))
        return True

    # one commit
    def commit(self, commit: Commit, changes: Sequence[git.RawChange]) -> None:
        singles = [c for c in changes if len(c.old_shas) == 1]
        merges = [c for c in changes if len(c.old_shas) > 1]
        pairs = self._pair_unrenamed(singles)
        for change in singles:
            if change in pairs:
                self._change(commit, change, pairs[change])
            elif not any(change is p for p in pairs.values()):
                self._change(commit, change, None)
        for change in merges:
            self._merge(commit, change)

    def _pair_unrenamed(self, changes: Sequence[git.RawChange]
                        ) -> dict[git.RawChange, git.RawChange]:
        """A deleted and an added sheet of one commit that share most KRs: a move git
        did not see as a rename (too much changed inside)."""
        deleted = [c for c in changes if c.status == "D"]
        added = [c for c in changes if c.status == "A"]
        pairs: dict[git.RawChange, git.RawChange] = {}
        for d in deleted:
            old = self.snap(d.old_shas[0], d.old_path)
            old = old if isinstance(old, _SheetSnap) else self.last_good.get(d.old_path)
            if old is None:
                continue
            old_keys = set(old.kr_map())
            for a in added:
                new = self.snap(a.new_sha, a.new_path)
                if a in pairs.values() or not isinstance(new, _SheetSnap) or not old_keys:
                    continue
                shared = old_keys & set(new.kr_map())
                if new.cycle == old.cycle and len(shared) * 2 >= len(old_keys):
                    pairs[a] = d
                    break
        return pairs

    def _change(self, commit: Commit, change: git.RawChange,
                moved_from: git.RawChange | None) -> None:
        old_path = moved_from.old_path if moved_from is not None else change.old_path
        old_sha = moved_from.old_shas[0] if moved_from is not None else change.old_shas[0]
        new_path, status = change.new_path, change.status
        old_found = self.snap(old_sha, old_path)
        old = old_found if isinstance(old_found, _SheetSnap) else self.last_good.get(old_path)
        new_found = self.snap(change.new_sha, new_path)
        renamed = moved_from is not None or status[0] == "R"
        if renamed or status == "D":
            self.last_good.pop(old_path, None)
        if new_found is None:  # deleted
            if old is not None:
                self._event(commit, "sheet-removed", old.prefix, old_path)
            return
        if isinstance(new_found, Finding):
            ref = old.prefix if old is not None else _ref_from_path(new_path)
            self._event(commit, "parse-error", ref, new_path, finding=new_found)
            if old is not None:
                self.last_good[new_path] = old
            return
        new = new_found
        self.last_good[new_path] = new
        if old is None:
            if status == "A" or renamed:
                self._event(commit, "sheet-added", new.prefix, new_path,
                            objectives=[o.id for o in new.objectives])
            for o in new.objectives:
                for k in o.krs:
                    self._point(f"{new.prefix}/{o.id}/{k.id}", commit, k.state, ("added",))
        else:
            if renamed or old.prefix != new.prefix:
                self._event(commit, "sheet-renamed", new.prefix, new_path, old=old.prefix,
                            new=new.prefix, old_path=old_path, new_path=new_path)
                self.aliases[old.prefix] = new.prefix
            self._compare(commit, new_path, old, new)


    def _compare(self, commit: Commit, path: str, old: _SheetSnap, new: _SheetSnap) -> None:
        if old.prefix == new.prefix and _same_shape(old, new, self.unique):
            self._compare_values(commit, path, old, new)
            return
        old_objs = {o.id: o for o in old.objectives}
        new_objs = {o.id: o for o in new.objectives}
        m = match(_outline(old), _outline(new))
        for old_id, new_id in m.renamed:
            self._event(commit, "objective-renamed", f"{new.prefix}/{new_id}", path,
                        old=f"{old.prefix}/{old_id}", new=f"{new.prefix}/{new_id}")
            self.aliases[f"{old.prefix}/{old_id}"] = f"{new.prefix}/{new_id}"
        for old_id in m.lost:
            self._event(commit, "objective-removed", f"{old.prefix}/{old_id}", path,
                        title=old_objs[old_id].title)
        for new_id in m.gained:
            self._event(commit, "objective-added", f"{new.prefix}/{new_id}", path,
                        title=new_objs[new_id].title)
        for old_id, new_id in m.objectives:
            a, b = old_objs[old_id], new_objs[new_id]
            if a.parent != b.parent:
                self._event(commit, "objective-reparented", f"{new.prefix}/{new_id}", path,
                            old=a.parent, new=b.parent)
        old_krs = {f"{o.id}/{k.id}": k for o in old.objectives for k in o.krs}
        new_krs = {f"{o.id}/{k.id}": k for o in new.objectives for k in o.krs}
        for old_key, new_key in m.renamed_krs:
            old_ref, new_ref = f"{old.prefix}/{old_key}", f"{new.prefix}/{new_key}"
            self._event(commit, "kr-renamed", new_ref, path, old=old_ref, new=new_ref)
        kr_pairs = [*m.krs, *m.renamed_krs]
        self._rename_all([(f"{old.prefix}/{a}", f"{new.prefix}/{b}") for a, b in kr_pairs])
        lost, gained = set(m.lost), set(m.gained)
        for key in m.lost_krs:
            if key.split("/")[0] not in lost:
                self._event(commit, "kr-removed", f"{old.prefix}/{key}", path,
                            title=old_krs[key].state.title)
        for key in m.gained_krs:
            ref = f"{new.prefix}/{key}"
            if key.split("/")[0] not in gained:
                self._event(commit, "kr-added", ref, path, title=new_krs[key].state.title)
            self._point(ref, commit, new_krs[key].state, ("added",))
        for old_key, new_key in kr_pairs:
            new_ref = f"{new.prefix}/{new_key}"
            before, after = old_krs[old_key].state, new_krs[new_key].state
            changed = () if before is after else _changed(before, after)
            if not self._has_points(new_ref):  # its history began outside what was read
                self._point(new_ref, commit, after, ("added",))
            elif changed:
                self._point(new_ref, commit, after, changed)

    def _compare_values(self, commit: Commit, path: str, old: _SheetSnap, new: _SheetSnap
                        ) -> None:
        """Two versions with the same objectives and KRs in the same order: the common
        check-in, compared object by object (snapshots are interned, so `is` suffices
        for what did not change)."""
        for a, b in zip(old.objectives, new.objectives, strict=True):
            if a is b:
                continue
            if a.parent != b.parent:
                self._event(commit, "objective-reparented", f"{new.prefix}/{b.id}", path,
                            old=a.parent, new=b.parent)
            for ka, kb in zip(a.krs, b.krs, strict=True):
                if ka.state is kb.state:
                    continue
                ref = f"{new.prefix}/{b.id}/{kb.id}"
                if not self._has_points(ref):
                    self._point(ref, commit, kb.state, ("added",))
                else:
                    changed = _changed(ka.state, kb.state)
                    if changed:
                        self._point(ref, commit, kb.state, changed)

    def _merge(self, commit: Commit, change: git.RawChange) -> None:
        """A merge: the KR fields whose value differs from every parent's."""
        new = self.snap(change.new_sha, change.new_path)
        if isinstance(new, Finding):
            self._event(commit, "parse-error", _ref_from_path(change.new_path),
                        change.new_path, finding=new)
            return
        if new is None:
            return
        self.last_good[change.new_path] = new
        parents = []
        for sha in change.old_shas:
            found = self.snap(sha, change.old_path)
            parents.append(found.kr_map() if isinstance(found, _SheetSnap) else {})
        for key, (_, k) in new.kr_map().items():
            states = [p[key][1].state for p in parents if key in p]
            ref = f"{new.prefix}/{key}"
            if not states:
                self._point(ref, commit, k.state, ("added",))
                continue
            changed = tuple(f for f in STATE_FIELDS
                            if all(not same_value(getattr(s, f), getattr(k.state, f))
                                   for s in states))
            if changed and len(states) == len(parents):
                self._point(ref, commit, k.state, changed)

    def finish(self) -> tuple[dict[str, tuple[TimelinePoint, ...]], dict[str, str],
                              dict[str, tuple[tuple[str, Any, str], ...]]]:
        by_ref: dict[str, list[tuple[int, TimelinePoint]]] = {}
        for identity, ref in self.ref_of.items():
            points = self.points[identity]
            if not points:
                continue
            if ref in by_ref:  # two identities ended at one ref: one timeline, in walk order
                by_ref[ref] = sorted([*by_ref[ref], *points], key=lambda sp: sp[0])
            else:
                by_ref[ref] = points
        # the `revisions:` of each KR's latest version (a reason may be written after the move)
        revisions = {f"{snap.prefix}/{o.id}/{k.id}": k.revisions
                     for snap in self.last_good.values() for o in snap.objectives
                     for k in o.krs if k.revisions}
        timelines = {ref: tuple(p for _, p in points) for ref, points in by_ref.items()}
        aliases = {old: new for old, new in self.aliases.items() if old != new}
        return timelines, aliases, revisions


def _outline(snap: _SheetSnap) -> Outline:
    return [(o.id, o.title, [(k.id, k.state.title, k.metric) for k in o.krs])
            for o in snap.objectives]


def _same_shape(old: _SheetSnap, new: _SheetSnap, unique: dict[int, bool]) -> bool:
    """The same objective and KR ids in the same order, each id once. `unique`: whether
    a snapshot's ids are each there once, by its id() (the walk's snapshots all live as
    long as it does): a version of the same shape as the one before inherits it."""
    if len(old.objectives) != len(new.objectives):
        return False
    for a, b in zip(old.objectives, new.objectives, strict=True):
        if a is b:
            continue
        if a.id != b.id or [k.id for k in a.krs] != [k.id for k in b.krs]:
            return False
    found = unique.get(id(old))
    if found is None:
        found = unique[id(old)] = _unique_ids(old)
    unique[id(new)] = found
    return found


def _unique_ids(snap: _SheetSnap) -> bool:
    ids = [o.id for o in snap.objectives]
    if len(set(ids)) != len(ids):
        return False
    return all(len({k.id for k in o.krs}) == len(o.krs) for o in snap.objectives)


def _changed(a: KrState, b: KrState) -> tuple[str, ...]:
    # a patched state shares its unchanged values with the one before: `is` settles most
    return tuple(f for f, x, y in zip(STATE_FIELDS, _state_tuple(a), _state_tuple(b),
                                      strict=True)
                 if x is not y and not same_value(x, y))


def _ref_from_path(path: str) -> str:
    parts = path.split("/")
    if len(parts) >= 2:
        return f"{parts[-2]}/{Path(parts[-1]).stem}"
    return Path(path).stem


# -- reading ---------------------------------------------------------------------------


def _is_sheet(path: str, prefix: str) -> bool:
    """`<okrs>/<cycle>/<team>.yaml`: exactly one folder below the OKR tree."""
    if prefix and not path.startswith(prefix + "/"):
        return False
    rest = path[len(prefix) + 1:] if prefix else path
    parts = rest.split("/")
    return len(parts) == 2 and parts[1].endswith(YAML_SUFFIXES) and not parts[0].startswith(".")


def _wanted(root: Path, paths: Sequence[Path]) -> tuple[set[str], list[str]]:
    """The sheets and folders asked for, relative to the repository (others are ignored)."""
    files: set[str] = set()
    folders: list[str] = []
    for given in paths:
        try:
            rel = given.resolve().relative_to(root).as_posix()
        except ValueError:
            continue
        if rel.endswith(YAML_SUFFIXES):
            files.add(rel)
        else:
            folders.append("" if rel == "." else rel)
    return files, folders


def _log_following(root: Path, prefix: str, files: set[str], folders: Sequence[str], rev: str
                   ) -> tuple[list[git.RawCommit], set[str]]:
    """The log of a few sheets, following their renames (what the pre-commit hook reads).

    A log limited to some paths cannot see where a file came from: rename
    detection needs both names. So: log the sheets; ask the commits that added
    one of them (one process) whether it was a rename; if so, log again with
    the old names too. Two git processes when nothing was renamed (one when
    none of the sheets was added in the range read, as in a bounded read, or only
    by a root commit).
    """
    wanted = set(files)
    if not wanted and not folders:
        return [], wanted
    asked: set[str] = set()
    while True:
        commits = git.log_raw(root, sorted(wanted) + [f or "." for f in folders], rev=rev)
        # a root commit renamed nothing (the first commit of the history adds them all)
        added = {c.sha for c in commits if c.parents for ch in c.changes
                 if ch.status == "A" and ch.new_path in wanted} - asked
        if not added:
            return commits, wanted
        asked |= added
        renamed = {ch.old_path for c in git.log_commits(root, sorted(added), [prefix or "."])
                   for ch in c.changes if ch.status[0] == "R" and ch.new_path in wanted}
        if not renamed - wanted:
            return commits, wanted
        wanted |= renamed


def _log_kept(config: Config, root: Path, prefix: str, files: set[str], folders: Sequence[str],
              rev: str, head: str | None) -> tuple[list[git.RawCommit], set[str]]:
    """`_log_following`, remembered by HEAD under the git directory (the hook reads its
    sheets' log on each commit: then only the commits since are read, see
    git.log_following_memo). Sheets only, at HEAD, with the disk cache on."""
    memo = parse_cache.logs_file(config.okrs_dir) if head is not None and not folders else None
    if memo is None or head is None:
        return _log_following(root, prefix, files, folders, rev)
    start = rev.partition("..")[0] if ".." in rev else ""
    key = "\0".join((prefix, start, *sorted(files)))
    return git.log_following_memo(root, memo, key, head,
                                  lambda: _log_following(root, prefix, files, folders, rev))


def _warning(en: str, zh: str) -> dict[str, str]:
    return {"en": en, "zh-TW": zh}


@dataclass(frozen=True, slots=True)
class Repository:
    """The git work tree holding the OKR folder."""

    root: Path  # resolved
    prefix: str  # the OKR folder's path in it, "" when it is the top


class NotARepository(FatalError):
    """The OKR folder is in no git work tree; `reason` is git's (or "git is not installed")."""

    def __init__(self, reason: str) -> None:
        super().__init__(f"not a git repository ({reason})",
                         zh=f"不是 git 儲存庫({reason})")
        self.reason = reason


def locate(config: Config) -> Repository:
    """The repository of the OKR folder (one `git rev-parse`).

    NotARepository outside one; FatalError when the folder lies outside the
    work tree found (a symbolic link out of it).
    """
    return _locate(config)[0]


def _locate(config: Config) -> tuple[Repository, git.RepoProbe]:
    """`locate`, with what its one git process also said: HEAD and whether it is shallow
    (true of this moment only: a read that locates the repository itself uses them)."""
    okrs_dir = config.okrs_dir.resolve()
    found = git.probe(okrs_dir if okrs_dir.exists() else config.root)
    if found.root is None:
        raise NotARepository(found.reason)
    root = found.root.resolve()
    try:
        prefix = okrs_dir.relative_to(root).as_posix()
    except ValueError as err:
        raise FatalError(f"{okrs_dir} is outside the git repository at {root}",
                         zh=f"{okrs_dir} 不在 {root} 的 git 儲存庫中") from err
    return Repository(root, "" if prefix == "." else prefix), found


def read_history(config: Config, paths: Sequence[Path] | None = None, *,
                 rev: str = "HEAD", since: dt.date | None = None,
                 repo: Repository | None = None,
                 parsed: Callable[[], None] | None = None, ask_dirty: bool = True) -> History:
    """The history of the OKR tree (or of the sheets in `paths`) up to `rev`, in one pass.

    `since`: the caller judges nothing before this date but each KR's state
    then (the history rules: a cycle's start). The read is then bounded: see
    "Bounded reads" above; `History.since` says whether it was. `repo`: the
    caller's `locate(config)`, when it has one. `parsed`: called once the versions
    are parsed and the documents of those still shown are in the parse cache, before
    the walk, when the read parses (the linter loads the tree then, and starts the rules
    that read no history beside the walk); not called when a kept walk is the answer.
    `ask_dirty`: False when the caller never reads `History.dirty` (the linter: its rules
    do not), so no `git status` runs for it and `dirty` is False.

    Never raises for a folder outside git, a repository without commits, a
    shallow clone or a detached HEAD: `available` is False, or `shallow` is
    True, with a one-line warning.
    """
    probed = None
    try:
        if repo is None:
            repo, probed = _locate(config)
    except NotARepository as err:
        if "not installed" in err.reason:
            return empty_history("git is not installed: no history (check-ins, staleness, "
                                 "goal posts)",
                                 "未安裝 git:沒有歷史紀錄(進度更新、停滯與目標調整無法判斷)")
        if "dubious ownership" in err.reason or "safe.directory" in err.reason:
            return empty_history(f"git refuses this repository ({err.reason}): add it to "
                                 "safe.directory to read the history",
                                 f"git 拒絕讀取此儲存庫({err.reason}):"
                                 "請將其加入 safe.directory 才能讀取歷史")
        okrs_dir = config.display_path(config.okrs_dir.resolve())
        return empty_history(f"{okrs_dir} is not in a git repository: "
                             "no history (check-ins, staleness, goal posts)",
                             f"{okrs_dir} 不在 git 儲存庫中:"
                             "沒有歷史紀錄(進度更新、停滯與目標調整無法判斷)")
    except FatalError as err:  # the OKR folder outside the work tree found
        return empty_history(f"{err}: no history", f"{err.zh}:沒有歷史紀錄")
    # hundreds of thousands of small acyclic values: the cyclic collector would walk
    # them again and again (a third of the time) and never find a cycle to free
    collecting = gc.isenabled()
    gc.disable()
    # only the whole tree's readers show `dirty` (see `_read`'s end): asked now, answered
    # while the log is read (`git status` on another core)
    dirty = git.is_dirty_later(repo.root, repo.prefix or ".") \
        if paths is None and ask_dirty else None
    try:
        return _read(config, repo, paths, rev, since, probed, dirty, parsed)
    except FatalError as err:
        return empty_history(f"cannot read the git history: {err}",
                             f"無法讀取 git 歷史:{err}")
    finally:
        if dirty is not None:
            dirty()  # its process reaped whatever happened (the answer is kept)
        if collecting:
            gc.enable()


def _boundary(root: Path, head: str, since: dt.date) -> git.RawCommit | None:
    """Where a read bounded at `since` starts (see "Bounded reads"); None: read it all.
    Remembered under the git directory (beside the parse cache, and off with it)."""
    before = dt.datetime.combine(since - BOUND_MARGIN, dt.time(), dt.timezone.utc)
    memo = parse_cache.boundaries_file(root)
    if memo is None:
        return git.first_parent_before(root, head, before.isoformat(), slop=BOUND_SLOP)
    return git.first_parent_before_memo(root, head, before.isoformat(), memo, slop=BOUND_SLOP)


def _read(config: Config, repo: Repository, paths: Sequence[Path] | None,
          rev: str, since: dt.date | None = None, probed: git.RepoProbe | None = None,
          dirty: Callable[[], bool] | None = None, parsed: Callable[[], None] | None = None
          ) -> History:
    root, prefix = repo.root, repo.prefix
    # `probed`: the locating process said already (HEAD, shallow): two processes fewer
    head = probed.head if probed is not None and rev == "HEAD" else git.rev_parse(root, rev)
    if head is None:
        if rev == "HEAD":
            return empty_history("the repository has no commits yet: no history",
                                 "儲存庫還沒有任何 commit:沒有歷史紀錄")
        raise FatalError(f"unknown revision {rev!r}", zh=f"未知的版本 {rev!r}")
    shallow = probed.shallow if probed is not None else git.is_shallow(root)
    # a whole read goes on from a walk kept by an earlier one (okrkit.history_store): at
    # this very commit, nothing is left to read
    whole = paths is None and since is None and not shallow
    parser = _Parser(config.max_file_bytes)
    if whole:
        from okrkit import history_store

        stored = _walk_from(history_store.load(config, prefix, head), parser)
        if stored is not None:
            return _finished(config, stored[0], [], shallow=False, since=None,
                             dirty=dirty is not None and dirty())
    # a shallow clone holds little history, and its warning names where it starts
    boundary = _boundary(root, head, since) if since is not None and not shallow else None
    log_rev = rev if boundary is None else f"{boundary.sha}..{head}"
    idle = boundary is not None and boundary.sha == head  # nothing committed since
    keep = None
    resumed: tuple[_Walk, dict[str, str]] | None = None  # a kept walk gone on from
    if paths is None:
        specs = [prefix or "."]
        if whole:  # ... at an earlier one, only the commits after those it walked
            found = history_store.resume(config, root, prefix, head, specs)
            resumed = _walk_from(found[0], parser) if found is not None else None
            if found is not None and resumed is not None:
                raw_commits = found[2]
                shas = [*found[1], *(c.sha for c in raw_commits)]
        if resumed is None:
            raw_commits = [] if idle else git.log_raw(root, specs, rev=log_rev)
            shas = [c.sha for c in raw_commits]
    else:
        files, folders = _wanted(root, paths)
        raw_commits = []
        if not idle:
            raw_commits, files = _log_kept(config, root, prefix, files, folders, log_rev,
                                           # a shallow clone's log grows at one HEAD
                                           head if rev == "HEAD" and not shallow else None)
        keep = (files, tuple(f"{f}/" for f in folders))
        specs = sorted(files) + [f or "." for f in folders]
    warnings: list[dict[str, str]] = []
    if shallow:
        grafts = git.shallow_commits(root)
        first = next((c for c in raw_commits if c.sha in grafts),
                     raw_commits[0] if raw_commits else None)
        starts = f" at {first.date[:10]} ({first.sha[:7]})" if first is not None else ""
        starts_zh = f"只到 {first.date[:10]}({first.sha[:7]})" if first is not None else ""
        warnings.append(_warning(
            f"shallow clone: the history starts{starts}; fetch all of it "
            "(`git fetch --unshallow`, or `fetch-depth: 0` in actions/checkout)",
            f"淺層複製(shallow clone):歷史紀錄{starts_zh or '不完整'};請取得完整歷史"
            "(`git fetch --unshallow`,或在 actions/checkout 設定 `fetch-depth: 0`)"))
    judged: dict[str, bool] = {}  # a few hundred paths, named thousands of times

    def relevant(path: str) -> bool:
        found = judged.get(path)
        if found is None:
            found = judged[path] = _is_sheet(path, prefix) and (
                keep is None or path in keep[0] or path.startswith(keep[1]))
        return found

    plan: list[tuple[git.RawCommit, list[git.RawChange]]] = []
    order: list[str] = []
    seen: set[str] = set()
    seeds: list[git.RawChange] = []  # the sheets at the boundary of a bounded read
    if boundary is not None and specs:
        seeds = [git.RawChange("A", (git.NULL_SHA,), e.sha, e.path, e.path)
                 for e in git.ls_tree(root, boundary.sha, *specs)
                 if e.kind == "blob" and relevant(e.path)]
        plan.append((boundary, seeds))
        for change in seeds:
            if change.new_sha not in seen:
                seen.add(change.new_sha)
                order.append(change.new_sha)
    for raw in raw_commits:
        changes = [c for c in (_as_sheet_change(c, relevant) for c in raw.changes) if c]
        if not changes:
            continue
        plan.append((raw, changes))
        for change in changes:
            for sha in (*change.old_shas, change.new_sha):
                if sha != git.NULL_SHA and sha not in seen:
                    seen.add(sha)
                    order.append(sha)

    walk = resumed[0] if resumed is not None else _Walk(parser)
    parses = parse_cache.for_path(config.okrs_dir)
    many = len(order) >= _CACHED_SNAPSHOTS_FROM
    if many:
        kept = parses.snapshots()
        memo: dict[int, Any] = {}
        for sha in order:
            packed = kept.get(sha)
            if packed is not None:
                parser.snaps[sha] = parser.unpack(packed, memo)
    handed = _parse_versions(root, parser, plan,
                             sum(1 for sha in order if sha not in parser.snaps))
    _hand_documents(parses, parser, handed)
    if parsed is not None:
        parsed()
    for raw, changes in plan:
        commit = _commit(raw)
        if changes is seeds:
            if not walk.seed(commit, changes):
                # a sheet that did not parse at the boundary: its KRs' history before
                # it is unknown here, so read all of it
                return _read(config, repo, paths, rev, probed=probed, dirty=dirty)
        else:
            walk.commit(commit, changes)
    keep_walk = None
    if whole:
        shown = _shown(resumed[1] if resumed is not None else {}, plan)

        def keep_walk() -> None:
            try:
                value = _walk_state(walk, shown)
            except ValueError:  # a value marshal cannot write: not kept
                return
            history_store.keep(config, prefix, head, shas, value)

    # what the whole log names is what stays reachable (a resumed walk saw only its end)
    _keep_parses(parses, parser, snapshots=many, handed=handed, also=keep_walk,
                 reachable=seen if keep is None and boundary is None and resumed is None
                 else None)
    return _finished(config, walk, warnings, shallow=shallow,
                     since=since if boundary is not None else None,
                     # a bounded read serves the history rules, which never look at it,
                     # and so does a read of some sheets (the hook, `okr diff`): only the
                     # whole tree's readers (the site, `okr log`) show it
                     dirty=boundary is None and dirty is not None and dirty())


def _shown(start: Mapping[str, str], plan: Plan) -> dict[str, str]:
    """Which blob each sheet path shows after the plan's changes (from `start`)."""
    shown = dict(start)
    for _, changes in plan:
        for change in changes:
            shown.pop(change.old_path, None)
            shown.pop(change.new_path, None)
            if change.new_sha != git.NULL_SHA:
                shown[change.new_path] = change.new_sha
    return shown


def _finished(config: Config, walk: _Walk, warnings: list[dict[str, str]], *, shallow: bool,
              since: dt.date | None, dirty: bool) -> History:
    """The history a walk found (`warnings`: the read's own, before any of the walk's)."""
    timelines, aliases, revisions = walk.finish()
    for event in walk.events:
        if event.kind == "parse-error":
            finding: Finding = event.detail["finding"]
            warnings.append(_warning(
                f"{event.path} did not parse at {event.commit.short}: that version is skipped "
                f"({finding.code})",
                f"{event.path} 在 {event.commit.short} 的版本無法解析,已略過({finding.code})"))
            break  # one line is enough: the events list every one
    return History(
        available=True, shallow=shallow, warnings=tuple(warnings), dirty=dirty, since=since,
        _timelines=timelines, _events=_newest_first(walk.events),
        _aliases=aliases, _revisions=revisions, _calendar=config.calendar)


# a read of fewer versions parses them rather than reading every kept snapshot (the
# hook's bounded read of one sheet: a few dozen, mostly patches)
_CACHED_SNAPSHOTS_FROM = 64


def _hand_documents(parses: parse_cache.ParseCache, parser: _Parser,
                    handed: _Share | None) -> None:
    """Give the parse cache the document of each version still shown, as soon as they are
    parsed (the tree loader's next file is likely one of them: the work tree as
    committed). `handed`: what the second process parsed, its documents marshalled."""
    for sha, parsed in parser.parsed.items():
        parses.keep_document(sha, "okr", parsed.doc)
    if handed is not None:
        for sha, payload in handed.docs.items():
            parses.keep_payload(sha, "okr", payload)


def _keep_parses(parses: parse_cache.ParseCache, parser: _Parser, *, snapshots: bool,
                 reachable: set[str] | None, handed: _Share | None = None,
                 also: Callable[[], None] | None = None) -> None:
    """Write this read's parses into the parse cache: the snapshot of each version parsed
    (when the read was one that reads them back: a small read neither reads nor writes
    the packs), and the documents `_hand_documents` gave it. `handed`: what the second
    process parsed, its snapshots already packed. `also`: more to write with them (the
    walk, okrkit.history_store)."""

    def write() -> None:
        if snapshots and parses.folder is not None:  # without the disk layer none is read
            memo: dict[int, Any] = {}
            packed = {sha: parser.pack(snap, memo) for sha in parser.fresh
                      if isinstance(snap := parser.snaps.get(sha), _SheetSnap)}
            if handed is not None:
                packed.update({sha: handed.snaps[sha] for sha in handed.fresh
                               if isinstance(handed.snaps.get(sha), tuple)})
            parses.keep_snapshots(packed)
        parses.save(reachable=reachable)
        if also is not None:
            also()

    # a read that parsed in two processes wrote thousands of versions: a forked writer
    # packs and writes them while this process goes on (the tree, the rules)
    if handed is None or parses.folder is None or \
            not parse_cache.in_background(write, parses.folder):
        write()
    else:
        parses.settle()


# -- the versions' parse, on one core or two --------------------------------------------

# a whole read parses thousands of versions: from this many, half of them are parsed in a
# forked second process while this one parses the other half (see `_parse_versions`)
_FORK_FROM = 1500
# "0": one process always (debugging, benchmarks); "1": two whenever possible (tests)
FORK_ENV = "OKRKIT_HISTORY_FORK"


Plan = Sequence[tuple[git.RawCommit, Sequence[git.RawChange]]]


@dataclass(slots=True)
class _Share:
    """What the second process parsed: snapshots packed (`_Parser.pack`) or the finding
    that stopped the version, the blobs it parsed itself, the documents still shown."""

    snaps: dict[str, Any]
    fresh: list[str]
    docs: dict[str, bytes]


def _parse_versions(root: Path, parser: _Parser, plan: Plan, count: int) -> _Share | None:
    """Parse every version the plan names that `parser` does not hold yet, each new one
    patched from the one before it at its path when it can be (`_Parser.parse`).

    On Linux, with `count` (the versions to parse) at least `_FORK_FROM` and no other
    thread running, the sheets are split in two by path (a renamed sheet's paths on one
    side) and a forked process parses one half, with its own `git cat-file`, while this
    one parses the other; it hands its results back through a pipe (pickle: snapshots as
    the parse cache packs them, findings, documents marshalled). Each version's snapshot
    or finding is the same whichever process parsed it, so the walk and every finding
    are too. The child is always waited for; when it fails in any way (killed, an error,
    a short read) this process parses its half itself, so errors surface as they would
    in one process. Returns the child's share, unpacked into `parser` already; None when
    one process did it all.
    """
    forced = os.environ.get(FORK_ENV) == "1"
    if (count < _FORK_FROM and not (forced and count)) or not forked.can_fork(FORK_ENV):
        _parse_side(root, parser, plan, None)
        return None
    side = _halves(plan)
    import pickle  # only here: the hook never forks

    schema._fast_validator("okr")  # compiled (and kept on disk) once, not by both
    before = set(parser.snaps)

    def parse_theirs(out: BinaryIO) -> None:  # in the child: its half, down the pipe
        fresh_from = len(parser.fresh)
        _parse_side(root, parser, plan, lambda change: side[change.new_path])
        packs: dict[int, Any] = {}
        mine = _Share(
            {sha: snap if isinstance(snap, Finding) else parser.pack(snap, packs)
             for sha, snap in parser.snaps.items() if sha not in before},
            parser.fresh[fresh_from:],
            {sha: parse_cache.document_payload(parsed.doc)
             for sha, parsed in parser.parsed.items()})
        pickle.dump(mine, out, protocol=pickle.HIGHEST_PROTOCOL)

    child = forked.Child.start(parse_theirs)
    if child is None:
        _parse_side(root, parser, plan, None)
        return None
    try:
        _parse_side(root, parser, plan, lambda change: not side[change.new_path])
    except BaseException:
        child.stop()
        raise
    data = child.result()
    share: _Share | None = None
    if data:
        try:
            share = pickle.loads(data)
        except Exception:  # a short or damaged hand-over: parse that half here
            share = None
    if not isinstance(share, _Share):
        _parse_side(root, parser, plan, lambda change: side[change.new_path])
        return None
    memo: dict[int, Any] = {}
    for sha, snap in share.snaps.items():
        if sha not in parser.snaps:  # a blob both halves hold: this process's parse stays
            parser.snaps[sha] = snap if isinstance(snap, Finding) else parser.unpack(snap, memo)
    return share


def _halves(plan: Plan) -> dict[str, bool]:
    """Each path → whether the second process parses its versions: whole lineages (a
    renamed sheet's old and new paths) on one side, the sides about as heavy, each side
    a run of neighbouring paths (the first cycles' sheets, then the last ones'). git packs
    a version as a delta of versions of its neighbours (one cycle's sheets share a
    template), so each side's `git cat-file` unpacks mostly its own side's versions: with
    paths dealt out one by one, each unpacked nearly the whole history (twice git's time)."""
    lineage: dict[str, str] = {}
    weight: Counter[str] = Counter()
    for _, changes in plan:
        for change in changes:
            root_path = lineage.get(change.old_path, change.new_path) \
                if change.old_path != change.new_path else change.new_path
            root_path = lineage.setdefault(change.new_path, root_path)
            weight[root_path] += 1 + len(change.old_shas)
    total = sum(weight.values())
    before = 0  # the weight of the paths before this one
    chosen: dict[str, bool] = {}
    for root_path in sorted(weight):
        count = weight[root_path]
        # a lineage on the side where more of its weight falls: the cut is within one
        # lineage's weight of the middle
        chosen[root_path] = (before + count / 2) * 2 > total
        before += count
    return {path: chosen[root_path] for path, root_path in lineage.items()}


def _parse_side(root: Path, parser: _Parser, plan: Plan,
                mine: Callable[[git.RawChange], bool] | None) -> None:
    """Parse the versions of the changes `mine` selects (all: None), in the plan's order,
    with one `git cat-file --batch`; only the patch bases still shown stay parsed."""
    order: list[str] = []
    seen = set(parser.snaps)
    for _, changes in plan:
        for change in changes:
            if mine is None or mine(change):
                for sha in (*change.old_shas, change.new_sha):
                    if sha != git.NULL_SHA and sha not in seen:
                        seen.add(sha)
                        order.append(sha)
    blobs = git.cat_blobs(root, order)
    live = _Live()  # path → the blob it shows now: the patch bases to keep
    try:
        for _, changes in plan:
            picked = [c for c in changes if mine is None or mine(c)]
            for change in picked:
                base = change.old_shas[0] if change.old_shas[0] != git.NULL_SHA else None
                for sha, path in [*((s, change.old_path) for s in change.old_shas),
                                  (change.new_sha, change.new_path)]:
                    if sha == git.NULL_SHA or sha in parser.snaps:
                        continue
                    _pull(blobs, parser, sha, path, base if sha == change.new_sha else None)
            for change in picked:
                live.update(parser, change)
    finally:
        blobs.close()


def _as_sheet_change(change: git.RawChange, relevant: Callable[[str], bool]
                     ) -> git.RawChange | None:
    """The change as the OKR tree sees it: a sheet moved out of `<okrs>/<cycle>/` is
    removed, one moved in is added; None when neither side is a sheet we read."""
    old_in, new_in = relevant(change.old_path), relevant(change.new_path)
    if new_in and (old_in or len(change.old_shas) > 1):
        return change
    if new_in:
        return git.RawChange("A", (git.NULL_SHA,), change.new_sha, change.new_path,
                             change.new_path)
    if old_in and len(change.old_shas) == 1 and change.old_shas[0] != git.NULL_SHA:
        return git.RawChange("D", change.old_shas, git.NULL_SHA, change.old_path,
                             change.old_path)
    return None


def _newest_first(events: Sequence[SheetEvent]) -> tuple[SheetEvent, ...]:
    """Commits newest first; one commit's events in the order found (sheet, objectives, KRs)."""
    groups: list[list[SheetEvent]] = []
    for event in events:
        if groups and groups[-1][0].commit.sha == event.commit.sha:
            groups[-1].append(event)
        else:
            groups.append([event])
    return tuple(e for group in reversed(groups) for e in group)


def _pull(blobs: Iterator[tuple[str, bytes | None]], parser: _Parser, sha: str, path: str,
          base: str | None) -> None:
    """Read blobs from the stream until `sha` is parsed (they arrive in the order asked)."""
    for got, data in blobs:
        if data is None:
            parser.snaps[got] = _missing(path, got)
        else:
            parser.parse(got, data, path, base if got == sha else None)
        if got == sha:
            return
    parser.snaps[sha] = _missing(path, sha)


def _missing(path: str, sha: str) -> Finding:
    from okrkit import problems

    return problems.ENCODING.finding(Pos(path), "unreadable",
                                     error=f"blob {sha[:7]} is missing from the repository")


class _Live:
    """Which blob each path shows now: only those stay parsed, as the next patch bases."""

    def __init__(self) -> None:
        self.by_path: dict[str, str] = {}
        self.count: Counter[str] = Counter()

    def update(self, parser: _Parser, change: git.RawChange) -> None:
        for path in {change.old_path, change.new_path}:
            before = self.by_path.pop(path, None)
            if before is not None:
                self.count[before] -= 1
        if change.new_sha != git.NULL_SHA:
            self.by_path[change.new_path] = change.new_sha
            self.count[change.new_sha] += 1
        for sha in change.old_shas:
            if self.count[sha] <= 0:
                parser.release(sha)


# -- a walk as plain values (kept by okrkit.history_store) ------------------------------

_WALK_FORMAT = 1  # bump when the shape below changes
_FINDING = "\0finding"  # marks an event's finding among plain detail values


def _walk_state(walk: _Walk, shown: Mapping[str, str]) -> Any:
    """A walk's state, and which blob each sheet path shows at its end, as values
    `marshal` writes; each commit once. ValueError when some value is not one of those."""
    commits: list[tuple[Any, ...]] = []
    index: dict[str, int] = {}

    def commit_of(c: Commit) -> int:
        at = index.get(c.sha)
        if at is None:
            at = index[c.sha] = len(commits)
            commits.append((c.sha, c.author, c.email, c.date.isoformat(), c.subject,
                            dict(c.trailers)))
        return at

    state = _state_tuple  # one C call a point: this loops over every point of every KR
    points = {identity: [(seq, commit_of(p.commit), state(p.state), p.changed)
                         for seq, p in found]
              for identity, found in walk.points.items()}
    events = [(commit_of(e.commit), e.kind, e.ref, e.path,
               {k: _plain(v) for k, v in e.detail.items()}) for e in walk.events]
    memo: dict[int, Any] = {}
    last_good = {path: walk.parser.pack(snap, memo) for path, snap in walk.last_good.items()}
    value = (_WALK_FORMAT, commits, dict(walk.ident), dict(walk.ref_of), points, walk.seq,
             dict(walk.aliases), events, last_good, dict(shown))
    marshal.dumps(value)  # ValueError now rather than when written
    return value


def _walk_from(value: Any, parser: _Parser) -> tuple[_Walk, dict[str, str]] | None:
    """`_walk_state` undone, the walk going on with `parser`; None when the values are not
    what it gives (another format, or damaged: the read then walks it all)."""
    try:
        (form, commits, ident, ref_of, points, seq, aliases, events, last_good,
         shown) = value
        if form != _WALK_FORMAT:
            return None
        made = [Commit(sha, author, email, dt.datetime.fromisoformat(date), subject, trailers)
                for sha, author, email, date, subject, trailers in commits]
        walk = _Walk(parser)
        walk.ident = ident
        walk.ref_of = ref_of
        walk.points = {identity: [(n, TimelinePoint(made[c], KrState(*state), changed))
                                  for n, c, state, changed in found]
                       for identity, found in points.items()}
        walk.seq = seq
        walk.aliases = aliases
        walk.events = [SheetEvent(made[c], kind, ref, path,
                                  {k: _unplain(v) for k, v in detail.items()})
                       for c, kind, ref, path, detail in events]
        memo: dict[int, Any] = {}
        walk.last_good = {path: parser.unpack(packed, memo)
                          for path, packed in last_good.items()}
    except (TypeError, ValueError, KeyError, IndexError):
        return None
    return walk, shown


def _plain(value: Any) -> Any:
    if isinstance(value, Finding):
        return (_FINDING, value.pos.path, value.pos.line, value.pos.col, value.code,
                int(value.severity), dict(value.messages), dict(value.params))
    return value


def _unplain(value: Any) -> Any:
    if isinstance(value, tuple) and value and value[0] == _FINDING:
        _, path, line, col, code, severity, messages, params = value
        return Finding(Pos(path, line, col), code, Severity(severity), messages, params)
    return value


# -- a tree at a revision ---------------------------------------------------------------


def tree_at(config: Config, repo: Repository, rev: str) -> Tree:
    """The OKR tree as committed at `rev` (one `ls-tree`, one `cat-file --batch`), its
    paths relative to the repository. FatalError when `rev` names no commit."""
    root, prefix = repo.root, repo.prefix
    sha = git.rev_parse(root, rev)
    if sha is None:
        raise FatalError(f"unknown revision {rev!r}", zh=f"未知的版本 {rev!r}")
    entries = [e for e in git.ls_tree(root, sha, prefix or ".") if e.kind == "blob"]
    org_paths = {f"{prefix}/org{s}" if prefix else f"org{s}" for s in YAML_SUFFIXES}
    wanted = [e for e in entries if e.path in org_paths or _is_sheet(e.path, prefix)]
    contents = dict(git.cat_blobs(root, list({e.sha: e for e in wanted})))
    org = None
    sheets = []
    unloaded: dict[str, Finding] = {}
    for entry in wanted:
        raw = contents.get(entry.sha)
        if raw is None:
            continue
        kind = "org" if entry.path in org_paths else "okr"
        doc, findings = load_bytes(config, entry.path, raw, kind)
        if doc is None:
            errors = [f for f in findings if f.severity >= Severity.ERROR] or findings
            if kind == "okr" and errors:  # as load_tree keeps them
                unloaded[entry.path] = min(errors, key=Finding.sort_key)
        elif kind == "org":
            org = build.org_from(doc)
        else:
            sheets.append(build.sheet_from(doc))
    return Tree(config, org, tuple(sheets), frozenset(e.path for e in wanted),
                unloaded=dict(sorted(unloaded.items())))
