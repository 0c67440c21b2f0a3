"""The built site in a real browser: Debian's chromium, headless, through playwright.

Opens the dashboard and a team page over a local HTTP server, checks that the
progress bars are as wide as the model's progress, that the charts show, that
there are no console errors or failed requests, that hostile strings run
nothing; saves screenshots (en and zh-TW, light and dark) in test-artifacts/.
"""

from __future__ import annotations

import functools
import http.server
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from sitehelpers import TODAY, make_hostile, mkdocs_build, write_mkdocs

from okrkit import model
from okrkit.config import load_config
from okrkit.tree import load_tree
from paths import REPO_ROOT

pytestmark = [pytest.mark.browser, pytest.mark.slow]
ARTIFACTS = REPO_ROOT / "test-artifacts" / "site"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@contextmanager
def serve(folder: Path) -> Iterator[str]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0),
                                             functools.partial(_Quiet, directory=str(folder)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


class Watch:
    """Console errors, page errors, dialogs and requests that left the machine or failed."""

    def __init__(self, page: Any) -> None:
        self.errors: list[str] = []
        self.dialogs: list[str] = []
        page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: self.errors.append(str(e)))
        page.on("requestfailed", lambda r: self.errors.append(f"failed: {r.url} ({r.failure})"))
        page.on("dialog", self._dialog)
        page.route("**/*", self._route)

    def _dialog(self, dialog: Any) -> None:
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    def _route(self, route: Any) -> None:
        url = route.request.url
        if url.startswith("http://127.0.0.1:"):
            route.continue_()
        elif url.startswith("https://api.github.com/"):
            # the network is mocked (Material fetches the repository's stars and release)
            body = '{"stargazers_count": 1, "forks_count": 0, "tag_name": "v0.1.0"}'
            route.fulfill(status=200, content_type="application/json", body=body)
        else:
            self.errors.append(f"request left the machine: {url}")
            route.abort()


def _expected_progress(root: Path) -> dict[str, float]:
    config, _ = load_config(root)
    tree, _ = load_tree(config)
    found = {}
    for sheet, objective, kr in tree.key_results():
        raw = kr.progress()
        found[sheet.ref(objective, kr)] = model.clamp(raw) if raw is not None else 0.0
    for sheet in tree.sheets:
        for objective in sheet.objectives:
            raw = objective.progress()
            found[sheet.ref(objective)] = model.clamp(raw) if raw is not None else 0.0
    return found


def _bars(page: Any) -> list[tuple[str, float]]:
    return page.eval_on_selector_all(
        ".okr-progress[data-ref]",
        """els => els.map(e => [e.dataset.ref,
            e.querySelector('.okr-progress-fill').getBoundingClientRect().width
            / e.getBoundingClientRect().width])""")


@pytest.mark.parametrize("lang", ["en", "zh-TW"])
def test_dashboard_and_team_page_in_the_browser(chromium: str, small_repo: Any,
                                                lang: str) -> None:
    from playwright.sync_api import sync_playwright

    root = small_repo.path
    write_mkdocs(root, lang=lang)
    site = mkdocs_build(root)
    expected = _expected_progress(root)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with serve(site) as base, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=ARGS)
        try:
            for scheme in ("light", "dark"):
                context = browser.new_context(viewport={"width": 1280, "height": 900},
                                              color_scheme=scheme)
                page = context.new_page()
                watch = Watch(page)
                page.goto(base, wait_until="networkidle")
                assert page.locator(".okr-cards .okr-progress").first.is_visible()
                page.screenshot(path=str(ARTIFACTS / f"dashboard-{lang}-{scheme}.png"),
                                full_page=True)
                page.goto(base + "okrs/2026-Q1/marketing/", wait_until="networkidle")
                bars = _bars(page)
                assert len(bars) == 6  # 2 objectives, 4 key results
                for ref, ratio in bars:
                    assert ratio == pytest.approx(expected[ref], abs=0.01), ref
                charts = page.locator("svg.okr-chart")
                # the team's progress trend, 3 value charts (the milestone has none) and
                # the confidence chart of the one KR whose confidence changed
                assert charts.count() == 5
                assert page.locator("svg.okr-chart-confidence").count() == 1
                for i in range(charts.count()):
                    box = charts.nth(i).bounding_box()
                    assert box is not None and box["width"] > 200 and box["height"] > 50
                    assert charts.nth(i).is_visible()
                body_scheme = page.evaluate("document.body.dataset.mdColorScheme")
                assert body_scheme == ("slate" if scheme == "dark" else "default")
                page.screenshot(path=str(ARTIFACTS / f"team-{lang}-{scheme}.png"),
                                full_page=True)
                assert watch.errors == []
                assert watch.dialogs == []
                context.close()
        finally:
            browser.close()


def test_hostile_strings_run_nothing_in_the_browser(chromium: str, git_repo: Any,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    from playwright.sync_api import sync_playwright

    make_hostile(git_repo)
    monkeypatch.chdir(git_repo.path)
    write_mkdocs(git_repo.path)
    site = mkdocs_build(git_repo.path)
    with serve(site) as base, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=ARGS)
        try:
            page = browser.new_page()
            watch = Watch(page)
            for path in ("", "okrs/2026-Q1/marketing/", "okrs/2026-Q1/sales/",
                         "cycles/2026-Q1/", "cycles/2026-Q1/alignment/",
                         "cycles/2026-Q1/changes/", "okrs/2026/company/"):
                page.goto(base + path, wait_until="networkidle")
                # open every timeline: hostile commit subjects are inside
                page.eval_on_selector_all("details", "els => els.forEach(e => e.open = true)")
                page.wait_for_timeout(100)
                assert page.evaluate("typeof window.__xss") == "undefined", path
                links = page.eval_on_selector_all("a[href]", "els => els.map(e => e.href)")
                assert not [h for h in links if h.lower().startswith("javascript:")], path
            assert watch.dialogs == []
            assert [e for e in watch.errors if "favicon" not in e] == []
        finally:
            browser.close()


def test_title_search_finds_a_key_result(chromium: str, small_repo: Any) -> None:
    from playwright.sync_api import sync_playwright

    root = small_repo.path
    write_mkdocs(root, lang="zh-TW", plugins=[
        {"search": {"separator": r"[\s\u200b\u3000\-、。，．？！；]+|(?=[\u4e00-\u9fff])"
                                 r"|(?<=[\u4e00-\u9fff])"}},
        {"okrs": {"today": TODAY.isoformat()}}])
    site = mkdocs_build(root)
    with serve(site) as base, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=ARGS)
        try:
            page = browser.new_page()
            Watch(page)
            page.goto(base, wait_until="networkidle")
            page.keyboard.press("/")
            page.fill("input.md-search__input", "訪客")
            page.keyboard.press("End")  # Material searches on keyup; fill() types none
            page.wait_for_selector(".md-search-result__item", timeout=15000)
            results = page.inner_text(".md-search-result")
            assert "將網站每月不重複訪客數提升20%" in results
        finally:
            browser.close()
