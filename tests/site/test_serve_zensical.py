"""`okr serve --engine zensical` generates the pages again when a sheet changes, and
Zensical's server reloads the open page in the browser (its WebSocket), no click needed."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from sitehelpers import TODAY, write_mkdocs
from test_browser import ARGS, Watch
from test_serve import _free_port, _wait_for

pytestmark = [pytest.mark.slow, pytest.mark.browser]


def test_serve_regenerates_and_the_browser_reloads(chromium: str, small_repo: Any) -> None:
    from playwright.sync_api import sync_playwright

    root: Path = small_repo.path
    write_mkdocs(root)
    port = _free_port()
    okr = Path(sys.executable).with_name("okr")
    log = root.parent / "serve.log"
    with log.open("wb") as out:
        server = subprocess.Popen(
            [str(okr), "serve", "--engine", "zensical", "--dev-addr", f"127.0.0.1:{port}"],
            cwd=root, stdout=out, stderr=subprocess.STDOUT,
            env={**os.environ, "OKR_TODAY": TODAY.isoformat(), "OKR_SERVE_POLL": "0.2"})
    try:
        url = f"http://127.0.0.1:{port}/okrs/2026-Q1/marketing/"
        _wait_for(url, "55,000 visitors", time.monotonic() + 90)
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=chromium, args=ARGS)
            try:
                page = browser.new_page()
                watch = Watch(page)
                page.goto(url, wait_until="networkidle")
                assert "55,000 visitors" in page.inner_text("article")
                sheet = root / "okrs/2026-Q1/marketing.yaml"
                text = sheet.read_text(encoding="utf-8")
                sheet.write_text(text.replace("current: 55000", "current: 56789"),
                                 encoding="utf-8")
                # the open page shows the new value by itself: Zensical reloaded it
                page.wait_for_function(
                    "document.querySelector('article') && "
                    "document.querySelector('article').innerText.includes('56,789 visitors')",
                    timeout=60000)
                # a reload that starts while the previous one loads aborts it: not an error
                errors = [e for e in watch.errors
                          if not (e.startswith(f"failed: {url} ") and "ERR_ABORTED" in e)]
                assert errors == [], watch.errors
            finally:
                browser.close()
        assert "the pages were generated again" in log.read_text(encoding="utf-8")
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
