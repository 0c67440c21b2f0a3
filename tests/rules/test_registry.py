"""The rule registry: every code documented in both languages, every example runs.

Each rule module's docstring is its documentation (`okr rule CODE`, the site);
its **Bad** and **Good** sections each hold one ```yaml block, a complete sheet
in the demo org, and the real linter must flag the Bad one with the rule's
code and not the Good one (and neither may be broken: no OKR0xx finding).
"""

from __future__ import annotations

import datetime as dt
import re
import types
from collections.abc import Callable
from pathlib import Path

import pytest

from gitrepo import GitRepo
from history_helpers import at
from okrkit import problems, rules
from okrkit.config import load_config
from okrkit.findings import LANGS, Severity
from okrkit.history import read_history
from okrkit.rules import Rule, check_shape, codes_from_files, placeholders
from okrkit.rules.base import Hit
from okrkit.rules.runner import lint
from paths import chdir

RULE_CODES = sorted(codes_from_files())
_BLOCK_RE = re.compile(r"```yaml\n(.*?)```", re.DOTALL)


def yaml_blocks(doc: str, section: str) -> list[str]:
    """The ```yaml blocks of one **Section** of a docstring."""
    parts = re.split(r"\*\*(What|Why|Bad|Good|Options)\*\*", doc)
    texts = [parts[i + 1] for i in range(1, len(parts) - 1, 2) if parts[i] == section]
    return [block for text in texts for block in _BLOCK_RE.findall(text)]


def test_the_registry_knows_structure_rules_and_suppressions() -> None:
    codes = [r.code for r in rules.all_rules()]
    assert codes == sorted(codes)
    assert {p.code for p in problems.ALL} <= set(codes)
    assert {"OKR603", "OKR901", "OKR902", "OKR903"} <= set(codes)
    assert set(RULE_CODES) <= set(codes)
    assert rules.all_codes() == frozenset(codes)


def test_structural_codes_are_errors_without_a_check() -> None:
    for problem in problems.ALL:
        rule = rules.get(problem.code)
        assert rule is not None and rule.scope == "structure"
        assert rule.severity is Severity.ERROR and rule.check is None
        assert rule.name == problem.name and rule.doc.strip() == problem.doc.strip()


def test_get_by_code_in_any_case_or_by_name() -> None:
    assert rules.get("okr603") == rules.get("OKR603") == rules.get("no-owner")
    assert rules.get("OKR603").check is not None  # type: ignore[union-attr]
    assert rules.get("OKR999") is None
    assert rules.get("no-such-rule") is None


class Marker:
    """A placeholder value that survives any format spec: `{change:.0%}` → `<change>`."""

    def __init__(self, name: str) -> None:
        self.name = name

    def __format__(self, spec: str) -> str:
        return f"<{self.name}>"

    def __getattr__(self, attr: str) -> Marker:
        return self

    def __getitem__(self, key: object) -> Marker:
        return self


@pytest.mark.parametrize("rule", rules.all_rules(), ids=lambda r: r.code)
def test_every_code_has_both_languages_with_the_same_placeholders(rule: Rule) -> None:
    assert rules.check_messages(rule.messages) == []
    for variant, texts in rule.messages.items():
        names = placeholders(texts["en"])
        # a `{name_zh}` placeholder is the zh-TW form of `{name}`
        params = {key: Marker(name) for name in names for key in (name, f"{name}_zh")}
        for lang in LANGS:
            rendered = texts[lang].format(**params)
            assert all(f"<{name}>" in rendered for name in names), (variant, lang)


@pytest.mark.parametrize("rule", rules.all_rules(), ids=lambda r: r.code)
def test_every_code_is_documented_in_both_languages(rule: Rule) -> None:
    assert rules.check_doc(rule.doc, rule.doc_zh) == []
    assert rule.title_in("en") and rule.title_in("en") != rule.name
    assert re.search(r"[\u4e00-\u9fff]", rule.title_in("zh-TW"))


@pytest.mark.parametrize("code", RULE_CODES)
def test_rule_module_has_the_interface(code: str) -> None:
    module_name = codes_from_files()[code]
    module = __import__(f"okrkit.rules.{module_name}", fromlist=["check"])
    assert check_shape(module) == []


@pytest.mark.parametrize("code", [c for c in RULE_CODES if not rules.get(c).needs_history])  # type: ignore[union-attr]
def test_bad_example_is_flagged_and_good_example_is_not(
        code: str, tmp_path: Path, lint_snippet: Callable[..., list]) -> None:
    rule = rules.get(code)
    assert rule is not None
    bad, good = yaml_blocks(rule.doc, "Bad"), yaml_blocks(rule.doc, "Good")
    assert len(good) == 1, "the **Good** section needs one ```yaml block"
    assert len(bad) == 1, "the **Bad** section needs one ```yaml block"
    for which, block in [("good", good[0]), ("bad", bad[0])]:
        findings = lint_snippet(tmp_path / which, block)
        broken = [f"{f.pos}: {f.code} {f.message()}" for f in findings if f.code < "OKR100"]
        assert broken == [], f"the {which} example does not load cleanly"
        flagged = any(f.code == code for f in findings)
        assert flagged == (which == "bad"), [f"{f.pos}: {f.code}" for f in findings]


# The history rules' Bad cases need git history, so their docstrings describe them in
# prose; each is built here as the dated commits the prose describes, around the Good
# block: (date, sheet text) in commit order. Today is 2026-02-15.
def _without_revisions(block: str) -> str:
    lines = block.splitlines(keepends=True)
    start = next(i for i, line in enumerate(lines) if line.strip() == "revisions:")
    end = start + 1
    while end < len(lines) and lines[end].startswith(" " * 10):
        end += 1
    return "".join(lines[:start] + lines[end:])


def _okr503_history(good: str, which: str) -> list[tuple[str, str]]:
    # Good: "its values were committed last week"; Bad: "last committed 30 days ago"
    return [("2026-02-08" if which == "good" else "2026-01-16", good)]


def _okr604_history(good: str, which: str) -> list[tuple[str, str]]:
    # planned before the cycle with target 60000; on 2026-02-10 lowered to 55000, with the
    # `revisions:` entry (Good) or without it and without a trailer (Bad)
    planned = _without_revisions(good).replace("target: 55000", "target: 60000")
    assert planned != good.replace("target: 55000", "target: 60000")
    lowered = good if which == "good" else _without_revisions(good)
    return [("2025-12-20", planned), ("2026-02-10", lowered)]


HISTORY_EXAMPLES = {"OKR503": _okr503_history, "OKR604": _okr604_history}


def test_every_history_rule_has_its_history_example() -> None:
    assert {r.code for r in rules.all_rules() if r.needs_history} == set(HISTORY_EXAMPLES)


@pytest.mark.parametrize("code", sorted(HISTORY_EXAMPLES))
@pytest.mark.parametrize("which", ["good", "bad"])
def test_history_rule_examples_in_a_real_repository(
        code: str, which: str, tmp_path: Path, make_repo: Callable[..., list[str]]) -> None:
    rule = rules.get(code)
    assert rule is not None and rule.needs_history
    (good,) = yaml_blocks(rule.doc, "Good")
    assert yaml_blocks(rule.doc, "Bad") == [], "the Bad history is built here"
    repo = GitRepo(tmp_path / "repo")
    linted: list[str] = []
    for day, text in HISTORY_EXAMPLES[code](good, which):
        linted = make_repo(repo.path, text)
        repo.commit(f"okrs: {which} {day}", date=at(day))
    with chdir(repo.path):
        config, config_findings = load_config(repo.path)
        history = read_history(config)
        assert history.available, history.warnings
        result = lint(config, [Path(p) for p in linted], today=dt.date(2026, 2, 15),
                      history=history)
    assert config_findings == [] and result.notes == ()
    assert code in {r.code for r in result.rules}, "the rule did not run"
    broken = [f"{f.pos}: {f.code}" for f in result.findings if f.code < "OKR100"]
    assert broken == []
    flagged = [f for f in result.findings if f.code == code]
    assert bool(flagged) == (which == "bad"), [f"{f.pos}: {f.code}" for f in result.findings]


# -- the shape check itself ------------------------------------------------------

GOOD_DOC = "Title\n\n**What**: a.\n\n**Why**: b.\n\n**Bad**: c.\n\n**Good**: d.\n"


def fake_module(name: str = "okr777_made_up", **overrides: object) -> types.ModuleType:
    module = types.ModuleType(f"okrkit.rules.{name}", overrides.pop("doc", GOOD_DOC))  # type: ignore[arg-type]
    members: dict[str, object] = {
        "CODE": "OKR777", "NAME": "made-up", "SEVERITY": Severity.WARNING, "SCOPE": "sheet",
        "OPTIONS": {"floor": 0.1},
        "MESSAGES": {"default": {"en": "{x} is {y:.0%}", "zh-TW": "{x} 為 {y:.0%}"}},
        "DOC_ZH": "標題\n\n**說明**:……",
        "check": lambda target, ctx, options: iter(()),
    }
    members.update(overrides)
    for key, value in members.items():
        setattr(module, key, value)
    return module


def test_shape_check_accepts_a_well_formed_module() -> None:
    assert check_shape(fake_module()) == []


@pytest.mark.parametrize(("overrides", "expected"), [
    ({"CODE": "OKR778"}, "CODE is 'OKR778'"),
    ({"NAME": "made_up"}, "NAME is 'made_up'"),
    ({"SEVERITY": "warning"}, "SEVERITY"),
    ({"SCOPE": "objective"}, "SCOPE"),
    ({"OPTIONS": {"severity": "error"}}, "must not declare 'severity'"),
    ({"MESSAGES": {"default": {"en": "{x}"}}}, "exactly the keys en and zh-TW"),
    ({"MESSAGES": {"default": {"en": "{x} {y}", "zh-TW": "{x}"}}}, "placeholders differ"),
    ({"MESSAGES": {"other": {"en": "a", "zh-TW": "甲"}}}, "no 'default' variant"),
    ({"check": None}, "no check"),
    ({"doc": "Title\n\n**What**: a.\n\n**Good**: d."}, "**Why**, **Bad**"),
    ({"DOC_ZH": "English only"}, "DOC_ZH"),
])
def test_shape_check_names_each_problem(overrides: dict[str, object], expected: str) -> None:
    problems_found = check_shape(fake_module(**overrides))
    assert any(expected in p for p in problems_found), problems_found


def test_shape_check_rejects_a_module_name_off_the_pattern() -> None:
    assert check_shape(fake_module("okr77_short")) != []


def test_placeholders_ignore_format_specs_and_attributes() -> None:
    assert placeholders("{change:.0%} of {floor} ({kr.id}, {items[0]})") == {
        "change", "floor", "kr", "items"}


def test_a_hit_defaults_to_the_default_variant() -> None:
    from okrkit.findings import Pos

    hit = Hit(Pos("a.yaml", 1, 1), {})
    assert hit.variant == "default" and hit.severity is None
