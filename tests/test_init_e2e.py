"""A team adopts okrkit, end to end, with the real tools: `okr init` → `git init`
and a first commit → the real `pre-commit run --all-files` with okrkit's hook →
a check-in committed through the installed hook → `mkdocs build --strict`
shows the sheet, its chart and the check-in in its timeline, and publishes the
schema at a stable URL.

The hook's repository is a git repository made from the package's files in this
work tree, as they are now, so the test checks the hook as it will ship.
"""

from __future__ import annotations

import datetime as dt
import html
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from okrkit import resources
from okrkit.cli import main
from okrkit.cycles import CycleCalendar
from paths import REPO_ROOT

pytestmark = pytest.mark.slow

BIN = Path(sys.executable).parent

def _run(args: list[str], cwd: Path, env: dict[str, str] | None = None
         ) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(args, cwd=cwd, capture_output=True, text=True,
                            env={**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}",
                                 **(env or {})}, check=False, timeout=900)
    return result


def _ok(args: list[str], cwd: Path, env: dict[str, str] | None = None) -> str:
    result = _run(args, cwd, env)
    assert result.returncode == 0, (f"{' '.join(args)} exited {result.returncode}:\n"
                                    f"{result.stdout}\n{result.stderr}")
    return result.stdout


def _who(name: str, email: str, when: dt.datetime) -> dict[str, str]:
    stamp = when.isoformat()
    return {"GIT_AUTHOR_NAME": name, "GIT_AUTHOR_EMAIL": email, "GIT_AUTHOR_DATE": stamp,
            "GIT_COMMITTER_NAME": name, "GIT_COMMITTER_EMAIL": email,
            "GIT_COMMITTER_DATE": stamp}


def test_a_new_okr_repository_lints_builds_and_publishes(tmp_path: Path,
                                                         hook_repo: tuple[Path, str]) -> None:
    for tool in ("pre-commit", "mkdocs", "okr"):
        assert (BIN / tool).exists(), f"{tool} is not installed in {BIN}"
    if not (REPO_ROOT / ".pre-commit-hooks.yaml").is_file():
        pytest.fail("okrkit's .pre-commit-hooks.yaml is missing")
    hooks, rev = hook_repo
    team = tmp_path / "acme-okrs"
    now = dt.datetime.now(dt.timezone(dt.timedelta(hours=8))).replace(microsecond=0)
    cycle = CycleCalendar().containing(now.date())

    # the current quarter, even past its middle (where init proposes the next one): the
    # check-ins below happen now
    assert main(["init", str(team), "--lang", "zh-TW", "--hooks-repo", str(hooks),
                 "--hooks-rev", rev, "--cycle", cycle.id]) == 0

    _ok(["git", "init", "-q", "-b", "main"], team)
    _ok(["git", "add", "-A"], team)
    _ok(["git", "commit", "-q", "--no-verify", "-m", "okr: start"], team,
        _who("王美玲", "mei@example.com", now - dt.timedelta(days=2)))
    hook_run = _run(["pre-commit", "run", "--all-files"], team)
    assert hook_run.returncode == 0, hook_run.stdout + hook_run.stderr
    assert re.search(r"^okr lint .*Passed$", hook_run.stdout, re.M), hook_run.stdout

    # a check-in, committed through the installed hook (no --no-verify)
    _ok(["pre-commit", "install"], team)
    kr_ref = f"{cycle.id}/marketing/brand-awareness/unique-visitors"
    _ok(["okr", "checkin", kr_ref, "53000", "--confidence", "0.8"], team)
    sheet = team / "okrs" / cycle.id / "marketing.yaml"
    assert "current: 53000" in sheet.read_text(encoding="utf-8")
    subject = "marketing: 每週進度更新,不重複訪客 53000"
    _ok(["git", "commit", "-q", "-am", subject], team,
        _who("王美玲", "mei@example.com", now - dt.timedelta(days=1)))
    assert _ok(["git", "log", "-1", "--format=%s"], team).strip() == subject

    _ok(["mkdocs", "build", "--strict"], team)

    page = team / "site" / "okrs" / cycle.id / "marketing" / "index.html"
    source = page.read_text(encoding="utf-8")
    text = html.unescape(source)  # the site escapes YAML text (a ':' too) in its HTML
    assert "提升品牌知名度" in text
    assert "將網站每月不重複訪客數提升20%" in text
    assert "<svg" in source  # the KR's chart, inline
    assert subject in text  # the check-in in the KR's timeline
    assert "王美玲" in text
    for kind in ("okr", "org", "config"):  # the stable URL that modelines can point at
        published = team / "site" / "schema" / f"{kind}.schema.json"
        assert published.read_bytes() == resources.schema_file(kind).read_bytes()
