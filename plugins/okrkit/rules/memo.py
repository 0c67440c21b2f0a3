"""Hits of the rules that read only their sheet, the org, the cycles and the date, kept
across runs.

Most rules judge a sheet by its own text (`READS = ("sheet",)`: OKR101's
vague words, OKR201's measurability, ...), some by it and the org's strategy
(OKR401, OKR402), the cycles' dates and today's (OKR303, OKR501, OKR502).
Their hits are a function of the sheet's path and bytes, of what else they
read, of the rule's options and of okrkit's code; so a whole-tree lint keeps
them, by those, in the parse cache's folder (`okrkit.cache`, one result
file), and the next run checks only the sheets whose bytes changed (every
sheet again on a new day, for the rules that read the date). Rules that read
the history (OKR302, OKR503, OKR604) or the rest of the tree always run.
Stored as plain values (`marshal`) under a key of okrkit's cache key, the
rules' code and their options; a hit whose values `marshal` cannot write is
not kept (that sheet's rule runs again next time).

Under `mkdocs serve` the same memo keeps the hits in memory between rebuilds
(`KeptHits`, held by the site's build cache), with the history's key (its
HEAD) as one more keyed input: there the history rules' hits are kept too, and
nothing is read from or written to disk on a rebuild.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import marshal
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from okrkit import cache
from okrkit.findings import Finding, Pos, Severity
from okrkit.rules.base import Hit

if TYPE_CHECKING:
    from okrkit.model import Sheet
    from okrkit.rules import Rule
    from okrkit.tree import Tree

FORMAT = 1
NAME = "hits"
# fewer sheets than this (the hook's few) run their rules: reading the kept hits of a
# whole tree would cost more than it saves
MEMO_FROM = 64

Kept = tuple[int, int, dict[str, Any], str, int]  # line, col, params, variant, severity (0)
# what a kept hit may depend on: each is part of its key (the history only in memory,
# where the caller names it by a key of its own: `KeptHits.history`)
KEYED = frozenset(("sheet", "org", "cycles", "today"))
KEYED_WITH_HISTORY = KEYED | {"history"}


def _code_key(rules: Sequence[Rule], options: Mapping[str, Mapping[str, Any]]) -> str:
    """okrkit's cache key, the code of every rule module (and lexicon) and the options."""
    digest = hashlib.blake2b(cache.cache_key(), digest_size=10)
    digest.update(str(FORMAT).encode())
    here = Path(__file__).parent
    for path in sorted([*here.glob("*.py"), *here.glob("lexicons/*")]):
        try:
            stat = path.stat()
        except OSError:
            continue
        digest.update(f"{path.name}\0{stat.st_size}\0{stat.st_mtime_ns}\0".encode())
    for rule in rules:
        digest.update(rule.code.encode())
        digest.update(json.dumps(options[rule.code], sort_keys=True, default=repr).encode())
    return digest.hexdigest()


def keyed(rule: Rule, *, history: bool = False) -> bool:
    """Whether a rule's hits can be kept across runs (a sheet rule reading only `KEYED`;
    with `history`, when the history is keyed too, reading it as well)."""
    return rule.scope == "sheet" and bool(rule.reads) and \
        (KEYED_WITH_HISTORY if history else KEYED).issuperset(rule.reads)


class KeptHits:
    """Hits kept in memory across the runs of one process (`mkdocs serve`'s rebuilds): the
    table a `HitMemo` reads and leaves what its run used in. `history`: a key of the
    history the runs read (None: the history rules are not kept)."""

    def __init__(self) -> None:
        self.name: str | None = None  # the rules' code and options the table was kept under
        self.table: dict[Any, Sequence[Hit]] = {}  # by (code, sheet, inputs)
        # the same hits stamped as findings, with the severity configured for their rule
        self.stamped: dict[Any, tuple[Any, list[Finding]]] = {}
        self.history: str | None = None


class HitMemo:
    """The kept hits of one run's memoisable rules: on disk by default, in memory with
    `kept` (then as found, no conversion, and the history's key is one more input)."""

    def __init__(self, tree: Tree, rules: Sequence[Rule],
                 options: Mapping[str, Mapping[str, Any]], today: dt.date, *,
                 kept: KeptHits | None = None) -> None:
        self.name = f"{NAME}-{_code_key(rules, options)}"
        self.memory = kept
        self.kept: dict[Any, Any]
        if kept is None:
            self.parses = cache.for_path(tree.config.okrs_dir)
            found = self.parses.result(self.name)
            self.kept = found if isinstance(found, dict) else {}
        else:
            if kept.name != self.name:  # other code or options: nothing kept holds
                kept.name, kept.table, kept.stamped = self.name, {}, {}
            self.kept = kept.table
        self.used: dict[Any, Any] = {}
        # hits this run's forked rules found (`add`): read as kept ones, written as new
        self.added: dict[Any, Any] = {}
        self.stamped_used: dict[Any, tuple[Any, list[Finding]]] = {}
        self.history = kept is not None and kept.history is not None
        self.digests = tree.digests
        # the org as loaded (what a rule reading it sees), not its file's bytes
        org = b"" if tree.org is None else hashlib.blake2b(
            marshal.dumps(tree.org.src.doc.data), digest_size=16).digest()
        calendar = tree.config.calendar  # what `tree.cycle(...)` answers from
        cycles = repr((calendar.fiscal_year_start, sorted(calendar.custom.items())))
        self.parts = {"org": org.hex(), "today": today.isoformat(),
                      "cycles": hashlib.blake2b(cycles.encode(), digest_size=8).hexdigest()}
        if kept is not None and kept.history is not None:
            self.parts["history"] = kept.history
        self._rule_parts: dict[str, str | None] = {}  # a rule's code → its key's tail
        self._sheet_parts: dict[str, str] = {}  # a sheet's path → its key's middle

    @classmethod
    def for_run(cls, tree: Tree, rules: Sequence[Rule], sheets: Sequence[Sheet],
                options: Mapping[str, Mapping[str, Any]], today: dt.date, *,
                kept: KeptHits | None = None) -> HitMemo | None:
        """A memo for a run over `sheets`; None when there is nothing to keep or, on disk,
        too few sheets."""
        history = kept is not None and kept.history is not None
        chosen = [r for r in rules if keyed(r, history=history)]
        if not chosen or (kept is None and len(sheets) < MEMO_FROM):
            return None
        return cls(tree, chosen, options, today, kept=kept)

    def _key(self, rule: Rule, sheet: Sheet) -> Any:
        """A string on disk (marshal); in memory a tuple of strings, whose hash is made
        of theirs (kept) rather than of a new string's every character."""
        try:
            tail = self._rule_parts[rule.code]
        except KeyError:  # worked out once a rule, not once a sheet
            tail = self._rule_parts[rule.code] = "\0".join(
                self.parts[r] for r in rule.reads if r != "sheet") \
                if keyed(rule, history=self.history) else None
        if tail is None:
            return None
        head = self._sheet_parts.get(sheet.path)
        if head is None:  # once a sheet, not once a rule and sheet
            digest = self.digests.get(sheet.path)
            if digest is None:
                return None
            head = self._sheet_parts[sheet.path] = f"{sheet.path}\0{digest.hex()}"
        if self.memory is not None:
            return (rule.code, head, tail)
        return f"{rule.code}\0{head}\0{tail}"

    def hits(self, rule: Rule, sheet: Sheet) -> Sequence[Hit] | None:
        """The hits kept for this rule on this very sheet; None when none are."""
        key = self._key(rule, sheet)
        found = self.kept.get(key) if key is not None else None
        if found is None and self.added:
            found = self.added.get(key)
        if found is None:
            return None
        self.used[key] = found
        if self.memory is not None:  # kept as they were found
            return found
        return [Hit(Pos(sheet.path, line, col), params, variant,
                    Severity(level) if level else None)
                for line, col, params, variant, level in found]

    def missing(self, rule: Rule, sheet: Sheet) -> bool:
        """Whether this rule's hits on this sheet can be kept and none are (on disk)."""
        key = self._key(rule, sheet)
        return key is not None and key not in self.kept

    def add(self, found: Mapping[Any, Any]) -> None:
        """Hits another process of this run found and kept (its `used`: the linter forks
        the rules that read no history while it reads the history); each is read as a
        kept one is, so the findings are those of the rule run here."""
        self.added.update(found)

    def keep(self, rule: Rule, sheet: Sheet, hits: Sequence[Hit]) -> None:
        key = self._key(rule, sheet)
        if key is None or any(h.pos.path != sheet.path for h in hits):
            return
        if self.memory is not None:
            self.used[key] = tuple(hits)
            return
        kept = [(h.pos.line, h.pos.col, dict(h.params), h.variant,
                 int(h.severity) if h.severity is not None else 0) for h in hits]
        try:
            marshal.dumps(kept)
        except ValueError:  # a value marshal cannot write: run it again next time
            return
        self.used[key] = kept

    def stamped(self, rule: Rule, sheet: Any, level: Any,
                make: Callable[[], list[Finding]]) -> list[Finding]:
        """`make()`: this sheet's hits of this rule stamped as findings (at the severity
        `level` configured for the rule); in memory, kept with the hits they stamp."""
        key = self._key(rule, sheet) if self.memory is not None else None
        if key is None:
            return make()
        assert self.memory is not None
        found = self.memory.stamped.get(key)
        if found is None or found[0] != level:
            found = (level, make())
        self.stamped_used[key] = found
        return found[1]

    def save(self) -> None:
        """Keep this run's hits (and only those: a whole-tree run names every sheet)."""
        if self.memory is not None:
            self.memory.table = self.used
            self.memory.stamped = self.stamped_used
        elif self.used != self.kept:
            self.parses.keep_result(self.name, self.used)
