"""`okr import`: a realistic zh-TW spreadsheet (CSV with a BOM, XLSX with merged cells and
percent cells) imports; malformed variants name sheet, row and column and write nothing;
export → import into an empty tree gives the same OKRs."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from okrkit.cli import main
from okrkit.config import load_config
from okrkit.tree import load_tree
from paths import REPO_ROOT, chdir

ORG = """\
name: 雲祥數位
strategy:
  - id: brand
    title: 品牌知名度
  - id: online-growth
    title: 線上營收成長
teams:
  - id: marketing
    name: 行銷部
    lead: mei
  - id: sales
    name: 業務部
    lead: wei
people:
  - id: mei
    name: 王美美
  - id: kai
    name: 林凱
  - id: wei
"""

HEADER = "團隊,週期,目標,關鍵結果,指標,基準值,目標值,目前值,單位,負責人,截止日,信心指數,資料來源"
# merged-looking objective titles (repeated, then left empty), thousands separators,
# percent cells, NT$ and 萬, an empty row, a BOM, CRLF line ends
REALISTIC = "\ufeff" + "\r\n".join([
    HEADER,
    '行銷部,2026-Q1,提升品牌知名度,將網站每月不重複訪客數提升20%,網站每月不重複訪客數,"50,000",'
    '"60,000","53,000",人次,王美美,2026/3/31,70%,Google Analytics',
    '行銷部,2026-Q1,提升品牌知名度,社群媒體追蹤人數增加15%,社群追蹤人數,"12,000","13,800",'
    '"12,600",人,林凱,2026-03-31,0.6,Meta Business Suite',
    ",,,,,,,,,,,,",
    "行銷部,2026-Q1,,至少3次行業媒體報導,行業媒體報導次數,0,3,1,則,mei,,50%,媒體監測",
    "業務部,2026-Q1,提高銷售額,本季銷售額達到500萬元,本季累計銷售額,NT$420萬,NT$500萬,"
    '"NT$4,400,000",,wei,,0.7,CRM',
    "業務部,2026-Q1,提高銷售額,網站轉換率從2%提升到3%,網站整體轉換率,2%,3%,2.4%,,kai,,65%,"
    "Google Analytics",
]) + "\r\n"


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = tmp_path / "repo"
    (root / "okrs").mkdir(parents=True)
    (root / "okrs" / "org.yaml").write_text(ORG, encoding="utf-8")
    monkeypatch.chdir(root)
    monkeypatch.setenv("OKR_TODAY", "2026-02-14")
    return root


def _sheets(root: Path) -> dict[tuple[str, str], Any]:
    config, _ = load_config(root)
    with chdir(root):
        tree, findings = load_tree(config)
    assert not [f for f in findings if f.code < "OKR100"]
    return {(s.cycle_id, s.team): s for s in tree.sheets}


def _files(root: Path) -> list[str]:
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file())


def test_realistic_csv(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (repo / "okr.csv").write_bytes(REALISTIC.encode("utf-8"))
    assert main(["import", "okr.csv"]) == 0
    out = capsys.readouterr().out
    assert out == ("created okrs/2026-Q1/marketing.yaml: 1 objective(s), 3 key result(s)\n"
                   "created okrs/2026-Q1/sales.yaml: 1 objective(s), 2 key result(s)\n")
    assert main(["validate"]) == 0
    sheets = _sheets(repo)
    marketing = sheets[("2026-Q1", "marketing")]
    assert marketing.owner == "mei"
    (objective,) = marketing.objectives
    assert objective.title == "提升品牌知名度" and objective.id == "objective-1"
    visitors, followers, press = objective.key_results
    assert (visitors.baseline, visitors.target, visitors.current) == (50000, 60000, 53000)
    assert (visitors.owner, visitors.due, visitors.confidence) == ("mei", "2026-03-31", 0.7)
    assert (followers.owner, followers.confidence) == ("kai", 0.6)
    assert (press.target, press.confidence, press.unit) == (3, 0.5, "則")
    assert [kr.id for kr in objective.key_results] == ["kr-1", "kr-2", "kr-3"]
    revenue, conversion = sheets[("2026-Q1", "sales")].objectives[0].key_results
    assert (revenue.baseline, revenue.target, revenue.current, revenue.unit) == (
        4200000, 5000000, 4400000, "NT$")
    assert (conversion.baseline, conversion.target, conversion.current, conversion.unit) == (
        2, 3, 2.4, "%")
    text = (repo / "okrs" / "2026-Q1" / "sales.yaml").read_text(encoding="utf-8")
    assert text.startswith("# yaml-language-server: $schema=../../schema/okr.schema.json\n")


def test_realistic_xlsx_with_merged_and_percent_cells(repo: Path,
                                                      capsys: pytest.CaptureFixture[str]
                                                      ) -> None:
    from openpyxl import Workbook

    book = Workbook()
    ws = book.active
    assert ws is not None
    ws.title = "2026-Q1"  # no cycle column: the worksheet names the cycle
    ws.append(["團隊", "目標", "關鍵結果", "Key Result ID", "基準值", "目標值", "目前值",
               "單位", "信心指數", "截止日", "戰略主題"])
    ws.append(["行銷部", "提升品牌知名度", "Grow monthly unique visitors", None, 50000, 60000,
               53000, "visitors", 0.7, dt.datetime(2026, 3, 31), "品牌知名度"])
    ws.append([None, None, "社群媒體追蹤人數增加15%", "followers", 12000, 13800, 12600, "人",
               0.6, None, None])
    ws.append([None, "提高網站轉換率", "整體轉換率從2%提升到3%", "conversion", 0.02, 0.03,
               0.026, None, 0.5, None, "online-growth"])
    ws.merge_cells("A2:A4")  # one team cell over three rows
    ws.merge_cells("B2:B3")  # one objective title over two rows
    for row in (2, 3, 4):
        ws.cell(row, 9).number_format = "0%"
    for col in (5, 6, 7):
        ws.cell(4, col).number_format = "0.0%"
        ws.cell(2, col).number_format = "#,##0"
    book.create_sheet("Sheet2")  # an empty worksheet is skipped
    book.save(repo / "okr.xlsx")
    assert main(["import", "okr.xlsx"]) == 0
    sheet = _sheets(repo)[("2026-Q1", "marketing")]
    brand, conversion = sheet.objectives
    assert brand.strategy == ("brand",) and conversion.strategy == ("online-growth",)
    assert [kr.id for kr in brand.key_results] == ["grow-monthly-unique-visitors",
                                                   "followers"]
    assert brand.key_results[0].due == "2026-03-31"
    (rate,) = conversion.key_results
    assert (rate.baseline, rate.target, rate.current, rate.unit, rate.confidence) == (
        2, 3, 2.6, "%", 0.5)


def test_dry_run_writes_nothing(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (repo / "okr.csv").write_bytes(REALISTIC.encode("utf-8"))
    before = _files(repo)
    assert main(["import", "okr.csv", "--dry-run", "--lang", "zh-TW"]) == 0
    assert capsys.readouterr().out.splitlines()[0] == (
        "將寫入 okrs/2026-Q1/marketing.yaml:1 個目標、3 個關鍵結果")
    assert _files(repo) == before


def test_map_and_defaults(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (repo / "okr.csv").write_text(
        "Goal,KR,KPI,from,to,now,備註\n"
        "Grow revenue,Revenue to 5M,revenue,4.2M,5M,4.4M,ignored note\n", encoding="utf-8")
    assert main(["import", "okr.csv", "--cycle", "2026-Q1", "--team", "sales",
                 "--map", "Goal=objective", "--map", "KR=key_result", "--map", "KPI=metric",
                 "--map", "from=baseline", "--map", "to=target", "--map", "now=current",
                 "--map", "備註=-"]) == 0
    (objective,) = _sheets(repo)[("2026-Q1", "sales")].objectives
    assert objective.id == "grow-revenue"
    (kr,) = objective.key_results
    assert (kr.id, kr.metric, kr.baseline, kr.target, kr.current) == (
        "revenue-to-5m", "revenue", 4200000, 5000000, 4400000)


ROW = ("行銷部,2026-Q1,提升品牌知名度,網站訪客數提升20%,訪客數,50000,60000,53000,人次,mei,"
       "2026-03-31,0.7,GA")


def _variant(row: str) -> str:
    return HEADER + "\n" + ROW + "\n" + row + "\n"


MALFORMED = [
    pytest.param(HEADER.replace("指標", "KPI") + "\n" + ROW + "\n",
                 ["okr.csv: sheet 'okr.csv', row 1, column E (KPI): error IMP101 unknown "
                  "column 'KPI': map it with --map 'KPI=FIELD' (fields: cycle, team, "
                  "objective_id, objective, objective_description, kind, strategy, parent, "
                  "objective_owner, kr_id, key_result, metric, source, unit, direction, "
                  "baseline, target, current, confidence, due, owner) or ignore it with "
                  "--map 'KPI=-'"], id="unknown-header"),
    pytest.param(HEADER.replace(",目標值", "") + "\n",
                 ["okr.csv: sheet 'okr.csv', row 1: error IMP103 no 'target' column: the "
                  "target (a number; true for a milestone)"], id="no-target-column"),
    pytest.param(_variant(ROW.replace(",50000,", ",約500,")),
                 ["okr.csv: sheet 'okr.csv', row 3, column F (基準值): error IMP201 '約500' is "
                  "not a number okrkit understands (12000, 12,000, 1.5, 15%, NT$500萬, 3.2K)"],
                 id="approximate-number"),
    pytest.param(_variant(ROW.replace(",60000,", ',"60,5",')),
                 ["okr.csv: sheet 'okr.csv', row 3, column G (目標值): error IMP201 '60,5' is "
                  "not a number okrkit understands (12000, 12,000, 1.5, 15%, NT$500萬, 3.2K)"],
                 id="decimal-comma"),
    pytest.param(_variant(ROW.replace(",0.7,", ",120%,")),
                 ["okr.csv: sheet 'okr.csv', row 3, column L (信心指數): error IMP202 '120%' "
                  "is not a confidence: 0 to 1 (0.7) or a percent (70%)"], id="confidence"),
    pytest.param(_variant(ROW.replace("2026-03-31", "3月底")),
                 ["okr.csv: sheet 'okr.csv', row 3, column K (截止日): error IMP203 '3月底' is "
                  "not a date: YYYY-MM-DD, YYYY/M/D or a date cell"], id="date"),
    pytest.param(_variant(ROW.replace("2026-Q1", "2026-Q5")),
                 ["okr.csv: sheet 'okr.csv', row 3, column B (週期): error IMP204 '2026-Q5' is "
                  "not a cycle: 2026, 2026-H1, 2026-Q1 or a custom cycle from .okrkit.yaml"],
                 id="cycle"),
    pytest.param(_variant(ROW.replace("行銷部", "法務部")),
                 ["okr.csv: sheet 'okr.csv', row 3, column A (團隊): error IMP205 '法務部' is "
                  "not a team of org.yaml (by id or by name) (marketing, sales)"], id="team"),
    pytest.param(_variant(ROW.replace(",mei,", ",王 小明,")),
                 ["okr.csv: sheet 'okr.csv', row 3, column J (負責人): error IMP215 '王 小明' "
                  "is not a person of org.yaml (by id or by name)"], id="owner"),
    # an id-shaped typo: `okr validate` would fail on it (OKR006), so nothing is written
    pytest.param(_variant(ROW.replace(",mei,", ",meii,")),
                 ["okr.csv: sheet 'okr.csv', row 3, column J (負責人): error IMP215 'meii' "
                  "is not a person of org.yaml (by id or by name) (did you mean 'mei'?)"],
                 id="owner-typo"),
    pytest.param(_variant(ROW.replace(",50000,60000,53000,人次", ",NT$5萬,60000,53000,人次")),
                 ["okr.csv: sheet 'okr.csv', row 3, column F (基準值): error IMP213 'NT$5萬' "
                  "has the unit 'NT$', but the unit column says '人次'"], id="unit-clash"),
    pytest.param(_variant(ROW.replace(",網站訪客數提升20%,", ",,")),
                 ["okr.csv: sheet 'okr.csv', row 3, column D (關鍵結果): error IMP210 empty: fill "
                  "in the key result's title"], id="no-title"),
    pytest.param(HEADER + ",關鍵結果 id\n" + ROW + ",visitors\n" + ROW + ",visitors\n",
                 ["okr.csv: sheet 'okr.csv', row 3, column N (關鍵結果 id): error IMP211 key "
                  "result id 'visitors' is already used in 2026-Q1/marketing (row 2)"],
                 id="duplicate-id"),
    pytest.param(HEADER + ",類型\n" + ROW + ",承諾型\n" + ROW + ",挑戰型\n",
                 ["okr.csv: sheet 'okr.csv', row 3, column N (類型): error IMP212 "
                  "'aspirational' differs from 'committed' given for this objective in row 2"],
                 id="objective-conflict"),
]


@pytest.mark.parametrize(("text", "errors"), MALFORMED)
def test_malformed_writes_nothing(repo: Path, capsys: pytest.CaptureFixture[str], text: str,
                                  errors: list[str]) -> None:
    (repo / "okr.csv").write_text(text, encoding="utf-8")
    before = _files(repo)
    assert main(["import", "okr.csv"]) == 1
    err = capsys.readouterr().err.splitlines()
    assert err == [*errors, f"{len(errors)} problem(s): nothing written"]
    assert _files(repo) == before


def test_existing_sheet_is_never_overwritten(repo: Path,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    (repo / "okr.csv").write_bytes(REALISTIC.encode("utf-8"))
    (repo / "okrs" / "2026-Q1").mkdir()
    (repo / "okrs" / "2026-Q1" / "sales.yaml").write_text("# mine\n", encoding="utf-8")
    assert main(["import", "okr.csv"]) == 1
    assert capsys.readouterr().err.splitlines()[0] == (
        "okr.csv: error IMP301 okrs/2026-Q1/sales.yaml already exists: okr import never "
        "overwrites a sheet")
    # the marketing sheet, fine on its own, is not written either
    assert not (repo / "okrs" / "2026-Q1" / "marketing.yaml").exists()


def test_not_utf8_nor_big5(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (repo / "okr.csv").write_bytes(b"\xff\xfe\x00\xd8bad")
    assert main(["import", "okr.csv"]) == 1
    assert capsys.readouterr().err.splitlines()[0] == (
        "okr.csv: error IMP002 not UTF-8 and not Big5 (cp950) text: save the CSV as UTF-8")


def test_big5_csv(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (repo / "okr.csv").write_bytes((HEADER + "\n" + ROW + "\n").encode("cp950"))
    assert main(["import", "okr.csv"]) == 0
    assert _sheets(repo)[("2026-Q1", "marketing")].objectives[0].title == "提升品牌知名度"


def _plan(sheet: Any) -> list[Any]:
    return [(o.id, o.title, o.description, o.owner, o.kind, o.strategy, o.parent,
             [(k.id, k.title, k.metric, k.source, k.unit, k.direction, k.baseline, k.target,
               k.current, k.confidence, k.due, k.owner) for k in o.key_results])
            for o in sheet.objectives]


@pytest.mark.parametrize("lang", ["en", "zh-TW"])
def test_round_trip_through_xlsx(demo_tree: Path, tmp_path: Path, lang: str,
                                 monkeypatch: pytest.MonkeyPatch,
                                 capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("OKR_TODAY", "2026-02-15")
    book = tmp_path / "okrs.xlsx"
    with chdir(demo_tree):
        assert main(["export", "--format", "xlsx", "--lang", lang, "-o", str(book)]) == 0
    empty = tmp_path / "empty"
    (empty / "okrs").mkdir(parents=True)
    (empty / "okrs" / "org.yaml").write_bytes((REPO_ROOT / "okrs" / "org.yaml").read_bytes())
    with chdir(empty):
        assert main(["import", str(book)]) == 0
        assert main(["validate"]) == 0
    before, after = _sheets(demo_tree), _sheets(empty)
    assert sorted(before) == sorted(after)
    for key, sheet in before.items():
        assert _plan(after[key]) == _plan(sheet), key


def test_empty_csv(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (repo / "okr.csv").write_text("\n,,\n", encoding="utf-8")
    assert main(["import", "okr.csv"]) == 1
    assert capsys.readouterr().err.splitlines()[0] == (
        "okr.csv: sheet 'okr.csv', row 1: error IMP003 no header row: the first non-empty "
        "row names the columns")


@pytest.mark.parametrize(("text", "expected"), [
    ("12,000", (12000, None)), ("1.5", (1.5, None)), ("15%", (15, "%")),
    ("NT$500萬", (5000000, "NT$")), ("500萬元", (5000000, "元")), ("3.2k", (3200, None)),
    ("２億", (200000000, None)), ("１２,０００", (12000, None)), ("−3", (-3, None)),
    ("US$1.5M", (1500000, "US$")), ("完成", (True, None)), ("否", (False, None)),
    ("1.2E+10", (12000000000, None)),  # as Excel saves a number too wide for its column
])
def test_numbers_understood(text: str, expected: tuple[Any, Any]) -> None:
    from okrkit.importer import Cell, parse_number

    assert parse_number(Cell(text)) == expected


@pytest.mark.parametrize("text", ["約500", "10-20", "12,5", "1,2345", "(500)", "N/A", "NT$5%",
                                  "1e999", "500 萬 萬", ""])
def test_numbers_refused(text: str) -> None:
    from okrkit.importer import BadValue, Cell, parse_number

    with pytest.raises(BadValue):
        parse_number(Cell(text))


def test_a_misspelled_owner_in_zh_tw(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (repo / "okr.csv").write_text(_variant(ROW.replace(",mei,", ",meii,")), encoding="utf-8")
    assert main(["import", "okr.csv", "--lang", "zh-TW"]) == 1
    assert capsys.readouterr().err.splitlines()[0].endswith(
        ": 錯誤 IMP215 「meii」不是 org.yaml 中的成員(依 id 或姓名)(是否指「mei」?)")
    assert not (repo / "okrs" / "2026-Q1").exists()


def test_without_people_in_org_yaml_an_owner_id_is_taken_as_typed(
        repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (repo / "okrs" / "org.yaml").write_text(ORG[:ORG.index("people:")], encoding="utf-8")
    (repo / "okr.csv").write_text(_variant(ROW.replace(",mei,", ",alx,")), encoding="utf-8")
    assert main(["import", "okr.csv"]) == 0
    sheet = _sheets(repo)[("2026-Q1", "marketing")]
    assert "alx" in [kr.owner for o in sheet.objectives for kr in o.key_results]
    (repo / "okr2.csv").write_text(_variant(ROW.replace(",mei,", ",王 小明,")
                                            .replace("行銷部", "業務部")), encoding="utf-8")
    assert main(["import", "okr2.csv"]) == 1
    assert "error IMP207 '王 小明' is not a person id" in capsys.readouterr().err
