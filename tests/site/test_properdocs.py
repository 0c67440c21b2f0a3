"""The plugin under ProperDocs, the MkDocs 1.x fork that loads the same `mkdocs.plugins`
entry points (DESIGN "MkDocs facts").

ProperDocs aliases the `mkdocs` module to itself, so it cannot share a virtualenv with
MkDocs: the test builds one of its own with properdocs, then mkdocs-material and okrkit
`--no-deps`, then their requirements except mkdocs (read from their metadata). Kept in
the pytest cache, keyed by pyproject.toml and the Python version; okrkit is reinstalled
from the work tree on every run (offline: hatchling is in the venv). Without the package
index the test is skipped loudly (a failure under CI=true). pip sees PIP_* variables and
the system pip.conf, not the one in your home (the tests' HOME is a tmp dir).

OKRKIT_PROPERDOCS, a `properdocs` executable, overrides all this: its venv must hold
okrkit and mkdocs-material already.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from sitehelpers import write_mkdocs

from paths import REPO_ROOT
from skipping import skip_or_fail

pytestmark = pytest.mark.slow

PAGES = ("okrs/2026-Q1/marketing/index.html", "okrs/2026-Q1/sales/index.html",
         "okrs/2026/company/index.html", "cycles/2026-Q1/index.html", "rules/okr301/index.html")
_ALIASED = {"mkdocs", "mkdocs-material"}  # never from the index: aliased, or installed --no-deps
_READY = "ready"  # written last, so a venv left half-made by an interrupted run is rebuilt
_REQUIRES = ("import importlib.metadata as m, sys\n"
             "for d in sys.argv[1:]: print(*m.requires(d) or (), sep='\\n')")


def _pip(python: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(python), "-m", "pip", "install", "--quiet", *args],
                          capture_output=True, text=True, check=False)


def _check(result: subprocess.CompletedProcess[str]) -> None:
    if result.returncode != 0:
        pytest.fail(f"{' '.join(result.args[3:])} failed:\n{result.stderr}")


def _requirement_name(requirement: str) -> str:
    return re.split(r"[\s;<>=!~\[(@]", requirement, maxsplit=1)[0].lower().replace("_", "-")


def _venv_dir(request: pytest.FixtureRequest, tmp_path: Path) -> Path:
    """`.pytest_cache/d/properdocs-venv/<key>`; venvs of other keys are removed."""
    key = hashlib.sha256((REPO_ROOT / "pyproject.toml").read_bytes()
                         + sys.version.encode()).hexdigest()[:16]
    cache = getattr(request.config, "cache", None)  # None under `-p no:cacheprovider`
    if cache is not None:
        parent = cache.mkdir("properdocs-venv")
    else:
        parent = tmp_path / "properdocs-venv"
        parent.mkdir()
    for stale in parent.iterdir():
        if stale.name != key:
            shutil.rmtree(stale)
    return parent / key


def _create_venv(venv: Path) -> None:
    """properdocs, mkdocs-material and their requirements in a new venv; not mkdocs."""
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    python = venv / "bin" / "python"
    # hatchling, okrkit's build backend, so that okrkit reinstalls with no index
    first = _pip(python, "properdocs", "hatchling")
    if first.returncode != 0:
        shutil.rmtree(venv)
        last = (first.stderr.strip().splitlines() or ["no output"])[-1]
        skip_or_fail(f"pip cannot get properdocs from the package index ({last})")
    _check(_pip(python, "--no-deps", "mkdocs-material"))
    _install_okrkit(python)
    listed = subprocess.run([str(python), "-c", _REQUIRES, "okrkit", "mkdocs-material"],
                            capture_output=True, text=True, check=True).stdout.split("\n")
    wanted = sorted({r for r in listed if r and "extra ==" not in r
                     and _requirement_name(r) not in _ALIASED})
    _check(_pip(python, *wanted))
    found = subprocess.run([str(python), "-c", "import importlib.util as u, sys; "
                            "sys.exit(u.find_spec('mkdocs') is not None)"], check=False)
    assert found.returncode == 0, f"mkdocs got into the ProperDocs venv with {wanted}"
    (venv / _READY).touch()


def _install_okrkit(python: Path) -> None:
    _check(_pip(python, "--no-deps", "--force-reinstall", "--no-build-isolation",
                str(REPO_ROOT)))


@pytest.fixture
def properdocs(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """The `properdocs` executable: OKRKIT_PROPERDOCS, or that of the cached venv."""
    override = os.environ.get("OKRKIT_PROPERDOCS")
    if override:
        return override
    venv = _venv_dir(request, tmp_path)
    if not (venv / _READY).is_file():
        shutil.rmtree(venv, ignore_errors=True)
        _create_venv(venv)
    else:
        _install_okrkit(venv / "bin" / "python")
    return str(venv / "bin" / "properdocs")


def test_the_plugin_builds_under_properdocs(small_repo: Any, properdocs: str) -> None:
    root = small_repo.path
    config = write_mkdocs(root)
    config.rename(root / "properdocs.yml")
    result = subprocess.run([properdocs, "build", "--strict"], cwd=root, capture_output=True,
                            text=True, check=False, env={**os.environ, "LC_ALL": "C.UTF-8"})
    assert result.returncode == 0, result.stderr
    for page in PAGES:
        assert (root / "site" / page).is_file(), page
    page = (root / "site/okrs/2026-Q1/marketing/index.html").read_text(encoding="utf-8")
    assert "55,000 visitors" in page and "<svg" in page
