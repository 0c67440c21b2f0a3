"""The MkDocs plugin `okrs`: strict Material builds of the demo, a generated organisation,
hostile input, a plain folder and a shallow clone."""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml
from sitehelpers import (
    XSS_IMG,
    XSS_JS_LINK,
    XSS_SCRIPT,
    XSS_TEMPLATE,
    XSS_TITLE_BREAK,
    edit,
    hostile_problems,
    internal_link_problems,
    make_hostile,
    make_small_history,
    mkdocs_build,
    site_pages,
    visible_text,
    write_mkdocs,
)

from okrkit.cli import main
from paths import REPO_ROOT

pytestmark = pytest.mark.slow

ISSUE_PAGES = [
    "index.html",  # the dashboard of the current cycle
    "cycles/2026-Q1/index.html", "cycles/2026-Q4/index.html", "cycles/2026/index.html",
    "okrs/2026-Q1/marketing/index.html", "okrs/2026-Q4/sales/index.html",
    "okrs/2026/company/index.html",
    "cycles/2026-Q1/alignment/index.html", "cycles/2026-Q1/changes/index.html",
    "lint/index.html", "rules/index.html", "rules/okr301/index.html", "rules/okr001/index.html",
]


def _demo(tmp_path: Path, git_repo: Any) -> Path:
    root = git_repo.path
    shutil.copytree(REPO_ROOT / "okrs", root / "okrs")
    shutil.copy2(REPO_ROOT / "mkdocs.yml", root / "mkdocs.yml")
    (root / "docs").mkdir()
    git_repo.commit("okrs: the demo")
    return root


def test_demo_builds_strict_with_every_page(tmp_path: Path, git_repo: Any) -> None:
    root = _demo(tmp_path, git_repo)
    config = yaml.safe_load((root / "mkdocs.yml").read_text(encoding="utf-8"))
    config["plugins"][1] = {"okrs": {"today": "2026-02-15"}}
    (root / "mkdocs.yml").write_text(yaml.safe_dump(config, allow_unicode=True),
                                     encoding="utf-8")
    site = mkdocs_build(root)
    for page in ISSUE_PAGES:
        assert (site / page).is_file(), page
    assert (site / "assets/okrkit/okrkit.css").is_file()
    index = (site / "index.html").read_text(encoding="utf-8")
    assert "assets/okrkit/okrkit.css" in index
    assert "目前週期" in index  # zh-TW from theme.language
    assert internal_link_problems(site) == []
    # search over OKR titles: the search index holds them
    import json

    search = json.loads((site / "search/search_index.json").read_text(encoding="utf-8"))
    titles = {doc["title"] for doc in search["docs"]}
    assert "將網站每月不重複訪客數提升20%" in titles
    # "edit this file" goes to the YAML, from the page and from Material's edit button
    team = (site / "okrs/2026-Q1/marketing/index.html").read_text(encoding="utf-8")
    edit = "https://github.com/okrkit/okrkit/edit/main/okrs/2026-Q1/marketing.yaml"
    assert f'href="{edit}"' in team  # Material's button
    assert "https&#58;//github.com/okrkit/okrkit/edit/main/okrs/2026-Q1/marketing.yaml" in team


def _generated(root: Path, synth: Any, *, teams: int, commits: int) -> Path:
    synth.write_tree(root, teams=teams, cycles=["2026-Q1", "2026-Q2"])
    synth.make_history(root, commits=commits)
    return root


def test_generated_organisation_builds_strict_and_twice_the_same(tmp_path: Path,
                                                                 synth: Any) -> None:
    root = _generated(tmp_path / "org", synth, teams=6, commits=80)
    write_mkdocs(root, plugins=["search", {"okrs": {"today": "2026-05-10",
                                                     "nav_team_limit": 4}}])
    first = site_pages(mkdocs_build(root))
    assert "okrs/2026-Q2/team-005/index.html" in first
    # more teams than nav_team_limit: team pages are linked from the cycle page, not in the nav
    cycle = first["cycles/2026-Q2/index.html"]
    assert 'href="../../okrs/2026-Q2/team-005/"' in cycle
    nav = first["index.html"].split('<nav class="md-nav md-nav--primary"', 1)[1]
    assert "team-005" not in nav.split("</nav>", 1)[0]
    assert "<svg" in first["okrs/2026-Q2/team-003/index.html"]
    shutil.rmtree(root / "site")
    second = site_pages(mkdocs_build(root))
    assert first == second
    assert internal_link_problems(root / "site") == []


def test_hostile_strings_are_shown_as_text(git_repo: Any) -> None:
    make_hostile(git_repo)
    root = git_repo.path
    write_mkdocs(root)
    pages = site_pages(mkdocs_build(root))
    problems = {path: found for path, page in pages.items()
                if (found := hostile_problems(page))}
    assert problems == {}
    team = visible_text(pages["okrs/2026-Q1/marketing/index.html"])
    assert XSS_SCRIPT in team and XSS_TEMPLATE in team and XSS_IMG in team
    sales = pages["okrs/2026-Q1/sales/index.html"]
    assert XSS_TITLE_BREAK in visible_text(sales) and XSS_JS_LINK in visible_text(sales)
    assert "49" not in visible_text(sales).split("Mallory", 1)[-1][:12]
    title = sales.split("<title>", 1)[1].split("</title>", 1)[0]
    import html

    assert XSS_TITLE_BREAK in html.unescape(title)
    # the initiative's javascript: link is not a link
    assert "SEO" in team and 'href="javascript' not in pages["okrs/2026-Q1/marketing/index.html"]


def test_plain_folder_without_git_builds_with_a_notice(tmp_path: Path, git_repo: Any) -> None:
    make_small_history(git_repo)
    root = tmp_path / "plain"
    shutil.copytree(git_repo.path / "okrs", root / "okrs")
    write_mkdocs(root)
    pages = site_pages(mkdocs_build(root))
    team = pages["okrs/2026-Q1/marketing/index.html"]
    assert "No git history" in team and "not in a git repository" in team
    assert "<svg" not in team.split('<article', 1)[1]  # no charts; Material's icons are before
    assert "55,000 visitors" in team


def test_shallow_clone_builds_with_a_notice(tmp_path: Path, git_repo: Any) -> None:
    make_small_history(git_repo)
    clone = tmp_path / "clone"
    git_repo.clone(clone, depth=2)
    write_mkdocs(clone)
    pages = site_pages(mkdocs_build(clone))
    team = pages["okrs/2026-Q1/marketing/index.html"]
    assert "Shallow clone" in team
    assert "55,000 visitors" in team


def test_a_custom_dir_overrides_a_page_template(small_repo: Any) -> None:
    root = small_repo.path
    override = root / "overrides" / "okrkit"
    override.mkdir(parents=True)
    rules = (REPO_ROOT / "site_templates/okrkit/rules.md")
    override.joinpath("rules.md").write_text(
        rules.read_text(encoding="utf-8") + "\n<p>OVERRIDDEN BY THE USER</p>\n",
        encoding="utf-8")
    write_mkdocs(root, theme={"custom_dir": "overrides"})
    pages = site_pages(mkdocs_build(root))
    assert "OVERRIDDEN BY THE USER" in pages["rules/index.html"]
    assert "OVERRIDDEN" not in pages["lint/index.html"]


def test_language_follows_the_plugin_option_then_the_theme(small_repo: Any) -> None:
    root = small_repo.path
    write_mkdocs(root, lang="zh-TW")
    index = site_pages(mkdocs_build(root))["index.html"]
    assert "整體進度" in index and re.search(r'<html lang="zh-TW"', index)
    write_mkdocs(root, lang="zh-TW",
                 plugins=["search", {"okrs": {"today": "2026-02-20", "lang": "en"}}])
    assert "Overall progress" in site_pages(mkdocs_build(root))["index.html"]


@pytest.mark.parametrize("page", [
    '<p><img src=x onerror="window.__xss=2"></p>', "<script>window.__xss=1</script>",
    '<a href=" javascript:alert(1)">x</a>',
    "<title>a</title><script>window.__xss=3</script></title>",
])
def test_the_hostile_check_catches_real_injections(page: str) -> None:
    assert hostile_problems(page)


def test_the_lint_page_lists_silenced_findings_with_their_reasons(
        small_repo: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A finding silenced inline is not among the findings, but a table of its own says
    where, which and why, the reason shown as typed (escaped, not markup); both through
    the plugin (en) and `okr site --out` (zh-TW, the path Zensical builds from)."""
    root = small_repo.path
    reason = "由 <b>行銷長</b> & 業務共同負責"
    # the OKR402 (no shared term) of the cost-per-lead key result
    edit(small_repo, "okrs/2026-Q1/marketing.yaml", "        title: Cut the cost per lead",
         f"        # okr: disable-next-line OKR402 -- {reason}\n"
         "        title: Cut the cost per lead")
    small_repo.commit("okrs: website conversion is shared", date="2026-02-17T09:00:00+08:00")
    write_mkdocs(root)
    lint = site_pages(mkdocs_build(root))["lint/index.html"]
    findings, _, silenced = lint.partition('id="silenced"')
    assert "提高網站轉換率" not in visible_text(findings)
    assert "Silenced findings" in lint and "1 finding is silenced" in lint
    assert ">OKR402<" in silenced and "提高網站轉換率" in visible_text(silenced)
    assert reason in visible_text(silenced) and "<b>行銷長" not in lint
    monkeypatch.setenv("OKR_TODAY", "2026-02-20")
    assert main(["site", "--out", str(tmp_path / "pages"), "--lang", "zh-TW"]) == 0
    page = (tmp_path / "pages" / "lint.md").read_text(encoding="utf-8")
    assert "已停用的檢查結果" in page and "有 1 筆檢查結果" in page
    assert "行銷長" in page and "<b>行銷長" not in page


def test_the_lint_page_has_no_silenced_section_without_suppressions(small_repo: Any) -> None:
    write_mkdocs(small_repo.path)
    lint = site_pages(mkdocs_build(small_repo.path))["lint/index.html"]
    assert "Silenced findings" not in lint and 'id="silenced"' not in lint
