"""One site over many repositories: two real okrkit repositories built by MkDocs into two
sites, served by a real HTTP server on 127.0.0.1, and a third repository's site including
both (plugin option `include:`). The server stops with the module."""

from __future__ import annotations

import functools
import html
import http.server
import json
import logging
import shutil
import socket
import threading
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from mkdocs.exceptions import Abort
from sitehelpers import edit, make_small_history, mkdocs_build, write_mkdocs

from gitrepo import GitRepo
from paths import REPO_ROOT


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture(scope="module")
def www(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    """Two sites under one local server: /hq/ (the site tests' small repository) and
    /sales/ (tests/resources/small)."""
    base = tmp_path_factory.mktemp("include")
    served = base / "www"
    hq = GitRepo(base / "hq")
    make_small_history(hq)
    edit(hq, "okrs/org.yaml", "name: Small Co.", "name: HQ <Co>")
    hq.commit("org: name", date="2026-02-17T09:00:00+08:00")
    write_mkdocs(hq.path, site_dir=str(served / "hq"))
    mkdocs_build(hq.path)
    sales = GitRepo(base / "sales")
    shutil.copytree(REPO_ROOT / "tests" / "resources" / "small" / "okrs", sales.path / "okrs")
    sales.commit("okrs: start", date="2026-01-02T09:00:00+08:00")
    write_mkdocs(sales.path, site_dir=str(served / "sales"))
    mkdocs_build(sales.path)
    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(_Quiet, directory=str(served)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", base
    finally:
        server.shutdown()
        server.server_close()


def _third(base: Path, name: str, include: dict[str, str], *,
           parent: str = "hq:2026/company/grow-online") -> Path:
    repo = GitRepo(base / name)
    make_small_history(repo)
    edit(repo, "okrs/2026-Q1/sales.yaml", "parent: 2026/company/grow-online",
         f"parent: {parent}")
    repo.commit("okrs: align sales to HQ", date="2026-02-18T09:00:00+08:00")
    write_mkdocs(repo.path, plugins=["search", {"okrs": {"today": "2026-02-20",
                                                          "include": include,
                                                          "include_timeout": 5}}])
    return repo.path


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_the_served_sites_publish_their_export(www: tuple[str, Path]) -> None:
    url, base = www
    with urllib.request.urlopen(f"{url}/hq/api/v1/okrs.json", timeout=5) as response:
        hq = json.loads(response.read())
    assert hq["okrkit_export"] == 1 and hq["organisation"]["name"] == "HQ <Co>"
    assert (base / "www" / "hq" / "feed.xml").is_file()
    assert (base / "www" / "sales" / "badges" / "2026-Q1" / "marketing.svg").is_file()
    assert (base / "www" / "hq" / "schema" / "export.schema.json").is_file()


def test_a_site_over_three_repositories(www: tuple[str, Path]) -> None:
    url, base = www
    root = _third(base, "all", {"hq": f"{url}/hq/api/v1/okrs.json",
                                "sales": f"{url}/sales/api/v1/okrs.json"})
    site = mkdocs_build(root, strict=True)
    raw = (site / "included" / "hq" / "index.html").read_text(encoding="utf-8")
    assert "HQ <Co>" not in raw  # fetched text is escaped ...
    hq_page = html.unescape(raw)
    assert "<h1 id=\"hq-co-from-hq\">HQ <Co> (from hq)</h1>" in hq_page  # ... shown as typed
    assert f'href="{url}/hq/okrs/2026-Q1/marketing/"' in hq_page  # links back
    assert f"{url}/hq/api/v1/okrs.json" in hq_page
    assert (site / "included" / "sales" / "index.html").is_file()
    team = html.unescape((site / "okrs" / "2026-Q1" / "sales" / "index.html")
                         .read_text(encoding="utf-8"))
    # the cross-repository parent is a link to the objective on HQ's site
    assert f'href="{url}/hq/okrs/2026/company/#grow-online"' in team
    nav = (site / "index.html").read_text(encoding="utf-8")
    assert "Other repositories" in nav


def test_bad_includes_warn_and_fail_strict(www: tuple[str, Path],
                                          caplog: pytest.LogCaptureFixture) -> None:
    """An unreachable include, one that does not follow the schema, and a cross-repository
    parent the included export does not have: three warnings, the rest of the site
    builds; under --strict the build fails."""
    url, base = www
    gone = f"http://127.0.0.1:{_closed_port()}/api/v1/okrs.json"
    bad = base / "bad.json"
    bad.write_text(json.dumps({"okrkit_export": 2}), encoding="utf-8")
    root = _third(base, "bad", {"hq": f"{url}/hq/api/v1/okrs.json", "gone": gone,
                                "old": str(bad)},
                  parent="hq:2026/company/no-such-objective")
    with caplog.at_level(logging.WARNING, logger="mkdocs.plugins.okrkit"):
        site = mkdocs_build(root, strict=False)
    warnings = [r.getMessage() for r in caplog.records
                if r.name == "mkdocs.plugins.okrkit" and r.levelno == logging.WARNING]
    assert len(warnings) == 3, warnings
    assert warnings[0].startswith(f"okrkit: include 'gone' ({gone}): cannot fetch it (")
    assert warnings[1].startswith(f"okrkit: include 'old' ({bad}): does not follow "
                                  "schema/export.schema.json: ")
    assert warnings[2] == (
        "okrs/2026-Q1/sales.yaml:11:13: OKR006 unknown objective in include 'hq' "
        "'2026/company/no-such-objective'")
    assert (site / "included" / "hq" / "index.html").is_file()  # the rest of the site builds
    assert not (site / "included" / "gone").exists()
    lint = html.unescape((site / "lint" / "index.html").read_text(encoding="utf-8"))
    assert "unknown objective in include 'hq'" in lint
    with pytest.raises(Abort):
        mkdocs_build(root, strict=True)


# -- the same include: under Zensical (okr build --engine zensical reads the plugin's options)


def _zensical(root: Path, *args: str) -> int:
    from okrkit.cli import main
    from paths import chdir

    with chdir(root):
        return main(["build", "--engine", "zensical", *args])


def test_a_zensical_site_over_three_repositories(www: tuple[str, Path]) -> None:
    url, base = www
    root = _third(base, "zall", {"hq": f"{url}/hq/api/v1/okrs.json",
                                 "sales": f"{url}/sales/api/v1/okrs.json"})
    assert _zensical(root, "--strict") == 0
    site = root / "site"
    hq_page = html.unescape((site / "included" / "hq" / "index.html")
                            .read_text(encoding="utf-8"))
    assert "HQ <Co> (from hq)" in hq_page and f'href="{url}/hq/okrs/2026-Q1/marketing/"' \
        in hq_page
    assert (site / "included" / "sales" / "index.html").is_file()
    team = html.unescape((site / "okrs" / "2026-Q1" / "sales" / "index.html")
                         .read_text(encoding="utf-8"))
    assert f'href="{url}/hq/okrs/2026/company/#grow-online"' in team


def test_bad_includes_under_zensical_warn_and_fail_strict(
        www: tuple[str, Path], capsys: pytest.CaptureFixture[str]) -> None:
    url, base = www
    gone = f"http://127.0.0.1:{_closed_port()}/api/v1/okrs.json"
    root = _third(base, "zbad", {"hq": f"{url}/hq/api/v1/okrs.json", "gone": gone},
                  parent="hq:2026/company/no-such-objective")
    assert _zensical(root) == 0  # the rest of the site builds
    err = capsys.readouterr().err
    assert f"include 'gone' ({gone}): cannot fetch it (" in err
    assert "okrs/2026-Q1/sales.yaml:11:13: OKR006 unknown objective in include 'hq'" in err
    assert (root / "site" / "included" / "hq" / "index.html").is_file()
    assert _zensical(root, "--strict", "--lang", "zh-TW") == 1
    assert capsys.readouterr().err.strip().splitlines()[-1] == (
        "okr build:因 --strict 而中止:引入的儲存庫有 2 個問題(見上方訊息)")
