"""`okr init DIR`: what it writes, and that it never overwrites without --force."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import pytest
import yaml

from okrkit import resources, sheet_templates, yamlload
from okrkit.cli import main
from okrkit.commands import init as init_module
from okrkit.commands.init import MESSAGES, Planned, first_cycle, plan, yaml_scalar
from okrkit.errors import FatalError

TODAY_CYCLE = first_cycle(dt.date.today())  # past mid-quarter: the next one (issue 14)

EXPECTED_FILES = {
    ".github/ISSUE_TEMPLATE/okr-checkin.yml",
    ".github/workflows/okr-checkin.yml",
    ".github/workflows/okr-measure.yml",
    ".github/workflows/okr-pages.yml",
    ".github/workflows/okr-review.yml",
    ".github/workflows/okr-stale.yml",
    ".gitignore",
    ".okrkit.yaml",
    ".pre-commit-config.yaml",
    ".vscode/extensions.json",
    ".vscode/settings.json",
    "README.md",
    "docs/.gitkeep",  # mkdocs needs its docs_dir; the plugin generates every page
    "mkdocs.yml",
    f"okrs/{TODAY_CYCLE.id}/marketing.yaml",
    "okrs/org.yaml",
    "requirements.txt",
    "schema/config.schema.json",
    "schema/okr.schema.json",
    "schema/org.schema.json",
}


def _files(root: Path) -> set[str]:
    return {p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file()}


def _snapshot(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*")
            if p.is_file()}


@pytest.mark.parametrize("lang", ["en", "zh-TW"])
def test_init_writes_a_repository_that_validates(tmp_path: Path, lang: str,
                                                 monkeypatch: pytest.MonkeyPatch,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    dest = tmp_path / "acme-okrs"

    assert main(["init", str(dest), "--lang", lang]) == 0

    assert _files(dest) == EXPECTED_FILES
    for path in EXPECTED_FILES:
        text = (dest / path).read_text(encoding="utf-8")
        assert "@@" not in text, path
        assert text.endswith("\n") or not text, path
        if path.endswith((".yaml", ".yml")):
            yaml.safe_load(text)
        if path.endswith(".json"):
            json.loads(text)
    out = capsys.readouterr().out
    assert f"okrs/{TODAY_CYCLE.id}/marketing.yaml" in out
    monkeypatch.chdir(dest)
    assert main(["validate"]) == 0, capsys.readouterr().out
    # not one finding, info included: the first sheet is the seed's SMART example
    assert main(["lint", "--strict"]) == 0
    assert capsys.readouterr().out == ""


@pytest.mark.parametrize(("lang", "objective", "kr_title"), [
    ("zh-TW", "提升品牌知名度", "將網站每月不重複訪客數提升20%"),
    ("en", "Raise brand awareness", "Increase monthly unique website visitors by 20%"),
], ids=["zh-TW", "en"])
def test_first_sheet_is_the_seed_example_for_the_current_quarter(
        tmp_path: Path, lang: str, objective: str, kr_title: str) -> None:
    assert main(["init", str(tmp_path / "new"), "--lang", lang]) == 0

    sheet_path = tmp_path / "new" / "okrs" / TODAY_CYCLE.id / "marketing.yaml"
    text = sheet_path.read_text(encoding="utf-8")
    assert text.splitlines()[0] == "# yaml-language-server: $schema=../../schema/okr.schema.json"
    sheet = yaml.safe_load(text)
    assert sheet["cycle"] == TODAY_CYCLE.id
    assert sheet["team"] == "marketing"
    assert sheet["objectives"][0]["title"] == objective
    krs = sheet["objectives"][0]["key_results"]
    assert krs[0]["title"] == kr_title
    assert {kr["due"] for kr in krs} == {TODAY_CYCLE.end}  # PyYAML reads dates as dates
    # the modeline's target exists in the new repository and is the packaged schema
    schema_copy = (sheet_path.parent / "../../schema/okr.schema.json").resolve()
    assert schema_copy.read_bytes() == resources.schema_file("okr").read_bytes()


@pytest.mark.parametrize("lang", ["en", "zh-TW"])
def test_site_config_and_editor_settings(tmp_path: Path, lang: str) -> None:
    assert main(["init", str(tmp_path / "new"), "--lang", lang]) == 0
    root = tmp_path / "new"

    mkdocs = yaml.safe_load((root / "mkdocs.yml").read_text(encoding="utf-8"))
    assert mkdocs["theme"]["name"] == "material"
    assert mkdocs["theme"]["language"] == lang
    assert mkdocs["theme"]["font"] is False
    assert mkdocs["plugins"] == ["search", "okrs"]
    config = yaml.safe_load((root / ".okrkit.yaml").read_text(encoding="utf-8"))
    assert config["language"] == lang
    settings = json.loads((root / ".vscode/settings.json").read_text(encoding="utf-8"))
    schemas = settings["yaml.schemas"]
    assert "okrs/*/*.yaml" in schemas["./schema/okr.schema.json"]
    assert "okrs/org.yaml" in schemas["./schema/org.schema.json"]
    assert ".okrkit.yaml" in schemas["./schema/config.schema.json"]
    for target in schemas:
        assert (root / target).is_file(), target
    extensions = json.loads((root / ".vscode/extensions.json").read_text(encoding="utf-8"))
    assert extensions["recommendations"] == ["redhat.vscode-yaml"]


def test_hooks_repo_rev_and_package_are_settings(tmp_path: Path) -> None:
    root = tmp_path / "new"
    assert main(["init", str(root), "--lang", "en", "--hooks-repo", "/srv/git/okrkit copy",
                 "--hooks-rev", "0123abc", "--package", "okrkit @ file:///srv/okrkit"]) == 0

    config = yaml.safe_load((root / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
    assert config["repos"] == [{"repo": "/srv/git/okrkit copy", "rev": "0123abc",
                                "hooks": [{"id": "okr-lint"}]}]
    requirements = (root / "requirements.txt").read_text(encoding="utf-8").splitlines()
    assert "okrkit @ file:///srv/okrkit" in requirements


def test_defaults_point_at_this_version(tmp_path: Path) -> None:
    from okrkit import __version__

    root = tmp_path / "new"
    assert main(["init", str(root), "--lang", "en"]) == 0

    config = yaml.safe_load((root / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
    assert config["repos"][0]["rev"] == f"v{__version__}"
    assert f"okrkit=={__version__}" in (root / "requirements.txt").read_text(encoding="utf-8")


def test_team_option_names_the_sheet_and_the_org_team(tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    root = tmp_path / "new"
    assert main(["init", str(root), "--lang", "en", "--team", "growth-lab"]) == 0

    assert (root / "okrs" / TODAY_CYCLE.id / "growth-lab.yaml").is_file()
    org = yaml.safe_load((root / "okrs/org.yaml").read_text(encoding="utf-8"))
    assert org["teams"][0]["id"] == "growth-lab"
    assert org["teams"][0]["name"] == "Growth Lab"
    monkeypatch.chdir(root)
    assert main(["validate"]) == 0


@pytest.mark.parametrize(("team", "lang", "name"), [
    ("sales", "zh-TW", "業務部"), ("ecommerce", "zh-TW", "電商營運部"),
    ("content", "zh-TW", "內容行銷組"), ("growth", "zh-TW", "成長部"),
    ("marketing", "zh-TW", "行銷部"), ("growth-lab", "zh-TW", "Growth Lab"),
    ("ecommerce", "en", "E-commerce"), ("sales", "en", "Sales"),
])
def test_a_known_team_gets_its_name_in_the_language(tmp_path: Path, team: str, lang: str,
                                                    name: str) -> None:
    root = tmp_path / "new"
    assert main(["init", str(root), "--lang", lang, "--team", team]) == 0
    org = yaml.safe_load((root / "okrs/org.yaml").read_text(encoding="utf-8"))
    assert [t["name"] for t in org["teams"] if t["id"] == team] == [name]


def test_existing_files_are_not_overwritten_and_nothing_is_written(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = tmp_path / "existing"
    (root / "okrs").mkdir(parents=True)
    (root / "README.md").write_text("our own readme\n", encoding="utf-8")
    (root / "okrs/org.yaml").write_text("name: ours\n", encoding="utf-8")
    (root / "notes.txt").write_text("keep\n", encoding="utf-8")
    before = _snapshot(root)

    assert main(["init", str(root), "--lang", "en"]) == 1

    assert _snapshot(root) == before
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == (f"nothing written: 2 of the {len(EXPECTED_FILES)} files already exist "
                        f"in {root} (--force overwrites them); it would have written:")
    assert sorted(lines[1:]) == sorted(
        f"  {path} (exists)" if path in ("README.md", "okrs/org.yaml") else f"  {path}"
        for path in EXPECTED_FILES)


def test_refusal_in_traditional_chinese(tmp_path: Path,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    root = tmp_path / "existing"
    root.mkdir()
    (root / "mkdocs.yml").write_text("site_name: ours\n", encoding="utf-8")

    assert main(["init", str(root), "--lang", "zh-TW"]) == 1

    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith(f"沒有寫入任何檔案:{len(EXPECTED_FILES)} 個檔案中有 1 個已存在")
    assert "  mkdocs.yml (已存在)" in lines
    assert (root / "mkdocs.yml").read_text(encoding="utf-8") == "site_name: ours\n"


def test_force_overwrites_and_says_so(tmp_path: Path,
                                      capsys: pytest.CaptureFixture[str]) -> None:
    root = tmp_path / "existing"
    root.mkdir()
    (root / "README.md").write_text("our own readme\n", encoding="utf-8")
    (root / "notes.txt").write_text("keep\n", encoding="utf-8")

    assert main(["init", str(root), "--lang", "en", "--force"]) == 0

    assert (root / "README.md").read_text(encoding="utf-8").startswith("# existing — OKRs")
    assert (root / "notes.txt").read_text(encoding="utf-8") == "keep\n"
    assert _files(root) == EXPECTED_FILES | {"notes.txt"}
    assert "  README.md (overwritten)" in capsys.readouterr().out.splitlines()


def test_other_files_in_the_folder_are_left_alone(tmp_path: Path) -> None:
    # an existing repository: nothing the scaffold writes is there yet
    root = tmp_path / "project"
    (root / ".git").mkdir(parents=True)
    (root / "src").mkdir()
    (root / "src/app.py").write_text("print('hi')\n", encoding="utf-8")

    assert main(["init", str(root), "--lang", "en"]) == 0

    assert (root / "src/app.py").read_text(encoding="utf-8") == "print('hi')\n"
    assert _files(root) == EXPECTED_FILES | {"src/app.py"}


@pytest.mark.parametrize("exists", [False, True])
def test_dry_run_lists_and_writes_nothing(tmp_path: Path, exists: bool,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    root = tmp_path / "new"
    if exists:
        root.mkdir()
        (root / "README.md").write_text("ours\n", encoding="utf-8")

    code = main(["init", str(root), "--lang", "en", "--dry-run", *(["--force"] if exists else [])])

    assert code == 0
    assert _files(root) == ({"README.md"} if exists else set())
    assert root.exists() is exists
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == f"would write {len(EXPECTED_FILES)} files in {root}:"
    assert ("  README.md (overwrite)" in lines) is exists
    assert len(lines) == 1 + len(EXPECTED_FILES)


def test_dry_run_without_force_reports_the_refusal(tmp_path: Path) -> None:
    root = tmp_path / "existing"
    root.mkdir()
    (root / ".gitignore").write_text("*.pyc\n", encoding="utf-8")

    assert main(["init", str(root), "--dry-run"]) == 1
    assert _files(root) == {".gitignore"}


@pytest.mark.parametrize("blocker", ["okrs", ".github"])
def test_a_file_where_a_folder_belongs_is_fatal_even_with_force(
        tmp_path: Path, blocker: str, capsys: pytest.CaptureFixture[str]) -> None:
    root = tmp_path / "existing"
    root.mkdir()
    (root / blocker).write_text("not a folder\n", encoding="utf-8")

    assert main(["init", str(root), "--force"]) == 2

    assert capsys.readouterr().err == (f"okr: error: {root / blocker} is in the way (a file "
                                       "where a folder belongs, or the reverse)\n")
    assert _files(root) == {blocker}


def test_a_folder_where_a_file_belongs_is_never_replaced(tmp_path: Path) -> None:
    root = tmp_path / "existing"
    (root / "README.md").mkdir(parents=True)
    (root / "README.md/keep.txt").write_text("keep\n", encoding="utf-8")

    assert main(["init", str(root), "--force"]) == 2

    assert _files(root) == {"README.md/keep.txt"}


def test_dir_that_is_a_file_and_a_bad_team_are_usage_errors(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    a_file = tmp_path / "file.txt"
    a_file.write_text("x\n", encoding="utf-8")

    assert main(["init", str(a_file)]) == 2
    assert main(["init", str(tmp_path / "new"), "--team", "Marketing Team"]) == 2

    err = capsys.readouterr().err.splitlines()
    assert err == [f"okr: error: {a_file} exists and is not a folder",
                   "okr: error: --team must be a slug like 'marketing' (lowercase letters, "
                   "digits, hyphens), not 'Marketing Team'"]
    assert not (tmp_path / "new").exists()


def test_a_failed_write_takes_back_what_it_moved(tmp_path: Path) -> None:
    root = tmp_path / "repo"
    root.mkdir()
    (root / "README.md").write_text("old\n", encoding="utf-8")
    files = [Planned("README.md", b"new\n"), Planned("a/b.txt", b"b\n"),
             Planned("x" * 300, b"a name longer than any file system allows\n")]

    with pytest.raises(FatalError, match="nothing was written"):
        init_module._write_all(root, files, MESSAGES["en"])

    assert (root / "README.md").read_text(encoding="utf-8") == "old\n"
    assert not (root / "a/b.txt").exists()
    assert [p.name for p in root.iterdir() if p.name.startswith(".okr-init-")] == []


@pytest.mark.parametrize("text", [
    "acme", "Acme Corp", "雲祥數位", "okrs", "no", "Yes", "true", "null", "2026", "1.5",
    "a: b", "x #y", 'quote"d', "back\\slash", "-dash", "tab\there", "trailing ",
    "https://github.com/okrkit/okrkit", "/srv/git/okrkit copy", "v0.1.0", "{brace}",
])
def test_yaml_scalar_reads_back_as_the_same_string(text: str) -> None:
    source = f"key: {yaml_scalar(text)}\n"

    assert yaml.safe_load(source) == {"key": text}
    doc, findings = yamlload.load_bytes("t.yaml", source.encode("utf-8"))
    assert findings == []
    assert doc is not None and doc.data == {"key": text}


def test_the_workflow_strings_exist_in_both_languages() -> None:
    # placeholders: tests/test_messages.py
    strings = init_module._STRINGS
    assert strings["en"].keys() == strings["zh-TW"].keys()


def test_templates_use_only_known_placeholders() -> None:
    known = set(init_module._values("x", lang="en", team="t", today=dt.date(2026, 5, 1),
                                    hooks_repo=None, hooks_rev=None, package=None))
    used: set[str] = set()
    for path in init_module.SCAFFOLD_DIR.rglob("*"):
        used |= set(re.findall(r"@@([a-z_]+)@@", path.as_posix()))
        if path.is_file():
            used |= set(re.findall(r"@@([a-z_]+)@@", path.read_text(encoding="utf-8")))
    assert used <= known
    # the per-language trees hold the same files
    en = {p.relative_to(init_module.SCAFFOLD_DIR / "en") for p in
          (init_module.SCAFFOLD_DIR / "en").rglob("*")}
    zh = {p.relative_to(init_module.SCAFFOLD_DIR / "zh-TW") for p in
          (init_module.SCAFFOLD_DIR / "zh-TW").rglob("*")}
    assert en == zh


def test_plan_follows_the_calendar() -> None:
    files = plan("acme", lang="en", team="marketing", today=dt.date(2027, 2, 10))

    sheet = next(f for f in files if f.path.startswith("okrs/2027"))
    assert sheet.path == "okrs/2027-Q1/marketing.yaml"
    assert b"due: 2027-03-31" in sheet.content


def test_sheet_template_keeps_what_okr_new_relies_on() -> None:
    # the first sheet is `okr new`'s default template, rendered with these values only
    # (cycle_ref: the check-in hint's full ref, issue 14)
    for lang in ("en", "zh-TW"):
        text = (sheet_templates.TEMPLATES_DIR / lang / f"{sheet_templates.DEFAULT}.yaml"
                ).read_text(encoding="utf-8")
        assert set(re.findall(r"@@([a-z_]+)@@", text)) == {"cycle", "team", "owner", "due",
                                                           "cycle_ref"}
        assert text.startswith("# yaml-language-server: $schema=../../schema/okr.schema.json\n")
        assert "    strategy: [brand]\n" in text
        assert re.search(r"^ *owner: @@owner@@\n", text, re.M)
