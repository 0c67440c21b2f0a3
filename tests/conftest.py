"""Shared fixtures: an isolated home, real git repositories, the demo tree, synthetic data.

- `git_repo`: a fresh repository in a tmp dir; `.write(relpath, text)` and
  `.commit(message, author=..., date=...)` run real git with GIT_AUTHOR_* and
  GIT_COMMITTER_* set per commit (pre-commit's `testing/fixtures.py` style).
- `hook_repo`: the work tree's package committed in a tmp repository, for pre-commit.
- `demo_tree`: a copy of `okrs/` (and `.okrkit.yaml`, if any) in a tmp dir.
- `synth`: the shared generator `bench/synth.py` (`write_tree`, `make_history`);
  `synth_org`: its repositories, one per shape a session (tests/synthorg.py).
- autouse: HOME, XDG dirs, the global git config and PRE_COMMIT_HOME point into
  tmp, so no test reads or writes the real home; messages default to English.
- the end of the run repeats, in red, every tool that was missing (tests/skipping.py).
"""

from __future__ import annotations

import importlib.util
import shutil
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from gitrepo import GitRepo
from paths import REPO_ROOT, copy_demo, copy_work_tree
from skipping import SKIPPED
from synthorg import SynthOrg, synth_org_factory


@pytest.fixture(autouse=True)
def isolated_home(tmp_path_factory: pytest.TempPathFactory,
                  monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    home = tmp_path_factory.mktemp("home")
    gitconfig = home / ".gitconfig"
    gitconfig.write_text("[init]\n\tdefaultBranch = main\n[commit]\n\tgpgsign = false\n",
                         encoding="utf-8")
    env = {
        "HOME": str(home),
        "XDG_CONFIG_HOME": str(home / ".config"),
        "XDG_CACHE_HOME": str(home / ".cache"),
        "XDG_DATA_HOME": str(home / ".local" / "share"),
        "GIT_CONFIG_GLOBAL": str(gitconfig),
        "GIT_CONFIG_NOSYSTEM": "1",
        # an identity for git commands that tests run without the commit helper
        "GIT_AUTHOR_NAME": "okrkit tests",
        "GIT_AUTHOR_EMAIL": "tests@okrkit.invalid",
        "GIT_COMMITTER_NAME": "okrkit tests",
        "GIT_COMMITTER_EMAIL": "tests@okrkit.invalid",
        "PRE_COMMIT_HOME": str(home / ".cache" / "pre-commit"),
        # exact-output tests expect English unless they ask for --lang zh-TW
        "LANG": "C.UTF-8",
        # an `okr` run by a test ends with its cache written (not by a writer that outlives
        # it, into a folder the test may delete); test_history_fork tests the default
        "OKRKIT_CACHE_WAIT": "1",
    }
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    for name in ("LC_ALL", "LC_MESSAGES", "LANGUAGE", "GIT_DIR", "GIT_WORK_TREE",
                 "GIT_INDEX_FILE", "OKRKIT_LANG"):
        monkeypatch.delenv(name, raising=False)
    yield home


@pytest.fixture
def git_repo(tmp_path: Path) -> GitRepo:
    return GitRepo(tmp_path / "repo")


# what `pip install .` needs, so pre-commit can install the hook from a copy
HOOK_REPO_FILES = ("pyproject.toml", "README.md", ".pre-commit-hooks.yaml", "plugins", "schema",
                   "site_templates")


@pytest.fixture
def hook_repo(tmp_path: Path) -> tuple[Path, str]:
    """The package as it is in this work tree, committed in a tmp repository (pre-commit
    installs a hook from a git revision); (path, sha)."""
    repo = GitRepo(tmp_path / "okrkit-hooks")
    copy_work_tree(repo.path, HOOK_REPO_FILES)
    return repo.path, repo.commit("okrkit as it is in the work tree",
                                  date="2026-01-02T09:00:00+08:00")


@pytest.fixture
def demo_tree(tmp_path: Path) -> Path:
    """A tmp dir holding a copy of the demo data: `<dir>/okrs/...`."""
    return copy_demo(tmp_path / "demo")


def _load_synth() -> ModuleType:
    name = "synth"
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, REPO_ROOT / "bench" / "synth.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="session")
def synth() -> ModuleType:
    """bench/synth.py: `write_tree(root, teams=, cycles=)` and `make_history(root, commits=)`."""
    return _load_synth()


@pytest.fixture(scope="session")
def synth_org(tmp_path_factory: pytest.TempPathFactory, synth: ModuleType) -> SynthOrg:
    """`synth_org(teams=, cycles=, commits=)`: a synthetic organisation's repository, built
    once a session per shape (default: 4 teams x 2 quarters, 120 commits); copy it with
    `synthorg.copy_org` before changing it."""
    return synth_org_factory(tmp_path_factory, synth)


SMALL_TREE = REPO_ROOT / "tests" / "resources" / "small"


@pytest.fixture
def small_tree(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of tests/resources/small (org, two teams in 2026-Q1 with six key results of
    known progress, one sheet in 2026-Q2), made the current directory; today is 2026-02-14
    (OKR_TODAY): half of 2026-Q1 gone."""
    root = tmp_path / "small"
    shutil.copytree(SMALL_TREE, root)
    monkeypatch.chdir(root)
    monkeypatch.setenv("OKR_TODAY", "2026-02-14")
    return root


def pytest_terminal_summary(terminalreporter: Any) -> None:
    """Tests skipped for a missing tool, in one red block (see tests/skipping.py)."""
    if not SKIPPED:
        return
    line = "!" * 78
    terminalreporter.write_line(line, red=True, bold=True)
    for reason in SKIPPED:
        terminalreporter.write_line(f"SKIPPED: {reason}", red=True, bold=True)
    terminalreporter.write_line("(set CI=true to make a missing tool a failure)", red=True)
    terminalreporter.write_line(line, red=True, bold=True)
