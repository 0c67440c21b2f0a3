"""The `okrs` plugin's options of the many-repositories issue under both engines:
`history_repo` (the history read from another repository) and `docs_nav_section` /
`docs_nav_first` (the guide as one nav section); `include` under Zensical is in
test_include.py, beside the sites it includes. Then `root`, `okrs_dir` and `lint`: a site
folder of its own built from another repository's sheets, with both engines alike.

This repository's demo as `make build` sees it: okrs/ and docs/ as they are (a plain
folder, no git), the work tree's own mkdocs.yml unchanged, and the story replayed into
build/demo-repo (`make demo`). Built once with MkDocs and once with Zensical, for real
(`okr build --engine E --strict`): both read the story's log and list the guide alike.
"""

from __future__ import annotations

import dataclasses
import html
import os
import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from sitehelpers import TODAY, make_small_history, visible_text, write_mkdocs

from demorepo import replay_module
from gitrepo import GitRepo
from okrkit.cli import main
from okrkit.config import load_config
from okrkit.engines import zensical as zensical_engine
from okrkit.history import read_history
from okrkit.rules.runner import lint
from paths import chdir, copy_work_tree

pytestmark = pytest.mark.slow

TEAM_PAGE = "okrs/2026-Q4/marketing/index.html"
SECTION = "使用指南 Guide"


def _both_engines(where: Path, base: Path) -> dict[str, Path]:
    """`okr build --strict` with each engine in `where`: each site's folder under `base`."""
    sites = {}
    with pytest.MonkeyPatch.context() as mp, chdir(where):
        mp.setenv("NO_MKDOCS_2_WARNING", "1")
        mp.setenv("GIT_CONFIG_GLOBAL", os.devnull)
        for engine in ("mkdocs", "zensical"):
            sites[engine] = base / engine
            assert main(["build", "--engine", engine, "-d", str(sites[engine]), "--strict"]) == 0
    return sites


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    base = tmp_path_factory.mktemp("engines-options")
    root = copy_work_tree(base / "okrkit", ["okrs", "docs", "mkdocs.yml"])
    # mkdocs.yml's `history_repo: build/demo-repo`, where `make demo` writes the story
    replay_module().replay(root / "build" / "demo-repo")
    return {"root": root, **_both_engines(root, base)}


def _timeline(page: str) -> list[str]:
    """The change timelines' rows, as text, in page order."""
    rows = []
    for block in re.findall(r'<details class="okr-timeline".*?</details>', page, re.S):
        for row in re.findall(r"<tr[ >].*?</tr>", block, re.S):
            rows.append(" ".join(html.unescape(re.sub(r"<[^>]+>", " ", row)).split()))
    return rows


def test_both_engines_read_the_storys_log(built: dict[str, Path]) -> None:
    pages = {e: (built[e] / TEAM_PAGE).read_text(encoding="utf-8") for e in ("mkdocs",
                                                                            "zensical")}
    mkdocs, zensical = (_timeline(pages[e]) for e in ("mkdocs", "zensical"))
    # okrs/ here is no git repository: every row comes from build/demo-repo's log
    assert len(mkdocs) >= 6 * 5 and zensical == mkdocs
    # the story's weekly points on the charts, as many under each engine
    points = [pages[e].count('class="p"') for e in ("mkdocs", "zensical")]
    assert points[0] >= 6 * 5 and points[0] == points[1]
    # its commits are not at repo_url: no commit links under either engine
    assert all("/commit/" not in page for page in pages.values())


def _guide_links(page: str, guide: list[str]) -> list[str]:
    """The guide's pages in the order the page's nav first links them."""
    wanted = {Path(p).with_suffix("").as_posix(): p for p in guide}
    seen: list[str] = []
    for href in re.findall(r'href="([^"#]*)"', page):
        name = href.rstrip("/").rsplit("/", 1)[-1].removesuffix(".html")
        if name in wanted and wanted[name] not in seen:
            seen.append(wanted[name])
    return seen


def test_the_guide_is_one_nav_section_in_the_same_order(built: dict[str, Path]) -> None:
    root = built["root"]
    options = next(p["okrs"] for p in yaml.safe_load(
        (root / "mkdocs.yml").read_text(encoding="utf-8"))["plugins"]
        if isinstance(p, dict) and "okrs" in p)
    assert options["docs_nav_section"] == SECTION
    own = sorted(p.relative_to(root / "docs").as_posix() for p in (root / "docs").rglob("*.md"))
    first = [p for p in options["docs_nav_first"] if p in own]
    expected = first + [p for p in own if p not in first]
    import tomllib  # type: ignore[import-not-found,unused-ignore]

    derived = tomllib.loads((root / zensical_engine.BUILD_DIR / "zensical.toml")
                            .read_text(encoding="utf-8"))["project"]
    assert derived["nav"][-1] == {SECTION: expected}
    for engine in ("mkdocs", "zensical"):
        page = (built[engine] / "index.html").read_text(encoding="utf-8")
        assert SECTION in page
        assert _guide_links(page, expected) == expected, engine


@pytest.mark.parametrize(("lang", "message"), [
    ("en", "history_repo: {repo} is not a git repository (okrkit's demo: run `make demo`)"),
    ("zh-TW", "history_repo:{repo} 不是 git 儲存庫(okrkit 的示範:請執行 `make demo`)"),
])
def test_a_history_repo_that_is_no_repository_is_one_line(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], lang: str, message: str) -> None:
    copy_work_tree(tmp_path, ["okrs"])
    (tmp_path / "mkdocs.yml").write_text(
        "site_name: demo\nplugins:\n  - okrs:\n      history_repo: nowhere\n",
        encoding="utf-8")
    with chdir(tmp_path):
        assert main(["build", "--engine", "zensical", "--lang", lang]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].endswith(message.format(repo=tmp_path / "nowhere"))
    assert not (tmp_path / "site").exists()


@pytest.mark.parametrize(("option", "value", "lang", "message"), [
    ("docs_nav_first", "faq.md", "en",
     "the okrs plugin's docs_nav_first: expected a list of page paths, got 'faq.md'"),
    ("docs_nav_section", ["Guide"], "zh-TW", "okrs 外掛的 docs_nav_section:['Guide'] 不是字串"),
    ("history_repo", 3, "en", "the okrs plugin's history_repo: 3 is not a string"),
    ("include", ["hq"], "en",
     "the okrs plugin's include: expected a mapping of names to URLs or paths, got ['hq']"),
    ("include_timeout", "5", "zh-TW", "okrs 外掛的 include_timeout:'5' 不是數字"),
])
def test_options_of_the_wrong_type_are_one_line(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], option: str, value: Any,
        lang: str, message: str) -> None:
    (tmp_path / "okrs").mkdir()
    (tmp_path / "mkdocs.yml").write_text(yaml.safe_dump(
        {"site_name": "x", "plugins": [{"okrs": {option: value}}]}), encoding="utf-8")
    with chdir(tmp_path):
        assert main(["build", "--engine", "zensical", "--lang", lang]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].endswith(message), err


# -- `root`, `okrs_dir` and `lint`: a site folder of its own, the sheets in another
# repository under goals/ (no .okrkit.yaml there says so), the rules off


@pytest.fixture(scope="module")
def elsewhere(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    base = tmp_path_factory.mktemp("engines-root")
    make_small_history(GitRepo(base / "okr-repo"), okrs="goals")
    web = GitRepo(base / "web").path  # the site's own repository: no sheets, no config
    # the Markdown extensions of this repository's mkdocs.yml (headings' permalinks as
    # Zensical always has them; code fenced as Zensical fences it): the text compares
    extensions = ["attr_list", "md_in_html", "admonition", "pymdownx.details",
                  "pymdownx.superfences", "tables", {"toc": {"permalink": True}}]
    write_mkdocs(web, markdown_extensions=extensions, plugins=[
        "search", {"okrs": {"today": TODAY.isoformat(), "root": "../okr-repo",
                            "okrs_dir": "goals", "lint": False}}])
    return {"okr-repo": base / "okr-repo", **_both_engines(web, base)}


def _article(page: str) -> str:
    return page.split("<article", 1)[1].split("</article>", 1)[0]


def test_root_okrs_dir_and_lint_carry_over_to_zensical(elsewhere: dict[str, Path]) -> None:
    mkdocs, zensical = elsewhere["mkdocs"], elsewhere["zensical"]
    pages = {p.relative_to(mkdocs).as_posix() for p in mkdocs.rglob("*.html")} - {"404.html"}
    assert pages == {p.relative_to(zensical).as_posix()
                     for p in zensical.rglob("*.html")} - {"404.html"}
    # the sheets of ../okr-repo/goals, with the history of that repository
    team = "okrs/2026-Q1/marketing/index.html"
    assert team in pages and "okrs/2026-Q1/sales/index.html" in pages
    rows = _timeline((mkdocs / team).read_text(encoding="utf-8"))
    assert len(rows) >= 4 and any("Kai Chang" in r for r in rows)
    assert _timeline((zensical / team).read_text(encoding="utf-8")) == rows
    for rel in sorted(pages):
        a, b = (_article((site / rel).read_text(encoding="utf-8")) for site in (mkdocs,
                                                                             zensical))
        assert visible_text(a) == visible_text(b), rel
    # `lint: false`: the rules' findings on these sheets are on neither lint page
    repo = elsewhere["okr-repo"]
    config = dataclasses.replace(load_config(repo)[0], okrs_dir=repo / "goals")
    codes = {f.code for f in lint(config, today=TODAY, history=read_history(config)).findings
             if f.code >= "OKR100"}
    assert codes
    for site in (mkdocs, zensical):
        shown = _article((site / "lint" / "index.html").read_text(encoding="utf-8"))
        assert not [c for c in codes if c in shown], site.name


def test_lint_of_the_wrong_type_is_one_line(tmp_path: Path,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "okrs").mkdir()
    (tmp_path / "mkdocs.yml").write_text(yaml.safe_dump(
        {"site_name": "x", "plugins": [{"okrs": {"lint": "no"}}]}), encoding="utf-8")
    for lang, message in (("en", "the okrs plugin's lint: 'no' is not true or false"),
                          ("zh-TW", "okrs 外掛的 lint:'no' 不是 true 或 false")):
        with chdir(tmp_path):
            assert main(["build", "--engine", "zensical", "--lang", lang]) == 2
        err = capsys.readouterr().err.strip().splitlines()
        assert len(err) == 1 and err[0].endswith(message), err
