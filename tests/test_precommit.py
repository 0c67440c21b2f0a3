"""The hook for real: `pre-commit try-repo`, then `pre-commit install` and `git commit`.

`try-repo` runs a repository's committed HEAD, so the hook repository is built
from the current work tree: its package files are copied into a tmp git
repository and committed there. The OKR repository is another tmp git
repository. A commit with the seed's vague, unmeasurable key result
(改善社群媒體參與度, no target) is rejected with the message and position; with
the seed's SMART rewrite (在第一季度,將Facebook粉絲專頁的平均貼文互動率提升15%,
並在3月31日前達成) the commit goes through. pre-commit installs the hook's
environment from the package index; PRE_COMMIT_HOME is in tmp (tests/conftest.py).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from paths import REPO_ROOT, copy_work_tree

pytestmark = pytest.mark.slow

PRE_COMMIT = str(Path(sys.executable).with_name("pre-commit"))
OKR = str(Path(sys.executable).with_name("okr"))
SHEET = "okrs/2026-Q1/marketing.yaml"

VAGUE = """\
cycle: 2026-Q1
team: marketing
owner: mei
objectives:
  - id: social-engagement
    title: 提高社群媒體參與度
    owner: fang
    kind: aspirational
    strategy: [brand]
    parent: 2026/company/grow-online
    key_results:
      - id: engagement
        title: 改善社群媒體參與度
        due: 2026-03-31
"""

SMART = """\
cycle: 2026-Q1
team: marketing
owner: mei
objectives:
  - id: social-engagement
    title: 提高社群媒體參與度
    owner: fang
    kind: aspirational
    strategy: [brand]
    parent: 2026/company/grow-online
    key_results:
      - id: engagement
        title: 在第一季度,將Facebook粉絲專頁的平均貼文互動率提升15%,並在3月31日前達成
        metric: Facebook 粉絲專頁平均貼文互動率
        source: Meta Business Suite
        unit: "%"
        baseline: 4.0
        target: 4.6
        confidence: 0.6
        due: 2026-03-31
        owner: fang
      - id: instagram-reach
        title: 將Instagram平均貼文觸及人數提升20%
        metric: Instagram 平均每篇貼文觸及人數
        source: Meta Business Suite
        unit: 人
        baseline: 3000
        target: 3600
        confidence: 0.5
        due: 2026-03-31
        owner: fang
"""


def run(args: list[str], cwd: Path, *, date: str = "2026-02-15T10:00:00+08:00",
        check: bool = True) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "OKR_TODAY": "2026-02-15",
           "GIT_AUTHOR_NAME": "Fang", "GIT_AUTHOR_EMAIL": "fang@example.com",
           "GIT_COMMITTER_NAME": "Fang", "GIT_COMMITTER_EMAIL": "fang@example.com",
           "GIT_AUTHOR_DATE": date, "GIT_COMMITTER_DATE": date}
    env.pop("VIRTUAL_ENV", None)
    proc = subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, check=False)
    if check and proc.returncode != 0:
        raise AssertionError(f"{' '.join(args)} failed ({proc.returncode}):\n"
                             f"{proc.stdout}\n{proc.stderr}")
    return proc


def git_init(path: Path) -> None:
    path.mkdir(parents=True, exist_ok=True)
    run(["git", "init", "-q", "-b", "main"], path)


def commit_all(path: Path, message: str, date: str) -> str:
    run(["git", "add", "-A"], path)
    run(["git", "commit", "-q", "--no-verify", "-m", message], path, date=date)
    return run(["git", "rev-parse", "HEAD"], path).stdout.strip()


@pytest.fixture
def okr_repo(tmp_path: Path) -> Path:
    """An OKR repository: the demo org and company sheet, committed."""
    repo = tmp_path / "okrs-repo"
    git_init(repo)
    (repo / "okrs" / "2026").mkdir(parents=True)
    shutil.copy2(REPO_ROOT / "okrs" / "org.yaml", repo / "okrs" / "org.yaml")
    shutil.copy2(REPO_ROOT / "okrs" / "2026" / "company.yaml",
                 repo / "okrs" / "2026" / "company.yaml")
    commit_all(repo, "okrs: the organisation and the annual OKRs", "2026-01-05T10:00:00+08:00")
    return repo


def write(repo: Path, rel: str, text: str) -> None:
    path = repo / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def test_try_repo_then_commit_rejected_then_accepted(hook_repo: tuple[Path, str],
                                                     okr_repo: Path) -> None:
    hooks, sha = hook_repo
    write(okr_repo, SHEET, VAGUE)
    run(["git", "add", SHEET], okr_repo)

    tried = run([PRE_COMMIT, "try-repo", str(hooks), "okr-lint", "--files", SHEET], okr_repo,
                check=False)
    assert tried.returncode == 1, tried.stdout + tried.stderr
    assert f"{SHEET}:13:16: OKR101 [warning] vague wording '改善' and no number" in tried.stdout
    assert f"{SHEET}:12:9: OKR201 [error] key result has no numeric target" in tried.stdout

    write(okr_repo, ".pre-commit-config.yaml",
          f"repos:\n  - repo: {hooks}\n    rev: {sha}\n    hooks:\n"
          "      - id: okr-validate\n      - id: okr-lint\n")
    run([PRE_COMMIT, "install"], okr_repo)
    run(["git", "add", "-A"], okr_repo)
    rejected = run(["git", "commit", "-m", "okrs: marketing Q1"], okr_repo, check=False)
    assert rejected.returncode != 0
    output = rejected.stdout + rejected.stderr
    assert "okr validate (YAML, schema, references)" in output
    assert f"{SHEET}:12:9: OKR201 [error]" in output
    assert f"{SHEET}:13:16: OKR101 [warning]" in output
    assert run(["git", "rev-list", "--count", "HEAD"], okr_repo).stdout.strip() == "1"

    write(okr_repo, SHEET, SMART)
    run(["git", "add", "-A"], okr_repo)
    accepted = run(["git", "commit", "-m", "okrs: marketing Q1, SMART"], okr_repo, check=False)
    assert accepted.returncode == 0, accepted.stdout + accepted.stderr
    hook_lines = [line for line in (accepted.stdout + accepted.stderr).splitlines()
                  if line.startswith("okr ")]
    assert [(line.split(".")[0], line.rsplit(".", 1)[-1]) for line in hook_lines] == [
        ("okr validate (YAML, schema, references)", "Passed"),
        ("okr lint (SMART rules and OKR pitfalls)", "Passed")]
    assert run(["git", "log", "-1", "--format=%s"], okr_repo).stdout.strip() == (
        "okrs: marketing Q1, SMART")

    # a weekly check-in through `okr checkin --commit`: the installed hooks run on it
    checked = run([OKR, "checkin", "engagement", "4.3", "--confidence", "0.7", "--commit"],
                  okr_repo, date="2026-02-16T09:00:00+08:00", check=False)
    output = checked.stdout + checked.stderr
    assert checked.returncode == 0, output
    assert "okr lint (SMART rules and OKR pitfalls)" in output and "Passed" in output
    assert run(["git", "log", "-1", "--format=%an|%s"], okr_repo).stdout.strip() == (
        "Fang|checkin(marketing/engagement): – → 4.3, confidence 0.6 → 0.7")
    assert run(["git", "status", "--porcelain"], okr_repo).stdout == ""


def test_this_repositorys_own_config_runs_the_work_tree(tmp_path: Path) -> None:
    """.pre-commit-config.yaml's local hooks lint with the code beside them."""
    repo = tmp_path / "self"
    git_init(repo)
    copy_work_tree(repo, ("plugins", "schema", "okrs", ".pre-commit-config.yaml"))
    commit_all(repo, "the demo", "2026-01-05T10:00:00+08:00")
    clean = run([PRE_COMMIT, "run", "--all-files"], repo, check=False)
    assert clean.returncode == 0, clean.stdout + clean.stderr
    write(repo, SHEET, VAGUE)
    run(["git", "add", "-A"], repo)
    dirty = run([PRE_COMMIT, "run", "okr-lint", "--files", SHEET], repo, check=False)
    assert dirty.returncode == 1
    assert f"{SHEET}:12:9: OKR201 [error]" in dirty.stdout
