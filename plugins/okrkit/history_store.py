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
holding a value `marshal` cannot write is simply not kept. This module keeps and
finds them; the history turns a walk into those values and back
(`history._walk_state`, `history._walk_from`).
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from okrkit import cache as parse_cache
from okrkit import git

if TYPE_CHECKING:
    from pathlib import Path

    from okrkit.config import Config


def _prefix(config: Config, okrs: str) -> str:
    """`okrs`: the OKR folder's path in the repository ("" at its top)."""
    digest = hashlib.blake2b(digest_size=8)
    # the walk's own shape is checked by the history (`history._WALK_FORMAT`), and every
    # kept file by okrkit's cache key, which covers history.py's code
    digest.update(f"{okrs}\0{config.max_file_bytes}".encode())
    return f"walk-{digest.hexdigest()}-"


def _order(shas: Sequence[str]) -> str:
    return hashlib.blake2b("\n".join(shas).encode(), digest_size=8).hexdigest()


def name(config: Config, okrs: str, head: str, shas: Sequence[str]) -> str:
    """`walk-<what shapes the read>-<head>-<commits walked>-<their order>`."""
    return f"{_prefix(config, okrs)}{head}-{len(shas)}-{_order(shas)}"


def load(config: Config, okrs: str, head: str) -> Any:
    """The walk kept at `head` itself (as `history._walk_state` gave it); None when there
    is none."""
    parses = parse_cache.for_path(config.okrs_dir)
    for found in parses.result_names(f"{_prefix(config, okrs)}{head}-"):
        value = parses.result(found)
        if value is not None:
            return value
    return None


def resume(config: Config, root: Path, okrs: str, head: str, specs: Sequence[str]
           ) -> tuple[Any, list[str], list[git.RawCommit]] | None:
    """The kept walk that went through the most of the commits the log of `head` lists
    first, in that order; those commits; and the log's commits after them (with their
    changes). None when no kept walk did, or the log of what is new does not list
    exactly the commits after them (then the whole log is read)."""
    parses = parse_cache.for_path(config.okrs_dir)
    prefix = _prefix(config, okrs)
    names = parses.result_names(prefix)
    if not names:
        return None
    listing = git.log_shas(root, specs, rev=head)  # the walk without its diffs: cheap
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
        return None
    count, kept_head, found = best
    new = git.log_raw(root, specs, rev=f"{kept_head}..{head}") \
        if count < len(listing) else []
    if [c.sha for c in new] != listing[count:]:
        return None
    value = parses.result(found)
    if value is None:
        return None
    return value, listing[:count], new


def keep(config: Config, okrs: str, head: str, shas: Sequence[str], value: Any) -> None:
    """Keep the state of a whole walk over the log commits `shas`, read at `head` (values
    `marshal` writes: `history._walk_state`)."""
    parse_cache.for_path(config.okrs_dir).keep_result(name(config, okrs, head, shas), value)
