"""okrkit.schema.validate: messages in both languages, and a document left as it was."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest

from okrkit import schema, yamlload

SHEET = """\
cycle: 2026-Q1
team: {team}
objectives:
  - id: grow-online
    title: 提高線上業績
    key_results:
      - id: unique-visitors
        title: 網站不重複訪客數從 50000 提升到 60000
        baseline: 50000
        target: 60000
"""


@pytest.fixture(autouse=True)
def _own_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OKRKIT_CACHE_DIR", str(tmp_path / "cache"))


def test_a_bad_slug_is_named_as_one() -> None:
    # the hint compared against a pattern the schemas no longer had: the raw regex showed
    doc, findings = yamlload.load_text("okrs/2026-Q1/m.yaml", SHEET.format(team="Marketing_X"))
    assert doc is not None and findings == []
    [finding] = schema.validate(doc, "okr")
    assert (finding.pos.line, finding.pos.col, finding.code) == (2, 7, "OKR002")
    assert finding.message("en") == (
        'team: "Marketing_X" is not a slug (lowercase ASCII letters, digits and hyphens)')
    assert finding.message("zh-TW") == (
        'team: "Marketing_X" 不是有效的 id(只能用小寫英文字母、數字與連字號)')


@pytest.mark.parametrize(("old", "new", "where", "en", "zh"), [
    ("cycle: 2026-Q1", "cycle: 2026-q1", (1, 8),
     'cycle: "2026-q1" is not a cycle id (a year such as 2026, 2026-H1 or 2026-Q1 with a '
     "capital H or Q, or a name starting with a letter)",
     'cycle: "2026-q1" 不是有效的週期 id(年份如 2026、2026-H1 或 2026-Q1,H 與 Q 須大寫;'
     "或以英文字母開頭的名稱)"),
    # the pattern and the date format both fail: one finding, not two
    ("        target: 60000", "        target: 60000\n        due: 2027/03/31", (11, 14),
     'objectives[0].key_results[0].due: "2027/03/31" is not a date written as YYYY-MM-DD '
     "(such as 2026-03-31)",
     'objectives[0].key_results[0].due: "2027/03/31" 不是 YYYY-MM-DD 格式的日期'
     "(例如 2026-03-31)"),
])
def test_a_pattern_is_said_in_words_once(old: str, new: str, where: tuple[int, int], en: str,
                                         zh: str) -> None:
    doc, _ = yamlload.load_text("okrs/2026-Q1/m.yaml",
                                SHEET.format(team="marketing").replace(old, new))
    assert doc is not None
    [finding] = schema.validate(doc, "okr")
    assert ((finding.pos.line, finding.pos.col), finding.message("en"),
            finding.message("zh-TW")) == (where, en, zh)


def test_every_pattern_of_the_schemas_has_words() -> None:
    # a new pattern in a schema needs its words, or users see the regex again
    assert set(schema._pattern_names().values()) <= set(schema._PATTERN_WORDS)
    assert "" not in schema._pattern_names().values()


@pytest.mark.parametrize("kind, text", [
    ("okr", SHEET.format(team="marketing")),
    ("config", "language: zh-TW\nstatus:\n  on_track: 0.8\n"),
])
def test_validation_leaves_the_document_as_it_was(kind: str, text: str) -> None:
    # fastjsonschema's defaults used to land in the data: a KR gained `direction: increase`
    doc, _ = yamlload.load_text("x.yaml", text)
    assert doc is not None
    before = copy.deepcopy(doc.data)
    assert schema.validate(doc, kind) == []
    assert doc.data == before
