"""Fixtures of the site tests: the small repository with its dated history, and the
browser (skipped loudly without chromium; a failure under CI=true)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from sitehelpers import chromium_path, make_small_history

from skipping import skip_or_fail


@pytest.fixture
def small_repo(git_repo: Any, monkeypatch: pytest.MonkeyPatch) -> Any:
    make_small_history(git_repo)
    monkeypatch.chdir(git_repo.path)
    return git_repo


@pytest.fixture(scope="session")
def chromium() -> str:
    """Debian's chromium; skipped loudly without it, a failure under CI=true."""
    path = chromium_path()
    if path is None:
        skip_or_fail("chromium is not installed (apt-get install chromium): "
                     "browser tests skipped")
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        skip_or_fail("the playwright package is not installed: browser tests skipped")
    return path


DEMO_TODAY = "2026-02-20"  # fixed, so both engines see the same day


@pytest.fixture(scope="session")
def demo_sites(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The demo (a clone of this repository: okrs/ with its git history, and the work
    tree's mkdocs.yml) built once per engine with `okr build --engine E --strict`,
    shared by the link, comparison and browser tests."""
    import shutil
    import subprocess

    from okrkit.cli import main
    from paths import REPO_ROOT, chdir, copy_work_tree

    base = tmp_path_factory.mktemp("demo-sites")
    repo = base / "demo"
    cloned = shutil.which("git") is not None and subprocess.run(
        ["git", "clone", "-q", str(REPO_ROOT), str(repo)], check=False,
        env={**os.environ, "GIT_CONFIG_GLOBAL": os.devnull}).returncode == 0
    if not cloned:  # not a git checkout (an sdist): the files, without their history
        shutil.rmtree(repo, ignore_errors=True)
        copy_work_tree(repo, ["okrs", "docs"])
    # the work tree's mkdocs.yml without `history_repo` (the story's replay: both engines
    # read it, test_engines_options.py) and its pinned today: here both engines read the
    # clone's own history, on DEMO_TODAY
    text = (REPO_ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    (repo / "mkdocs.yml").write_text(
        "\n".join(line for line in text.splitlines()
                  if "history_repo:" not in line and "today:" not in line) + "\n",
        encoding="utf-8")
    out = {}
    with pytest.MonkeyPatch.context() as mp, chdir(repo):
        mp.setenv("OKR_TODAY", DEMO_TODAY)
        mp.setenv("NO_MKDOCS_2_WARNING", "1")
        for engine in ("mkdocs", "zensical"):
            site = base / engine
            assert main(["build", "--engine", engine, "-d", str(site), "--strict"]) == 0
            out[engine] = site
    out["repo"] = repo
    return out
