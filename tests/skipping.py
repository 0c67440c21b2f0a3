"""Skip loudly when a tool the tests need is missing; under CI=true, fail instead.

A missing chromium, node, actionlint, package index or check-jsonschema must not
pass a CI run silently; on a laptop it is a skip, repeated in one block at the
end of the run (tests/conftest.py's `pytest_terminal_summary`). Kept out of
conftest.py because conftest modules are not importable reliably (pytest loads
several under the one name `conftest`).
"""

from __future__ import annotations

import os
from typing import NoReturn

import pytest

# the reasons, in the order met, for the summary at the end of the run
SKIPPED: list[str] = []


def skip_or_fail(reason: str) -> NoReturn:
    """Fail the test under CI=true (the tool must be there), else skip it and note why."""
    if os.environ.get("CI") == "true":
        pytest.fail(f"CI=true but {reason}")
    if reason not in SKIPPED:
        SKIPPED.append(reason)
    pytest.skip(reason)
