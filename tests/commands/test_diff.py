"""`okr diff` on real repositories: a pull-request-like branch against main."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import pytest

from golden import assert_golden
from history_helpers import KAI, MEI, ORG, at, kr, sheet_yaml
from okrkit.cli import main

GOLDEN = Path(__file__).resolve().parents[1] / "resources" / "diff" / "pr-comment.md"
MKT = "okrs/2026-Q1/marketing.yaml"
SALES = "okrs/2026-Q1/sales.yaml"


def marketing(*, visitors: int = 53000, confidence: float = 0.6, followers: int = 25100,
              rate_target: float = 3.0, email: bool = False) -> str:
    conversion = [kr("conversion-rate", title="將網站的整體轉換率從2%提升到3%", baseline=2.0,
                     target=rate_target, current=2.4, confidence=0.5, unit="%",
                     metric="網站整體轉換率")]
    if email:
        conversion.append(kr("email-ctr", title="將電子郵件行銷的點擊率提高5%", baseline=3.2,
                             target=3.36, current=3.2, confidence=0.6, unit="%",
                             metric="電子報平均點擊率", owner="fang"))
    return sheet_yaml(
        [kr("unique-visitors", title="將網站每月不重複訪客數提升20%", current=visitors,
            confidence=confidence, metric="網站每月不重複訪客數"),
         kr("social-followers", title="將社群媒體粉絲數量增加15%", baseline=24000, target=27600,
            current=followers, confidence=0.7, unit="人", metric="粉絲總數", owner="fang")],
        more=[("website-conversion", "提高網站轉換率", conversion)])


def sales(target: int = 40) -> str:
    return sheet_yaml([kr("qualified-leads", title="每月合格潛在客戶達到40家", baseline=25,
                          target=target, current=30, confidence=0.5, unit="家",
                          metric="合格潛在客戶數")],
                      team="sales", objective="pipeline", objective_title="擴大業務管道")


@pytest.fixture
def pr_repo(git_repo, monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    """main: the Q1 plan and a January check-in; branch `kai/february`: a pull request."""
    git_repo.write("okrs/org.yaml", ORG)
    git_repo.write(MKT, marketing())
    git_repo.write(SALES, sales())
    git_repo.commit("okrs: plan 2026-Q1", author=MEI, date=at("2025-12-20"))
    git_repo.git("checkout", "-q", "-b", "kai/february")
    git_repo.write(MKT, marketing(visitors=55200, confidence=0.7, followers=25600))
    git_repo.commit("checkin: February figures", author=KAI, date=at("2026-02-09"))
    git_repo.write(MKT, marketing(visitors=55200, confidence=0.7, followers=25600,
                                  rate_target=2.8, email=True))
    git_repo.commit("okrs: conversion target and e-mail KR", author=KAI, date=at("2026-02-10"))
    git_repo.write(SALES, sales(target=36))
    git_repo.commit("okrs: sales target\n\nOKR-Reason: 兩位業務離職,人力減少一成", author=KAI,
                    date=at("2026-02-11"))
    monkeypatch.chdir(git_repo.path)
    monkeypatch.setenv("OKR_TODAY", "2026-02-15")
    return git_repo


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["diff", *args])
    out, err = capsys.readouterr()
    return code, out, err


def _normal(text: str) -> str:
    return re.sub(r"merge base [0-9a-f]{7}", "merge base <sha>", text)


def test_the_pull_request_comment_reads_well(pr_repo, capsys) -> None:  # type: ignore[no-untyped-def]
    code, out, err = run(capsys, "--format", "markdown")
    assert (code, err) == (0, "")
    assert_golden(GOLDEN, _normal(out))


def test_the_comment_flags_the_target_lowered_without_a_reason(pr_repo, capsys) -> None:  # type: ignore[no-untyped-def]
    _, out, _ = run(capsys, "--format", "markdown")
    assert "> ⚠️ `conversion-rate`: goal post moved after the cycle started: target 3.0 → 2.8 " \
           "(−6.7%), no reason recorded" in out
    assert "> ℹ️ `qualified-leads`: target 40 → 36 (−10.0%) after the cycle started: " \
           "兩位業務離職,人力減少一成" in out
    assert "| `unique-visitors` 將網站每月不重複訪客數提升20% | current | 53000 | 55200 | +4.2% |" \
        in out


def test_text_by_default_and_the_same_between_revisions(pr_repo, capsys) -> None:  # type: ignore[no-untyped-def]
    code, out, _ = run(capsys)
    assert code == 0
    lines = _normal(out).splitlines()
    assert lines[:3] == [
        "OKR changes: main (merge base <sha>) → working tree",
        "2 sheets changed · 2 check-ins · 2 plan changes · 1 KR added · 0 KRs removed",
        "⚠️ 1 goal post moved without a recorded reason",
    ]
    assert "      ⚠ goal post moved after the cycle started: target 3.0 → 2.8 (−6.7%), no reason " \
           "recorded" in lines
    _, between, _ = run(capsys, "main", "HEAD")
    assert between.splitlines()[3:] == out.splitlines()[3:]
    assert between.splitlines()[0] == "OKR changes: main → HEAD"


def test_uncommitted_edits_are_in_the_default_diff(pr_repo, capsys) -> None:  # type: ignore[no-untyped-def]
    pr_repo.write(MKT, marketing(visitors=56000, confidence=0.7, followers=25600,
                                 rate_target=2.8, email=True))
    _, out, _ = run(capsys, "HEAD", "--format", "json")
    data = json.loads(out)
    assert data["new"] == "working tree" and data["counts"]["checkins"] == 1
    (k,) = [k for s in data["sheets"] for o in s["objectives"] for k in o["key_results"]]
    assert k["checkins"] == [{"field": "current", "old": 55200, "new": 56000,
                              "relative": pytest.approx(0.01449, abs=1e-5)}]


def test_an_empty_diff_says_so(pr_repo, capsys) -> None:  # type: ignore[no-untyped-def]
    code, out, _ = run(capsys, "HEAD")
    assert (code, out) == (0, "No OKR changes between HEAD and working tree.\n")
    _, out, _ = run(capsys, "HEAD", "--lang", "zh-TW")
    assert out == "HEAD 與 工作目錄 之間沒有 OKR 變更。\n"


def test_in_traditional_chinese(pr_repo, capsys) -> None:  # type: ignore[no-untyped-def]
    _, out, _ = run(capsys, "--format", "markdown", "--lang", "zh-TW")
    assert out.startswith("## OKR 變更\n")
    assert "**進度更新**" in out and "**計畫變更**" in out
    assert "週期開始後調整了目標:目標值 3.0 → 2.8(−6.7%),未記錄原因" not in out  # en parens
    assert "週期開始後調整了目標:目標值 3.0 → 2.8 (−6.7%),未記錄原因" in out
    # the fields as the site names them, not the YAML keys
    assert "| `qualified-leads` 每月合格潛在客戶達到40家 | 目標值 | 40 | 36 | −10.0% |" in out
    _, out, _ = run(capsys, "--lang", "zh-TW")
    assert "      計畫變更: 目標值 40 → 36  (−10.0%)" in out.splitlines()


def test_a_sheet_that_does_not_parse_is_left_out_with_a_note(pr_repo, capsys) -> None:  # type: ignore[no-untyped-def]
    pr_repo.write(SALES, "cycle: [\n")
    _, out, _ = run(capsys, "HEAD")
    assert out == ("No OKR changes between HEAD and working tree.\n"
                   "not compared (does not parse on one side): 2026-Q1/sales\n")


def test_without_a_main_branch_it_compares_with_head(pr_repo, capsys) -> None:  # type: ignore[no-untyped-def]
    pr_repo.git("branch", "-m", "main", "trunk")
    code, out, err = run(capsys)
    assert code == 0 and out == "No OKR changes between HEAD and working tree.\n"
    assert err == "okr: warning: no branch main or origin/main: comparing with HEAD\n"


def test_a_ci_checkout_detached_with_only_origin_main(pr_repo, tmp_path: Path, capsys,  # type: ignore[no-untyped-def]
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    clone = tmp_path / "ci"
    subprocess.run(["git", "clone", "-q", "--no-checkout", f"file://{pr_repo.path}", str(clone)],
                   check=True, capture_output=True)
    head = pr_repo.head()
    subprocess.run(["git", "-C", str(clone), "checkout", "-q", "--detach", head], check=True,
                   capture_output=True)
    # the clone's branch is the pull request's: `main` is only origin/main
    branches = subprocess.run(["git", "-C", str(clone), "branch", "--list", "main"],
                              check=True, capture_output=True, text=True).stdout
    assert branches == ""
    monkeypatch.chdir(clone)
    code, out, err = run(capsys)
    assert (code, err) == (0, "")
    assert _normal(out).startswith("OKR changes: origin/main (merge base <sha>) → working tree\n")


def test_outside_a_repository_is_an_error(tmp_path: Path, capsys,  # type: ignore[no-untyped-def]
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "okrs").mkdir()
    (tmp_path / "okrs" / "org.yaml").write_text(ORG, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    code, out, err = run(capsys)
    assert (code, out) == (2, "")
    assert err.startswith("okr: error: okr diff compares git revisions, and . is not in a git "
                          "repository (not a git repository")
    assert err.count("\n") == 1


def test_an_unknown_revision_is_an_error(pr_repo, capsys) -> None:  # type: ignore[no-untyped-def]
    code, _, err = run(capsys, "no-such-branch")
    assert (code, err) == (2, "okr: error: unknown revision 'no-such-branch'\n")


def test_a_shallow_ci_checkout_without_the_merge_base(pr_repo, tmp_path: Path, capsys,  # type: ignore[no-untyped-def]
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    pr_repo.git("checkout", "-q", "main")
    pr_repo.write(SALES, sales(target=45))
    pr_repo.commit("okrs: sales aims higher", author=MEI, date=at("2026-02-12"))
    clone = tmp_path / "ci"
    pr_repo.clone(clone, depth=1, all_branches=True)
    subprocess.run(["git", "-C", str(clone), "checkout", "-q", "--detach", "origin/kai/february"],
                   check=True, capture_output=True)
    monkeypatch.chdir(clone)
    code, out, err = run(capsys)
    assert (code, out) == (0, "No OKR changes between HEAD and working tree.\n")
    assert err == ("okr: warning: HEAD and main have no common commit here (a shallow clone? "
                   "fetch with `fetch-depth: 0`): comparing with HEAD\n")


def test_a_yml_sheet_between_revisions_keeps_its_reason(git_repo, capsys,  # type: ignore[no-untyped-def]
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    # the history is read from the sheets' own paths, not a rebuilt `<team>.yaml`
    sales_yml = "okrs/2026-Q1/sales.yml"
    git_repo.write("okrs/org.yaml", ORG)
    git_repo.write(sales_yml, sales())
    git_repo.commit("okrs: plan 2026-Q1", author=MEI, date=at("2025-12-20"))
    git_repo.write(sales_yml, sales(target=36))
    git_repo.commit("okrs: sales target\n\nOKR-Reason: 兩位業務離職,人力減少一成", author=KAI,
                    date=at("2026-02-11"))
    monkeypatch.chdir(git_repo.path)
    monkeypatch.setenv("OKR_TODAY", "2026-02-15")
    code, out, _ = run(capsys, "--format", "markdown", "HEAD~1", "HEAD")
    assert code == 0
    assert "> ℹ️ `qualified-leads`: target 40 → 36 (−10.0%) after the cycle started: " \
           "兩位業務離職,人力減少一成" in out
    assert "no reason recorded" not in out
