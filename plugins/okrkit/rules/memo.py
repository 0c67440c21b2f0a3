"""Hits of the rules that read only their sheet (and the org), kept across runs.

Most rules judge a sheet by its own text (`READS = ("sheet",)`: OKR101's
vague words, OKR201's measurability, ...) or by it and the org's strategy
(`("sheet", "org")`: OKR402). Their hits are a function of the sheet's path
and bytes, the org's bytes, the rule's options and okrkit's code; so a
whole-tree lint keeps them, by those, in the parse cache's folder
(`okrkit.cache`, one result file), and the next run checks only the sheets
whose bytes changed. Rules that read the tree, the date or the history always
run. Stored as plain values (`marshal`) under a key of okrkit's cache key, the
rules' code and their options; a hit whose values `marshal` cannot write is
not kept (that sheet's rule runs again next time).
"""

from __future__ import annotations

import hashlib
import json
import marshal
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from okrkit import cache
from okrkit.findings import Pos, Severity
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


class HitMemo:
    """The kept hits of one run's memoisable rules."""

    def __init__(self, tree: Tree, rules: Sequence[Rule],
                 options: Mapping[str, Mapping[str, Any]]) -> None:
        self.parses = cache.for_path(tree.config.okrs_dir)
        self.name = f"{NAME}-{_code_key(rules, options)}"
        found = self.parses.result(self.name)
        self.kept: dict[str, list[Kept]] = found if isinstance(found, dict) else {}
        self.used: dict[str, list[Kept]] = {}
        self.digests = tree.digests
        # the org as loaded (what a rule reading it sees), not its file's bytes
        self.org = b"" if tree.org is None else hashlib.blake2b(
            marshal.dumps(tree.org.src.doc.data), digest_size=16).digest()

    @classmethod
    def for_run(cls, tree: Tree, rules: Sequence[Rule], sheets: Sequence[Sheet],
                options: Mapping[str, Mapping[str, Any]]) -> HitMemo | None:
        """A memo for a run over `sheets`; None when there is nothing to keep or too few."""
        chosen = [r for r in rules if r.reads and r.scope == "sheet"]
        if not chosen or len(sheets) < MEMO_FROM:
            return None
        return cls(tree, chosen, options)

    def _key(self, rule: Rule, sheet: Sheet) -> str | None:
        digest = self.digests.get(sheet.path)
        if digest is None:
            return None
        org = self.org.hex() if "org" in rule.reads else ""
        return f"{rule.code}\0{sheet.path}\0{digest.hex()}\0{org}"

    def hits(self, rule: Rule, sheet: Sheet) -> list[Hit] | None:
        """The hits kept for this rule on this very sheet; None when none are."""
        if not rule.reads or rule.scope != "sheet":
            return None
        key = self._key(rule, sheet)
        found = self.kept.get(key) if key is not None else None
        if found is None:
            return None
        self.used[key] = found  # type: ignore[index]
        return [Hit(Pos(sheet.path, line, col), params, variant,
                    Severity(level) if level else None)
                for line, col, params, variant, level in found]

    def keep(self, rule: Rule, sheet: Sheet, hits: Sequence[Hit]) -> None:
        key = self._key(rule, sheet) if rule.reads and rule.scope == "sheet" else None
        if key is None or any(h.pos.path != sheet.path for h in hits):
            return
        kept = [(h.pos.line, h.pos.col, dict(h.params), h.variant,
                 int(h.severity) if h.severity is not None else 0) for h in hits]
        try:
            marshal.dumps(kept)
        except ValueError:  # a value marshal cannot write: run it again next time
            return
        self.used[key] = kept

    def save(self) -> None:
        """Keep this run's hits (and only those: a whole-tree run names every sheet)."""
        if self.used != self.kept:
            self.parses.keep_result(self.name, self.used)
