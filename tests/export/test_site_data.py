"""The site's data files: api/v1 JSON per the export schema, Atom feeds parsed back with
feedparser, badges as well-formed SVG; from a real git repository with check-ins."""

from __future__ import annotations

import datetime as dt
import json
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import fastjsonschema
import feedparser
import pytest

from gitrepo import GitRepo
from okrkit.config import load_config
from okrkit.history import read_history
from okrkit.site import build_site
from okrkit.tree import load_tree
from paths import REPO_ROOT, chdir

SCHEMA = json.loads((REPO_ROOT / "schema" / "export.schema.json").read_text(encoding="utf-8"))
SVG = "{http://www.w3.org/2000/svg}"


def _repo(git: GitRepo) -> None:
    shutil.copytree(REPO_ROOT / "tests" / "resources" / "small" / "okrs", git.path / "okrs")
    git.commit("okrs: start 2026-Q1", date="2026-01-02T09:00:00+08:00")
    sheet = git.path / "okrs" / "2026-Q1" / "marketing.yaml"
    text = sheet.read_text(encoding="utf-8")
    first = next(line for line in text.splitlines() if line.strip().startswith("current:"))
    # a title a feed reader must show as text
    org = git.path / "okrs" / "org.yaml"
    org.write_text(org.read_text(encoding="utf-8").replace("name: 行銷部",
                                                           'name: "<b>行銷部</b> & co"'),
                   encoding="utf-8")
    sheet.write_text(text.replace(first, first.split(":")[0] + ": 77777", 1), encoding="utf-8")
    git.commit("okrs: weekly check-in", author="Kai <kai@example.com>",
               date="2026-01-20T10:00:00+08:00")


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    git = GitRepo(tmp_path_factory.mktemp("data") / "repo")
    _repo(git)
    config, _ = load_config(git.path)
    with chdir(git.path):
        tree, _ = load_tree(config)
        history = read_history(config)
        site = build_site(tree, history, today=dt.date(2026, 2, 14), lang="zh-TW",
                          site_url="https://okrs.example.com/small/")
    return {f.src: f.content for f in site.files}


def test_the_files(files: dict[str, bytes]) -> None:
    assert sorted(files) == [
        "api/v1/2026-Q1.json", "api/v1/2026-Q2.json", "api/v1/okrs.json",
        "badges/2026-Q1/marketing.svg", "badges/2026-Q1/sales.svg",
        "badges/2026-Q2/marketing.svg", "cycles/2026-Q1/feed.xml", "cycles/2026-Q2/feed.xml",
        "feed.xml"]


def test_api_follows_the_export_schema(files: dict[str, bytes]) -> None:
    validate = fastjsonschema.compile(SCHEMA)
    whole = json.loads(files["api/v1/okrs.json"])
    validate(whole)
    one = json.loads(files["api/v1/2026-Q1.json"])
    validate(one)
    assert [c["id"] for c in one["cycles"]] == ["2026-Q1"]
    assert one["cycles"][0] == whole["cycles"][0]
    assert whole["cycles"][0]["sheets"][0]["page"] == "okrs/2026-Q1/marketing/"


def test_feed_parses_newest_first(files: dict[str, bytes]) -> None:
    parsed = feedparser.parse(files["feed.xml"])
    assert parsed.bozo == 0, parsed.get("bozo_exception")
    assert parsed.feed.title == "Small Co:OKR 進度回報與計畫變更"
    assert parsed.feed.id == "https://okrs.example.com/small/feed.xml"
    entries = parsed.entries
    assert entries, "a check-in was committed"
    first = entries[0]
    assert first.title.startswith("<b>行銷部</b> & co · ")  # text, as typed
    assert ": 77777" in first.title or ":77,777" in first.title
    assert first.author == "Kai"
    assert first.link.startswith("https://okrs.example.com/small/okrs/2026-Q1/marketing/#")
    dates = [e.updated_parsed for e in entries]
    assert dates == sorted(dates, reverse=True)
    cycle = feedparser.parse(files["cycles/2026-Q2/feed.xml"])
    assert cycle.bozo == 0
    assert all("/2026-Q2/" in e.link for e in cycle.entries)


def test_badges_are_svg(files: dict[str, bytes]) -> None:
    for name, content in files.items():
        if not name.endswith(".svg"):
            continue
        root = ET.fromstring(content)
        assert root.tag == f"{SVG}svg"
        texts = [t.text for t in root.iter(f"{SVG}text")]
        assert texts[0] == f"OKR {name.split('/')[1]}"
        assert texts[-1] is not None and (texts[-1].endswith("%") or texts[-1] == "—")
    badge = ET.fromstring(files["badges/2026-Q1/marketing.svg"])
    title = badge.find(f".//{SVG}title")
    assert title is not None and title.text is not None
    assert title.text.startswith("<b>行銷部</b> & co · 2026-Q1:")
    fills = {r.get("fill") for r in badge.iter(f"{SVG}rect")}
    assert fills & {"#4c1", "#dfb317", "#e05d44", "#9f9f9f"}


def test_okr_site_out_writes_the_data_files(demo_tree: Path, tmp_path: Path,
                                            monkeypatch: pytest.MonkeyPatch,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    from okrkit.cli import main

    monkeypatch.setenv("OKR_TODAY", "2026-02-15")
    out = tmp_path / "pages"
    with chdir(demo_tree):
        assert main(["site", "--out", str(out)]) == 0
    manifest = json.loads((out / ".okrkit-site.json").read_text(encoding="utf-8"))
    for name in ("api/v1/okrs.json", "api/v1/2026-Q1.json", "feed.xml",
                 "cycles/2026-Q4/feed.xml", "badges/2026-Q1/marketing.svg"):
        assert (out / name).is_file() and name in manifest, name
    fastjsonschema.compile(SCHEMA)(json.loads((out / "api/v1/okrs.json").read_bytes()))


def test_okr_site_out_includes_another_export(demo_tree: Path, tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    """`okr site --include`, the engine-free twin of the plugin's `include:`."""
    import socket

    from okrkit.cli import main

    monkeypatch.setenv("OKR_TODAY", "2026-02-15")
    small = tmp_path / "small"
    shutil.copytree(REPO_ROOT / "tests" / "resources" / "small", small)
    with chdir(small):
        assert main(["export", "-o", str(tmp_path / "small.json")]) == 0
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    gone = f"http://127.0.0.1:{port}/api/v1/okrs.json"
    out = tmp_path / "pages"
    capsys.readouterr()
    with chdir(demo_tree):
        assert main(["site", "--out", str(out), "--include", f"small={tmp_path}/small.json",
                     "--include", f"gone={gone}"]) == 0
    err = capsys.readouterr().err
    assert f"okr site: include 'gone' ({gone}): cannot fetch it (" in err
    page = (out / "included" / "small" / "index.md").read_text(encoding="utf-8")
    assert "Small Co" in page and "行銷部" in page
    assert not (out / "included" / "gone").exists()
