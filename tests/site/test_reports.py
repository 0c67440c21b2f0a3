"""Real OKR sets as they are (tests/site/realset.py): ended cycles lead with their grades,
trends over time from the git log, a count without a baseline, people as contributors.

Golden pages (tests/resources/site/golden-real/<lang>): the dashboard, the cycle pages
and the team pages on `TODAY` (2026-Q1 graded, 2026-Q2 ended without grades, 2026-Q3
active), and the dashboard on two other days: 2026-Q2 active with 2026-Q1 just graded,
and no active cycle at all. Regenerate with OKRKIT_UPDATE_GOLDEN=1, then read the diff.
"""

from __future__ import annotations

import datetime as dt
import html
import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from realset import (
    CONFIDENCE,
    RELEASE_CHECKINS,
    TODAY,
    TODAY_ALL_ENDED,
    TODAY_Q1_JUST_GRADED,
    make_real_history,
)
from sitehelpers import RESOURCES

from gitrepo import GitRepo
from golden import assert_golden
from okrkit import grading, trends
from okrkit.config import load_config
from okrkit.history import History, read_history
from okrkit.site import build_site
from okrkit.tree import Tree, load_tree

GOLDEN = RESOURCES / "golden-real"
RELEASE_KR = "2026-Q1/release/ship-3-0/release-on-time"


@pytest.fixture(scope="module")
def real(tmp_path_factory: pytest.TempPathFactory
         ) -> Iterator[tuple[Tree, History, dict[str, str]]]:
    """The set committed once for the module (git isolated from the real home)."""
    root = tmp_path_factory.mktemp("real") / "repo"
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("GIT_CONFIG_GLOBAL", os.devnull)
        mp.setenv("GIT_CONFIG_NOSYSTEM", "1")
        shas = make_real_history(GitRepo(root))
        mp.chdir(root)
        config, _ = load_config(root)
        tree, findings = load_tree(config)
        assert findings == []
        yield tree, read_history(config), shas


def _site(real: Any, lang: str, today: dt.date = TODAY, *, raw: bool = False
          ) -> dict[str, str]:
    """The pages' sources; unless `raw`, with entities read back (the site escapes `(`,
    `:` and more in text) so assertions read as the page does."""
    tree, history, _ = real
    key = (id(tree), lang, today)
    if key not in _BUILT:  # one build per language and day for the module's tests
        site = build_site(tree, history, today=today, lang=lang, findings=[],
                          repo_url="https://github.com/okrkit/real", edit_uri="edit/main/",
                          rules=[])
        _BUILT[key] = {p.src: p.content for p in site.pages}
    return {src: text if raw else html.unescape(text) for src, text in _BUILT[key].items()}


_BUILT: dict[tuple[int, str, dt.date], dict[str, str]] = {}


@pytest.mark.parametrize("lang", ["en", "zh-TW"])
def test_pages_match_the_golden_files(real: Any, lang: str) -> None:
    pages = _site(real, lang, raw=True)
    kept = {src: text for src, text in pages.items()
            if src == "index.md" or re.fullmatch(r"(cycles/[^/]+/index|okrs/[^/]+/[^/]+)\.md",
                                                 src)}
    kept["index.q1-graded.md"] = _site(real, lang, TODAY_Q1_JUST_GRADED, raw=True)["index.md"]
    kept["index.all-ended.md"] = _site(real, lang, TODAY_ALL_ENDED, raw=True)["index.md"]
    folder = GOLDEN / lang
    for src, text in kept.items():
        assert_golden(folder / src, text)
    assert sorted(kept) == sorted(p.relative_to(folder).as_posix()
                                  for p in folder.rglob("*") if p.is_file())


# -- ended cycles -----------------------------------------------------------------------


def test_a_graded_cycle_leads_with_its_report_card(real: Any) -> None:
    page = _site(real, "en")["cycles/2026-Q1/index.md"]
    card = page.split('<div class="okr-report"', 1)[1].split('<div class="grid cards', 2)[0]
    assert 'data-graded="true"' in card and "Report card · 2026-Q1" in card
    assert "Not graded yet" not in page
    # the grades okr score gives: release (1.0+0.9)/2=0.95 and (0.65+0.33)/2=0.49 → 0.72;
    # community (0.65+1.0)/2=0.83 (0.825 half up); the cycle (0.72+0.83)/2=0.78 (0.775)
    assert '<p class="okr-big okr-grade">0.78</p>' in page
    assert ">Release team</a></td><td>0.72</td>" in page and ">社群組</a></td><td>0.83</td>" in page
    assert "Shipped on 30 March; four blockers moved to 3.0.1." in page
    # no live status is left on the page of an ended cycle: outcomes only
    assert not re.search(r"okr-status-(on-track|at-risk|off-track)", page)
    assert 'okr-status-met" title="Met">1 Met' in page
    assert "the sweet spot (0.6–0.7)" not in page or "0.65" in page


def test_an_ended_cycle_without_grades_shows_them_provisional(real: Any) -> None:
    pages = _site(real, "en")
    cycle = pages["cycles/2026-Q2/index.md"]
    assert 'data-graded="false"' in cycle and "Not graded yet (OKR502)" in cycle
    assert "2026-Q2 ended on 2026-06-30 without grades" in cycle
    team = pages["okrs/2026-Q2/community.md"]
    # statuses are final outcomes; the count without a baseline is 7 of 75 = 0.09, missed
    assert "okr-status-at-risk" not in team and "okr-status-on-track" not in team
    assert "Get 75 posts on the forum</a></td><td>0.09</td><td><span class=\"okr-status " \
           "okr-status-missed\">Missed</span>" in team
    assert "0.09 (provisional)" in team


def test_the_dashboard_shows_the_active_cycle_and_the_last_ones_results(real: Any) -> None:
    page = _site(real, "en")["index.md"]
    assert "Current cycle: 2026-Q3" in page
    assert "Last cycle's results · 2026-Q2" in page
    assert 'data-graded="false"' in page
    graded = _site(real, "en", TODAY_Q1_JUST_GRADED)["index.md"]
    assert "Current cycle: 2026-Q2" in graded and "Report card · 2026-Q1" in graded
    ended = _site(real, "en", TODAY_ALL_ENDED)["index.md"]
    assert "Current cycle" not in ended and "Needs attention" not in ended
    assert "2026-Q3" in ended and 'data-graded="false"' in ended


def test_site_and_okr_score_grade_alike(real: Any) -> None:
    tree, _, _ = real
    sheets = [s for s in tree.sheets if s.cycle_id == "2026-Q1"]
    teams = list(grading.grades(sheets))
    assert [t.grade for t in teams] == [0.83, 0.72]  # community, release: okr score's order
    assert grading.cycle_grade(teams) == 0.78 and all(grading.recorded(t) for t in teams)


# -- trends ----------------------------------------------------------------------------


def test_nine_confidence_check_ins_give_nine_points(real: Any) -> None:
    _, history, _ = real
    series = trends.confidence_series(history.timeline(RELEASE_KR))
    assert [p.value for p in series] == CONFIDENCE and len(series) == 9
    assert [p.day.isoformat() for p in series] == [day for day, _, _ in RELEASE_CHECKINS]
    page = _site(real, "en")["okrs/2026-Q1/release.md"]
    chart = re.search(r'<svg class="okr-chart okr-chart-confidence".*?</svg>', page)
    assert chart is not None and chart.group(0).count("<circle") == 9
    assert "confidence from 2026-01-01 to 2026-03-31, 9 check-ins" in chart.group(0)


@pytest.mark.parametrize(("lang", "description", "summary", "head"), [
    ("en", "On track from a confidence of 70%. Latest confidence 90% on 2026-03-02: at or "
           "above that level.", "Confidence data", "<th>When</th><th>Confidence</th>"
                                                   "<th>On track from</th>"),
    ("zh-TW", "信心度達 70% 即為進度正常。最新信心度 90%(2026-03-02):已達此水準。",
     "信心度數據", "<th>時間</th><th>信心度</th><th>進度正常門檻</th>"),
])
def test_a_confidence_chart_has_a_description_and_its_data_as_a_table(
        real: Any, lang: str, description: str, summary: str, head: str) -> None:
    # issue 18 for every chart: a description, and the numbers without the picture
    page = _site(real, lang)["okrs/2026-Q1/release.md"]
    chart = re.search(r'<svg class="okr-chart okr-chart-confidence".*?</svg>', page)
    assert chart is not None
    dom_id = "confidence-ship-3-0--release-on-time"
    assert f'aria-describedby="{dom_id}-d"' in chart.group(0)
    assert f'<desc id="{dom_id}-d">{description}</desc>' in chart.group(0)
    # its table follows it, inside the same chart box: one row per point of the chart
    after = page[chart.end():].split("</details>", 1)[0]
    assert after.startswith(f'\n<details class="okr-chart-data">\n<summary>{summary}')
    assert head in after
    rows = re.findall(r"<tr><td>([^<]*)</td><td>([^<]*)</td><td>([^<]*)</td></tr>", after)
    assert rows == [(day, f"{round(c * 100)}%", "70%") for day, c, _ in RELEASE_CHECKINS]


def test_a_teams_progress_series_is_the_weighted_mean_at_each_commit(real: Any) -> None:
    tree, history, shas = real
    sheet = tree.sheet("2026-Q1", "release")
    assert sheet is not None
    series = trends.progress_series([sheet], history)

    def by_hand(released: bool, blockers: int, pages: int, languages: int) -> float:
        # ship-3-0: milestone (0 or 1) and blockers 40 → 0; docs: pages of 20, languages
        # of 3; each objective the mean of its two, the sheet the mean of the two objectives
        ship = ((1.0 if released else 0.0) + (40 - blockers) / 40) / 2
        docs = (pages / 20 + languages / 3) / 2
        return (ship + docs) / 2

    expected = [(shas["plan-q1"], by_hand(False, 40, 0, 0))]
    for n, (_, _, blockers) in enumerate(RELEASE_CHECKINS):
        expected.append((shas[f"release-{n + 1}"], by_hand(False, blockers, 8 if n >= 4 else 0,
                                                           0)))
    expected.append((series[-1].sha, by_hand(True, 4, 13, 1)))  # 3.0 is out
    assert [(p.sha, round(p.value, 6)) for p in series] == [
        (sha, round(v, 6)) for sha, v in expected]
    assert series[-1].value == pytest.approx(sheet.progress())
    # the cycle's: the plain mean of both teams' at each commit (community's from 02-10 on)
    community = tree.sheet("2026-Q1", "community")
    assert community is not None
    both = trends.progress_series([sheet, community], history)
    at_forum = next(p for p in both if p.sha == shas["community-1"])
    release_then = by_hand(False, 24, 8, 0)  # after week 6
    community_then = ((280 - 200) / 200 + 3 / 6) / 2
    assert at_forum.value == pytest.approx((release_then + community_then) / 2)


@pytest.mark.parametrize(("lang", "head"), [
    ("en", "<th>When</th><th>Overall progress</th><th>Ideal line</th>"),
    ("zh-TW", "<th>時間</th><th>整體進度</th><th>理想進度線</th>"),
])
def test_a_trend_chart_has_its_data_as_a_table(real: Any, lang: str, head: str) -> None:
    # issue 18 for the trend charts too: the numbers of the team's series, under the chart
    tree, history, _ = real
    sheet = tree.sheet("2026-Q1", "release")
    assert sheet is not None
    series = trends.progress_series([sheet], history)
    page = _site(real, lang)["okrs/2026-Q1/release.md"]
    box = page.split('<div class="okr-chart-box okr-trend"', 1)[1].split("</div>", 1)[0]
    assert '<details class="okr-chart-data">' in box and head in box
    rows = re.findall(r"<tr><td>([^<]*)</td><td>([^<]*)</td><td>([^<]*)</td></tr>", box)
    # a row per commit, the last one planned before the cycle carried to its first day; the
    # ideal line at the share of the 90 days gone
    start = dt.date(2026, 1, 1)
    before = [p for p in series if p.day < start]
    shown = [(start, before[-1].value)] + [(p.day, p.value) for p in series if p.day >= start]
    assert len(rows) == len(shown) >= 10
    assert rows == [(day.isoformat(), f"{round(value * 100)}%",
                     f"{round(((day - start).days + 1) / 90 * 100)}%") for day, value in shown]


# -- a count without a baseline, people as contributors ---------------------------------------


def test_a_count_without_a_baseline_shows_against_its_target(real: Any) -> None:
    page = _site(real, "en", TODAY_Q1_JUST_GRADED)["okrs/2026-Q2/community.md"]
    kr = page.split("Get 75 posts on the forum {#forum-activity--forum-posts}", 1)[1]
    assert "Baseline</span> none (no baseline: counted from 0) →" in kr
    assert 'aria-valuenow="9.3"' in kr and ">9%</span>" in kr
    assert "<strong>7 posts</strong>" in kr and "75 posts" in kr


def test_contributors_are_people_or_linked_teams(real: Any) -> None:
    pages = _site(real, "en")
    assert "Contributors</span> Martin, Alex" in pages["okrs/2026-Q2/community.md"]
    release = pages["okrs/2026-Q3/release.md"]
    assert ('Contributors</span> <a href="../community/"><span lang="zh-TW">社群組</span></a>, '
            '<span lang="zh-TW">林怡君</span>') in release


def test_statuses_stay_live_in_the_active_cycle(real: Any) -> None:
    page = _site(real, "en")["okrs/2026-Q3/release.md"]
    assert 'class="okr-report' not in page and "okr-status-on-track" in page


@pytest.fixture(scope="module")
def built(real: Any) -> Path:
    """`mkdocs build --strict` of the set with Material, today pinned to TODAY."""
    from sitehelpers import mkdocs_build, write_mkdocs

    tree, _, _ = real
    root = tree.config.root
    write_mkdocs(root, plugins=["search", {"okrs": {"today": TODAY.isoformat()}}])
    return mkdocs_build(root)


def test_a_strict_material_build_renders_the_report_cards(built: Path) -> None:
    q1 = (built / "cycles" / "2026-Q1" / "index.html").read_text(encoding="utf-8")
    q2 = (built / "okrs" / "2026-Q2" / "community" / "index.html").read_text(encoding="utf-8")
    # raw HTML blocks came through as HTML, not as text or code
    assert '<div class="okr-report" data-graded="true">' in q1 and "&lt;div" not in q1
    assert '<p class="okr-big okr-grade">0.78</p>' in q1
    assert '<div class="admonition warning okr-provisional-notice">' in q2
    assert 'class="okr-chart okr-chart-confidence"' in (
        built / "okrs" / "2026-Q1" / "release" / "index.html").read_text(encoding="utf-8")


@pytest.mark.browser
@pytest.mark.slow
def test_report_cards_and_trends_in_the_browser(built: Path, chromium: str) -> None:
    from playwright.sync_api import sync_playwright
    from test_browser import ARGS, ARTIFACTS, Watch, serve

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with serve(built) as base, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=ARGS)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            watch = Watch(page)
            page.goto(base + "cycles/2026-Q1/", wait_until="networkidle")
            card = page.locator(".okr-report").first
            assert card.is_visible() and page.locator(".okr-grade").first.inner_text() == "0.78"
            # outcomes take the status colours: met green, missed red
            colour = "el => getComputedStyle(el).color"
            # (the light scheme's --okr-on-track #1e6b24 and --okr-off-track #b71c1c)
            assert page.locator(".okr-status-met").first.evaluate(colour) == "rgb(30, 107, 36)"
            assert page.locator(".okr-status-missed").first.evaluate(colour) == \
                "rgb(183, 28, 28)"
            page.screenshot(path=str(ARTIFACTS / "report-card-en.png"), full_page=True)
            page.goto(base + "okrs/2026-Q1/release/", wait_until="networkidle")
            confidence = page.locator("svg.okr-chart-confidence")
            assert confidence.count() == 1
            box = confidence.bounding_box()
            assert box is not None and box["width"] > 200 and box["height"] > 50
            assert confidence.locator("circle").count() == 9
            # its numbers without the picture: a closed table that opens
            data = page.locator("details.okr-chart-data", has_text="Confidence data")
            assert data.count() == 1 and not data.locator("table").is_visible()
            data.locator("summary").click()
            assert data.locator("tbody tr").count() == 9
            assert data.locator("tbody tr").last.locator("td").all_text_contents() == \
                ["2026-03-02", "90%", "70%"]
            assert page.locator(".okr-trend svg.okr-chart").first.is_visible()
            page.goto(base, wait_until="networkidle")
            assert page.locator(".okr-provisional-notice").first.is_visible()
            page.screenshot(path=str(ARTIFACTS / "dashboard-last-cycle-en.png"), full_page=True)
            assert watch.errors == [] and watch.dialogs == []
        finally:
            browser.close()


def test_a_report_card_shows_hostile_text_as_text(real: Any) -> None:
    from okrkit.site import grades
    from okrkit.site.render import template_dirs
    from okrkit.site.strings import Strings
    from okrkit.site.urls import Urls
    from okrkit.site.views import Context, StatusCount

    tree, history, _ = real
    ctx = Context(tree=tree, history=history, today=TODAY, s=Strings("en"), findings=(),
                  repo_url=None, edit_uri=None, urls=Urls())
    evil = "<script>window.__xss=1</script> *x* [y](javascript:alert(1)) {{ 7*7 }}"
    kr = grades.KrGradeRow(evil, "#k", "0.50", "partly", "Partly met")
    objective = grades.ObjectiveGradeRow(evil, "#o", "aspirational", "0.50", evil, evil, (kr,))
    card = grades.ReportCard(evil, "../", evil, False, evil, "0.50",
                             (StatusCount("partly", "Partly met", 1),),
                             (grades.TeamGradeRow(evil, "x/", "0.50", (objective,)),))
    for mode in ("dashboard", "cycle", "team"):
        out = str(grades.render_card(ctx, template_dirs(), card, mode=mode))
        assert "<script" not in out and "javascript:" not in out and "49" not in out
        assert "&#60;script&#62;" in out
