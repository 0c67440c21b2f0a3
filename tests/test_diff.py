"""diff_trees on trees loaded from real files, and its text, Markdown and JSON forms."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from pathlib import Path

import pytest

from history_helpers import ORG, kr, sheet_yaml
from okrkit.config import load_config
from okrkit.diff import (
    FieldChange,
    GoalPost,
    TreeDiff,
    as_json,
    diff_trees,
    render_markdown,
    render_text,
)
from okrkit.gfm import md_text
from okrkit.history import KrState
from okrkit.pairing import change_text, easier_moves, find_revision
from okrkit.tree import Tree, load_tree

STARTED = dt.date(2026, 2, 15)  # inside 2026-Q1
BEFORE = dt.date(2025, 12, 20)
MKT = "okrs/2026-Q1/marketing.yaml"


def _text(change: FieldChange | GoalPost) -> str:
    return change_text(change.field, change.old, change.new)


def tree_of(root: Path, files: Mapping[str, str]) -> Tree:
    (root / "okrs").mkdir(parents=True)
    (root / "okrs" / "org.yaml").write_text(ORG, encoding="utf-8")
    for rel, text in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text, encoding="utf-8")
    config, _ = load_config(root)
    tree, findings = load_tree(config)
    assert [f for f in findings if f.code < "OKR010"] == []
    return tree


def diff_of(tmp_path: Path, old: Mapping[str, str], new: Mapping[str, str], *,
            today: dt.date = STARTED, **kwargs: object) -> TreeDiff:
    return diff_trees(tree_of(tmp_path / "old", old), tree_of(tmp_path / "new", new),
                      today=today, **kwargs)  # type: ignore[arg-type]


def test_checkins_are_apart_from_plan_changes(tmp_path: Path) -> None:
    result = diff_of(tmp_path, {MKT: sheet_yaml([kr("visitors", current=53000)])},
                     {MKT: sheet_yaml([kr("visitors", current=57400, confidence=0.7,
                                          owner="fang", due="2026-03-30")])})
    (sheet,) = result.sheets
    assert (sheet.cycle, sheet.team, sheet.team_name, sheet.status) == (
        "2026-Q1", "marketing", "行銷部", "changed")
    (objective,) = sheet.objectives
    assert (objective.ref, objective.status) == ("2026-Q1/marketing/brand-awareness", "changed")
    (k,) = objective.krs
    assert k.checkins == (FieldChange("current", 53000, 57400),
                          FieldChange("confidence", 0.5, 0.7))
    assert k.plan == (FieldChange("due", "2026-03-31", "2026-03-30"),
                      FieldChange("owner", "kai", "fang"))
    assert k.checkins[0].relative == pytest.approx(0.0830, abs=1e-4)
    assert _text(k.checkins[0]) == "+8.3%"
    assert _text(k.checkins[1]) == "+0.2"  # confidence moves in points
    assert _text(k.plan[0]) == ""
    assert k.goal_posts == ()
    assert result.counts() == {"sheets": 1, "checkins": 1, "plan_changes": 1, "added": 0,
                               "removed": 0, "goal_posts": 0}


def test_a_target_lowered_after_the_start_is_a_goal_post_warning(tmp_path: Path) -> None:
    old = {MKT: sheet_yaml([kr("visitors")])}
    new = {MKT: sheet_yaml([kr("visitors", target=55000)])}

    (k,) = diff_of(tmp_path / "a", old, new).krs()
    assert k.warnings == (GoalPost("target", 60000, 55000, None, None),)
    assert _text(k.warnings[0]) == "−8.3%"
    # before the cycle started, the plan is still being made
    (k,) = diff_of(tmp_path / "b", old, new, today=BEFORE).krs()
    assert k.goal_posts == () and k.plan == (FieldChange("target", 60000, 55000),)
    # a trailer reason passed in by the command
    (k,) = diff_of(tmp_path / "c", old, new,
                   reasons={"2026-Q1/marketing/brand-awareness/visitors": "market shrank"}).krs()
    assert k.warnings == () and k.goal_posts[0].source == "trailer"


def test_a_revision_entry_is_the_reason(tmp_path: Path) -> None:
    revision = {"date": "2026-02-10", "field": "target", "from": 60000, "to": 55000,
                "reason": "GA4 排除機器人流量"}
    result = diff_of(tmp_path, {MKT: sheet_yaml([kr("visitors")])},
                     {MKT: sheet_yaml([kr("visitors", target=55000, revisions=[revision])])},
                     originals={"2026-Q1/marketing/brand-awareness/visitors": 62000})
    (k,) = result.krs()
    assert k.goal_posts == (GoalPost("target", 60000, 55000, "GA4 排除機器人流量", "revision"),)
    assert k.warnings == () and result.counts()["goal_posts"] == 0
    assert k.original_target == 62000


@pytest.mark.parametrize(("direction", "old", "new", "moved"), [
    ("increase", {"target": 60}, {"target": 55}, ["target"]),
    ("increase", {"target": 60}, {"target": 65}, []),
    ("increase", {"baseline": 50}, {"baseline": 52}, ["baseline"]),
    ("increase", {"baseline": 50}, {"baseline": 48}, []),
    ("decrease", {"target": 40}, {"target": 45}, ["target"]),
    ("decrease", {"baseline": 50}, {"baseline": 48}, ["baseline"]),
    ("at_least", {"target": 3}, {"target": 2}, ["target"]),
    ("at_most", {"target": 3}, {"target": 4}, ["target"]),
    ("at_most", {"baseline": 5}, {"baseline": 1}, []),
    ("milestone", {"target": True}, {"target": False}, []),
])
def test_easier_moves_by_direction(direction: str, old: dict[str, object],
                                   new: dict[str, object], moved: list[str]) -> None:
    base = {"title": "t", "current": 50, "confidence": 0.5, "target": 60, "baseline": 50,
            "due": None, "owner": None, "direction": direction, "unit": None}
    before = KrState(**{**base, **old})  # type: ignore[arg-type]
    after = KrState(**{**base, **new})  # type: ignore[arg-type]
    assert [m[0] for m in easier_moves(before, after)] == moved


def test_find_revision_matches_field_and_new_value() -> None:
    revisions = [("target", 55000, "why"), ("baseline", 48000, "data fix")]
    assert find_revision(revisions, "target", 55000.0) == "why"
    assert find_revision(revisions, "target", 56000) is None
    assert find_revision(revisions, "baseline", 55000) is None


def test_added_removed_and_renamed(tmp_path: Path) -> None:
    old = {MKT: sheet_yaml(
        [kr("visitors"), kr("followers", title="粉絲增加15%"), kr("press", baseline=0, target=3,
                                                                current=0)],
        more=[("conversion", "提高轉換率", [kr("rate", baseline=2, target=3, current=2)])])}
    new = {MKT: sheet_yaml(
        [kr("visitors"), kr("fans", title="粉絲增加15%"), kr("newsletter", baseline=1, target=2,
                                                            current=1)],
        objective="brand", objective_title="提升品牌知名度",
        more=[("retention", "留住顧客", [kr("repeat", baseline=10, target=20, current=10)])])}

    (sheet,) = diff_of(tmp_path, old, new).sheets

    by_ref = {o.ref: o for o in sheet.objectives}
    brand = by_ref["2026-Q1/marketing/brand"]
    assert (brand.status, brand.old_ref) == ("renamed", "2026-Q1/marketing/brand-awareness")
    statuses = {k.id: (k.status, k.old_ref) for k in brand.krs}
    assert statuses == {  # `visitors` did not change: the objective's rename says enough
        "fans": ("renamed", "2026-Q1/marketing/brand-awareness/followers"),
        "newsletter": ("added", None),
        "press": ("removed", None),
    }
    assert by_ref["2026-Q1/marketing/retention"].status == "added"
    removed = by_ref["2026-Q1/marketing/conversion"]
    assert removed.status == "removed" and [k.status for k in removed.krs] == ["removed"]
    added = next(k for k in brand.krs if k.id == "newsletter")
    assert added.values["target"] == 2 and added.values["baseline"] == 1


def test_a_sheet_moved_to_another_team(tmp_path: Path) -> None:
    text = sheet_yaml([kr("leads", current=10, baseline=10, target=40)], team="sales",
                      objective="pipeline")
    result = diff_of(tmp_path, {"okrs/2026-Q1/sales.yaml": text},
                     {"okrs/2026-Q1/growth.yaml": text.replace("team: sales", "team: growth")})
    (sheet,) = result.sheets
    assert (sheet.prefix, sheet.status, sheet.old_prefix) == ("2026-Q1/growth", "renamed",
                                                              "2026-Q1/sales")
    (k,) = result.krs()
    assert (k.ref, k.status, k.old_ref) == ("2026-Q1/growth/pipeline/leads", "renamed",
                                            "2026-Q1/sales/pipeline/leads")


def test_whole_sheets_added_and_removed(tmp_path: Path) -> None:
    result = diff_of(tmp_path, {"okrs/2026-Q1/sales.yaml": sheet_yaml([kr("leads")],
                                                                      team="sales")},
                     {MKT: sheet_yaml([kr("visitors")])})
    assert [(s.prefix, s.status) for s in result.sheets] == [("2026-Q1/marketing", "added"),
                                                            ("2026-Q1/sales", "removed")]
    assert result.counts()["added"] == 1 and result.counts()["removed"] == 1


def test_an_empty_diff_says_so(tmp_path: Path) -> None:
    files = {MKT: sheet_yaml([kr("visitors")])}
    result = diff_of(tmp_path, files, files)
    assert result.empty
    assert render_text(result, "en", old_label="main", new_label="working tree") == \
        "No OKR changes between main and working tree.\n"
    assert render_text(result, "zh-TW", old_label="main", new_label="工作目錄") == \
        "main 與 工作目錄 之間沒有 OKR 變更。\n"
    assert render_markdown(result, "en", old_label="main", new_label="HEAD") == \
        "## OKR changes\n\nNo OKR changes between `main` and `HEAD`.\n"
    assert json.loads(as_json(result, old_label="a", new_label="b"))["empty"] is True


def test_skipped_sheets_are_named(tmp_path: Path) -> None:
    files = {MKT: sheet_yaml([kr("visitors")])}
    result = diff_of(tmp_path, files, {MKT: sheet_yaml([kr("visitors", current=1)])},
                     skip=["2026-Q1/marketing"])
    assert result.empty and result.skipped == ("2026-Q1/marketing",)
    assert "not compared (does not parse on one side): 2026-Q1/marketing" in render_text(
        result, "en", old_label="a", new_label="b")


def test_text_is_coloured_only_when_asked(tmp_path: Path) -> None:
    result = diff_of(tmp_path, {MKT: sheet_yaml([kr("visitors")])},
                     {MKT: sheet_yaml([kr("visitors", current=52000, target=55000)])})
    plain = render_text(result, "en", old_label="main", new_label="working tree")
    assert "\x1b[" not in plain
    assert plain.splitlines() == [
        "OKR changes: main → working tree",
        "1 sheet changed · 1 check-in · 1 plan change · 0 KRs added · 0 KRs removed",
        "⚠️ 1 goal post moved without a recorded reason",
        "",
        f"2026-Q1 marketing (行銷部)  {result.sheets[0].path}",
        "  Objective brand-awareness  提升品牌知名度",
        "    visitors  visitors 達到目標值",
        "      check-ins: current 50000 → 52000  (+4.0%)",
        "      plan changes: target 60000 → 55000  (−8.3%)",
        "      ⚠ goal post moved after the cycle started: target 60000 → 55000 (−8.3%), "
        "no reason recorded",
    ]
    coloured = render_text(result, "en", old_label="main", new_label="working tree", color=True)
    assert "\x1b[33m" in coloured and "\x1b[0m" in coloured


def test_markdown_escapes_what_it_shows(tmp_path: Path) -> None:
    title = "<script>alert(1)</script> a | b"
    result = diff_of(tmp_path, {MKT: sheet_yaml([kr("visitors", title=f"'{title}'")])},
                     {MKT: sheet_yaml([kr("visitors", title=f"'{title}'", current=51000)])})
    text = render_markdown(result, "en", old_label="main", new_label="HEAD")
    assert "<script>" not in text
    assert "&lt;script&gt;alert(1)&lt;/script&gt; a \\| b" in text


def test_json_has_every_change(tmp_path: Path) -> None:
    result = diff_of(tmp_path, {MKT: sheet_yaml([kr("visitors")])},
                     {MKT: sheet_yaml([kr("visitors", current=52000, target=55000)])})
    data = json.loads(as_json(result, old_label="main", new_label="HEAD"))
    (k,) = data["sheets"][0]["objectives"][0]["key_results"]
    assert k["checkins"] == [{"field": "current", "old": 50000, "new": 52000, "relative": 0.04}]
    assert k["goal_posts"][0]["reason"] is None
    assert data["counts"]["goal_posts"] == 1


def test_cells_are_text_never_html() -> None:
    # titles and review findings are anyone's text (tests/test_gfm.py: every string)
    assert md_text("<script>alert(1)</script> | a\nb & c") == (
        "&lt;script&gt;alert(1)&lt;/script&gt; \\| a<br>b &amp; c")
    assert md_text(None) == "null" and md_text(0.5) == "0.5"


def test_hostile_titles_show_as_typed_in_the_comment(tmp_path: Path) -> None:
    """The pull-request comment of a real diff, read back with a GFM parser: every YAML
    string is one literal text (tests/test_gfm.py has the property test of the helper)."""
    from markdown_it import MarkdownIt

    from golden import assert_golden

    title = "@octocat ![x](https://example.com/p.png) <img src=x> **b** | `c` #12 「全形」｜"
    result = diff_of(tmp_path, {MKT: sheet_yaml([kr("visitors", title=f"'{title}'")])},
                     {MKT: sheet_yaml([kr("visitors", title=f"'{title}'", current=51000)],
                                      objective_title=f"'{title}'")})
    text = render_markdown(result, "en", old_label="main", new_label="HEAD").replace(
        result.sheets[0].path, MKT)  # a tmp path in the test
    assert_golden(Path(__file__).parent / "resources" / "review" / "diff-hostile.md", text)
    md = MarkdownIt("gfm-like")
    md.linkify.set({"fuzzy_link": False})
    shown = []
    for token in md.parse(text):
        for child in token.children or []:
            assert child.type not in ("image", "link_open"), child
            if child.type == "html_inline":
                assert child.content in ("<code>", "</code>", "<br>"), child
            if child.type == "text":
                shown.append(child.content.replace("\u200b", ""))
    # the objective's heading, its title change, the key result's cell
    assert sum(title in s for s in shown) == 3
