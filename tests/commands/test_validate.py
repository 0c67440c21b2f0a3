"""`okr validate` on bad input: every problem is one exact line with its position, no traceback.

Each case writes one sheet into a copy of the demo tree (whose other files are
clean) and runs `okrkit.cli.main(["validate"])` there.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from okrkit.cli import main

SHEET = "okrs/2026-Q2/marketing.yaml"
BASE = """\
cycle: 2026-Q2
team: marketing
owner: mei
objectives:
  - id: brand-awareness
    title: 提升品牌知名度
    strategy: [brand]
    key_results:
      - id: unique-visitors
        title: 將網站每月不重複訪客數提升20%
        baseline: 50000
        target: 60000
        current: 53000
        confidence: 0.6
        due: 2026-06-30
        owner: kai
"""


@pytest.fixture
def tree(demo_tree: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(demo_tree)
    (demo_tree / "okrs" / "2026-Q2").mkdir()
    return demo_tree


def write(root: Path, content: str | bytes, relpath: str = SHEET) -> None:
    path = root / relpath
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")


def edit(old: str, new: str, text: str = BASE) -> str:
    assert text.count(old) == 1, old
    return text.replace(old, new)


def validate(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, list[str]]:
    code = main(["validate", *args])
    out, err = capsys.readouterr()
    assert err == ""  # never a traceback
    return code, out.splitlines()


def test_the_base_sheet_and_the_demo_are_clean(tree: Path,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    write(tree, BASE)
    assert validate(capsys) == (0, [])
    assert validate(capsys, SHEET) == (0, [])


CASES: dict[str, tuple[str | bytes, list[str]]] = {
    "malformed": (edit("    title: 提升品牌知名度", "    title: [提升品牌知名度"), [
        f"{SHEET}:6:12: OKR001 the list opened with '[' here is not closed with ']' (or a "
        "',' is missing)"]),
    "tab": (edit("        target: 60000", "\ttarget: 60000"), [
        f"{SHEET}:12:1: OKR001 tab character: indent with spaces"]),
    "duplicate-key": (edit("        current: 53000\n", "        current: 53000\n"
                           "        target: 55000\n"), [
        f"{SHEET}:14:9: OKR003 duplicate key 'target' (first on line 12)"]),
    "impossible-date": (edit("2026-06-30", "2025-13-45"), [
        f'{SHEET}:15:14: OKR002 objectives[0].key_results[0].due: "2025-13-45" is not a '
        "valid date"]),
    "wrong-types": (edit("confidence: 0.6", "confidence: high",
                         edit("target: 60000", "target: [60000]",
                              edit("strategy: [brand]", "strategy: brand"))), [
        f'{SHEET}:7:15: OKR002 objectives[0].strategy: expected array, got string "brand"',
        f"{SHEET}:12:17: OKR002 objectives[0].key_results[0].target: expected number or "
        "boolean or null, got array",
        f'{SHEET}:14:21: OKR002 objectives[0].key_results[0].confidence: expected number or '
        'null, got string "high"']),
    "unknown-keys": (edit("    title: 提升品牌知名度", "    tittle: 提升品牌知名度",
                          edit("        owner: kai", "        owner: kai\n"
                                                      "        deadline: 2026-06-30")), [
        f"{SHEET}:5:5: OKR002 objectives[0]: missing required key 'title'",
        f"{SHEET}:6:5: OKR002 objectives[0]: unknown key 'tittle' (did you mean 'title'?)",
        f"{SHEET}:17:9: OKR002 objectives[0].key_results[0]: unknown key 'deadline'"]),
    "ten-megabytes": ("notes: " + "x" * (10 * 1024 * 1024) + "\n", [
        f"{SHEET}:1:1: OKR008 file is 10485768 bytes, over the limit of 1048576"]),
    "invalid-utf8": (BASE.encode().replace("提升品牌知名度".encode(), "提升品牌".encode("big5")), [
        f"{SHEET}:6:12: OKR009 not valid UTF-8: byte 0xb4 cannot be decoded"]),
    "bom": (b"\xef\xbb\xbf" + edit("        owner: kai", "        owner: kai\n"
                                                         "        ownr: kai").encode(), [
        f"{SHEET}:17:9: OKR002 objectives[0].key_results[0]: unknown key 'ownr' "
        "(did you mean 'owner'?)"]),
    "empty": ("", [f"{SHEET}:1:1: OKR002 the file is empty"]),
    "only-comments": ("# nothing yet\n", [f"{SHEET}:1:1: OKR002 the file is empty"]),
    "list-at-top": ("- cycle: 2026-Q2\n- team: marketing\n", [
        f"{SHEET}:1:1: OKR002 expected object, got array"]),
    "broken-references": (edit("owner: mei", "owner: nobody", edit(
        "    strategy: [brand]", "    strategy: [brand, growth]\n"
                                 "    parent: 2026/company/grow-onlin", edit(
            "        owner: kai", "        owner: kia\n        contributors: [content, salse]"))), [
        f"{SHEET}:3:8: OKR006 unknown person 'nobody'",
        f"{SHEET}:7:23: OKR006 unknown strategy theme 'growth'",
        f"{SHEET}:8:13: OKR006 unknown parent objective '2026/company/grow-onlin' "
        "(did you mean '2026/company/grow-online'?)",
        f"{SHEET}:17:16: OKR006 unknown person 'kia'",
        f"{SHEET}:18:33: OKR006 unknown team or person 'salse' (did you mean 'sales'?)"]),
    "people-and-teams-contribute": (edit("        owner: kai", "        owner: kai\n"
                                         "        contributors: [mei, content, jun, alex]"), [
        f"{SHEET}:17:43: OKR006 unknown team or person 'alex'"]),
    "parent-in-another-cycle": (edit("    strategy: [brand]", "    strategy: [brand]\n"
                                     "    parent: 2026-Q1/marketing/brand-awareness"), [
        f"{SHEET}:8:13: OKR006 parent '2026-Q1/marketing/brand-awareness' is in cycle 2026-Q1, "
        "which does not contain 2026-Q2"]),
    "cycle-mismatch": (edit("cycle: 2026-Q2", "cycle: 2026-Q3"), [
        f"{SHEET}:1:8: OKR007 cycle '2026-Q3' does not match the file path ('2026-Q2')"]),
    "team-mismatch": (edit("team: marketing", "team: sales"), [
        f"{SHEET}:2:7: OKR007 team 'sales' does not match the file path ('marketing')"]),
    "unknown-team": (edit("team: marketing", "team: marketin"), [
        f"{SHEET}:2:7: OKR006 unknown team 'marketin' (did you mean 'marketing'?)",
        f"{SHEET}:2:7: OKR007 team 'marketin' does not match the file path ('marketing')"]),
    "deep-nesting": (edit("        owner: kai", "        owner: kai\n        notes: "
                          + "[" * 80 + "]" * 80), [
        f"{SHEET}:17:80: OKR001 nesting deeper than 64 levels"]),
    "control-character": (edit("    title: 提升品牌知名度", "    title: 提升\x1b[1m品牌\x1b[0m"), [
        f"{SHEET}:6:14: OKR001 control character U+001B is not allowed"]),
    # RTL embedding, zero-width joiners, an emoji family, LS, PS and NEL inside quotes
    "odd-unicode-quoted": (edit("confidence: 0.6", "confidence: 1.6", edit(
        "    title: 提升品牌知名度",
        '    title: "\u202b提升\u200d品牌 👩\u200d👩\u200d👧 知名度'
        '\u2028第二行\u2029\x85\u202c"')), [
        f"{SHEET}:14:21: OKR002 objectives[0].key_results[0].confidence: 1.6 must be <= 1"]),
    "odd-unicode-plain": (edit("    title: 提升品牌知名度",
                               "    title: 提升品牌知名度\u2028第二行"), [
        f"{SHEET}:6:19: OKR001 unusual line break U+2028 ends the line for YAML: quote the "
        "text or remove it"]),
    "anchor-and-alias": (edit("owner: mei", "owner: &lead mei", edit(
        "        owner: kai", "        owner: *lead")), [
        f"{SHEET}:3:8: OKR004 YAML anchor 'lead' is not allowed: write the value out",
        f"{SHEET}:16:16: OKR004 YAML alias 'lead' is not allowed: write the value out"]),
    "explicit-tag": (edit("target: 60000", "target: !!float 60000"), [
        f"{SHEET}:12:17: OKR001 explicit YAML tag tag:yaml.org,2002:float is not allowed"]),
    "two-documents": (BASE + "---\n" + BASE, [
        f"{SHEET}:17:1: OKR001 more than one YAML document in the file"]),
    "duplicate-ids": (edit("      - id: unique-visitors\n", "      - id: unique-visitors\n"
                           "        title: x\n      - id: unique-visitors\n"), [
        f"{SHEET}:11:13: OKR005 duplicate key result id 'unique-visitors' (first at line 9)"]),
}


@pytest.mark.parametrize(("content", "expected"), CASES.values(), ids=CASES.keys())
def test_bad_input_gives_exact_lines(tree: Path, capsys: pytest.CaptureFixture[str],
                                     content: str | bytes, expected: list[str]) -> None:
    write(tree, content)
    assert validate(capsys) == (1, expected)
    assert validate(capsys, SHEET) == (1, expected)  # the hook's call: just this file


def test_alias_bomb(tree: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # a billion laughs: refused from the scanner's tokens, before anything is built
    # (bench/bench_validate.py measures that it costs no more than a tiny file)
    bomb = "a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n" + "".join(
        f"a{n}: &a{n} [{', '.join([f'*a{n - 1}'] * 9)}]\n" for n in range(1, 10))
    write(tree, bomb)
    code, lines = validate(capsys)
    assert code == 1
    assert lines[:3] == [
        f"{SHEET}:1:5: OKR004 YAML anchor 'a0' is not allowed: write the value out",
        f"{SHEET}:2:5: OKR004 YAML anchor 'a1' is not allowed: write the value out",
        f"{SHEET}:2:10: OKR004 YAML alias 'a0' is not allowed: write the value out"]
    assert len(lines) == 10


def test_html_in_titles_is_just_text(tree: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(tree, edit("    title: 提升品牌知名度",
                     '    title: <script>alert("提升")</script> & <b>品牌</b>'))
    assert validate(capsys) == (0, [])


def test_misplaced_yaml_files(tree: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(tree, BASE)
    write(tree, BASE, "okrs/2026-Q2/drafts/marketing.yaml")
    write(tree, BASE, "okrs/notes.yml")
    write(tree, "not yaml at all: [", "okrs/2026-Q2/README.md")  # not YAML: ignored
    assert validate(capsys) == (1, [
        "okrs/2026-Q2/drafts/marketing.yaml:1:1: OKR007 a sheet belongs at "
        "<okrs>/<cycle>/<team>.yaml",
        "okrs/notes.yml:1:1: OKR007 a sheet belongs at <okrs>/<cycle>/<team>.yaml"])
    assert validate(capsys, "okrs/2026-Q2/drafts/marketing.yaml") == (1, [
        "okrs/2026-Q2/drafts/marketing.yaml:1:1: OKR007 a sheet belongs at "
        "<okrs>/<cycle>/<team>.yaml"])


def test_broken_org(tree: Path, capsys: pytest.CaptureFixture[str]) -> None:
    org = (tree / "okrs" / "org.yaml").read_text(encoding="utf-8")
    write(tree, org.replace("    parent: company\n    lead: mei", "    parent: compny\n"
                                                                  "    lead: mai", 1),
          "okrs/org.yaml")
    assert validate(capsys) == (1, [
        "okrs/org.yaml:31:13: OKR006 unknown team 'compny' (did you mean 'company'?)",
        "okrs/org.yaml:32:11: OKR006 unknown person 'mai'"])


def test_messages_in_traditional_chinese(tree: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(tree, edit("team: marketing", "team: sales", edit(
        "    strategy: [brand]", "    strategy: [brand]\n    parent: 2026/company/grow")))
    assert validate(capsys, "--lang", "zh-TW") == (1, [
        f"{SHEET}:2:7: OKR007 團隊「sales」與檔案路徑不符(應為「marketing」)",
        f"{SHEET}:8:13: OKR006 找不到上層目標「2026/company/grow」"
        "(是否指「2026/company/grow-online」?)"])
    write(tree, edit("2026-06-30", "2025-13-45"))  # a schema error hides the references
    assert validate(capsys, "--lang", "zh-TW") == (1, [
        f'{SHEET}:15:14: OKR002 objectives[0].key_results[0].due: "2025-13-45" 不是有效的'
        "日期(YYYY-MM-DD)"])


@pytest.mark.parametrize(("old", "new", "expected"), [
    # IME slips: a full-width colon, a full-width space indenting (the error surfaces a line later)
    ("current: 53000", "current：53000",
     "13:16: OKR001 鍵後面是全形冒號「：」:請改用半形冒號「:」加一個空白"),
    ("        confidence: 0.6", "\u3000\u3000\u3000\u3000confidence: 0.6",
     "14:1: OKR001 出現全形空白(U+3000):縮排與冒號後請使用半形空白"),
    # reported where the quote opens, not at the end of the file
    ("title: 將網站", 'title: "將網站', "10:16: OKR001 此處開始的引號沒有結束:請補上結尾的引號"),
    ("        due: 2026-06-30", "       due: 2026-06-30",
     "15:8: OKR001 這一行的縮排與上方各行對不齊"),
])
def test_yaml_syntax_errors_in_traditional_chinese(tree: Path, capsys: pytest.CaptureFixture[str],
                                                   old: str, new: str, expected: str) -> None:
    write(tree, edit(old, new))
    assert validate(capsys, "--lang", "zh-TW") == (1, [f"{SHEET}:{expected}"])


def test_language_from_the_config(tree: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tree / ".okrkit.yaml").write_text("language: zh-TW\n", encoding="utf-8")
    write(tree, "")
    assert validate(capsys) == (1, [f"{SHEET}:1:1: OKR002 檔案是空的"])
    assert validate(capsys, "--lang", "en") == (1, [f"{SHEET}:1:1: OKR002 the file is empty"])


def test_json_format(tree: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(tree, edit("2026-06-30", "2025-13-45"))
    code = main(["validate", "--format", "json"])
    rows = json.loads(capsys.readouterr().out)
    assert code == 1
    assert rows == [{
        "path": SHEET, "line": 15, "column": 14, "code": "OKR002", "severity": "error",
        "message": 'objectives[0].key_results[0].due: "2025-13-45" is not a valid date',
        "messages": {
            "en": 'objectives[0].key_results[0].due: "2025-13-45" is not a valid date',
            "zh-TW": 'objectives[0].key_results[0].due: "2025-13-45" 不是有效的日期(YYYY-MM-DD)'},
    }]


def test_a_bad_config_is_reported(tree: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tree / ".okrkit.yaml").write_text("fiscal_year_start: 13\n", encoding="utf-8")
    assert validate(capsys) == (1, [
        ".okrkit.yaml:1:20: OKR002 fiscal_year_start: 13 must be <= 12"])


def test_schema_option_checks_files_anywhere(tree: Path,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    write(tree, edit("team: marketing", "team: sales"), "elsewhere/draft.yaml")
    # no references and no path rules: only YAML and the schema
    assert validate(capsys, "--schema", "okr", "elsewhere/draft.yaml") == (0, [])
    assert validate(capsys, "--schema", "org", "elsewhere/draft.yaml") == (1, [
        "elsewhere/draft.yaml:1:1: OKR002 missing required key 'name'",
        "elsewhere/draft.yaml:1:1: OKR002 unknown key 'cycle'",
        "elsewhere/draft.yaml:2:1: OKR002 unknown key 'team' (did you mean 'teams'?)",
        "elsewhere/draft.yaml:3:1: OKR002 unknown key 'owner'",
        "elsewhere/draft.yaml:4:1: OKR002 unknown key 'objectives'"])


# -- the command line ------------------------------------------------------------------------


def test_missing_path_is_a_usage_error(tree: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", "okrs/nope.yaml"]) == 2
    out, err = capsys.readouterr()
    assert (out, err) == ("", "okr: error: no such file or folder: okrs/nope.yaml\n")


def test_no_command_prints_help_and_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert main([]) == 2
    out, err = capsys.readouterr()
    assert out.startswith("usage: okr [-h] [--version] [--debug] COMMAND ...\n")
    assert err == ""


def test_help_exits_0(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--help"]) == 0
    assert "validate" in capsys.readouterr().out
    assert main(["validate", "--help"]) == 0
    assert capsys.readouterr().out.startswith("usage: okr validate [-h]")


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    from okrkit import __version__

    assert main(["--version"]) == 0
    assert capsys.readouterr().out == f"okrkit {__version__}\n"


@pytest.mark.parametrize("argv", [["nonsense"], ["validate", "--format", "xml"],
                                  ["validate", "--schema", "sheet"]])
def test_usage_errors_exit_2_with_usage_on_stderr(argv: list[str],
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    assert main(argv) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert err.startswith("usage: okr")
    assert "error: argument" in err
