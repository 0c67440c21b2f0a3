"""Page generation (okrkit.site) over a small tree and its real git history: golden pages.

Regenerate the golden files after an intended change with
`OKRKIT_UPDATE_GOLDEN=1 .venv/bin/python -m pytest tests/site/test_pages.py`, then
read the diff.
"""

from __future__ import annotations

import html
import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from sitehelpers import RESOURCES, TODAY

from golden import assert_golden
from okrkit.commands.score import grades
from okrkit.config import load_config
from okrkit.findings import Finding, Pos, Severity
from okrkit.history import empty_history, read_history
from okrkit.model import VERDICT_LABELS
from okrkit.site import build_site
from okrkit.site.strings import Strings
from okrkit.site.urls import Urls
from okrkit.site.views import Context, fmt_number, value_label
from okrkit.tree import load_tree

GOLDEN = RESOURCES / "golden"


def _site(root: Path, lang: str, *, history: Any = None) -> Any:
    config, _ = load_config(root)
    tree, findings = load_tree(config)
    assert findings == []
    sheet = tree.sheet("2026-Q1", "sales")
    assert sheet is not None
    kr = sheet.objectives[0].key_results[1]
    # fixed findings: the lint health page and the stale notice do not move with the linter
    stale = Finding(kr.src.pos(), "OKR503", Severity.WARNING,
                    {"en": "no check-in for 56 days", "zh-TW": "已 56 天沒有更新進度"})
    vague = Finding(Pos(sheet.path, 9, 12), "OKR101", Severity.INFO,
                    {"en": "vague <wording>", "zh-TW": "用詞模糊 <wording>"})
    return build_site(tree, history if history is not None else read_history(config),
                      today=TODAY, lang=lang, findings=[stale, vague],
                      repo_url="https://github.com/okrkit/small", edit_uri="edit/main/",
                      rules=[])


@pytest.mark.parametrize("lang", ["en", "zh-TW"])
def test_pages_match_the_golden_files(small_repo: Any, lang: str) -> None:
    site = _site(small_repo.path, lang)
    folder = GOLDEN / lang
    got = {p.src: p.content for p in site.pages}
    got["nav.yaml"] = yaml.safe_dump(site.mkdocs_nav(), allow_unicode=True, sort_keys=False)
    for src, content in got.items():
        assert_golden(folder / src, content)
    assert sorted(got) == sorted(p.relative_to(folder).as_posix()
                                 for p in folder.rglob("*") if p.is_file())


def test_every_page_of_the_issue_exists(small_repo: Any) -> None:
    site = _site(small_repo.path, "en")
    srcs = {p.src for p in site.pages}
    assert {"index.md", "lint.md", "okrs/2026-Q1/marketing.md", "okrs/2026-Q1/sales.md",
            "okrs/2026/company.md", "cycles/2026-Q1/index.md", "cycles/2026/index.md",
            "cycles/2026-Q1/alignment.md", "cycles/2026-Q1/changes.md"} <= srcs


def _page(site: Any, src: str) -> str:
    return next(p.content for p in site.pages if p.src == src)


def test_team_page_shows_values_chart_timeline_and_moved_goal_posts(small_repo: Any) -> None:
    site = _site(small_repo.path, "en")
    page = _page(site, "okrs/2026-Q1/marketing.md")
    # baseline → current → target with unit, owner's display name, due, source
    assert "</span> 50,000 visitors → <span class=\"okr-label\">Current</span> <strong>" \
           "55,000 visitors</strong> → <span class=\"okr-label\">Target</span> 58,000 visitors" \
           in page
    assert "Kai Chang" in page and "2026-03-31" in page and "Google Analytics" in page
    # the chart: an accessible inline SVG with a dot per check-in (plan at the start,
    # 01-12, 02-09; the target change of 02-02 is not a check-in)
    chart = re.search(r'<svg class="okr-chart"[^>]*labelledby="chart-.*?</svg>', page)
    assert chart is not None
    assert 'role="img"' in chart.group(0) and "<title" in chart.group(0)
    assert chart.group(0).count("<circle") == 3
    # the timeline: who, when, commit subject, old → new; commit links on GitHub
    assert "2026-02-02</td><td>Kai Chang</td>" in page
    assert "Target&#58; 60,000 visitors → 58,000 visitors" in page
    assert 'href="https&#58;//github.com/okrkit/small/commit/' in page
    # goal posts moved: flagged, the original target beside the revised one, no reason
    assert "okr-row-moved" in page
    assert "Original target 60,000 visitors, revised to 58,000 visitors" in page
    assert "no reason recorded" in page
    # the revision recorded openly, with its reason
    assert "Reason&#58; Ad prices rose 8% in February." in page
    # the edit link goes to the YAML file
    assert 'href="https&#58;//github.com/okrkit/small/edit/main/okrs/2026-Q1/marketing.yaml"' \
        in page


def test_changes_page_flags_plan_changes_apart_from_checkins(small_repo: Any) -> None:
    page = _page(_site(small_repo.path, "en"), "cycles/2026-Q1/changes.md")
    plan, _, checkins = page.partition("## Check-ins")
    assert "## Plan changes" in plan and "okr-row-moved" in plan
    assert "visitors target 58000" in plan
    assert "checkin&#58; sales revenue" in checkins or "checkin: sales revenue" in checkins
    assert "okr-kind-plan" not in checkins and "okr-row-moved" not in checkins


def test_dashboard_lists_at_risk_and_stale_key_results(small_repo: Any) -> None:
    page = _page(_site(small_repo.path, "en"), "index.md")
    attention = page.split('okr-attention">', 1)[1].split("</div>", 1)[0]
    assert "Reach 5M in sales this quarter" in attention  # confidence 0.3: off track
    assert "Cut the cost per lead from 450 to 405" in attention  # 0.4: at risk
    stale = page.split('okr-stale-list">', 1)[1].split("</div>", 1)[0]
    assert "Grow new customers by 15%" in stale and "no check-in for 56 days" in stale


def test_alignment_nests_team_objectives_under_company_objectives(small_repo: Any) -> None:
    page = _page(_site(small_repo.path, "en"), "cycles/2026-Q1/alignment.md")
    brand = page.split("{#theme-brand}", 1)[1].split("{#theme-growth}", 1)[0]
    company = brand.index("Grow the brand and online revenue")
    assert company < brand.index("提升品牌知名度") and company < brand.index("Increase sales")


def test_without_git_history_pages_show_a_notice_instead_of_charts(small_repo: Any) -> None:
    site = _site(small_repo.path, "zh-TW",
                 history=empty_history("not a git repository", "不是 git 儲存庫"))
    page = _page(site, "okrs/2026-Q1/marketing.md")
    assert "<svg" not in page and "okr-timeline" not in page
    assert "沒有 git 歷史紀錄" in page and "不是 git 儲存庫" in page
    assert "55,000 visitors" in page  # the values come from the files anyway


def test_two_builds_give_the_same_pages(small_repo: Any) -> None:
    first = [(p.src, p.content) for p in _site(small_repo.path, "en").pages]
    second = [(p.src, p.content) for p in _site(small_repo.path, "en").pages]
    assert first == second


@pytest.mark.parametrize("lang", ["en", "zh-TW"])
def test_a_scored_objective_shows_where_its_grade_stands(demo_tree: Path, lang: str) -> None:
    # the demo's 2026-Q1 marketing (an aspirational and a committed objective, scored):
    # the same grade and verdict as okr score gives
    config, _ = load_config(demo_tree)
    tree, _ = load_tree(config)
    site = build_site(tree, empty_history("no history", "沒有歷史"), today=TODAY, lang=lang,
                      findings=[], rules=[])
    page = _page(site, "okrs/2026-Q1/marketing.md").replace("&#58;", ":")  # as HTML shows it
    sheet = tree.sheet("2026-Q1", "marketing")
    assert sheet is not None
    (team,) = grades([sheet])
    shown = [(g.final, g.verdict) for g in team.objectives]
    assert {verdict for _, verdict in shown} == {"above", "missed"}
    for final, verdict in shown:
        assert final is not None and verdict is not None
        assert (f"{fmt_number(final)} <span class=\"okr-muted\">"
                f"({VERDICT_LABELS[lang][verdict]})</span>") in page


@pytest.mark.parametrize(("value", "unit", "label"), [
    # currency symbols lead, as NT$5,150,000 is written in Taiwan; 元 and words follow
    (5150000, "NT$", "NT$5,150,000"), (450, "US$", "US$450"), (12.5, "$", "$12.5"),
    (-450, "HK$", "-HK$450"), (300, "¥", "¥300"), (9, "€", "€9"), (7, "£", "£7"),
    (1000, "元", "1,000 元"), (5, "TWD", "5 TWD"), (3, "visitors", "3 visitors"),
    (30, "%", "30%"), (4, None, "4"),
])
def test_currency_symbols_go_before_the_number(small_repo: Any, value: float, unit: str | None,
                                               label: str) -> None:
    config, _ = load_config(small_repo.path)
    tree, _ = load_tree(config)
    ctx = Context(tree=tree, history=empty_history("no history", "沒有歷史"), today=TODAY,
                  s=Strings("en"), findings=(), repo_url=None, edit_uri=None, urls=Urls())
    assert value_label(ctx, value, unit) == label


def test_the_lint_page_links_only_to_rule_pages_that_exist(small_repo: Any) -> None:
    for rules in ([], None):
        config, _ = load_config(small_repo.path)
        tree, _ = load_tree(config)
        finding = Finding(Pos(tree.sheets[0].path, 1, 1), "OKR101", Severity.INFO,
                          {"en": "vague", "zh-TW": "模糊"})
        site = build_site(tree, empty_history("no history", "沒有歷史"), today=TODAY,
                          lang="en", findings=[finding], rules=rules)
        lint = _page(site, "lint.md")
        built = {p.src for p in site.pages}
        linked = re.findall(r'href="\.\./(rules/[a-z0-9]+)/"', lint)
        assert ("rules/okr101.md" in built) == (rules is None)
        assert all(f"{src}.md" in built for src in linked)
        assert bool(linked) == (rules is None) and "Vague key result" in lint


def test_a_measured_checkin_says_so_and_the_card_names_its_source(small_repo: Any,
                                                                  monkeypatch: pytest.MonkeyPatch
                                                                  ) -> None:
    from okrkit.cli import main

    sheet = small_repo.path / "okrs/2026-Q1/marketing.yaml"
    text = sheet.read_text(encoding="utf-8")
    small_repo.write("okrs/2026-Q1/marketing.yaml", text.replace(
        "        source: Google Analytics\n",
        "        source: Google Analytics\n"
        "        measure: {from: csv, path: data/visitors.csv, column: visitors}\n", 1))
    small_repo.write("data/visitors.csv", "month,visitors\n2026-02,57400\n")
    small_repo.commit("okrs: measure unique visitors", date="2026-02-18T09:00:00+08:00")
    monkeypatch.setenv("OKR_TODAY", "2026-02-19")
    for who in ("AUTHOR", "COMMITTER"):
        monkeypatch.setenv(f"GIT_{who}_DATE", "2026-02-19T09:00:00+08:00")
    assert main(["measure", "--commit", "unique-visitors"]) == 0
    for lang, label, source in (("en", "measured (csv)", "Measured from"),
                                ("zh-TW", "自動量測(csv)", "自動量測來源")):
        # text is escaped to entities (parentheses too): compare it as a browser reads it
        page = html.unescape(_page(_site(small_repo.path, lang), "okrs/2026-Q1/marketing.md"))
        assert f'<span class="okr-kind okr-kind-measured">{label}</span>' in page
        assert f'<span class="okr-label">{source}</span> CSV · data/visitors.csv · visitors' \
            in page
        assert page.count("okr-kind-measured") == 1  # the other key results' rows are not
