"""`okr site --out DIR`: the plugin's pages as files, which a plain MkDocs build renders."""

from __future__ import annotations

import difflib
from pathlib import Path
from typing import Any

import pytest
import yaml
from sitehelpers import TODAY, mkdocs_build, site_pages, write_mkdocs

from okrkit.cli import main


@pytest.fixture
def today(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OKR_TODAY", TODAY.isoformat())


def test_site_out_writes_the_plugins_pages(small_repo: Any, today: None, tmp_path: Path,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    root = small_repo.path
    out = tmp_path / "pages"
    assert main(["site", "--out", str(out), "--nav", str(tmp_path / "nav.yml"), "--lang",
                 "en", "--repo-url", "https://github.com/okrkit/small"]) == 0
    assert "pages written" in capsys.readouterr().err
    written = {p.relative_to(out).as_posix() for p in out.rglob("*.md")}
    assert {"index.md", "okrs/2026-Q1/marketing.md", "cycles/2026-Q1/changes.md",
            "lint.md", "rules/index.md", "rules/okr301.md"} <= written
    assert (out / "assets/okrkit/okrkit.css").is_file()
    marketing = (out / "okrs/2026-Q1/marketing.md").read_text(encoding="utf-8")
    assert "edit/main/okrs/2026-Q1/marketing.yaml" in marketing and "<svg" in marketing
    # the same pages through the plugin
    write_mkdocs(root)
    plugin = site_pages(mkdocs_build(root))
    # and through a plain Material build of the files, with the same nav
    plain = tmp_path / "plain"
    plain.mkdir()
    (plain / "mkdocs.yml").write_text(yaml.safe_dump({
        "INHERIT": str(tmp_path / "nav.yml"), "site_name": "Small Co. OKRs",
        "docs_dir": str(out), "repo_url": "https://github.com/okrkit/small",
        "theme": {"name": "material", "font": False, "language": "en"},
    }), encoding="utf-8")
    built = site_pages(mkdocs_build(plain))
    assert sorted(built) == sorted(plugin)

    def article(page: str) -> str:
        return page.split("<article", 1)[1].split("</article>", 1)[0]

    def strip(text: str) -> str:  # Material's edit button: the plugin points it at the YAML
        head, _, rest = text.partition("</a>")
        return rest if "md-content__button" in head else text

    for path in ("okrs/2026-Q1/marketing/index.html", "index.html", "cycles/2026-Q1/index.html"):
        a, b = (" ".join(strip(article(pages[path])).split()) for pages in (built, plugin))
        diff = "\n".join(difflib.unified_diff(a.split("<"), b.split("<"), lineterm="", n=0))
        assert a == b, f"{path}:\n{diff[:2000]}"


def test_site_out_fails_cleanly_on_an_unwritable_folder(small_repo: Any, today: None,
                                                        tmp_path: Path,
                                                        capsys: pytest.CaptureFixture[str]
                                                        ) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder", encoding="utf-8")
    assert main(["site", "--out", str(blocker / "pages")]) == 2
    assert capsys.readouterr().err.startswith("okr: error: cannot write")


@pytest.mark.parametrize(("lang", "line"), [
    ("en", '.okrkit.yaml:1:11: OKR002 language: "fr" is not one of "en", "zh-TW"\n'),
    ("zh-TW", '.okrkit.yaml:1:11: OKR002 language: "fr" 不是允許的值("en", "zh-TW")\n'),
])
def test_a_broken_config_is_reported_in_the_chosen_language(
        small_repo: Any, today: None, tmp_path: Path, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch, lang: str, line: str) -> None:
    monkeypatch.chdir(small_repo.path)
    (small_repo.path / ".okrkit.yaml").write_text("language: fr\n", encoding="utf-8")
    assert main(["site", "--out", str(tmp_path / "pages"), "--lang", lang]) == 1
    assert capsys.readouterr().err == line  # as `okr validate` says it
    assert not (tmp_path / "pages").exists()


def test_a_page_no_longer_generated_is_removed_and_other_files_stay(
        small_repo: Any, today: None, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "pages"
    assert main(["site", "--out", str(out), "--lang", "en"]) == 0
    page = out / "okrs/2026-Q1/marketing.md"
    assert page.is_file()
    mine = out / "okrs/2026-Q1/notes.md"  # a file the user put there
    mine.write_text("kept\n", encoding="utf-8")
    (small_repo.path / "okrs/2026-Q1/marketing.yaml").unlink()
    capsys.readouterr()
    assert main(["site", "--out", str(out), "--lang", "zh-TW"]) == 0
    err = capsys.readouterr().err
    assert "不再產生的頁面" in err and "已將" in err
    assert not page.exists()
    assert mine.read_text(encoding="utf-8") == "kept\n"
    assert (out / "index.md").is_file()


def test_a_manifest_cannot_aim_outside_the_folder(small_repo: Any, today: None,
                                                 tmp_path: Path) -> None:
    out = tmp_path / "pages"
    outside = tmp_path / "outside.md"
    outside.write_text("precious\n", encoding="utf-8")
    out.mkdir()
    (out / ".okrkit-site.json").write_text('["../outside.md", "' + str(outside) + '", 3]',
                                           encoding="utf-8")
    assert main(["site", "--out", str(out), "--lang", "en"]) == 0
    assert outside.read_text(encoding="utf-8") == "precious\n"
