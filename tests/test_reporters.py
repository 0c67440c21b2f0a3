"""Reporters: text, json, GitHub workflow commands and SARIF 2.1.0 (validated offline
against the OASIS schema in tests/resources/sarif/)."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from okrkit import reporters
from okrkit.findings import Finding, Pos, Severity
from okrkit.rules import all_rules, get

SARIF_SCHEMA = Path(__file__).parent / "resources" / "sarif" / "sarif-schema-2.1.0.json"


def finding(path: str, line: int, col: int, code: str, severity: Severity, en: str,
            zh: str = "中文") -> Finding:
    return Finding(Pos(path, line, col), code, severity, {"en": en, "zh-TW": zh})


FINDINGS = [
    finding("okrs/2026-Q1/marketing.yaml", 3, 5, "OKR102", Severity.INFO, "a number"),
    finding("okrs/2026-Q1/marketing.yaml", 9, 9, "OKR603", Severity.WARNING,
            "objective 'x' has no owner", "目標「x」沒有負責人"),
    finding("okrs/2026-Q1/sales.yaml", 1, 1, "OKR001", Severity.ERROR, "invalid YAML: bad"),
]


def test_text_is_path_line_col_code_severity_message() -> None:
    assert reporters.text(FINDINGS, "en") == (
        "okrs/2026-Q1/marketing.yaml:3:5: OKR102 [info] a number\n"
        "okrs/2026-Q1/marketing.yaml:9:9: OKR603 [warning] objective 'x' has no owner\n"
        "okrs/2026-Q1/sales.yaml:1:1: OKR001 [error] invalid YAML: bad\n")
    # the severity word as the site says it; json, github and sarif keep the English one
    assert reporters.text(FINDINGS, "zh-TW") == (
        "okrs/2026-Q1/marketing.yaml:3:5: OKR102 [提示] 中文\n"
        "okrs/2026-Q1/marketing.yaml:9:9: OKR603 [警告] 目標「x」沒有負責人\n"
        "okrs/2026-Q1/sales.yaml:1:1: OKR001 [錯誤] 中文\n")
    assert reporters.text([], "en") == ""


def test_json_keeps_both_languages() -> None:
    rows = json.loads(reporters.as_json(FINDINGS[1:2], "zh-TW"))
    assert rows == [{"path": "okrs/2026-Q1/marketing.yaml", "line": 9, "column": 9,
                     "code": "OKR603", "severity": "warning", "message": "目標「x」沒有負責人",
                     "messages": {"en": "objective 'x' has no owner",
                                  "zh-TW": "目標「x」沒有負責人"}}]


def test_github_most_severe_first_with_levels_and_titles() -> None:
    out = reporters.github(FINDINGS, "en", {"OKR603": "no-owner", "OKR001": "yaml-syntax"})
    assert out.splitlines() == [
        "::error file=okrs/2026-Q1/sales.yaml,line=1,col=1,title=OKR001 yaml-syntax"
        "::invalid YAML: bad",
        "::warning file=okrs/2026-Q1/marketing.yaml,line=9,col=9,title=OKR603 no-owner"
        "::objective 'x' has no owner",
        "::notice file=okrs/2026-Q1/marketing.yaml,line=3,col=5,title=OKR102::a number",
    ]


def test_github_escapes_data_and_properties() -> None:
    odd = finding("okrs/a,b:c%.yaml", 2, 3, "OKR603", Severity.WARNING,
                  "100% done\r\nnext: line, more")
    [line] = reporters.github([odd], "en", {"OKR603": "no-owner"}).splitlines()
    assert line == ("::warning file=okrs/a%2Cb%3Ac%25.yaml,line=2,col=3,title=OKR603 no-owner"
                    "::100%25 done%0D%0Anext: line, more")


@pytest.fixture(scope="module")
def sarif_validator() -> jsonschema.Draft7Validator:
    schema = json.loads(SARIF_SCHEMA.read_text(encoding="utf-8"))
    jsonschema.Draft7Validator.check_schema(schema)
    return jsonschema.Draft7Validator(schema, format_checker=jsonschema.FormatChecker())


@pytest.mark.parametrize("lang", ["en", "zh-TW"])
def test_sarif_is_valid_and_points_results_at_rule_metadata(
        tmp_path: Path, sarif_validator: jsonschema.Draft7Validator, lang: str,
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    rules = all_rules()
    suppressed = [(finding("okrs/2026-Q1/sales.yaml", 4, 9, "OKR603", Severity.WARNING, "y"),
                   "由主管統籌")]
    log = json.loads(reporters.sarif(FINDINGS, lang, rules, root=tmp_path,
                                     suppressed=suppressed))
    errors = [f"{list(e.absolute_path)}: {e.message}" for e in sarif_validator.iter_errors(log)]
    assert errors == []
    run = log["runs"][0]
    driver = run["tool"]["driver"]
    assert [r["id"] for r in driver["rules"]] == [r.code for r in rules]
    assert run["originalUriBaseIds"]["SRCROOT"]["uri"] == tmp_path.resolve().as_uri() + "/"
    owner = get("OKR603")
    assert owner is not None
    meta = driver["rules"][[r.code for r in rules].index("OKR603")]
    assert meta["name"] == "no-owner"
    assert meta["shortDescription"]["text"] == owner.title_in(lang)
    assert meta["help"]["markdown"] == owner.doc_in(lang)
    assert meta["defaultConfiguration"]["level"] == "warning"
    results = run["results"]
    assert [(r["ruleId"], r["level"]) for r in results] == [
        ("OKR102", "note"), ("OKR603", "warning"), ("OKR001", "error"), ("OKR603", "warning")]
    for result in results:
        assert driver["rules"][result["ruleIndex"]]["id"] == result["ruleId"]
    location = results[1]["locations"][0]["physicalLocation"]
    assert location == {"artifactLocation": {"uri": "okrs/2026-Q1/marketing.yaml",
                                             "uriBaseId": "SRCROOT"},
                        "region": {"startLine": 9, "startColumn": 9}}
    assert results[1]["message"]["text"] == FINDINGS[1].message(lang)
    assert "suppressions" not in results[1]
    assert results[3]["suppressions"] == [{"kind": "inSource", "justification": "由主管統籌"}]


def test_sarif_uris_are_relative_to_the_root_and_percent_encoded(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "okrs").mkdir()
    monkeypatch.chdir(tmp_path / "okrs")  # display paths are relative to the cwd
    odd = finding("2026-Q1/行銷 部.yaml", 1, 1, "OKR001", Severity.ERROR, "x")
    log = json.loads(reporters.sarif([odd], "en", all_rules(), root=tmp_path))
    location = log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]
    assert location["artifactLocation"]["uri"] == (
        "okrs/2026-Q1/%E8%A1%8C%E9%8A%B7%20%E9%83%A8.yaml")
