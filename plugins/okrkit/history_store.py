"""A whole history read, kept by the commit it was read at (DESIGN "A parse cache").

A history is a function of the commit it was read at: the same HEAD gives
the same timelines and events. So a whole read (every sheet, no `since`) is
kept in the parse cache's folder under a name derived from that commit,
okrkit's cache key (version, schemas, the parsing code), the OKR folder's
place in the repository and the size limit; the next run at the same commit
(the same `okr lint` again, `mkdocs serve`, `okr status` after `okr lint`)
takes it whole instead of walking the log. What depends on more than the
commit is not kept: whether the work tree is dirty is asked again each time,
and a shallow clone (whose history grows with a fetch at the same HEAD) is
never kept.

Stored as plain values (`marshal`, through the parse cache's checked and
atomic files): never code, so a file planted in the cache can at worst be
ignored. A history holding a value `marshal` cannot write is simply not kept.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import marshal
from typing import TYPE_CHECKING, Any

from okrkit import cache as parse_cache
from okrkit.findings import Finding, Pos, Severity
from okrkit.history import Commit, History, KrState, SheetEvent, TimelinePoint

if TYPE_CHECKING:
    from okrkit.config import Config
    from okrkit.history import Repository

FORMAT = 1  # bump when the encoding below changes
_FINDING = "\0finding"  # marks an event's finding among plain detail values


def name(config: Config, repo: Repository, head: str) -> str:
    """The stored read's file name: the commit, and what else shapes the read."""
    digest = hashlib.blake2b(digest_size=12)
    digest.update(f"{FORMAT}\0{head}\0{repo.prefix}\0{config.max_file_bytes}".encode())
    return f"history-{digest.hexdigest()}"


def load(config: Config, repo: Repository, head: str) -> History | None:
    """The history read at `head` by an earlier run; None when none was kept."""
    parses = parse_cache.for_path(config.okrs_dir)
    found = parses.result(name(config, repo, head))
    if found is None:
        return None
    try:
        return decode(found, config)
    except (TypeError, ValueError, KeyError, IndexError):  # written by other code: a miss
        return None


def keep(config: Config, repo: Repository, head: str, history: History) -> None:
    """Keep a whole read made at `head` (never a shallow clone's: see above)."""
    if history.shallow or history.since is not None or not history.available:
        return
    try:
        encoded = encode(history)
    except ValueError:  # a value marshal cannot write: not kept
        return
    parse_cache.for_path(config.okrs_dir).keep_result(name(config, repo, head), encoded)


# -- plain values ----------------------------------------------------------------------


def encode(history: History) -> Any:
    """The history as values `marshal` writes; each commit once. ValueError when some
    value is not one of those."""
    commits: list[tuple[Any, ...]] = []
    index: dict[str, int] = {}

    def commit_of(c: Commit) -> int:
        at = index.get(c.sha)
        if at is None:
            at = index[c.sha] = len(commits)
            commits.append((c.sha, c.author, c.email, c.date.isoformat(), c.subject,
                            dict(c.trailers)))
        return at

    timelines = {ref: tuple((commit_of(p.commit), _state(p.state), p.changed) for p in points)
                 for ref, points in history._timelines.items()}
    events = tuple((commit_of(e.commit), e.kind, e.ref, e.path,
                    {k: _plain(v) for k, v in e.detail.items()}) for e in history._events)
    value = (FORMAT, tuple(commits), timelines, events, dict(history._aliases),
             dict(history._revisions), tuple(dict(w) for w in history.warnings))
    marshal.dumps(value)  # ValueError now rather than when written
    return value


def decode(value: Any, config: Config) -> History:
    form, commits, timelines, events, aliases, revisions, warnings = value
    if form != FORMAT:
        raise ValueError("another format")
    made = [Commit(sha, author, email, dt.datetime.fromisoformat(date), subject, trailers)
            for sha, author, email, date, subject, trailers in commits]
    return History(
        available=True, warnings=tuple(warnings),
        _timelines={ref: tuple(TimelinePoint(made[c], KrState(*state), changed)
                               for c, state, changed in points)
                    for ref, points in timelines.items()},
        _events=tuple(SheetEvent(made[c], kind, ref, path,
                                 {k: _unplain(v) for k, v in detail.items()})
                      for c, kind, ref, path, detail in events),
        _aliases=aliases, _revisions=revisions, _calendar=config.calendar)


def _state(state: KrState) -> tuple[Any, ...]:
    return (state.title, state.current, state.confidence, state.target, state.baseline,
            state.due, state.owner, state.direction, state.unit)


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
