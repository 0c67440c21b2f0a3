"""`mkdocs serve --livereload` (what `make serve` runs) rebuilds when a YAML file changes."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Any

import pytest
from sitehelpers import write_mkdocs

pytestmark = pytest.mark.slow


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _fetch(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.read().decode("utf-8")
    except OSError:
        return None


def _wait_for(url: str, needle: str, deadline: float) -> str:
    while time.monotonic() < deadline:
        page = _fetch(url)
        if page is not None and needle in page:
            return page
        time.sleep(0.3)
    raise AssertionError(f"{needle!r} never showed at {url}")


def test_serve_rebuilds_and_reloads_after_a_yaml_edit(small_repo: Any) -> None:
    root: Path = small_repo.path
    write_mkdocs(root)
    port = _free_port()
    mkdocs = Path(sys.executable).with_name("mkdocs")
    server = subprocess.Popen(
        [str(mkdocs), "serve", "--livereload", "--dev-addr", f"127.0.0.1:{port}"],
        cwd=root, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
    try:
        url = f"http://127.0.0.1:{port}/okrs/2026-Q1/marketing/"
        page = _wait_for(url, "55,000 visitors", time.monotonic() + 90)
        # the page refreshes itself: live reload's script is injected
        assert "livereload" in page
        assert "Uncommitted changes" not in page
        sheet = root / "okrs/2026-Q1/marketing.yaml"
        text = sheet.read_text(encoding="utf-8")
        sheet.write_text(text.replace("current: 55000", "current: 56789"), encoding="utf-8")
        page = _wait_for(url, "56,789 visitors", time.monotonic() + 60)
        # the history is cached by HEAD across rebuilds, its `dirty` is not
        assert "Uncommitted changes" in page
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
