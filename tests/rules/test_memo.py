"""Hits kept across runs for the rules that read only their sheet (okrkit.rules.memo).

What a rule declares it reads (`READS`) is checked against its code; then the
demo tree is linted as new processes would (no cache in memory) with the
kept hits and without them: the same findings, and the second run checks no
sheet again, an edited sheet only that sheet, an edited org only the rule
that reads it.
"""

from __future__ import annotations

import ast
import datetime as dt
import inspect
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from okrkit import cache
from okrkit.config import load_config
from okrkit.rules import all_rules, memo
from okrkit.rules.runner import lint
from paths import chdir

TODAY = dt.date(2026, 2, 20)


def _ctx_uses(rule_check: Any) -> list[str]:
    """Each use of `ctx` in a rule's module (its check and the helpers it hands `ctx` to),
    as dotted text; "ctx" alone where it goes anywhere but to a function of the module."""
    tree = ast.parse(inspect.getsource(inspect.getmodule(rule_check)))  # type: ignore[arg-type]
    local = {n.name for n in tree.body if isinstance(n, ast.FunctionDef)}
    parents = {child: node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}
    uses = []
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Name) and node.id == "ctx"):
            continue
        text, at = "ctx", node
        while isinstance(parents.get(at), ast.Attribute):
            at = parents[at]
            text += f".{at.attr}"  # type: ignore[attr-defined]
        call = parents.get(at)
        handed = (text == "ctx" and isinstance(call, ast.Call) and at in call.args
                  and isinstance(call.func, ast.Name) and call.func.id in local)
        if not handed:
            uses.append(text)
    return uses


# how a rule reads each thing `READS` may name
_USES = {"org": "ctx.tree.org", "cycles": "ctx.tree.cycle", "today": "ctx.today",
         "history": "ctx.history"}


def test_what_a_rule_says_it_reads_is_all_it_reads() -> None:
    sheet_rules = [r for r in all_rules() if r.scope == "sheet" and r.check is not None]
    assert sheet_rules and all(r.reads for r in sheet_rules)  # today every one says
    for rule in all_rules():
        if not rule.reads:
            continue
        assert rule.scope == "sheet" and rule.reads[0] == "sheet", rule.code
        assert set(rule.reads) <= {"sheet", *_USES}, rule.code
        uses = _ctx_uses(rule.check)
        for use in uses:  # each read of ctx is one the rule declares
            assert any(use == _USES[r] or use.startswith(_USES[r] + ".")
                       for r in rule.reads[1:]), (rule.code, use)
        for declared in rule.reads[1:]:  # and each declared one is read
            assert any(u.startswith(_USES[declared]) for u in uses), (rule.code, declared)
    assert {r.code for r in all_rules() if memo.keyed(r)} >= {"OKR101", "OKR402", "OKR502"}
    assert not {r.code for r in all_rules() if memo.keyed(r)} & {"OKR302", "OKR503", "OKR604"}


def _fresh() -> None:
    cache._CACHES.clear()
    cache._BY_PATH.clear()


def _run(root: Path, monkeypatch: pytest.MonkeyPatch, *, kept: bool) -> tuple[Any, Counter[str]]:
    """Findings (all their values) of a whole-tree lint, and which rules ran on which
    sheets (`code path`) for want of kept hits."""
    monkeypatch.setenv(cache.DISABLE_ENV, "1" if kept else "0")
    _fresh()
    ran: Counter[str] = Counter()
    real = memo.HitMemo.keep

    def keep(self: memo.HitMemo, rule: Any, sheet: Any, hits: Any) -> None:
        if memo.keyed(rule):  # the runner hands every rule's hits: only these are kept
            ran[f"{rule.code} {sheet.path}"] += 1
        real(self, rule, sheet, hits)

    with monkeypatch.context() as m, chdir(root):
        m.setattr(memo.HitMemo, "keep", keep)
        config, _ = load_config(root)
        result = lint(config, None, today=TODAY)
    return [(f.sort_key(), f.severity, dict(f.messages), dict(f.params))
            for f in result.findings], ran


PROBLEMS = """\
cycle: 2026-Q1
team: team-002
owner: {owner}
objectives:
  - id: delight
    title: 讓客戶更滿意
    strategy: [{theme}]
    key_results:
      - id: better
        title: 盡量優化網站體驗
        metric: 滿意度
        target: 90
        current: 10
        direction: increase
      - id: posts
        title: 每週發文提升 10%
        metric: 發文數
        baseline: 10
        target: 11
        current: 10
        direction: increase
"""


@pytest.fixture
def tree(tmp_path: Path, synth: Any) -> Path:
    """A small generated org outside git, one of whose sheets trips rules that keep hits."""
    root = tmp_path / "org"
    root.mkdir()
    synth.write_tree(root, teams=3, cycles=("2026-Q1",))
    sheet = root / "okrs" / "2026-Q1" / "team-002.yaml"
    owner = next(line.split(":")[1].strip() for line in sheet.read_text("utf-8").splitlines()
                 if line.startswith("owner:"))
    sheet.write_text(PROBLEMS.format(owner=owner, theme=synth.THEMES[0][0]), encoding="utf-8")
    return root


def test_kept_hits_are_the_hits_and_only_what_changed_runs(
        tree: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(memo, "MEMO_FROM", 1)  # a small tree keeps its hits too
    expected, _ = _run(tree, monkeypatch, kept=False)
    codes = {f[0][3] for f in expected}
    kept_codes = {r.code for r in all_rules() if memo.keyed(r)}
    assert {"OKR101", "OKR202", "OKR402", "OKR603"} <= codes & kept_codes, codes
    first, ran = _run(tree, monkeypatch, kept=True)
    assert first == expected and ran  # every sheet checked, its hits kept
    second, ran = _run(tree, monkeypatch, kept=True)
    assert second == expected and not ran
    # an edited sheet: its rules run again, no other sheet's
    sheet = tree / "okrs" / "2026-Q1" / "team-002.yaml"
    sheet.write_text(sheet.read_text("utf-8").replace("盡量優化", "儘可能改善"), "utf-8")
    after_edit, _ = _run(tree, monkeypatch, kept=False)
    got, ran = _run(tree, monkeypatch, kept=True)
    assert got == after_edit != expected
    assert {key.split(" ", 1)[1] for key in ran} == {"okrs/2026-Q1/team-002.yaml"}
    # an org edited where no rule looks (a comment): everything kept
    org = tree / "okrs" / "org.yaml"
    org.write_text(org.read_text("utf-8") + "# a comment only\n", encoding="utf-8")
    assert not _run(tree, monkeypatch, kept=True)[1]
    # the strategy edited: the rule that reads it runs again everywhere, the others do not
    text = org.read_text("utf-8")
    org.write_text(text.replace("    title: ", "    title: 發文數 ", 1), encoding="utf-8")
    after_org, _ = _run(tree, monkeypatch, kept=False)
    got, ran = _run(tree, monkeypatch, kept=True)
    assert got == after_org != after_edit
    assert ran and {key.split(" ", 1)[0] for key in ran} == {"OKR401", "OKR402"}
    # another day: the rules that read the date run again, the others do not
    global TODAY
    day, TODAY = TODAY, TODAY + dt.timedelta(days=1)
    try:
        got, ran = _run(tree, monkeypatch, kept=True)
    finally:
        TODAY = day
    assert {key.split(" ", 1)[0] for key in ran} == {"OKR303", "OKR502"}


def test_the_hook_keeps_nothing(tree: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A few sheets (the hook's) neither read nor write the kept hits."""
    monkeypatch.setattr(memo, "MEMO_FROM", 1)
    monkeypatch.setenv(cache.DISABLE_ENV, "1")
    _fresh()
    with chdir(tree):
        config, _ = load_config(tree)
        lint(config, [tree / "okrs" / "2026-Q1" / "team-002.yaml"], today=TODAY)
        assert not cache.for_path(config.okrs_dir).result_names(memo.NAME)


def test_hits_kept_in_memory_with_the_historys_key(
        tree: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """`mkdocs serve`'s memo (`KeptHits`): the same findings, stamped and all; kept in
    memory only (no file), any number of sheets, and the rules that read the history
    kept too while the history's key stays."""
    expected, _ = _run(tree, monkeypatch, kept=False)
    monkeypatch.setenv(cache.DISABLE_ENV, "1")
    _fresh()
    ran: Counter[str] = Counter()
    real = memo.HitMemo.keep

    def keep(self: memo.HitMemo, rule: Any, sheet: Any, hits: Any) -> None:
        if memo.keyed(rule, history=True):
            ran[f"{rule.code} {sheet.path}"] += 1
        real(self, rule, sheet, hits)

    kept = memo.KeptHits()
    kept.history = "head-1"

    def run() -> list[Any]:
        ran.clear()
        with monkeypatch.context() as m, chdir(tree):
            m.setattr(memo.HitMemo, "keep", keep)
            config, _ = load_config(tree)
            result = lint(config, None, today=TODAY, kept_hits=kept)
        return [(f.sort_key(), f.severity, dict(f.messages), dict(f.params))
                for f in result.findings]

    assert run() == expected and ran  # 3 sheets: fewer than MEMO_FROM, kept all the same
    assert run() == expected and not ran
    with chdir(tree):
        config, _ = load_config(tree)
    assert not cache.for_path(config.okrs_dir).result_names(memo.NAME)
    reading_history = {r.code for r in all_rules() if "history" in r.reads}
    kept.history = "head-2"  # another HEAD: the rules that read the history run again
    assert run() == expected
    assert ran and {key.split(" ", 1)[0] for key in ran} <= reading_history
    sheet = tree / "okrs" / "2026-Q1" / "team-002.yaml"
    sheet.write_text(sheet.read_text("utf-8").replace("盡量優化", "儘可能改善"), "utf-8")
    after_edit, _ = _run(tree, monkeypatch, kept=False)
    assert run() == after_edit != expected
    assert {key.split(" ", 1)[1] for key in ran} == {"okrs/2026-Q1/team-002.yaml"}
