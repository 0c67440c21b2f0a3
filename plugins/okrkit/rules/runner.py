"""The lint run: load the tree, run the selected rules, stamp, filter, suppress.

Rules only yield `Hit`s (where, which message, its placeholders); this module
owns everything else, as yamllint's `linter.py` does: which rules run
(`select`/`ignore`, `severity: off`), their options, the severity of each
finding, `per_path_ignores`, inline suppressions (OKR901–903) and the two
languages of every message.
"""

from __future__ import annotations

import datetime as dt
import functools
import gc
import marshal
import os
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO

from okrkit import forked
from okrkit.config import Config
from okrkit.errors import FatalError
from okrkit.findings import Finding, Severity, render, root_relative, unique_sorted
from okrkit.rules import Rule, all_rules, base, suppress
from okrkit.rules.memo import HitMemo, KeptHits, keyed
from okrkit.rules.options import check_config
from okrkit.tree import Tree, load_tree

if TYPE_CHECKING:
    from okrkit.history import History
    from okrkit.model import Sheet


@dataclass(frozen=True, slots=True)
class LintResult:
    findings: tuple[Finding, ...]  # sorted by position
    tree: Tree
    rules: tuple[Rule, ...] = ()  # the rule checks that ran
    suppressed: tuple[tuple[Finding, str], ...] = ()  # silenced inline, with the reason
    # one-line notices for stderr, {"en": ..., "zh-TW": ...} (e.g. no git history)
    notes: tuple[Mapping[str, str], ...] = field(default=())


def failed(findings: Iterable[Finding], *, strict: bool = False) -> bool:
    """Errors fail; with `strict`, warnings too; info never does."""
    floor = Severity.WARNING if strict else Severity.ERROR
    return any(f.severity >= floor for f in findings)


def count(findings: Iterable[Finding]) -> dict[str, int]:
    counts = {s.label: 0 for s in sorted(Severity, reverse=True)}
    for f in findings:
        counts[f.severity.label] += 1
    return counts


def matches(code: str, selectors: Iterable[str]) -> bool:
    """A code is selected by itself or by a prefix (`OKR3`, `OKR`)."""
    return any(code.startswith(s) for s in selectors)


@cache
def _glob_re(pattern: str) -> re.Pattern[str]:
    """A path glob: `*` and `?` stay within a folder, `**/` spans folders."""
    out = ""
    i = 0
    while i < len(pattern):
        if pattern.startswith("**/", i):
            out += "(?:[^/]*/)*"
            i += 3
        elif pattern.startswith("**", i):
            out += ".*"
            i += 2
        elif pattern[i] == "*":
            out += "[^/]*"
            i += 1
        elif pattern[i] == "?":
            out += "[^/]"
            i += 1
        else:
            out += re.escape(pattern[i])
            i += 1
    return re.compile(out + r"\Z")


def path_ignores(config: Config, shown: str) -> tuple[str, ...]:
    """The selectors `per_path_ignores` applies to one file."""
    if not config.per_path_ignores:
        return ()
    rel = root_relative(shown, config.root)
    found: list[str] = []
    for pattern, selectors in config.per_path_ignores.items():
        if _glob_re(pattern).match(rel):
            found += selectors
    return tuple(found)


def _history_since(tree: Tree, sheets: Sequence[Sheet], today: dt.date) -> dt.date | None:
    """How far back the history rules look for these sheets: the earliest start of their
    cycles that have started (a rule judges nothing before its sheet's cycle started but
    the state then: OKR503, OKR604). None: no cycle has started, no history needed."""
    starts = [c.start for s in sheets if (c := tree.cycle(s.cycle_id)) is not None
              and c.start <= today]
    return min(starts, default=None)


def _read_history(config: Config, paths: Sequence[Path] | None, since: dt.date | None,
                  parsed: Any = None) -> History:
    from okrkit.history import read_history  # git and the log parser: only when a rule needs it

    # the rules never read `History.dirty`: no `git status` for it
    return read_history(config, paths, since=since, parsed=parsed, ask_dirty=False)


# a whole tree whose history is parsed: from this many sheets with no kept hits, the rules
# that read no history run on them in a forked process while this one walks the history
_FORK_FROM = 64
# "0": never fork the rules (debugging, benchmarks); "1": whenever the history is parsed
FORK_ENV = "OKRKIT_RULES_FORK"


class _Early:
    """The whole tree, loaded as soon as the history's versions are parsed (`read_history`'s
    `parsed`: the documents the tree loader takes are in the parse cache then), and the
    rules whose hits the memo keeps (they read no history) run on it by a forked process
    while this one walks the history (a cold lint: 0.4 s of rules beside 0.2 s of walk and
    the history rules). Their hits come back as kept ones (`HitMemo.add`), so the findings
    are those of a warm run, which are those of a cold one. When the child fails in any
    way, its hits are missing and this process runs those rules itself."""

    def __init__(self, config: Config, rules: Sequence[Rule],
                 options: Mapping[str, Mapping[str, Any]], today: dt.date) -> None:
        self.config, self.rules, self.options, self.today = config, rules, options, today
        self.loaded: tuple[Tree, list[Finding]] | None = None
        self.memo: HitMemo | None = None
        self._child: forked.Child | None = None

    def start(self) -> None:
        # the documents go to disk with the history's (its writer), not now
        try:
            tree, _ = self.loaded = load_tree(self.config, None, save=False)
        except FatalError:  # raised where the tree is loaded after the history, as it was:
            return  # here the history's read would report it as its own failure
        sheets = [s for s in tree.sheets if s.path in tree.selected]
        memo = self.memo = HitMemo.for_run(tree, self.rules, sheets, self.options, self.today)
        forced = os.environ.get(FORK_ENV) == "1"
        if memo is None or not forked.can_fork(FORK_ENV):
            return
        work = [(rule, sheet) for rule in self.rules if keyed(rule) for sheet in sheets
                if memo.missing(rule, sheet)]
        if not work or (len({sheet.path for _, sheet in work}) < _FORK_FROM and not forced):
            return

        def run_them(out: BinaryIO) -> None:  # in the child: the rules, hits down the pipe
            ctx = base.Context(tree=tree, today=self.today, history=None)
            for rule, sheet in work:
                check: Any = rule.check
                try:
                    hits = list(check(sheet, ctx, self.options[rule.code]))
                except Exception:  # the parent runs it again and says which rule failed
                    continue
                memo.keep(rule, sheet, hits)
            out.write(marshal.dumps(memo.used))

        self._child = forked.Child.start(run_them)

    @property
    def running(self) -> bool:
        """Whether the rules run in a forked process (collected before they are used)."""
        return self._child is not None

    def collect(self) -> None:
        """The forked rules' hits, into the memo (waiting for them)."""
        if self._child is None:
            return
        child, self._child = self._child, None
        data = child.result()
        if not data:
            return
        try:
            found = marshal.loads(data)
        except (ValueError, EOFError, TypeError):  # a short hand-over: run them here
            return
        if isinstance(found, dict) and self.memo is not None:
            self.memo.add(found)

    def stop(self) -> None:
        """This run failed before it collected the child: it is stopped and reaped."""
        if self._child is not None:
            self._child.stop()
            self._child = None


def lint(config: Config, paths: Sequence[Path] | None = None, *, today: dt.date,
         select: Sequence[str] = (), ignore: Sequence[str] = (),
         history: History | None = None, rules: Sequence[Rule] | None = None,
         kept_hits: KeptHits | None = None) -> LintResult:
    """Lint the OKR tree (or the sheets in `paths`, references resolved against the whole tree).

    `select`/`ignore` (codes or prefixes) replace the config's when given.
    `history`: already read (the site); else read here when a selected rule uses it.
    `rules`: every code known to this run (default: the registry's).
    `kept_hits`: the whole tree's rule hits kept in memory, not on disk (`mkdocs serve`).
    """
    # the tree, the history and the findings are hundreds of thousands of small acyclic
    # values: the cyclic collector would walk them again and again during the rules (a
    # fifth of their time) and never find a cycle to free (tree.py and history.py say so
    # too). Afterwards they go straight to the oldest generation (freeze, then unfreeze:
    # still collectable), or the first collections would walk each of them twice more;
    # not in a process that froze objects itself (unfreeze would thaw them too), nor under
    # `mkdocs serve` (`kept_hits`: the plugin freezes what its rebuilds keep, and counting
    # the frozen objects walks every one of them)
    collecting = gc.isenabled()
    gc.disable()
    early: list[_Early] = []  # the forked rules, stopped if the run fails before their end
    try:
        return _lint(config, paths, today=today, select=select, ignore=ignore, history=history,
                     rules=rules, kept_hits=kept_hits, early=early)
    finally:
        for started in early:
            started.stop()
        if kept_hits is None and not gc.get_freeze_count():
            gc.freeze()
            gc.unfreeze()
        if collecting:
            gc.enable()


def _lint(config: Config, paths: Sequence[Path] | None, *, today: dt.date,
          select: Sequence[str], ignore: Sequence[str], history: History | None,
          rules: Sequence[Rule] | None, kept_hits: KeptHits | None = None,
          early: list[_Early] | None = None) -> LintResult:
    registry = {r.code: r for r in (all_rules() if rules is None else rules)}
    settings = check_config(config, registry)
    selectors = tuple(select) or config.select
    ignored = tuple(ignore) or config.ignore

    def enabled(rule: Rule) -> bool:
        if rule.code in settings.off or matches(rule.code, ignored):
            return False
        # structural findings are the loading itself: `select` does not hide them
        return rule.scope == "structure" or not selectors or matches(rule.code, selectors)

    chosen = [r for r in registry.values() if r.check is not None and enabled(r)]
    soon: _Early | None = None
    if history is None and paths is None and any(r.needs_history or r.optional_history
                                                 for r in chosen):
        # the whole tree reads the whole history (no `since`): read it first, so the tree
        # loader takes each sheet's parse from it (the work tree is mostly HEAD's blobs);
        # when it parses, the tree is loaded before its walk (`_Early`)
        soon = _Early(config, chosen, settings.options, today) if kept_hits is None else None
        if soon is not None and early is not None:
            early.append(soon)
        history = _read_history(config, None, None, soon.start if soon is not None else None)
    if soon is not None and soon.loaded is not None:
        tree, loaded = soon.loaded  # its new documents: written by the history's save
    else:
        soon = None
        tree, loaded = load_tree(config, paths)
    selected_sheets = [s for s in tree.sheets if s.path in tree.selected]
    ignores_of = {path: path_ignores(config, path) for path in tree.selected}

    def admit(found: Iterable[Finding]) -> list[Finding]:
        """Structural and suppression findings: enabled, configured severity, path ignores."""
        return [_restamp(f, settings.severity) for f in found if _keep(f, registry, enabled)
                and not matches(f.code, ignores_of.get(f.pos.path, ()))]

    findings = admit(loaded)
    notes: list[Mapping[str, str]] = []
    if any(r.needs_history or r.optional_history for r in chosen):
        if history is None:
            # a few sheets (the pre-commit hook): only as much history as the rules judge
            # (see NEEDS_HISTORY in rules/base.py); the whole tree reads all of it
            since = _history_since(tree, selected_sheets, today) if paths is not None else None
            if paths is None or since is not None:
                history = _read_history(config, paths, since)
            # else no selected sheet's cycle has started: the rules run and find nothing
        if history is not None and history.available:
            notes = list(history.warnings)
        elif history is not None and any(r.needs_history for r in chosen):
            chosen = [r for r in chosen if not r.needs_history]
            # one line: the history's own reason already says what is missing
            notes = list(history.warnings[:1]) or [
                {"en": "no git history: rules that need it were skipped",
                 "zh-TW": "沒有 git 歷史:已略過需要歷史的規則"}]
    if history is not None and not history.available:
        history = None  # the rules see a history they can read, or none

    ctx = base.Context(tree=tree, today=today, history=history)
    # a whole tree: the hits of rules that read only their sheet (and the org, the cycles,
    # today) are kept by its content
    if soon is not None:
        memo = soon.memo
    else:
        memo = HitMemo.for_run(tree, chosen, selected_sheets, settings.options, today,
                               kept=kept_hits) if paths is None else None
    found_by: dict[str, list[Finding]] = {}
    # the rules the forked process runs come last, their hits waited for only then; the
    # findings are gathered in `chosen`'s order all the same
    order = sorted(chosen, key=keyed) if soon is not None and soon.running else chosen
    for rule in order:
        if soon is not None and soon.running and keyed(rule):
            soon.collect()
        options = settings.options[rule.code]
        found_by[rule.code] = found = []
        targets: Sequence[Any] = selected_sheets if rule.scope == "sheet" else (tree,)
        for target in targets:
            hits = memo.hits(rule, target) if memo is not None else None
            if hits is None:
                try:
                    hits = list(rule.check(target, ctx, options))  # type: ignore[misc]
                except Exception as err:  # a rule's bug: say which rule, on which file
                    where = target.path if rule.scope == "sheet" else "the tree"
                    raise RuntimeError(f"rule {rule.code} failed on {where}: "
                                       f"{type(err).__name__}: {err}") from err
                if memo is not None:
                    memo.keep(rule, target, hits)
            if hits:  # most rules find nothing on most sheets
                stamp = functools.partial(_stamp_all, rule, hits, settings.severity)
                stamped = memo.stamped(rule, target, settings.severity.get(rule.code), stamp) \
                    if memo is not None else stamp()
                found += [f for f in stamped if f.pos.path in tree.selected
                          and not matches(rule.code, ignores_of.get(f.pos.path, ()))]
    for rule in chosen:
        findings += found_by[rule.code]

    if memo is not None:
        memo.save()
    docs = {s.path: s.src.doc for s in selected_sheets}
    if tree.org is not None and tree.org.src.path in tree.selected:
        docs[tree.org.src.path] = tree.org.src.doc
    ran_everywhere = frozenset(r.code for r in chosen) | {
        r.code for r in registry.values() if r.scope == "structure" and enabled(r)}
    # a path with no per_path_ignores (most): every code ran there, one set shared
    ran = {path: frozenset(c for c in ran_everywhere if not matches(c, ignored_here))
           if (ignored_here := ignores_of.get(path, ())) else ran_everywhere for path in docs}
    applied = suppress.apply(findings, docs, known=frozenset(registry), ran=ran)
    final = unique_sorted([*settings.findings, *applied.kept, *admit(applied.findings)])
    return LintResult(tuple(final), tree, tuple(chosen), tuple(applied.suppressed), tuple(notes))


def _stamp_all(rule: Rule, hits: Sequence[base.Hit], severity: Mapping[str, Severity]
               ) -> list[Finding]:
    return [_stamp(rule, hit, severity) for hit in hits]


def _stamp(rule: Rule, hit: base.Hit, severity: Mapping[str, Severity]) -> Finding:
    # a severity the hit names itself (a rule's milder variant) wins over the config
    level = hit.severity or severity.get(rule.code) or rule.severity
    return Finding(hit.pos, rule.code, level, render(rule.messages[hit.variant], hit.params),
                   dict(hit.params))


def _restamp(finding: Finding, severity: Mapping[str, Severity]) -> Finding:
    """Structural and suppression findings take a configured severity too."""
    level = severity.get(finding.code)
    if level is None or level == finding.severity:
        return finding
    return Finding(finding.pos, finding.code, level, finding.messages, finding.params)


def _keep(finding: Finding, registry: Mapping[str, Rule], enabled: Any) -> bool:
    rule = registry.get(finding.code)
    return rule is None or enabled(rule)
