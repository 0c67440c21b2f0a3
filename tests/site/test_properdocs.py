"""The plugin under ProperDocs, the MkDocs 1.x fork that loads the same `mkdocs.plugins`
entry points (DESIGN "MkDocs facts").

ProperDocs cannot share a virtualenv with MkDocs (it aliases the `mkdocs` module),
so it lives in a venv of its own: point OKRKIT_PROPERDOCS at its `properdocs`
executable (with okrkit and mkdocs-material installed there, `--no-deps`), or
put one on PATH. Skipped otherwise.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from typing import Any

import pytest
from sitehelpers import write_mkdocs

pytestmark = pytest.mark.slow


def _properdocs() -> str | None:
    return os.environ.get("OKRKIT_PROPERDOCS") or shutil.which("properdocs")


@pytest.mark.skipif(_properdocs() is None,
                    reason="ProperDocs is not installed (set OKRKIT_PROPERDOCS to its executable)")
def test_the_plugin_builds_under_properdocs(small_repo: Any) -> None:
    exe = _properdocs()
    assert exe is not None
    root = small_repo.path
    config = write_mkdocs(root)
    config.rename(root / "properdocs.yml")
    result = subprocess.run([exe, "build", "--strict"], cwd=root, capture_output=True,
                            text=True, check=False, env={**os.environ, "LC_ALL": "C.UTF-8"})
    assert result.returncode == 0, result.stderr
    page = (root / "site/okrs/2026-Q1/marketing/index.html").read_text(encoding="utf-8")
    assert "55,000 visitors" in page and "<svg" in page
