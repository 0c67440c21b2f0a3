"""`okr export`: the JSON against schema/export.schema.json (jsonschema, fastjsonschema as
`okr validate` runs it, and check-jsonschema), CSV rows, XLSX cell types and formats,
on the demo, a real git repository with check-ins and the 800-sheet synthetic org."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import shutil
import subprocess
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import fastjsonschema
import pytest
from jsonschema import Draft7Validator

from gitrepo import GitRepo
from okrkit.cli import main
from paths import REPO_ROOT, chdir
from skipping import skip_or_fail

SCHEMA_PATH = REPO_ROOT / "schema" / "export.schema.json"
SCHEMA = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
CHECK_JSONSCHEMA = Path(sys.executable).parent / "check-jsonschema"


def _valid(data: Any, *, jsonschema: bool = True) -> None:
    """Draft-07 with formats (jsonschema), and the engine `okr validate` uses."""
    fastjsonschema.compile(SCHEMA)(data)
    if not jsonschema:
        return
    errors = sorted(Draft7Validator(SCHEMA, format_checker=Draft7Validator.FORMAT_CHECKER)
                    .iter_errors(data), key=lambda e: list(e.path))
    assert [f"{list(e.path)}: {e.message}" for e in errors[:5]] == []


def _check_jsonschema(path: Path) -> None:
    if not CHECK_JSONSCHEMA.exists():
        skip_or_fail("check-jsonschema is not installed in the virtualenv")
    proc = subprocess.run([str(CHECK_JSONSCHEMA), "--color", "never", "--schemafile",
                           str(SCHEMA_PATH), str(path)], capture_output=True, text=True,
                          check=False)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def _export(root: Path, *args: str, capsys: pytest.CaptureFixture[str]) -> int:
    with chdir(root):
        return main(["export", *args])


def test_schema_is_draft7_closed_and_described() -> None:
    Draft7Validator.check_schema(SCHEMA)
    assert SCHEMA["properties"]["okrkit_export"] == {
        "const": 1, "description": "Version of this format: 1."}
    stack: list[Any] = [SCHEMA]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            if node.get("type") == "object":
                assert node["additionalProperties"] is False, node.get("description")
                for name, sub in node["properties"].items():
                    assert sub.get("description", "").strip(), name
            # an enum's values are named in its description (as the other schemas do)
            for value in node.get("enum", ()):
                assert f"`{value}`" in node["description"], value
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)


def test_demo_json_validates(demo_tree: Path, tmp_path: Path,
                             monkeypatch: pytest.MonkeyPatch,
                             capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("OKR_TODAY", "2026-02-15")
    out = tmp_path / "okrs.json"
    assert _export(demo_tree, "--format", "json", "-o", str(out), capsys=capsys) == 0
    data = json.loads(out.read_text(encoding="utf-8"))
    _valid(data)
    _check_jsonschema(out)
    assert data["okrkit_export"] == 1
    assert [c["id"] for c in data["cycles"]] == ["2026", "2026-Q1", "2026-Q4"]
    # no git here: history is said to be missing, timelines are empty
    assert data["history"]["available"] is False
    q1 = next(c for c in data["cycles"] if c["id"] == "2026-Q1")
    marketing = next(s for s in q1["sheets"] if s["team"] == "marketing")
    assert marketing["team_name"] == "行銷部"
    assert marketing["path"] == "okrs/2026-Q1/marketing.yaml"
    conversion = next(kr for o in marketing["objectives"] for kr in o["key_results"]
                      if kr["id"] == "conversion-rate")
    # (2.6 - 2.0) / (3.0 - 2.0), as model.progress computes it
    assert conversion["progress"] == pytest.approx(0.6)
    assert conversion["unit"] == "%" and conversion["score"] == 0.6
    assert capsys.readouterr().err.splitlines()[-1] == (
        f"okr export: 58 key results in 3 cycle(s) written to {out}")


def test_one_cycle_to_stdout(demo_tree: Path, monkeypatch: pytest.MonkeyPatch,
                             capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("OKR_TODAY", "2026-02-15")
    assert _export(demo_tree, "2026-Q4", capsys=capsys) == 0
    data = json.loads(capsys.readouterr().out)
    assert [c["id"] for c in data["cycles"]] == ["2026-Q4"]


def test_unknown_cycle_is_refused(demo_tree: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert _export(demo_tree, "2031-Q1", capsys=capsys) == 2
    assert capsys.readouterr().err == (
        "okr: error: no sheets for cycle '2031-Q1' (cycles with sheets: 2026, 2026-Q1, "
        "2026-Q4)\n")


def test_xlsx_needs_a_file(demo_tree: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert _export(demo_tree, "--format", "xlsx", capsys=capsys) == 2
    assert "XLSX is binary" in capsys.readouterr().err


def test_csv_one_row_per_key_result(demo_tree: Path, monkeypatch: pytest.MonkeyPatch,
                                    capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("OKR_TODAY", "2026-02-15")
    assert _export(demo_tree, "2026-Q1", "--format", "csv", "--lang", "zh-TW",
                   capsys=capsys) == 0
    raw = capsys.readouterr().out
    assert raw.startswith("\ufeff週期,團隊,目標 id,目標,")
    rows = list(csv.DictReader(io.StringIO(raw.lstrip("\ufeff"))))
    assert len(rows) == 30
    blog = next(r for r in rows if r["關鍵結果 id"] == "blog-reads")
    assert (blog["基準值"], blog["目標值"], blog["目前值"], blog["進度"], blog["狀態"]) == (
        "40000", "52000", "49600", "0.8", "進度正常")


def test_xlsx_types_and_formats(demo_tree: Path, tmp_path: Path,
                                monkeypatch: pytest.MonkeyPatch,
                                capsys: pytest.CaptureFixture[str]) -> None:
    from openpyxl import load_workbook

    monkeypatch.setenv("OKR_TODAY", "2026-02-15")
    out = tmp_path / "okrs.xlsx"
    assert _export(demo_tree, "--format", "xlsx", "-o", str(out), capsys=capsys) == 0
    book = load_workbook(out)
    assert book.sheetnames == ["Summary", "2026", "2026-Q1", "2026-Q4"]
    ws = book["2026-Q1"]
    assert ws.freeze_panes == "A2"
    assert ws.auto_filter.ref == ws.dimensions
    headers = [c.value for c in ws[1]]
    assert all(c.font.bold for c in ws[1])
    col = {name: i for i, name in enumerate(headers)}
    row = next(r for r in ws.iter_rows(min_row=2) if r[col["key result id"]].value
               == "blog-reads")
    baseline, current = row[col["baseline"]], row[col["current"]]
    assert (baseline.value, baseline.data_type, baseline.number_format) == (40000, "n", "#,##0")
    assert current.value == 49600
    progress = row[col["progress"]]
    assert (progress.value, progress.number_format) == (0.8, "0%")
    assert row[col["confidence"]].number_format == "0%"
    assert row[col["grade"]].number_format == "0.00"
    due = row[col["due"]]
    assert due.is_date and due.value == dt.datetime(2026, 3, 31)
    assert due.number_format == "yyyy-mm-dd"
    decimal = next(r for r in ws.iter_rows(min_row=2)
                   if r[col["key result id"]].value == "conversion-rate")[col["current"]]
    assert isinstance(decimal.value, float) and not decimal.value.is_integer()
    assert decimal.number_format == "#,##0.0###"
    # CJK text counts two columns a character: the objective column is wider than its
    # character count
    objective_width = ws.column_dimensions["D"].width
    longest = max(len(str(c.value)) for c in ws["D"][1:])
    assert objective_width >= 2 * longest
    summary = book["Summary"]
    assert [c.value for c in summary[1]][:3] == ["cycle", "team", "team name"]
    assert summary["F2"].number_format == "0%"
    assert summary.freeze_panes == "A2"


def _repo_with_checkins(git: GitRepo) -> None:
    shutil.copytree(REPO_ROOT / "tests" / "resources" / "small" / "okrs", git.path / "okrs")
    git.commit("okrs: start 2026-Q1", date="2026-01-02T09:00:00+08:00")
    path = next(p for p in sorted((git.path / "okrs" / "2026-Q1").glob("*.yaml")))
    text = path.read_text(encoding="utf-8")
    import re

    first = re.search(r"current: (\S+)", text)
    assert first is not None
    path.write_text(text.replace(first.group(0), "current: 12345", 1), encoding="utf-8")
    git.commit("okrs: weekly check-in", author="Kai <kai@example.com>",
               date="2026-01-20T10:00:00+08:00")


def test_checkins_from_git(git_repo: GitRepo, monkeypatch: pytest.MonkeyPatch,
                           capsys: pytest.CaptureFixture[str]) -> None:
    _repo_with_checkins(git_repo)
    monkeypatch.setenv("OKR_TODAY", "2026-02-14")
    assert _export(git_repo.path, "2026-Q1", capsys=capsys) == 0
    data = json.loads(capsys.readouterr().out)
    _valid(data)
    krs = [kr for s in data["cycles"][0]["sheets"] for o in s["objectives"]
           for kr in o["key_results"]]
    moved = [kr for kr in krs if kr["checkins"]]
    assert len(moved) == 1
    checkin = moved[0]["checkins"][-1]
    sha = git_repo.git("rev-parse", "HEAD").strip()
    assert checkin == {"date": "2026-01-20T10:00:00+08:00", "author": "Kai", "commit": sha,
                       "subject": "okrs: weekly check-in", "value": 12345,
                       "confidence": checkin["confidence"]}
    assert moved[0]["last_checkin"] == "2026-01-20T10:00:00+08:00"
    assert moved[0]["plan_changes"] == []  # a check-in is not a plan change


@pytest.fixture(scope="module")
def synthetic_org(tmp_path_factory: pytest.TempPathFactory, synth: ModuleType) -> Path:
    root = tmp_path_factory.mktemp("synth800")
    synth.write_tree(root, teams=200, cycles=["2026-Q1", "2026-Q2", "2026-Q3", "2026-Q4"])
    synth.make_history(root, commits=5000)
    return root


@pytest.mark.slow
def test_synthetic_800_sheets_validate(synthetic_org: Path, tmp_path: Path,
                                       monkeypatch: pytest.MonkeyPatch,
                                       capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("OKR_TODAY", "2026-08-15")
    out = tmp_path / "okrs.json"
    assert _export(synthetic_org, "-o", str(out), capsys=capsys) == 0
    data = json.loads(out.read_text(encoding="utf-8"))
    assert sum(len(c["sheets"]) for c in data["cycles"]) == 800
    assert data["history"]["available"] is True
    assert sum(len(kr["checkins"]) for c in data["cycles"] for s in c["sheets"]
               for o in s["objectives"] for kr in o["key_results"]) > 4000
    # the engine of `okr validate` here; jsonschema's Python validator through
    # check-jsonschema (draft-07 with formats): both on 800 sheets
    _valid(data, jsonschema=False)
    _check_jsonschema(out)


def test_xlsx_keeps_a_formula_looking_title_as_text(demo_tree: Path, tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch,
                                                    capsys: pytest.CaptureFixture[str]
                                                    ) -> None:
    from openpyxl import load_workbook

    sheet = demo_tree / "okrs" / "2026-Q4" / "sales.yaml"
    text = sheet.read_text(encoding="utf-8")
    # the first title of the sheet: its first objective's
    title = next(line for line in text.splitlines() if line.strip().startswith("title:"))
    sheet.write_text(text.replace(title, title.split(":")[0] + ': "=HYPERLINK(\\"x\\")"', 1),
                     encoding="utf-8")
    out = tmp_path / "okrs.xlsx"
    assert _export(demo_tree, "2026-Q4", "--format", "xlsx", "-o", str(out),
                   capsys=capsys) == 0
    cells = [c for row in load_workbook(out)["2026-Q4"].iter_rows() for c in row
             if isinstance(c.value, str) and c.value.startswith("=")]
    assert [(c.value, c.data_type) for c in cells] == [('=HYPERLINK("x")', "s")] * len(cells)
    assert cells


def test_a_sheet_that_does_not_load_is_left_out_loudly(demo_tree: Path,
                                                       monkeypatch: pytest.MonkeyPatch,
                                                       capsys: pytest.CaptureFixture[str]
                                                       ) -> None:
    monkeypatch.setenv("OKR_TODAY", "2026-02-15")
    (demo_tree / "okrs" / "2026-Q4" / "sales.yaml").write_text("cycle: [2026-Q4\n",
                                                               encoding="utf-8")
    assert _export(demo_tree, "2026-Q4", capsys=capsys) == 1  # written, but not the whole tree
    out, err = capsys.readouterr()
    assert [s["team"] for s in json.loads(out)["cycles"][0]["sheets"]] == [
        "ecommerce", "marketing"]
    assert err.splitlines()[0].startswith(
        "okrs/2026-Q4/sales.yaml does not load and is not exported: "
        "okrs/2026-Q4/sales.yaml:1:8: OKR001 ")  # where the list opens
    # another cycle's export is whole: no note, exit 0
    assert _export(demo_tree, "2026-Q1", capsys=capsys) == 0
    assert "does not load" not in capsys.readouterr().err
