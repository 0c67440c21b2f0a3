"""Fixtures of the site tests: the small repository with its dated history, and the
browser (skipped loudly without chromium; a failure under CI=true)."""

from __future__ import annotations

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
