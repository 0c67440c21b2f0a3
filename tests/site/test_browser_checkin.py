"""The "Check in" button (更新進度) on a built page, clicked in headless Chromium: it opens
the repository's check-in issue form with the template, the key result and a title
filled in, percent-encoded as UTF-8 (a Chinese title stays readable on GitHub).

github.com is not reached: the browser's request to it is answered locally and its
URL recorded (the test says so; nothing leaves the machine).
"""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from sitehelpers import mkdocs_build, write_mkdocs
from test_browser import ARGS, serve

pytestmark = [pytest.mark.browser, pytest.mark.slow]

REF = "2026-Q1/marketing/brand-awareness/unique-visitors"
TITLE = "將網站每月不重複訪客數提升20%"


def test_check_in_opens_the_issue_form_with_the_key_result(chromium: str,
                                                           small_repo: Any) -> None:
    from playwright.sync_api import sync_playwright

    root = small_repo.path
    write_mkdocs(root, lang="zh-TW")
    site = mkdocs_build(root)
    opened: list[str] = []

    def github(route: Any) -> None:  # the stand-in for github.com: record, answer locally
        opened.append(route.request.url)
        route.fulfill(status=200, content_type="text/html", body="<p>issue form</p>")

    with serve(site) as base, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=ARGS)
        try:
            page = browser.new_page()
            page.route("https://api.github.com/**", lambda r: r.fulfill(
                status=200, content_type="application/json", body="{}"))
            page.route("https://github.com/**", github)
            page.goto(base + "okrs/2026-Q1/marketing/", wait_until="networkidle")
            kr = page.locator(f'.okr-kr[data-ref="{REF}"]')
            cli = kr.locator(".okr-checkin code").inner_text()
            button = kr.get_by_role("link", name="更新進度")
            assert button.count() == 1
            button.click()
            page.wait_for_url("https://github.com/**")
        finally:
            browser.close()

    assert cli == f"okr checkin {REF} VALUE"
    assert len(opened) == 1
    url = urlsplit(opened[0])
    assert (url.scheme, url.netloc, url.path) == ("https", "github.com",
                                                  "/okrkit/small/issues/new")
    assert parse_qs(url.query) == {"template": ["okr-checkin.yml"], "kr": [REF],
                                   "title": [f"更新進度:{TITLE}"]}
    # UTF-8 percent-encoding, spaces as %20 (not "+"): what GitHub's form prefill reads
    assert "title=%E6%9B%B4%E6%96%B0%E9%80%B2%E5%BA%A6%3A%E5%B0%87" in url.query
    assert "%25" in url.query and "+" not in url.query  # the "%" of "20%" is encoded
