"""`okr build --engine mkdocs|zensical` on the demo: every link right with both engines,
the same pages with the same parts and text, the Zensical config derived from mkdocs.yml, and
`okr init --engine zensical` → `okr build --engine zensical --strict` on a fresh repository.

The demo is built once per engine for the whole session (conftest's `demo_sites`).
"""

from __future__ import annotations

import html
import re
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from linkcheck import SUB_PATH, broken_links, count_links
from sitehelpers import visible_text

from okrkit.cli import main
from okrkit.engines import zensical as zensical_engine
from paths import chdir

pytestmark = pytest.mark.slow

ENGINES = ("mkdocs", "zensical")
# what each page must show as often under one engine as under the other
PARTS = {
    "SVG charts": re.compile(r'<svg class="okr-chart"'),
    "progress bars": re.compile(r'class="okr-progress"'),
    "tables": re.compile(r"<table\b"),
    "timelines": re.compile(r'class="okr-timeline"'),
    "key results": re.compile(r'class="okr-kr[" ]'),
}
TEAM_PAGE = "okrs/2026-Q1/marketing/index.html"


def _pages(site: Path) -> set[str]:
    """The site's HTML pages but the engine's own (404)."""
    return {p.relative_to(site).as_posix() for p in site.rglob("*.html")} - {"404.html"}


def _article(page: str) -> str:
    return page.split("<article", 1)[1].split("</article>", 1)[0]


@pytest.mark.parametrize("engine", ENGINES)
def test_no_broken_links_at_the_root_or_under_a_sub_path(demo_sites: dict[str, Path],
                                                         engine: str) -> None:
    site = demo_sites[engine]
    assert count_links(site) > 300  # the checker looked at the whole site
    broken = broken_links(site)
    assert broken == [], "\n".join(map(str, broken[:40]))


def test_the_link_checker_finds_what_is_broken(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "index.html").write_text('<p id="here">b</p>', encoding="utf-8")
    (tmp_path / "a" / "index.html").write_text(
        '<a href="../b/">ok</a> <a href="../c/">missing</a> <img src="x.png">'
        '<a href="../../b/">above the root</a> <a href="/b/">from the domain root</a>'
        '<a href="https://example.com/">away</a> <a href="#top">here</a>'
        '<a href="../b/#here">an anchor</a> <a href="../b/#gone">no such anchor</a>',
        encoding="utf-8")
    found = {(b.url, b.served_at) for b in broken_links(tmp_path)}
    assert found == {("../c/", "/"), ("../c/", SUB_PATH), ("x.png", "/"), ("x.png", SUB_PATH),
                     ("../../b/", SUB_PATH), ("/b/", SUB_PATH),
                     ("../b/#gone", "/"), ("../b/#gone", SUB_PATH)}


def test_both_engines_build_the_same_pages_with_the_same_parts(
        demo_sites: dict[str, Path]) -> None:
    mkdocs, zensical = demo_sites["mkdocs"], demo_sites["zensical"]
    pages = _pages(mkdocs)
    assert pages == _pages(zensical)
    assert TEAM_PAGE in pages and "index.html" in pages and "rules/okr301/index.html" in pages
    totals = dict.fromkeys(PARTS, 0)
    for rel in sorted(pages):
        a = _article((mkdocs / rel).read_text(encoding="utf-8"))
        b = _article((zensical / rel).read_text(encoding="utf-8"))
        for name, pattern in PARTS.items():
            assert len(pattern.findall(a)) == len(pattern.findall(b)), f"{rel}: {name}"
            totals[name] += len(pattern.findall(a))
        # and the same text, word for word (the links differ in form only)
        assert visible_text(a) == visible_text(b), rel
    assert all(totals.values()), totals  # the demo has every part: the counts mean something


@pytest.mark.parametrize("engine", ENGINES)
def test_headerlinks_and_the_edit_link_of_a_team_page(demo_sites: dict[str, Path],
                                                      engine: str) -> None:
    page = (demo_sites[engine] / TEAM_PAGE).read_text(encoding="utf-8")
    assert len(re.findall(r'class="headerlink"', page)) >= 3
    edits = [html.unescape(h) for h in re.findall(r'<a href="([^"]*)"[^>]*rel="edit"', page)
             + re.findall(r'<a href="([^"]*)" title="[^"]*" class="md-content__button', page)]
    assert "https://github.com/okrkit/okrkit/edit/main/okrs/2026-Q1/marketing.yaml" in edits
    # a page without a sheet behind it has no edit button (no docs/index.md to edit)
    dashboard = (demo_sites[engine] / "index.html").read_text(encoding="utf-8")
    assert 'rel="edit"' not in dashboard


def test_the_zensical_config_comes_from_mkdocs_yml(demo_sites: dict[str, Path]) -> None:
    import tomllib  # type: ignore[import-not-found,unused-ignore]

    demo = demo_sites["repo"]
    derived = tomllib.loads((demo / zensical_engine.BUILD_DIR / "zensical.toml")
                            .read_text(encoding="utf-8"))["project"]
    source = yaml.safe_load((demo / "mkdocs.yml").read_text(encoding="utf-8"))
    for key in ("site_name", "repo_url", "edit_uri"):
        assert derived[key] == source[key]
    theme = derived["theme"]
    for key in ("language", "palette", "features", "font"):
        assert theme[key] == source["theme"][key]
    assert Path(theme["custom_dir"]).is_dir()
    assert {"toc": {"permalink": True}} in derived["markdown_extensions"]
    assert "assets/okrkit/okrkit.css" in derived["extra_css"]
    assert derived["nav"][0] == "index.md" and "/rules/okr301.md" in derived["not_in_nav"]
    assert [p if isinstance(p, str) else next(iter(p)) for p in derived["plugins"]] == ["search"]
    page = (demo_sites["zensical"] / "index.html").read_text(encoding="utf-8")
    assert 'data-md-color-primary="indigo"' in page and 'lang="zh-TW"' in page


def test_mkdocs_yml_tags_become_values(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OKR_SITE_URL", "https://okr.example.com/")
    (tmp_path / "mkdocs.yml").write_text(
        "site_name: S\nsite_url: !ENV [OKR_SITE_URL, 'https://x/']\n"
        "copyright: !ENV [OKR_NOT_SET, '(c) us']\n"
        "markdown_extensions:\n  - pymdownx.emoji:\n"
        "      emoji_index: !!python/name:material.extensions.emoji.twemoji\n"
        "  - toc:\n      permalink: '#'\n"
        "      slugify: !!python/object/apply:pymdownx.slugs.slugify {kwds: {case: lower}}\n"
        "plugins: [search, {okrs: {today: '2026-02-20'}}, tags]\n", encoding="utf-8")
    _, data = zensical_engine.user_config(tmp_path, zensical_engine.MESSAGES["en"])
    derived = zensical_engine.derive(data, toml=False, nav=["index.md"], not_in_nav=[],
                                     overrides=tmp_path / "o")
    import tomllib  # type: ignore[import-not-found,unused-ignore]

    back = tomllib.loads(zensical_engine.toml_dumps(derived))["project"]
    assert back["site_url"] == "https://okr.example.com/" and back["copyright"] == "(c) us"
    assert {"pymdownx.emoji": {"emoji_index": "zensical.extensions.emoji.twemoji"}} \
        in back["markdown_extensions"]
    # the user's own toc kept, its slugify in Zensical's TOML form
    assert {"toc": {"permalink": "#", "slugify": {"object": "pymdownx.slugs.slugify",
                                                  "kwds": {"case": "lower"}}}} \
        in back["markdown_extensions"]
    assert back["plugins"] == ["search", "tags"]


def test_init_zensical_then_build_strict(git_repo: Any,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    repo = git_repo.path
    assert main(["init", str(repo), "--engine", "zensical", "--lang", "en"]) == 0
    git_repo.commit("okr: start")
    assert (repo / "zensical.toml").is_file() and not (repo / "mkdocs.yml").exists()
    workflow = (repo / ".github/workflows/okr-pages.yml").read_text(encoding="utf-8")
    assert "okr build --engine zensical --strict" in workflow
    capsys.readouterr()
    with chdir(repo):
        assert main(["build", "--engine", "zensical", "--strict"]) == 0
        err = capsys.readouterr().err
        assert "MkDocs plugin" not in err and "no history" not in err
        assert (repo / "site" / "index.html").is_file()
        assert broken_links(repo / "site") == []
        # a sheet that does not load would be missing: said, and --strict stops there
        broken = repo / "okrs" / "broken.yaml"
        broken.write_text("cycle: [\n", encoding="utf-8")
        assert main(["build", "--engine", "zensical", "--strict"]) == 1
        err = capsys.readouterr().err
        assert "broken.yaml:" in err and "1 file(s) did not load" in err
        broken.unlink()
        # the user's own page is in the site, and --strict reaches Zensical: a broken link
        (repo / "docs" / "notes.md").write_text("# Notes\n\n[gone](missing.md)\n",
                                                encoding="utf-8")
        assert main(["build", "--engine", "zensical", "--strict"]) != 0
        assert main(["build", "--engine", "zensical"]) == 0
        assert (repo / "site" / "notes" / "index.html").is_file()
        (repo / "docs" / "notes.md").unlink()
        # a Zensical config naming the MkDocs plugin: said loudly, the site still built
        config = repo / "zensical.toml"
        text = config.read_text(encoding="utf-8")
        config.write_text(text.replace("[project]\n", '[project]\nplugins = ["search", "okrs"]\n'),
                          encoding="utf-8")
        assert main(["build", "--engine", "zensical"]) == 0
        err = capsys.readouterr().err
        assert "names the MkDocs plugin `okrs`, which Zensical does not load" in err, err
        assert not (repo / "site" / "notes").exists()  # a page removed leaves the site


if sys.version_info < (3, 11):  # pragma: no cover (tomllib is 3.11+)
    pytest.skip("tomllib needs Python 3.11", allow_module_level=True)


@pytest.mark.parametrize("lang", ["en", "zh-TW"])
def test_no_config_is_one_clear_line(tmp_path: Path, lang: str,
                                     capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "okrs").mkdir()
    with chdir(tmp_path):
        assert main(["build", "--engine", "zensical", "--lang", lang]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1
    assert ("no zensical.toml or mkdocs.yml in" if lang == "en"
            else "中沒有 zensical.toml 或 mkdocs.yml") in err[0]


def test_without_zensical_installed_it_says_what_to_install(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setitem(sys.modules, "zensical.main", None)  # import fails as if absent
    (tmp_path / "mkdocs.yml").write_text("site_name: S\n", encoding="utf-8")
    with chdir(tmp_path):
        assert main(["build", "--engine", "zensical"]) == 2
    assert "pip install 'okrkit[zensical]'" in capsys.readouterr().err
