"""A whole history read, kept by the commits it walked (DESIGN "A parse cache").

A read of every sheet is a walk over the log, oldest commit first, and the
walk's state after commit N depends on the first N commits only. So the state
at the end of a whole read is kept in the parse cache's folder, named by
what shapes the read (okrkit's cache key: version, schemas, the parsing code;
the OKR folder's place in the repository; the size limit), by the commit it
was read at and by the list of commits it walked:

- the next read at the **same commit** (the same `okr lint` again,
  `mkdocs serve`, `okr status` after `okr lint`) finishes that state: no log
  is read at all;
- a read at a **later commit** reads the log as usual and, when its first N
  commits are exactly the ones a kept walk went through (same commits, same
  order: what `git log --date-order --reverse` gives, so nothing merged in
  between lands earlier), walks only the commits after them. Anything else
  (a rebase, an amend, a branch merged whose commits sort among the old
  ones) is a whole walk.

What depends on more than the commits is not kept: whether the work tree is
dirty is asked each time, and a shallow clone (whose log a fetch lengthens
at the same commit) is never kept. The newest `cache.MAX_RESULTS` walks are
kept. Stored as plain values (`marshal`, through the parse cache's checked,
atomic files): never code, so a planted file can at worst be ignored; a walk
holding a value `marshal` cannot write is simply not kept.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import marshal
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from okrkit import cache as parse_cache
from okrkit import git
from okrkit.findings import Finding, Pos, Severity
from okrkit.history import (
    Commit,
    KrState,
    SheetEvent,
    TimelinePoint,
    _Parser,
    _SheetSnap,
    _state_tuple,
    _Walk,
)

if TYPE_CHECKING:
    from okrkit.config import Config
    from okrkit.history import Repository

FORMAT = 1  # bump when the encoding below changes
_FINDING = "\0finding"  # marks an event's finding among plain detail values


@dataclass(slots=True)
class Kept:
    """A walk read back: its state, and which blob each sheet path showed at its end."""

    walk: _Walk
    live: dict[str, str]
    shas: list[str] = field(default_factory=list)  # the log commits it went through


def _prefix(config: Config, repo: Repository) -> str:
    digest = hashlib.blake2b(digest_size=8)
    digest.update(f"{FORMAT}\0{repo.prefix}\0{config.max_file_bytes}".encode())
    return f"walk-{digest.hexdigest()}-"


def _order(shas: Sequence[str]) -> str:
    return hashlib.blake2b("\n".join(shas).encode(), digest_size=8).hexdigest()


def name(config: Config, repo: Repository, head: str, shas: Sequence[str]) -> str:
    """`walk-<what shapes the read>-<head>-<commits walked>-<their order>`."""
    return f"{_prefix(config, repo)}{head}-{len(shas)}-{_order(shas)}"


def load(config: Config, repo: Repository, head: str, parser: _Parser) -> Kept | None:
    """The walk kept at `head` itself; None when there is none."""
    prefix = f"{_prefix(config, repo)}{head}-"
    parses = parse_cache.for_path(config.okrs_dir)
    for found in parses.result_names(prefix):
        kept = _read(parses, found, parser)
        if kept is not None:
            return kept
    return None


def resume(config: Config, repo: Repository, head: str, specs: Sequence[str],
           parser: _Parser) -> tuple[Kept | None, list[git.RawCommit]]:
    """The kept walk that went through the most of the commits the log of `head` lists
    first, in that order, and the log's commits after those (with their changes);
    None (and no commits) when no kept walk did, or the log of what is new does not
    list exactly the commits after them (then the whole log is read)."""
    parses = parse_cache.for_path(config.okrs_dir)
    prefix = _prefix(config, repo)
    names = parses.result_names(prefix)
    if not names:
        return None, []
    listing = git.log_shas(repo.root, specs, rev=head)  # the walk without its diffs: cheap
    best: tuple[int, str, str] | None = None
    for found in names:
        parts = found[len(prefix):].split("-")
        if len(parts) != 3 or not parts[1].isdigit():
            continue
        count = int(parts[1])
        if 0 < count <= len(listing) and _order(listing[:count]) == parts[2] \
                and (best is None or count > best[0]):
            best = (count, parts[0], found)
    if best is None:
        return None, []
    count, kept_head, found = best
    new = git.log_raw(repo.root, specs, rev=f"{kept_head}..{head}") \
        if count < len(listing) else []
    if [c.sha for c in new] != listing[count:]:
        return None, []
    kept = _read(parses, found, parser)
    if kept is None:
        return None, []
    kept.shas = listing[:count]
    return kept, new


def keep(config: Config, repo: Repository, head: str, shas: Sequence[str], walk: _Walk,
         live: dict[str, str]) -> None:
    """Keep the state of a whole walk over the log commits `shas`, read at `head`."""
    try:
        encoded = encode(walk, live)
    except ValueError:  # a value marshal cannot write: not kept
        return
    parse_cache.for_path(config.okrs_dir).keep_result(name(config, repo, head, shas), encoded)


def _read(parses: parse_cache.ParseCache, found: str, parser: _Parser) -> Kept | None:
    value = parses.result(found)
    if value is None:
        return None
    try:
        return decode(value, parser)
    except (TypeError, ValueError, KeyError, IndexError):  # written by other code: a miss
        return None


# -- plain values ----------------------------------------------------------------------


def encode(walk: _Walk, live: dict[str, str]) -> Any:
    """The walk's state as values `marshal` writes; each commit once. ValueError when
    some value is not one of those."""
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
    value = (FORMAT, commits, dict(walk.ident), dict(walk.ref_of), points, walk.seq,
             dict(walk.aliases), events, last_good, dict(live))
    marshal.dumps(value)  # ValueError now rather than when written
    return value


def decode(value: Any, parser: _Parser) -> Kept:
    (form, commits, ident, ref_of, points, seq, aliases, events, last_good,
     live) = value
    if form != FORMAT:
        raise ValueError("another format")
    made = [Commit(sha, author, email, dt.datetime.fromisoformat(date), subject, trailers)
            for sha, author, email, date, subject, trailers in commits]
    walk = _Walk(parser)
    walk.ident = ident
    walk.ref_of = ref_of
    walk.points = {identity: [(s, TimelinePoint(made[c], KrState(*state), changed))
                              for s, c, state, changed in found]
                   for identity, found in points.items()}
    walk.seq = seq
    walk.aliases = aliases
    walk.events = [SheetEvent(made[c], kind, ref, path,
                              {k: _unplain(v) for k, v in detail.items()})
                   for c, kind, ref, path, detail in events]
    memo: dict[int, Any] = {}
    walk.last_good = {path: parser.unpack(packed, memo) for path, packed in last_good.items()}
    if not all(isinstance(s, _SheetSnap) for s in walk.last_good.values()):
        raise ValueError("not snapshots")
    return Kept(walk, live)




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
