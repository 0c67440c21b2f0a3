"""The demo built by each engine (`okr build --engine E`), in a real browser: Debian's
chromium, headless, through playwright, the site served at /okrs/ as GitHub Pages serves
a project site. The dashboard and a team page: no console errors, no request leaving the
machine, progress bars as wide as the model says, charts visible. Screenshots of both
engines side by side in test-artifacts/site/ (<engine>-demo-*.png).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from test_browser import ARGS, ARTIFACTS, Watch, _bars, _expected_progress, serve

pytestmark = [pytest.mark.browser, pytest.mark.slow]
SUB = "okrs"
TEAM = "okrs/2026-Q1/marketing/"


@pytest.mark.parametrize("engine", ["mkdocs", "zensical"])
def test_demo_in_the_browser_under_a_sub_path(chromium: str, demo_sites: dict[str, Path],
                                              tmp_path: Path, engine: str) -> None:
    from playwright.sync_api import sync_playwright

    mount = tmp_path / "www"
    mount.mkdir()
    (mount / SUB).symlink_to(demo_sites[engine], target_is_directory=True)
    expected = _expected_progress(demo_sites["repo"])
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with serve(mount) as root, sync_playwright() as p:
        base = f"{root}{SUB}/"
        browser = p.chromium.launch(executable_path=chromium, args=ARGS)
        try:
            # MkDocs in the light scheme only: test_browser.py tries both on its builds
            for scheme in ("light", "dark") if engine == "zensical" else ("light",):
                context = browser.new_context(viewport={"width": 1280, "height": 900},
                                              color_scheme=scheme)
                page = context.new_page()
                watch = Watch(page)
                page.goto(base, wait_until="networkidle")
                assert page.locator(".okr-cards .okr-progress").first.is_visible()
                page.screenshot(path=str(ARTIFACTS / f"{engine}-demo-dashboard-{scheme}.png"),
                                full_page=True)
                # from the dashboard to the team page through the page's own link
                page.locator(f'a[href*="{TEAM.rstrip("/")}"]').first.click()
                page.wait_for_load_state("networkidle")
                assert page.url.split("#")[0] == base + TEAM
                bars = _bars(page)
                assert len(bars) >= 6
                for ref, ratio in bars:
                    assert ratio == pytest.approx(expected[ref], abs=0.01), ref
                charts = page.locator("svg.okr-chart")
                assert charts.count() >= 3
                for i in range(charts.count()):
                    box = charts.nth(i).bounding_box()
                    assert box is not None and box["width"] > 200 and box["height"] > 50
                    assert charts.nth(i).is_visible()
                body_scheme = page.evaluate("document.body.dataset.mdColorScheme")
                assert body_scheme == ("slate" if scheme == "dark" else "default")
                # the stylesheet of the pages loaded under the sub-path
                assert page.evaluate(
                    "[...document.styleSheets].some(s => (s.href || '').endsWith("
                    "'/okrs/assets/okrkit/okrkit.css'))")
                page.screenshot(path=str(ARTIFACTS / f"{engine}-demo-team-{scheme}.png"),
                                full_page=True)
                assert watch.errors == []
                assert watch.dialogs == []
                context.close()
        finally:
            browser.close()
