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
