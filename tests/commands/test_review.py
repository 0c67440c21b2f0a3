"""`okr review`: the pull-request comment and the weekly check-in report, on real
git repositories with dated commits.

The comment for the sample change in tests/resources/init/review (a check-in,
a target lowered after the cycle started, a plan change and a new key result)
is kept as a golden file per language: tests/resources/init/pr-comment.*.md.
Set OKRKIT_UPDATE_GOLDEN=1 to rewrite them after a deliberate change, and read
the diff: they are what a reviewer reads.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from gitrepo import GitRepo
from golden import assert_golden
from okrkit.cli import main
from okrkit.commands.review import DIFF_MARKER, STALE_MARKER

RESOURCES = Path(__file__).resolve().parent.parent / "resources" / "init"
MEI = "王美玲 <mei@example.com>"
KAI = "張凱文 <kai@example.com>"


def _put(repo: GitRepo, side: str) -> None:
    shutil.rmtree(repo.path / "okrs", ignore_errors=True)
    shutil.copytree(RESOURCES / "review" / side / "okrs", repo.path / "okrs")


@pytest.fixture
def sample_change(git_repo: GitRepo, monkeypatch: pytest.MonkeyPatch) -> tuple[GitRepo, str]:
    """The plan committed before the cycle, then February's check-in commit; the base sha."""
    _put(git_repo, "base")
    base = git_repo.commit("marketing: 2026-Q1 計畫", author=MEI,
                           date="2025-12-20T10:00:00+08:00")
    _put(git_repo, "head")
    git_repo.commit("marketing: 二月進度更新", author=KAI, date="2026-02-10T10:00:00+08:00")
    monkeypatch.chdir(git_repo.path)
    monkeypatch.setenv("OKR_TODAY", "2026-02-10")
    return git_repo, base


@pytest.mark.parametrize("lang", ["en", "zh-TW"])
def test_pr_comment_for_the_sample_change(sample_change: tuple[GitRepo, str], lang: str,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    _, base = sample_change

    assert main(["review", base, "HEAD", "--lang", lang]) == 0

    body = capsys.readouterr().out
    golden = RESOURCES / f"pr-comment.{lang}.md"
    assert_golden(golden, body)


def test_pr_comment_reads_well(sample_change: tuple[GitRepo, str],
                               capsys: pytest.CaptureFixture[str]) -> None:
    _, base = sample_change

    assert main(["review", base, "HEAD", "--lang", "en"]) == 0

    body = capsys.readouterr().out
    lines = body.splitlines()
    assert lines[0] == DIFF_MARKER  # how the workflow finds the comment to update
    # check-ins and plan changes are apart, in that order, and the lint comes last
    checkins, plan, lint = (body.index("**Check-ins**"), body.index("**Plan changes**"),
                            body.index("## Lint"))
    assert checkins < plan < lint
    assert ("> ⚠️ `social-followers`: goal post moved after the cycle started: target 27600 "
            "→ 26000 (−5.8%), no reason recorded") in lines
    assert "| `social-followers` 將社群媒體粉絲數量增加15% | target | 27600 | 26000 | −5.8% ⚠️ |" \
        in lines
    assert any(line.startswith("| ⚠️ warning | `okrs/2026-Q1/marketing.yaml:30:17` | OKR604 ")
               for line in lines)
    # commits are named by their short ids, not by what the workflow says (HEAD^1, HEAD)
    assert any(re.match(r"`[0-9a-f]{7,}` → `[0-9a-f]{7,}`", line) for line in lines)


def test_default_base_is_the_merge_base_and_head_the_work_tree(
        sample_change: tuple[GitRepo, str], monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    repo, base = sample_change
    monkeypatch.setenv("OKR_TODAY", "2026-01-10")  # before any check-in is overdue (OKR503)
    repo.git("checkout", "-q", "-b", "feature", base)
    repo.git("branch", "-f", "main", base)
    sheet = repo.path / "okrs/2026-Q1/marketing.yaml"
    sheet.write_text(sheet.read_text(encoding="utf-8").replace("current: 50000",
                                                               "current: 51000"),
                     encoding="utf-8")

    assert main(["review", "--lang", "en"]) == 0

    body = capsys.readouterr().out
    assert f"`main (merge base {base[:7]})` → `working tree`" in body
    assert "| current | 50000 | 51000 | +2.0% |" in body
    assert "✅ No lint findings in the changed files." in body


def test_no_okr_change_has_no_lint_section(sample_change: tuple[GitRepo, str],
                                           capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["review", "HEAD", "HEAD", "--lang", "en"]) == 0

    body = capsys.readouterr().out
    assert "No OKR changes between" in body
    assert "## Lint" not in body
    assert body.startswith(DIFF_MARKER + "\n")


def test_review_outside_a_repository_and_a_bad_revision_are_fatal(
        tmp_path: Path, sample_change: tuple[GitRepo, str], monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["review", "no-such-rev", "HEAD", "--lang", "en"]) == 2
    assert capsys.readouterr().err == "okr: error: unknown revision 'no-such-rev'\n"
    assert main(["review", "HEAD", "--stale", "--lang", "en"]) == 2
    assert capsys.readouterr().err == ("okr: error: --stale reports on the checked-out files: "
                                       "it takes no BASE or HEAD\n")
    plain = tmp_path / "plain"
    shutil.copytree(RESOURCES / "review" / "head" / "okrs", plain / "okrs")
    monkeypatch.chdir(plain)
    assert main(["review", "--lang", "zh-TW"]) == 2
    assert capsys.readouterr().err.startswith("okr:錯誤:okr review 比較的是 git 版本")


# -- the weekly check-in report ------------------------------------------------------


@pytest.fixture
def stale_repo(git_repo: GitRepo, monkeypatch: pytest.MonkeyPatch) -> GitRepo:
    """The sample plan, committed on the first day of the cycle; today is 40 days later."""
    _put(git_repo, "base")
    git_repo.commit("marketing: 2026-Q1 計畫", author=MEI, date="2026-01-01T10:00:00+08:00")
    monkeypatch.chdir(git_repo.path)
    monkeypatch.setenv("OKR_TODAY", "2026-02-10")
    return git_repo


def test_stale_report_lists_who_owes_a_check_in(stale_repo: GitRepo,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["review", "--stale", "--lang", "en"]) == 0

    lines = capsys.readouterr().out.splitlines()
    assert lines[:4] == [STALE_MARKER, "", "<!-- okrkit-stale-count: 3 -->", ""]
    assert lines[4] == "## OKR check-ins due: 3 key result(s), 2 owner(s)"
    assert lines[lines.index("### 王美玲 (`mei`)") + 2:][:2] == [
        "- [ ] `2026-Q1/marketing/brand-awareness/media-coverage` 在行業相關的媒體上獲得至少3次"
        "報導: no check-in for 40 days (never since it was added on 2026-01-01 by 王美玲, "
        f"{stale_repo.head()[:7]}): update current or confidence at least every 14 days",
        "- [ ] `2026-Q1/marketing/brand-awareness/social-followers` 將社群媒體粉絲數量增加15%: "
        "no check-in for 40 days (never since it was added on 2026-01-01 by 王美玲, "
        f"{stale_repo.head()[:7]}): update current or confidence at least every 14 days",
    ]
    kai = lines.index("### 張凱文 (`kai`)")
    assert lines[kai + 2].startswith("- [ ] `2026-Q1/marketing/brand-awareness/unique-visitors`")


def test_stale_report_in_traditional_chinese_then_up_to_date(
        stale_repo: GitRepo, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["review", "--stale", "--lang", "zh-TW"]) == 0
    assert "## OKR 進度待更新:3 個關鍵結果、2 位負責人" in capsys.readouterr().out.splitlines()

    _put(stale_repo, "head")  # everyone checks in
    stale_repo.commit("marketing: 二月進度更新", author=KAI, date="2026-02-09T10:00:00+08:00")
    assert main(["review", "--stale", "--lang", "zh-TW"]) == 0

    lines = capsys.readouterr().out.splitlines()
    assert "<!-- okrkit-stale-count: 0 -->" in lines
    assert "## OKR 進度更新:大家都已更新" in lines
