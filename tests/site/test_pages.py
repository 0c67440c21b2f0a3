"""Page generation (okrkit.site) over a small tree and its real git history: golden pages.

Regenerate the golden files after an intended change with
`OKRKIT_REGEN_GOLDEN=1 .venv/bin/python -m pytest tests/site/test_pages.py`, then
read the diff.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from sitehelpers import RESOURCES, TODAY

from okrkit.config import load_config
from okrkit.findings import Finding, Pos, Severity
from okrkit.history import empty_history, read_history
from okrkit.site import build_site
from okrkit.tree import load_tree

GOLDEN = RESOURCES / "golden"
REGEN = os.environ.get("OKRKIT_REGEN_GOLDEN") == "1"


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
    if REGEN:
        for src, content in got.items():
            (folder / src).parent.mkdir(parents=True, exist_ok=True)
            (folder / src).write_text(content, encoding="utf-8")
    expected = {p.relative_to(folder).as_posix(): p.read_text(encoding="utf-8")
                for p in folder.rglob("*") if p.is_file()}
    assert sorted(got) == sorted(expected)
    for src, content in got.items():
        assert content == expected[src], f"{lang}/{src} differs from its golden file"


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
    chart = re.search(r'<svg class="okr-chart".*?</svg>', page)
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


@pytest.mark.parametrize(("lang", "expected"), [
    ("en", ["0.85 <span class=\"okr-muted\">(above the sweet spot)</span>",
            "0.77 <span class=\"okr-muted\">(below 1.0: what blocked it?)</span>"]),
    ("zh-TW", ["0.85 <span class=\"okr-muted\">(高於最佳區間)</span>",
               "0.77 <span class=\"okr-muted\">(未達 1.0:是什麼阻礙了它?)</span>"]),
])
def test_a_scored_objective_shows_where_its_grade_stands(demo_tree: Path, lang: str,
                                                         expected: list[str]) -> None:
    # the demo's 2026-Q1 marketing: brand-awareness (aspirational) 0.85, website-conversion
    # (committed) 0.77, as okr score says
    config, _ = load_config(demo_tree)
    tree, _ = load_tree(config)
    site = build_site(tree, empty_history("no history", "沒有歷史"), today=TODAY, lang=lang,
                      findings=[], rules=[])
    page = _page(site, "okrs/2026-Q1/marketing.md").replace("&#58;", ":")  # as HTML shows it
    for text in expected:
        assert text in page
