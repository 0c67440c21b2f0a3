"""Under `mkdocs serve` the plugin object lives across rebuilds and reuses what an edit did
not change (site/incremental.py): each rebuild's site must be byte-identical to a fresh
`mkdocs build` of the edited tree, page by page and file by file.

The serve session is MkDocs' own: `load_config`, `on_startup(command="serve")` and
`build` in this process, as `mkdocs serve` runs them; the fresh build is `mkdocs build`
in a new process (a plugin kept by `on_startup` would be the same object here).
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from sitehelpers import write_mkdocs

TODAY = "2026-05-10"


def _files(site: Path) -> dict[str, bytes]:
    # the sitemap's dates are the day of the build: the rest is compared byte for byte
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*"))
            if p.is_file() and not p.name.startswith("sitemap.xml")}


class _Serve:
    """A `mkdocs serve` session without the server: the rebuilds it runs."""

    def __init__(self, root: Path) -> None:
        from mkdocs.config import load_config

        self.root = root
        self.config = load_config(str(root / "mkdocs.yml"), site_dir=str(root / "serve"))
        self.config.plugins.on_startup(command="serve", dirty=False)
        self.plugin = self.config.plugins["okrs"]

    def rebuild(self) -> dict[str, bytes]:
        from mkdocs.commands.build import build
        from mkdocs.config import load_config

        # serve loads mkdocs.yml again for each rebuild; the okrs plugin object is kept
        config = load_config(str(self.root / "mkdocs.yml"), site_dir=str(self.root / "serve"))
        assert config.plugins["okrs"] is self.plugin
        build(config)
        return _files(self.root / "serve")


def _fresh(root: Path) -> dict[str, bytes]:
    site = root / "fresh"
    subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q", "-d", str(site)],
                   cwd=root, check=True, env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
    return _files(site)


def _same(served: dict[str, bytes], fresh: dict[str, bytes]) -> None:
    assert sorted(served) == sorted(fresh)  # no stale page, none missing
    differ = [name for name in fresh if served[name] != fresh[name]]
    assert differ == []


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, (path, old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _prefix_first_whole_number(path: Path, key: str, digit: str) -> None:
    """`key: 120` → `key: 9120` on the first line whose value is a whole number."""
    line = next(line for line in path.read_text(encoding="utf-8").splitlines()
                if line.strip().startswith(f"{key}: ")
                and line.strip()[len(key) + 2:].isdigit())
    _edit(path, line, line.replace(f"{key}: ", f"{key}: {digit}"))


@pytest.fixture
def served(tmp_path: Path, synth: Any) -> Iterator[_Serve]:
    root = tmp_path / "org"
    synth.write_tree(root, teams=5, cycles=["2026-Q1", "2026-Q2"])
    # an objective aligned to another team's: each page shows the other's title
    parent = yaml.safe_load((root / "okrs/2026-Q2/team-000.yaml").read_text(encoding="utf-8"))
    _edit(root / "okrs/2026-Q2/team-001.yaml", "    kind: ",
          f"    parent: 2026-Q2/team-000/{parent['objectives'][0]['id']}\n    kind: ")
    synth.make_history(root, commits=60)
    write_mkdocs(root, plugins=["search", {"okrs": {"today": TODAY, "nav_team_limit": 3}}])
    cwd = os.getcwd()
    os.chdir(root)  # findings show paths relative to the folder mkdocs runs in
    try:
        yield _Serve(root)
    finally:
        os.chdir(cwd)


def test_serve_rebuilds_only_what_an_edit_changed_and_the_site_is_a_fresh_builds(
        served: _Serve) -> None:
    root = served.root
    okrs = root / "okrs"
    served.rebuild()
    cache = served.plugin._build_cache
    assert cache is not None and cache.pages

    # a check-in's edit to one sheet: the work tree turns dirty (every page's notice)
    sheet = okrs / "2026-Q2" / "team-002.yaml"
    _edit(sheet, "confidence: ", "confidence: 0.1 #")
    site = served.rebuild()
    assert cache.made_pages < cache.reused_pages  # most pages were kept, not made again
    _same(site, _fresh(root))

    # a team's objectives (a parent's title, which its child's page shows), and a lint
    # finding (OKR102: a number in an objective)
    _edit(okrs / "2026-Q2" / "team-000.yaml", "    title: ", "    title: Grow 3x, ")
    site = served.rebuild()
    assert 0 < cache.made_pages < cache.reused_pages
    child = site["okrs/2026-Q2/team-001/index.html"].decode()
    assert "Grow 3x, " in child
    assert "OKR102" in site["lint/index.html"].decode()
    _same(site, _fresh(root))

    # a cycle's membership: a sheet added, another deleted
    added = (okrs / "2026-Q2" / "team-004.yaml").read_text(encoding="utf-8")
    (okrs / "2026-Q1" / "team-009.yaml").write_text(
        added.replace("team: team-004", "team: team-009").replace("2026-Q2", "2026-Q1"),
        encoding="utf-8")
    (okrs / "2026-Q2" / "team-003.yaml").unlink()
    _same(served.rebuild(), _fresh(root))


def _kept_html(cache: Any, page: str) -> dict[Any, Any]:
    """The rendered blocks a page's template kept (`kept(slot, inputs)`), by slot."""
    return {slot: found for slot, found in cache.data.items()
            if slot[0] == "html" and slot[1] == page}


def test_serve_renders_again_only_the_rows_and_nodes_an_edit_changed(served: _Serve) -> None:
    root = served.root
    okrs = root / "okrs"
    served.rebuild()
    cache = served.plugin._build_cache
    assert cache is not None
    cycle_page = "cycles/2026-Q2/index.md"
    rows = _kept_html(cache, cycle_page)
    assert len(rows) == 5  # the cycle page's five team rows

    # one team's confidence: its row (status) is rendered again, the other four are kept
    _edit(okrs / "2026-Q2" / "team-002.yaml", "confidence: ", "confidence: 0.1 #")
    site = served.rebuild()
    after = _kept_html(cache, cycle_page)
    kept = [slot for slot in rows if after[slot] is rows[slot]]
    assert len(kept) == 4
    _same(site, _fresh(root))

    # a child's objective (another team's sheet) shows in its parent's alignment node:
    # the parent's subtree is rendered again with the child's new title
    alignment = "cycles/2026-Q2/alignment/index.html"
    _edit(okrs / "2026-Q2" / "team-001.yaml", "    title: ", "    title: Renamed child, ")
    site = served.rebuild()
    assert "Renamed child, " in site[alignment].decode()
    _same(site, _fresh(root))

    # a key result's target: its team's progress, the cycle's trend and the dashboard move
    _prefix_first_whole_number(okrs / "2026-Q2" / "team-003.yaml", "target", "9")
    before = served.rebuild()
    _same(before, _fresh(root))

    # an ended cycle's sheet: its report card (kept whole while equal) takes the new grade
    _prefix_first_whole_number(okrs / "2026-Q1" / "team-001.yaml", "current", "9")
    site = served.rebuild()
    assert site["cycles/2026-Q1/index.html"] != before["cycles/2026-Q1/index.html"]
    _same(site, _fresh(root))
    before = site

    # the cycles' dates (.okrkit.yaml): every row's expected progress and the charts move
    (root / ".okrkit.yaml").write_text(
        'cycles: {2026-Q2: {start: "2026-04-01", end: "2026-08-31"}}\n', encoding="utf-8")
    site = served.rebuild()
    assert site["cycles/2026-Q2/index.html"] != before["cycles/2026-Q2/index.html"]
    _same(site, _fresh(root))
