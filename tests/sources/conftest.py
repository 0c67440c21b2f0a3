from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest

from okrkit.sources.base import Context
from sources.servers import LocalHTTP, Postgres, local_http, throwaway_postgres


@pytest.fixture(scope="module")
def http_server() -> Iterator[LocalHTTP]:
    with local_http() as server:
        yield server


@pytest.fixture(scope="session")
def postgres() -> Iterator[Postgres]:
    with throwaway_postgres() as cluster:
        yield cluster


@pytest.fixture
def ctx(tmp_path: Path) -> Context:
    """A run on 2026-03-10 inside 2026-Q1, the repository at tmp_path."""
    return Context(tmp_path, dt.date(2026, 1, 1), dt.date(2026, 3, 31), dt.date(2026, 3, 10),
                   {"METRICS_TOKEN": "t0ken"})
