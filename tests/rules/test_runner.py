"""The runner: selection, severities, options, per-path ignores, history, the tree.

Real trees in tmp dirs (the helper of tests/rules/conftest.py); the extra rules
below are real `Rule` values with their own check functions, given to
`lint(rules=...)` to exercise tree scope and history without waiting for the
rule modules that need them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any

import pytest

from okrkit.findings import Severity
from okrkit.rules import Rule, all_rules, get
from okrkit.rules.base import Context, Hit
from okrkit.rules.options import check_config
from okrkit.rules.runner import count, failed, matches, path_ignores
from okrkit.tree import Tree

Lint = Callable[..., Any]

SHEET_NO_OWNER = """\
cycle: 2026-Q1
team: marketing
owner: mei
objectives:
  - id: social-engagement
    title: 提高社群媒體參與度
    kind: aspirational
    strategy: [brand]
    parent: 2026/company/grow-online
    key_results:
      - id: facebook-engagement-rate
        title: 在第一季度,將Facebook粉絲專頁的平均貼文互動率提升15%,並在3月31日前達成
        metric: Facebook 粉絲專頁平均貼文互動率
        source: Meta Business Suite
        unit: "%"
        baseline: 4.0
        target: 4.6
        due: 2026-03-31
        owner: fang
"""


@pytest.fixture
def run_lint(lint_result: Lint) -> Lint:
    return lint_result


# --------------------------------------------------------------- selection


def codes(findings: list[Any]) -> list[str]:
    return [f.code for f in findings]


def test_demo_sheet_without_objective_owner_has_one_finding(run_lint: Lint, tmp_path: Path) -> None:
    result, _ = run_lint(tmp_path, SHEET_NO_OWNER, select=["OKR603"])
    assert [(f.pos.path, f.pos.line, f.pos.col, f.code) for f in result.findings] == [
        ("okrs/2026-Q1/marketing.yaml", 5, 9, "OKR603")]
    assert count(result.findings) == {"error": 0, "warning": 1, "info": 0}
    assert [r.code for r in result.rules] == ["OKR603"]


@pytest.mark.parametrize(("select", "ignore", "expected"), [
    (["OKR603"], [], ["OKR603"]),
    (["OKR6"], [], ["OKR603"]),
    (["OKR"], ["OKR603"], []),
    (["OKR1"], [], []),
    ([], ["OKR6"], []),
])
def test_select_and_ignore_take_codes_and_prefixes(run_lint: Lint,
        tmp_path: Path, select: list[str],
                                                   ignore: list[str], expected: list[str]
                                                   ) -> None:
    result, _ = run_lint(tmp_path, SHEET_NO_OWNER, select=select, ignore=ignore)
    assert [c for c in codes(list(result.findings)) if c == "OKR603"] == expected


def test_command_line_selection_replaces_the_configs(run_lint: Lint, tmp_path: Path) -> None:
    conf = {"select": ["OKR1"]}
    result, _ = run_lint(tmp_path, SHEET_NO_OWNER, conf=conf)
    assert "OKR603" not in codes(list(result.findings))
    result, _ = run_lint(tmp_path / "2", SHEET_NO_OWNER, conf=conf, select=["OKR603"])
    assert "OKR603" in codes(list(result.findings))


def test_select_does_not_hide_structural_findings_but_ignore_does(run_lint: Lint,
        tmp_path: Path) -> None:
    sheet = SHEET_NO_OWNER.replace("parent: 2026/company/grow-online",
                                   "parent: 2026/company/grow-onlin")
    result, _ = run_lint(tmp_path, sheet, select=["OKR603"])
    assert codes(list(result.findings)) == ["OKR603", "OKR006"]
    result, _ = run_lint(tmp_path / "2", sheet, select=["OKR603"], ignore=["OKR006"])
    assert codes(list(result.findings)) == ["OKR603"]


def test_references_resolve_against_the_whole_tree_when_one_file_is_linted(run_lint: Lint,
        tmp_path: Path
                                                                           ) -> None:
    # the parent is in okrs/2026/company.yaml, which is not among the paths
    result, _ = run_lint(tmp_path, SHEET_NO_OWNER, select=["OKR603"])
    assert "2026/company.yaml" not in {f.pos.path for f in result.findings}
    assert "OKR006" not in codes(list(result.findings))
    assert any(s.path == "okrs/2026/company.yaml" for s in result.tree.sheets)


# --------------------------------------------------------------- severities


def test_configured_severity_is_stamped_and_off_disables(run_lint: Lint, tmp_path: Path) -> None:
    result, _ = run_lint(tmp_path, SHEET_NO_OWNER, select=["OKR603"],
                         conf={"rules": {"OKR603": {"severity": "error"}}})
    assert [(f.code, f.severity) for f in result.findings] == [("OKR603", Severity.ERROR)]
    assert failed(result.findings)
    result, _ = run_lint(tmp_path / "2", SHEET_NO_OWNER, select=["OKR603"],
                         conf={"rules": {"OKR603": {"severity": "off"}}})
    assert result.findings == () and result.rules == ()


def test_structural_severity_can_be_configured(run_lint: Lint, tmp_path: Path) -> None:
    sheet = SHEET_NO_OWNER.replace("strategy: [brand]", "strategy: [brnd]")
    result, _ = run_lint(tmp_path, sheet, select=["OKR603"],
                         conf={"rules": {"OKR006": {"severity": "warning"}}})
    assert [(f.code, f.severity.label) for f in result.findings] == [
        ("OKR603", "warning"), ("OKR006", "warning")]


def test_failed_and_count() -> None:
    from okrkit.findings import Finding, Pos

    info = Finding(Pos("a"), "OKR102", Severity.INFO, {"en": "x"})
    warning = Finding(Pos("a"), "OKR603", Severity.WARNING, {"en": "x"})
    assert not failed([info, warning])
    assert failed([info, warning], strict=True)
    assert not failed([info], strict=True)
    assert count([info, warning, warning]) == {"error": 0, "warning": 2, "info": 1}


def test_matches_is_a_prefix_match() -> None:
    assert matches("OKR301", ["OKR3"]) and matches("OKR301", ["OKR301"])
    assert not matches("OKR301", ["OKR302", "OKR4"])


# --------------------------------------------------------------- options


def option_rule(**options: Any) -> Rule:
    return Rule(code="OKR777", name="made-up", severity=Severity.WARNING, scope="sheet",
                options=options, messages={"default": {"en": "x", "zh-TW": "甲"}})


def test_options_unknown_wrong_type_and_unknown_rule_are_findings_in_the_config(run_lint: Lint,
        tmp_path: Path) -> None:
    conf_text = ("rules:\n"
                 "  OKR603:\n"
                 "    severity: error\n"
                 "    floor: 3\n"
                 "  OKR899:\n"
                 "    severity: info\n"
                 "select: [OKR6, OKR898]\n")
    result, config_findings = run_lint(tmp_path, SHEET_NO_OWNER, conf_text=conf_text)
    assert config_findings == []  # the schema leaves rule options open
    shown = [(f.pos.path, f.pos.line, f.pos.col, f.code, f.message())
             for f in result.findings if f.pos.path == ".okrkit.yaml"]
    assert shown == [
        (".okrkit.yaml", 4, 5, "OKR002",
         "rules.OKR603: unknown option 'floor' (OKR603 has no options)"),
        (".okrkit.yaml", 5, 3, "OKR002", "rules: unknown rule code 'OKR899'"),
        (".okrkit.yaml", 7, 16, "OKR002", "select[1]: unknown rule code 'OKR898'"),
    ]
    # the valid part of the config still applies
    assert [f.severity for f in result.findings if f.code == "OKR603"] == [Severity.ERROR]


def test_option_values_are_checked_against_the_defaults_type(tmp_path: Path) -> None:
    from okrkit.config import load_config

    root = tmp_path / "repo"
    root.mkdir()
    (root / ".okrkit.yaml").write_text(
        "rules:\n  OKR777:\n    floor: high\n    terms: [a, 1]\n    limit: 5\n    on: true\n",
        encoding="utf-8")
    config, findings = load_config(root)
    assert findings == []
    rule = option_rule(floor=0.1, terms=("x",), limit=5.5, on=False)
    settings = check_config(config, {rule.code: rule})
    assert [(f.pos.line, f.pos.col, f.message()) for f in settings.findings] == [
        (3, 12, "rules.OKR777.floor: expected number (default 0.1), got 'high'"),
        (4, 12, "rules.OKR777.terms: expected list (default ('x',)), got ['a', 1]"),
    ]
    assert "應為數字" in settings.findings[0].message("zh-TW")
    # an int is a fine number; the rest fall back to the defaults
    assert dict(settings.options["OKR777"]) == {"floor": 0.1, "terms": ("x",), "limit": 5,
                                                "on": True}


def test_word_list_option_with_an_empty_default_takes_only_strings(run_lint: Lint,
                                                                  tmp_path: Path) -> None:
    # OKR101's `extra_terms` defaults to (): its items were not checked and the run crashed
    conf_text = "rules:\n  OKR101:\n    extra_terms: [1, 2]\n"
    result, _ = run_lint(tmp_path, SHEET_NO_OWNER, conf_text=conf_text, select=["OKR101"])
    assert [(f.pos.path, f.pos.line, f.pos.col, f.code, f.message())
            for f in result.findings] == [
        (".okrkit.yaml", 3, 18, "OKR002",
         "rules.OKR101.extra_terms: expected list (default ()), got [1, 2]")]


def test_options_reach_the_check_with_defaults_filled_in(run_lint: Lint, tmp_path: Path) -> None:
    seen: list[dict[str, Any]] = []

    def check(sheet: Any, ctx: Context, options: Mapping[str, Any]) -> Iterator[Hit]:
        seen.append(dict(options))
        return iter(())

    rule = Rule(code="OKR777", name="made-up", severity=Severity.WARNING, scope="sheet",
                options={"floor": 0.1, "names": ("a",)},
                messages={"default": {"en": "x", "zh-TW": "甲"}}, check=check)
    run_lint(tmp_path, SHEET_NO_OWNER, rules=[rule],
             conf={"rules": {"OKR777": {"names": ["b", "c"]}}})
    assert seen == [{"floor": 0.1, "names": ("b", "c")}]


# --------------------------------------------------------------- per-path ignores


@pytest.mark.parametrize(("pattern", "ignored"), [
    ("okrs/2026-Q1/*.yaml", True),
    ("okrs/*/marketing.yaml", True),
    ("okrs/**/*.yaml", True),
    ("**/marketing.yaml", True),
    ("okrs/2025-*/*.yaml", False),
    ("okrs/*.yaml", False),  # `*` stays within a folder
])
def test_per_path_ignores_match_globs_from_the_repository_root(run_lint: Lint,
        tmp_path: Path, pattern: str, ignored: bool) -> None:
    result, _ = run_lint(tmp_path, SHEET_NO_OWNER, select=["OKR603"],
                         conf={"per_path_ignores": {pattern: ["OKR6"]}})
    assert (codes(list(result.findings)) == []) == ignored


def test_path_ignores_are_relative_to_the_root_not_the_cwd(tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch
                                                         ) -> None:
    from okrkit.config import Config

    root = tmp_path / "repo"
    (root / "okrs").mkdir(parents=True)
    monkeypatch.chdir(root / "okrs")
    config = Config(root=root, okrs_dir=root / "okrs",
                    per_path_ignores={"okrs/2026-Q1/*.yaml": ("OKR603",)})
    assert path_ignores(config, "2026-Q1/marketing.yaml") == ("OKR603",)
    assert path_ignores(config, "2026-Q2/marketing.yaml") == ()


# --------------------------------------------------------------- scopes


def per_team_count_rule() -> Rule:
    """A tree rule: one hit per sheet of team marketing, at its `team:` value."""

    def check(tree: Tree, ctx: Context, options: Mapping[str, Any]) -> Iterator[Hit]:
        for sheet in tree.sheets:
            yield Hit(sheet.src.pos("team"), {"team": sheet.team, "n": len(tree.sheets)})

    return Rule(code="OKR777", name="made-up", severity=Severity.INFO, scope="tree",
                messages={"default": {"en": "{team} of {n}", "zh-TW": "{team} / {n}"}},
                check=check)


def test_tree_rules_see_the_whole_tree_but_report_only_selected_files(run_lint: Lint,
        tmp_path: Path) -> None:
    result, _ = run_lint(tmp_path, SHEET_NO_OWNER, rules=[*all_rules(), per_team_count_rule()],
                         select=["OKR777"])
    # the tree holds the snippet and its parent's sheet; only the snippet is reported
    assert [(f.pos.path, f.pos.line, f.message()) for f in result.findings] == [
        ("okrs/2026-Q1/marketing.yaml", 2, "marketing of 2")]


def test_hits_get_the_rules_code_severity_and_both_languages(run_lint: Lint,
        tmp_path: Path) -> None:
    result, _ = run_lint(tmp_path, SHEET_NO_OWNER, rules=[per_team_count_rule()])
    [finding] = result.findings
    assert finding.code == "OKR777" and finding.severity is Severity.INFO
    assert finding.messages == {"en": "marketing of 2", "zh-TW": "marketing / 2"}
    assert finding.params == {"team": "marketing", "n": 2}


def test_a_hit_may_carry_its_own_severity(run_lint: Lint, tmp_path: Path) -> None:
    def check(sheet: Any, ctx: Context, options: Mapping[str, Any]) -> Iterator[Hit]:
        yield Hit(sheet.src.pos("team"), {}, "mild", Severity.INFO)

    rule = Rule(code="OKR777", name="made-up", severity=Severity.ERROR, scope="sheet",
                messages={"default": {"en": "x", "zh-TW": "甲"},
                          "mild": {"en": "y", "zh-TW": "乙"}}, check=check)
    result, _ = run_lint(tmp_path, SHEET_NO_OWNER, rules=[rule])
    assert [(f.severity, f.message()) for f in result.findings] == [(Severity.INFO, "y")]


def test_rules_get_today_from_the_caller(run_lint: Lint, tmp_path: Path) -> None:
    days: list[dt.date] = []

    def check(sheet: Any, ctx: Context, options: Mapping[str, Any]) -> Iterator[Hit]:
        days.append(ctx.today)
        return iter(())

    rule = Rule(code="OKR777", name="made-up", severity=Severity.INFO, scope="sheet",
                messages={"default": {"en": "x", "zh-TW": "甲"}}, check=check)
    run_lint(tmp_path, SHEET_NO_OWNER, rules=[rule], today=dt.date(2026, 3, 1))
    assert days == [dt.date(2026, 3, 1)]


def test_a_failing_rule_names_itself_and_the_file(run_lint: Lint, tmp_path: Path) -> None:
    def check(sheet: Any, ctx: Context, options: Mapping[str, Any]) -> Iterator[Hit]:
        raise ZeroDivisionError("division by zero")

    rule = Rule(code="OKR777", name="made-up", severity=Severity.INFO, scope="sheet",
                messages={"default": {"en": "x", "zh-TW": "甲"}}, check=check)
    with pytest.raises(RuntimeError, match=r"rule OKR777 failed on okrs/2026-Q1/marketing.yaml: "
                                           r"ZeroDivisionError"):
        run_lint(tmp_path, SHEET_NO_OWNER, rules=[rule])


# --------------------------------------------------------------- history


def history_rule(seen: list[Any]) -> Rule:
    def check(sheet: Any, ctx: Context, options: Mapping[str, Any]) -> Iterator[Hit]:
        seen.append(ctx.history)
        yield Hit(sheet.src.pos("team"), {})

    return Rule(code="OKR778", name="made-up-history", severity=Severity.WARNING,
                scope="sheet", messages={"default": {"en": "x", "zh-TW": "甲"}},
                needs_history=True, check=check)


def test_history_rules_are_skipped_with_a_note_outside_a_repository(run_lint: Lint,
        tmp_path: Path) -> None:
    seen: list[Any] = []
    result, _ = run_lint(tmp_path, SHEET_NO_OWNER, rules=[*all_rules(), history_rule(seen)])
    assert seen == [] and "OKR778" not in codes(list(result.findings))
    assert result.notes and all(set(n) == {"en", "zh-TW"} for n in result.notes)
    assert any("history" in n["en"] for n in result.notes)
    assert "OKR603" in codes(list(result.findings))  # the other rules ran


def test_history_rules_run_with_a_history_given(run_lint: Lint, tmp_path: Path) -> None:
    from okrkit.history import History

    seen: list[Any] = []
    history = History(available=True)
    result, _ = run_lint(tmp_path, SHEET_NO_OWNER, rules=[history_rule(seen)], history=history)
    assert seen == [history] and codes(list(result.findings)) == ["OKR778"]
    assert result.notes == ()


def test_no_history_is_read_when_no_selected_rule_needs_it(run_lint: Lint, tmp_path: Path) -> None:
    seen: list[Any] = []
    result, _ = run_lint(tmp_path, SHEET_NO_OWNER, rules=[*all_rules(), history_rule(seen)],
                         select=["OKR603"])
    assert result.notes == () and seen == []


def test_the_registry_rule_is_the_module(run_lint: Lint, tmp_path: Path) -> None:
    rule = get("OKR603")
    assert rule is not None and rule.scope == "sheet" and rule.options == {}
    result, _ = run_lint(tmp_path, SHEET_NO_OWNER, rules=[rule])
    assert codes(list(result.findings)) == ["OKR603"]

