"""WCAG 2.2 AA on the generated pages, charts a screen reader can read, pages that print.

The demo (okrs/ and the repository's own mkdocs.yml, with a few dated check-ins) is built
once per language and served on 127.0.0.1; Debian's chromium opens it headless:
- axe-core (tests/site/a11yhelpers.py) on the dashboard, a cycle page, an ended cycle's
  page, a team page, alignment, what changed, lint health and a rule page, in light and
  dark: no violation, on okrkit's elements and on Material's frame around them;
- the accessible names and descriptions of progress bars and charts, read from
  Chromium's accessibility tree (CDP), and the keyboard focus ring;
- Chromium's print-to-PDF of a team page and an ended cycle's page: PNGs of every page in
  test-artifacts/site/print/, no navigation in the text (pdftotext), the footer with the
  date of the data on every page, each objective starting a page.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from a11yhelpers import DEMO_TODAY, ax_nodes, axe_script, build_demo, make_demo_history, run_axe
from test_browser import ARGS, ARTIFACTS, Watch, serve

from gitrepo import GitRepo
from okrkit import model
from okrkit.config import load_config
from okrkit.site.strings import Strings
from okrkit.site.views import fmt_pct
from okrkit.tree import load_tree
from paths import chdir
from skipping import skip_or_fail

pytestmark = [pytest.mark.browser, pytest.mark.slow]

LANGS = ("en", "zh-TW")
PAGES = {
    "dashboard": "",
    "cycle": "cycles/2026-Q4/",
    "ended-cycle": "cycles/2026-Q1/",
    "team": "okrs/2026-Q1/marketing/",
    "alignment": "cycles/2026-Q4/alignment/",
    "changes": "cycles/2026-Q1/changes/",
    "lint": "lint/",
    "rule": "rules/okr301/",
}


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory, chromium: str) -> Iterator[dict[str, Any]]:
    """The demo built in en and zh-TW, served; a browser; the tree for expected values.
    Module-scoped: playwright's sync API allows one running instance, and the other
    browser tests start their own."""
    from playwright.sync_api import sync_playwright

    root = tmp_path_factory.mktemp("a11y") / "demo"
    home = tmp_path_factory.mktemp("a11y-home")
    (home / ".gitconfig").write_text("[init]\n\tdefaultBranch = main\n", encoding="utf-8")
    with pytest.MonkeyPatch.context() as mp:
        # a module fixture runs before the per-test isolated home: isolate git here too
        mp.setenv("HOME", str(home))
        mp.setenv("GIT_CONFIG_GLOBAL", str(home / ".gitconfig"))
        mp.setenv("GIT_CONFIG_NOSYSTEM", "1")
        make_demo_history(GitRepo(root))
        sites = {lang: build_demo(root, lang) for lang in LANGS}
        with chdir(root):
            config, _ = load_config(root)
            tree, _ = load_tree(config)
    with serve(sites["en"].parent) as base, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=ARGS)
        try:
            yield {"root": root, "base": base, "browser": browser, "tree": tree}
        finally:
            browser.close()


def _open(demo: dict[str, Any], lang: str, path: str, *, scheme: str = "light",
          viewport: tuple[int, int] = (1280, 900)) -> tuple[Any, Any, Watch]:
    context = demo["browser"].new_context(color_scheme=scheme, viewport={
        "width": viewport[0], "height": viewport[1]})
    page = context.new_page()
    watch = Watch(page)
    page.goto(f"{demo['base']}site-{lang}/{path}", wait_until="networkidle")
    return context, page, watch


# what the colour scheme changes: the dark runs check these (light runs check every rule)
COLOUR_RULES = ("color-contrast", "link-in-text-block")
AXE_PAGES = ("dashboard", "cycle", "team", "alignment", "changes", "lint", "rule")


@pytest.mark.parametrize("lang", LANGS)
def test_axe_finds_no_violation_on_okrkit_elements(demo: dict[str, Any], lang: str) -> None:
    """Light (Material's `default` scheme): every WCAG A/AA rule; dark (`slate`): the colour
    rules. On the <article> Material puts a page's Markdown in (okrkit's markup), and on the
    whole page for two English pages: Material's frame around it is the same everywhere
    (its footer line and its code highlighting's greys, 4.47:1 as Material ships them,
    pass with okrkit.css)."""
    script = axe_script()
    found: list[str] = []
    context, page, watch = _open(demo, lang, "")
    try:
        for name in AXE_PAGES:
            page.goto(f"{demo['base']}site-{lang}/{PAGES[name]}", wait_until="load")
            assert page.locator("article [class*='okr-']").count() > 0, name
            # Material fades colours (transition: color 125ms) and fades in the header's
            # repository facts (animation: fact .4s, from opacity 0), which arrive after
            # "load": measure the end state, what a reader sees
            page.add_style_tag(content="*, *::before, *::after { transition: none !important; "
                                       "animation: none !important; }")
            for scheme, rules in (("default", ()), ("slate", COLOUR_RULES)):
                # what Material's light/dark toggle does: its palettes hang on this attribute
                page.evaluate("s => document.body.setAttribute('data-md-color-scheme', s)",
                              scheme)
                whole = lang == "en" and scheme == "default" and name in ("dashboard", "rule")
                for violation in run_axe(page, script, include=None if whole else "article",
                                         rules=rules):
                    for node in violation["nodes"]:
                        found.append(f"{scheme} {name}: {violation['id']} "
                                     f"({violation['help']}) at {node['target']}: "
                                     f"{node['html']}")
        # (leaving a page at "load" can cut Material's favicon request, or its search
        # worker's, short)
        assert [e for e in watch.errors if "favicon" not in e
                and not ("/workers/search." in e and "ERR_ABORTED" in e)] == []
    finally:
        context.close()
    assert found == []


def _expected_kr_names(demo: dict[str, Any], lang: str) -> dict[str, str]:
    tree = demo["tree"]
    s = Strings(lang)
    today = dt.date.fromisoformat(DEMO_TODAY)
    sheet = tree.sheet("2026-Q1", "marketing")
    cycle = tree.cycle("2026-Q1")
    names = {}
    for objective in sheet.objectives:
        for kr in objective.key_results:
            status = model.kr_status(kr, cycle, today, tree.config.bands)
            value = fmt_pct(kr.progress()) if kr.progress() is not None \
                else s("status-unknown")
            sep = (": ", ", ") if lang == "en" else (":", ",")
            names[kr.title] = f"{kr.title}{sep[0]}{value}{sep[1]}{s(f'status-{status.value}')}"
    return names


@pytest.mark.parametrize("lang", LANGS)
def test_progress_bars_and_charts_have_names_in_the_accessibility_tree(
        demo: dict[str, Any], lang: str) -> None:
    context, page, _ = _open(demo, lang, PAGES["team"])
    try:
        bars = {n["name"] for n in ax_nodes(page, "progressbar")}
        # every key result's bar says what it measures, how far, and its status in words
        expected = _expected_kr_names(demo, lang)
        assert set(expected.values()) <= bars
        assert "將網站每月不重複訪客數提升20%" + (": 74%, At risk" if lang == "en"
                                                 else ":74%,有風險") in bars
        assert all(name for name in bars)
        images = {n["name"]: n["description"] for n in ax_nodes(page, "image")}
        charts = {name: d for name, d in images.items() if "2026-01-01" in name}
        assert len(charts) == page.locator("svg.okr-chart").count() >= 3
        visitors = next(d for name, d in charts.items() if name.startswith("將網站每月不重複"))
        # 2026-03-20 is 78 of the 89 days to the due date: the ideal line is at 58,764
        if lang == "en":
            assert visitors == ("Baseline 50,000 visitors, target 60,000 visitors by "
                                "2026-03-31. Latest value 57,400 visitors on 2026-03-20: "
                                "behind the ideal line (58,764 visitors expected that day).")
        else:
            assert visitors == ("基準值 50,000 visitors,目標值 60,000 visitors(截止 "
                                "2026-03-31)。最新數值 57,400 visitors(2026-03-20):"
                                "落後理想進度線(當天應達 58,764 visitors)。")
        # the numbers without the picture: the chart's table, one row per check-in
        box = page.locator(".okr-kr .okr-chart-box").first  # a key result's, not the trend
        rows = box.locator("details.okr-chart-data").first.locator("tbody tr")
        assert rows.count() == 3
        assert rows.nth(2).locator("td").all_text_contents() == \
            ["2026-03-20", "57,400 visitors", "58,764 visitors"]
        # a confidence chart too: described against the on-track level, its own table
        word = "confidence" if lang == "en" else "信心度"
        confidence = {name: d for name, d in charts.items() if f"{word} from" in name
                      or f"的{word}" in name}
        assert len(confidence) == page.locator("svg.okr-chart-confidence").count() >= 1
        assert all(d.startswith("On track from a confidence of 70%. Latest confidence "
                                if lang == "en" else "信心度達 70% 即為進度正常。最新信心度 ")
                   for d in confidence.values())
        for i in range(page.locator("svg.okr-chart-confidence").count()):
            chart = page.locator("svg.okr-chart-confidence").nth(i)
            table = chart.locator("xpath=following-sibling::details[1]")
            assert table.locator("th").all_text_contents()[1] == (
                "Confidence" if lang == "en" else "信心度")
            assert table.locator("tbody tr").count() == chart.locator("circle").count() >= 2
    finally:
        context.close()


def test_keyboard_focus_is_visible_on_okrkit_links(demo: dict[str, Any]) -> None:
    context, page, _ = _open(demo, "en", PAGES["team"])
    try:
        seen = 0
        for _ in range(80):
            page.keyboard.press("Tab")
            focus = page.evaluate("""() => { const e = document.activeElement;
                const inOkr = e && e.closest('[class*="okr-"]');
                if (!inOkr) return null;
                const c = getComputedStyle(e);
                return [e.tagName, c.outlineStyle, c.outlineWidth]; }""")
            if focus is None:
                continue
            tag, style, width = focus
            assert tag in ("A", "SUMMARY"), focus
            assert style == "solid" and float(width.rstrip("px")) >= 2, focus
            seen += 1
            if seen >= 5:
                break
        assert seen >= 5  # links in the facts, the attention list and the timelines
    finally:
        context.close()


def test_mixed_language_text_carries_lang(demo: dict[str, Any]) -> None:
    context, page, _ = _open(demo, "en", PAGES["team"])
    try:
        # zh-TW titles on an English page: headings and links say so
        assert page.locator("h2#brand-awareness").get_attribute("lang") == "zh-TW"
        assert page.locator("h1 [lang='zh-TW']").count() == 1
        page.goto(f"{demo['base']}site-zh-TW/{PAGES['changes']}", wait_until="networkidle")
        assert page.evaluate("document.documentElement.lang") == "zh-TW"
        # English commit subjects on a zh-TW page
        subjects = page.locator("span[lang='en']").all_inner_texts()
        assert "checkin: visitors" in subjects
    finally:
        context.close()


# -- print ------------------------------------------------------------------------------


def _poppler() -> tuple[str, str]:
    found = shutil.which("pdftotext"), shutil.which("pdftoppm")
    if None in found:
        skip_or_fail("poppler-utils is not installed (apt-get install poppler-utils): "
                     "print tests skipped")
    return found  # type: ignore[return-value]


def _pdf_pages(pdftotext: str, pdf: Path) -> list[str]:
    out = subprocess.run([pdftotext, "-layout", str(pdf), "-"], capture_output=True,
                         text=True, check=True).stdout
    return out.split("\f")[:-1] if out.endswith("\f") else out.split("\f")


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


@pytest.mark.parametrize(("lang", "name"), [("en", "team"), ("zh-TW", "team"),
                                            ("en", "ended-cycle")])
def test_pages_print_as_a_report(demo: dict[str, Any], lang: str, name: str) -> None:
    pdftotext, pdftoppm = _poppler()
    out = ARTIFACTS / "print"
    out.mkdir(parents=True, exist_ok=True)
    context, page, _ = _open(demo, lang, PAGES[name])
    try:
        # what the screen shows around the content: the nav and the search box
        nav = page.eval_on_selector_all(
            ".md-nav--primary .md-nav__link, .md-search__input, .md-skip, .md-header__topic",
            """els => els.map(e => (e.placeholder || e.innerText || '').trim())""")
        article = page.inner_text("article")
        pdf = out / f"{name}-{lang}.pdf"
        page.pdf(path=str(pdf), format="A4", print_background=True)
    finally:
        context.close()
    for old in out.glob(f"{name}-{lang}-*.png"):
        old.unlink()
    subprocess.run([pdftoppm, "-r", "60", "-png", str(pdf), str(out / f"{name}-{lang}")],
                   check=True)
    pages = _pdf_pages(pdftotext, pdf)
    assert len(list(out.glob(f"{name}-{lang}-*.png"))) == len(pages) >= 1
    text = _squash("".join(pages))
    # no navigation: nothing the nav or search says that the content does not say itself
    nav_only = {t for t in nav if t and _squash(t) not in _squash(article)}
    assert len(nav_only) >= 3, nav_only  # the check has something to find
    assert [t for t in nav_only if _squash(t) in text] == []
    # the footer of every page: the date of the data (the newest check-in) and page n / m
    footer = "dataasof2026-11-02" if lang == "en" else "資料日期2026-11-02"
    for number, content in enumerate(pages, 1):
        assert footer in _squash(content), number
        assert f"{number}/{len(pages)}" in _squash(content), number
    if name != "team":
        return
    # each objective starts a page (the first text under the footer is its title), and
    # no key result is split: its title and its metric are on one page
    sheet = demo["tree"].sheet("2026-Q1", "marketing")
    for objective in sheet.objectives:
        starts = [i for i, content in enumerate(pages)
                  if _first_line(content, footer) == _squash(objective.title)]
        assert len(starts) == 1, objective.title
        for kr in objective.key_results:
            # (the list of key results at risk, on the first page, names them too)
            on = [i for i in range(starts[0], len(pages))
                  if _squash(kr.title) in _squash(pages[i])]
            assert on, kr.title
            if kr.metric:
                assert _squash(kr.metric) in _squash(pages[on[0]]), kr.title


def _first_line(content: str, footer: str) -> str:
    lines = [_squash(line) for line in content.splitlines()]
    body = [line for line in lines if line and footer not in line
            and not re.fullmatch(r"\d+/\d+", line)]
    return body[0] if body else ""
