"""Fixtures of the site tests: the small repository with its dated history, and the
browser (skipped loudly without chromium; a failure under CI=true)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import pytest
from sitehelpers import chromium_path, make_small_history


@pytest.fixture
def small_repo(git_repo: Any, monkeypatch: pytest.MonkeyPatch) -> Any:
    make_small_history(git_repo)
    monkeypatch.chdir(git_repo.path)
    return git_repo


_SKIPPED_BROWSER: list[str] = []


@pytest.fixture(scope="session")
def chromium() -> Iterator[str]:
    """Debian's chromium; skipped loudly without it, a failure under CI=true."""
    path = chromium_path()
    if path is None:
        reason = "chromium is not installed (apt-get install chromium): browser tests skipped"
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI=true but {reason}")
        _SKIPPED_BROWSER.append(reason)
        pytest.skip(reason)
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        reason = "the playwright package is not installed: browser tests skipped"
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI=true but {reason}")
        _SKIPPED_BROWSER.append(reason)
        pytest.skip(reason)
    yield path


def pytest_terminal_summary(terminalreporter: Any) -> None:
    if _SKIPPED_BROWSER:
        line = "!" * 78
        terminalreporter.write_line(line, red=True, bold=True)
        terminalreporter.write_line(f"BROWSER TESTS SKIPPED: {_SKIPPED_BROWSER[0]}", red=True,
                                    bold=True)
        terminalreporter.write_line("(set CI=true to make a missing browser a failure)",
                                    red=True)
        terminalreporter.write_line(line, red=True, bold=True)
    # test_properdocs.py skips without the package index (its venv comes from there)
    properdocs = [report.longrepr[2].removeprefix("Skipped: ")
                  for report in terminalreporter.stats.get("skipped", [])
                  if "test_properdocs.py" in report.nodeid and isinstance(report.longrepr, tuple)]
    if properdocs:
        line = "!" * 78
        terminalreporter.write_line(line, red=True, bold=True)
        terminalreporter.write_line(f"PROPERDOCS TEST SKIPPED: {properdocs[0]}", red=True,
                                    bold=True)
        terminalreporter.write_line("(set CI=true to make a missing package index a failure)",
                                    red=True)
        terminalreporter.write_line(line, red=True, bold=True)
