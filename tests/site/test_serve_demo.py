"""`make serve` over the demo (issue 14): the pages show okrs/ as it is, the history
comes from the replayed story (`history_repo`), and an edit under okrs/ still
rebuilds the page."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from test_serve import _free_port, _wait_for

from demorepo import TODAY, demo_repo
from paths import REPO_ROOT

pytestmark = pytest.mark.slow


def test_serve_over_okrs_with_the_storys_history_reloads_on_an_edit(
        tmp_path: Path, tmp_path_factory: pytest.TempPathFactory) -> None:
    root = tmp_path / "okrkit"  # okrs/ as in this repository: a plain folder, no git
    shutil.copytree(REPO_ROOT / "okrs", root / "okrs")
    (root / "docs").mkdir()
    (root / "mkdocs.yml").write_text(
        "site_name: demo\ntheme:\n  name: material\n  font: false\n"
        f"plugins:\n  - okrs:\n      history_repo: {demo_repo(tmp_path_factory)}\n"
        f"      today: \"{TODAY}\"\n      lang: en\n", encoding="utf-8")
    port = _free_port()
    mkdocs = Path(sys.executable).with_name("mkdocs")
    server = subprocess.Popen(
        [str(mkdocs), "serve", "--livereload", "--dev-addr", f"127.0.0.1:{port}"],
        cwd=root, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
    try:
        url = f"http://127.0.0.1:{port}/okrs/2026-Q4/marketing/"
        page = _wait_for(url, "70,100 visitors", time.monotonic() + 120)
        assert page.count('class="p"') >= 6 * 5  # the story's weekly points on each chart
        sheet = root / "okrs/2026-Q4/marketing.yaml"
        text = sheet.read_text(encoding="utf-8")
        sheet.write_text(text.replace("current: 70100", "current: 70555"), encoding="utf-8")
        _wait_for(url, "70,555 visitors", time.monotonic() + 90)
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
