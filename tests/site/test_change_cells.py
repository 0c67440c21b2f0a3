"""Change cells and counts read as prose (issue 14): English plurals ("1 team", not
"1 teams"), and the fields a timeline names, with direction values, in zh-TW."""

from __future__ import annotations

import datetime as dt
import html
from pathlib import Path

import pytest

from gitrepo import GitRepo
from okrkit.config import load_config
from okrkit.history import read_history
from okrkit.site import build_site
from okrkit.site.strings import Strings
from okrkit.tree import load_tree

ORG = """\
name: Acme
strategy:
  - id: brand
    title: Brand
teams:
  - id: marketing
    name: Marketing
    lead: mei
people:
  - id: mei
    name: Mei
"""

SHEET = """\
cycle: 2026-Q1
team: marketing
owner: mei
objectives:
  - id: reach
    title: Reach more people
    owner: mei
    strategy: [brand]
    key_results:
      - id: visitors
        title: {title}
        metric: monthly visitors
        direction: {direction}
        baseline: 100
        target: 120
        current: 100
        due: 2026-03-31
"""


@pytest.mark.parametrize(("count", "en"), [(1, "1 key result at risk or off track"),
                                           (2, "2 key results at risk or off track"),
                                           (0, "0 key results at risk or off track")])
def test_english_counts_agree_with_their_nouns(count: int, en: str) -> None:
    assert Strings("en")("at-risk-krs", count=count) == en
    assert Strings("zh-TW")("at-risk-krs", count=count) == f"{count} 個關鍵結果有風險或落後"
    assert Strings("en")("sheet-count", teams=1, objectives=1, krs=3) == (
        "1 team, 1 objective, 3 key results")
    assert Strings("en")("lint-summary", errors=0, warnings=1, infos=2) == (
        "0 errors, 1 warning, 2 info")


@pytest.mark.parametrize(("lang", "title", "direction"), [
    ("zh-TW", "標題: ", "方向: 至少維持 → 提升"),
    ("en", "Title: ", "Direction: at least → increase"),
])
def test_a_timeline_names_title_and_direction_changes_in_the_sites_language(
        tmp_path: Path, lang: str, title: str, direction: str) -> None:
    repo = GitRepo(tmp_path / "repo")
    repo.write("okrs/org.yaml", ORG)
    repo.write("okrs/2026-Q1/marketing.yaml",
               SHEET.format(title="Hold 100 visitors", direction="at_least"))
    repo.commit("okrs: plan", date="2025-12-20T10:00:00+08:00")
    repo.write("okrs/2026-Q1/marketing.yaml",
               SHEET.format(title="Grow visitors to 120", direction="increase"))
    repo.commit("okrs: aim higher", date="2026-01-12T10:00:00+08:00")
    config, _ = load_config(repo.path)
    tree, _ = load_tree(config)
    site = build_site(tree, read_history(config), today=dt.date(2026, 2, 1), lang=lang)
    page = html.unescape(next(p for p in site.pages
                              if p.src == "okrs/2026-Q1/marketing.md").content)
    assert title in page
    assert direction in page
    assert "at_least" not in page.split("okr-timeline", 1)[-1]
