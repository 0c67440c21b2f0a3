"""Inline suppressions `# okr: disable-next-line|disable-line|disable-file CODES -- reason`.

The findings suppressed here are OKR603's (an objective without owner, at its
`id:` value) and OKR006's (an unknown strategy theme, at the list item), so the
positions are visible in each sheet.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from okrkit.findings import Pos
from okrkit.rules import all_codes
from okrkit.rules.suppress import parse
from okrkit.yamlload import load_text

Lint = Callable[..., Any]


def sheet(*, before_id: str = "", on_id: str = "", top: str = "",
          strategy: str = "[brand]") -> str:
    return f"""\
{top}cycle: 2026-Q1
team: marketing
objectives:
{before_id}  - id: social-engagement{on_id}
    title: 提高社群媒體參與度
    strategy: {strategy}
    key_results:
      - id: facebook-engagement-rate
        title: 在第一季度,將Facebook粉絲專頁的平均貼文互動率提升15%,並在3月31日前達成
        metric: Facebook 粉絲專頁平均貼文互動率
        source: Meta Business Suite
        baseline: 4.0
        target: 4.6
        due: 2026-03-31
        owner: fang
"""


def run(lint_result: Lint, tmp_path: Path, text: str, **kwargs: Any
        ) -> tuple[list[tuple[int, int, str]], list[tuple[str, str]]]:
    kwargs.setdefault("select", ["OKR603", "OKR9"])
    result, _ = lint_result(tmp_path, text, **kwargs)
    found = [(f.pos.line, f.pos.col, f.code) for f in result.findings]
    silenced = [(f.code, reason) for f, reason in result.suppressed]
    return found, silenced


def test_without_a_suppression_the_finding_is_there(lint_result: Lint, tmp_path: Path) -> None:
    assert run(lint_result, tmp_path, sheet()) == ([(4, 9, "OKR603")], [])


def test_disable_next_line_skips_blank_and_comment_lines(lint_result: Lint, tmp_path: Path
                                                         ) -> None:
    text = sheet(before_id="  # okr: disable-next-line OKR603 -- 由行銷部主管統籌\n\n"
                           "  # 其他註解\n")
    assert run(lint_result, tmp_path, text) == ([], [("OKR603", "由行銷部主管統籌")])


def test_disable_line_at_the_end_of_the_line(lint_result: Lint, tmp_path: Path) -> None:
    text = sheet(on_id="  # okr: disable-line OKR603 -- shared by the whole team")
    assert run(lint_result, tmp_path, text) == ([], [("OKR603", "shared by the whole team")])


def test_disable_file_anywhere(lint_result: Lint, tmp_path: Path) -> None:
    text = sheet(top="# okr: disable-file OKR603 -- 草稿,負責人待定\n")
    assert run(lint_result, tmp_path, text) == ([], [("OKR603", "草稿,負責人待定")])


def test_a_value_on_the_line_after_its_key_belongs_to_the_keys_line(lint_result: Lint,
                                                                    tmp_path: Path) -> None:
    text = sheet(strategy="  # okr: disable-line OKR006 -- 新主題尚未寫入 org.yaml\n"
                          "      [brand, new-theme]")
    found, silenced = run(lint_result, tmp_path, text.replace(
        "    title: 提高社群媒體參與度\n", "    title: 提高社群媒體參與度\n    owner: fang\n"))
    assert found == [] and silenced == [("OKR006", "新主題尚未寫入 org.yaml")]


def test_a_missing_reason_is_an_error_but_the_suppression_still_applies(
        lint_result: Lint, tmp_path: Path) -> None:
    for comment in ("  # okr: disable-line OKR603", "  # okr: disable-line OKR603 --  "):
        found, silenced = run(lint_result, tmp_path / str(len(comment)), sheet(on_id=comment))
        assert found == [(4, 28, "OKR901")] and silenced == [("OKR603", "")]


def test_unknown_code_and_unused_code(lint_result: Lint, tmp_path: Path) -> None:
    text = sheet(on_id="  # okr: disable-line OKR603,OKR006, OKR31 -- 說明")
    found, silenced = run(lint_result, tmp_path, text)
    # OKR006 is a real code but, unlike OKR603, it has no finding here
    assert found == [(4, 28, "OKR902"), (4, 28, "OKR903")]
    assert silenced == [("OKR603", "說明")]


def test_unused_suppression_is_a_warning(lint_result: Lint, tmp_path: Path) -> None:
    text = sheet(on_id="  # okr: disable-line OKR603 -- 說明").replace(
        "    title: 提高社群媒體參與度\n", "    title: 提高社群媒體參與度\n    owner: fang\n")
    result, _ = lint_result(tmp_path, text, select=["OKR603", "OKR9"])
    assert [(f.pos.line, f.code, f.severity.label, f.message()) for f in result.findings] == [
        (4, "OKR903", "warning", "unused suppression: no OKR603 finding here")]
    assert result.findings[0].message("zh-TW") == "多餘的停用註解:這裡沒有 OKR603 的問題"


def test_a_suppression_of_a_rule_that_did_not_run_is_not_unused(lint_result: Lint,
                                                               tmp_path: Path) -> None:
    text = sheet(on_id="  # okr: disable-line OKR603 -- 說明").replace(
        "    title: 提高社群媒體參與度\n", "    title: 提高社群媒體參與度\n    owner: fang\n")
    assert run(lint_result, tmp_path, text, select=["OKR9"]) == ([], [])
    assert run(lint_result, tmp_path / "2", text,
               conf={"per_path_ignores": {"okrs/**": ["OKR603"]}}) == ([], [])


def test_disable_next_line_covers_only_the_next_line(lint_result: Lint, tmp_path: Path) -> None:
    text = sheet(top="# okr: disable-next-line OKR603 -- 說明\n")
    assert run(lint_result, tmp_path, text) == ([(1, 1, "OKR903"), (5, 9, "OKR603")], [])


def test_a_hash_inside_a_quoted_string_is_not_a_comment(lint_result: Lint, tmp_path: Path
                                                        ) -> None:
    text = sheet().replace("    title: 提高社群媒體參與度\n",
                           "    title: '提高參與度 # okr: disable-file OKR603 -- x'\n")
    assert run(lint_result, tmp_path, text) == ([(4, 9, "OKR603")], [])


def test_suppression_findings_obey_select_and_ignore(lint_result: Lint, tmp_path: Path) -> None:
    text = sheet(on_id="  # okr: disable-line OKR603")
    assert run(lint_result, tmp_path, text, ignore=["OKR901"]) == ([], [("OKR603", "")])


def test_suppression_findings_cannot_be_suppressed(lint_result: Lint, tmp_path: Path) -> None:
    text = sheet(top="# okr: disable-file OKR901 -- 不要\n")
    assert run(lint_result, tmp_path, text) == ([(1, 1, "OKR902"), (5, 9, "OKR603")], [])


@pytest.mark.parametrize(("comment", "variant_text"), [
    ("# okr: disable OKR603 -- x", "unknown suppression 'disable'"),
    ("# okr: disable-line -- x", "'disable-line' names no rule code"),
    ("# okr:disable-line okr603 -- x", "unknown rule code 'okr603'"),
])
def test_malformed_directives(comment: str, variant_text: str) -> None:
    doc, findings = load_text("a.yaml", f"cycle: 2026-Q1  {comment}\n")
    assert doc is not None and findings == []
    suppressions, problems = parse(doc, all_codes())
    assert suppressions == []
    assert [(f.pos, f.code) for f in problems] == [(Pos("a.yaml", 1, 17), "OKR902")]
    assert variant_text in problems[0].message()


def test_parse_reads_codes_reason_and_covered_lines() -> None:
    text = ("# okr: disable-next-line OKR301, OKR302 -- 與財務確認過的保守目標\n"
            "\n"
            "# another comment\n"
            "cycle: 2026-Q1\n"
            "team: marketing  # okr: disable-line OKR603 -- a -- b\n"
            "# okr: disable-file OKR101 -- 草稿\n")
    doc, _ = load_text("a.yaml", text)
    assert doc is not None
    suppressions, problems = parse(doc, all_codes() | {"OKR301", "OKR302", "OKR101"})
    assert problems == []
    assert [(s.kind, s.codes, s.reason, s.lines) for s in suppressions] == [
        ("disable-next-line", ("OKR301", "OKR302"), "與財務確認過的保守目標", frozenset({4})),
        ("disable-line", ("OKR603",), "a -- b", frozenset({5})),
        ("disable-file", ("OKR101",), "草稿", None),
    ]


# -- disable-next-line above a list item covers the whole item (OKR301 at `target:`) --------


def two_krs(*, above_objective: str = "", above_first: str = "", above_second: str = "",
            strategy: str = "[brand]") -> str:
    """Two committed KRs that ask for +3% (OKR301 at each `target:`), an objective without
    owner (OKR603 at its `id:`)."""
    return f"""\
cycle: 2026-Q1
team: marketing
objectives:
{above_objective}  - id: social-engagement
    title: 提高社群媒體參與度
    kind: committed
    strategy: {strategy}
    key_results:
{above_first}      - id: engagement-rate
        title: 將貼文互動率從4.0%提升到4.12%
        metric: 平均貼文互動率
        source: Meta Business Suite
        baseline: 4.0
        target: 4.12
        owner: fang
{above_second}      - id: followers
        title: 將粉絲數從1000提升到1030
        metric: 粉絲數
        source: Meta Business Suite
        baseline: 1000
        target: 1030
        owner: fang
"""


def test_above_a_key_result_it_covers_that_key_result_only(lint_result: Lint, tmp_path: Path
                                                          ) -> None:
    base = two_krs()
    assert run(lint_result, tmp_path, base, select=["OKR301", "OKR9"]) == (
        [(14, 17, "OKR301"), (21, 17, "OKR301")], [])
    text = two_krs(above_first="      # okr: disable-next-line OKR301 -- 與財務確認過的保守目標\n")
    assert run(lint_result, tmp_path / "2", text, select=["OKR301", "OKR9"]) == (
        [(22, 17, "OKR301")], [("OKR301", "與財務確認過的保守目標")])


def test_above_an_objective_it_covers_its_key_results_too(lint_result: Lint, tmp_path: Path
                                                          ) -> None:
    text = two_krs(above_objective="  # okr: disable-next-line OKR301,OKR603 -- 試行中的目標\n")
    found, silenced = run(lint_result, tmp_path, text, select=["OKR301", "OKR603", "OKR9"])
    assert found == []
    assert sorted(silenced) == [("OKR301", "試行中的目標"), ("OKR301", "試行中的目標"),
                                ("OKR603", "試行中的目標")]


def test_an_item_with_nothing_to_silence_is_an_unused_suppression(lint_result: Lint,
                                                                  tmp_path: Path) -> None:
    # OKR603 is about the objective: above a key result there is none inside it
    text = two_krs(above_second="      # okr: disable-next-line OKR603 -- 說明\n")
    found, silenced = run(lint_result, tmp_path, text, select=["OKR603", "OKR9"])
    assert found == [(4, 9, "OKR603"), (16, 7, "OKR903")] and silenced == []


def test_on_a_scalar_line_it_stays_one_line(lint_result: Lint, tmp_path: Path) -> None:
    # a scalar list item (a strategy theme) is one line; the next one is not covered
    text = two_krs(strategy="\n      # okr: disable-next-line OKR006 -- 新主題尚未寫入 org.yaml\n"
                            "      - new-theme\n      - other-theme")
    found, silenced = run(lint_result, tmp_path, text, select=["OKR006", "OKR9"])
    assert found == [(10, 9, "OKR006")]
    assert silenced == [("OKR006", "新主題尚未寫入 org.yaml")]


def test_parse_covers_every_line_of_a_nested_item() -> None:
    text = two_krs(above_objective="  # okr: disable-next-line OKR301 -- x\n",
                   above_second="      # okr: disable-next-line OKR301 -- y\n")
    doc, _ = load_text("a.yaml", text)
    assert doc is not None
    (objective, kr), problems = parse(doc, all_codes())
    assert problems == []
    assert objective.lines == frozenset(range(5, 25)) - {17}  # the comment line is no content
    assert kr.lines == frozenset(range(18, 25))
