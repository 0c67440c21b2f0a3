"""The cached schema validators (okrkit.schema._cached_validator): same verdicts as an
in-memory fastjsonschema compile, written once, and a broken cache is only slower."""

from __future__ import annotations

from pathlib import Path

import fastjsonschema
import pytest

from okrkit import schema

SHEET = {"cycle": "2026-Q1", "team": "marketing",
         "objectives": [{"id": "grow", "title": "成長", "key_results": [
             {"id": "visitors", "title": "訪客", "due": "2026-03-31"}]}]}
BAD_DATE = {**SHEET, "objectives": [{**SHEET["objectives"][0], "key_results": [
    {"id": "visitors", "title": "訪客", "due": "2026-02-30"}]}]}


def verdict(validator: object, data: object) -> bool:
    try:
        validator(data)  # type: ignore[operator]
    except (fastjsonschema.JsonSchemaException, schema.Invalid):
        return False
    return True


@pytest.mark.parametrize("kind", schema.KINDS)
def test_cached_validator_is_written_once_and_agrees(tmp_path: Path, kind: str,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OKRKIT_CACHE_DIR", str(tmp_path / "cache"))
    definition = schema.load_schema(kind)
    first = schema._cached_validator(kind, definition)
    [written] = list((tmp_path / "cache").iterdir())
    stamp = written.stat().st_mtime_ns
    second = schema._cached_validator(kind, definition)
    assert first is not None and second is not None
    assert written.stat().st_mtime_ns == stamp  # read, not written again
    reference = fastjsonschema.compile(definition, formats=schema._FORMATS, use_default=False)
    cases = [SHEET, BAD_DATE, {}, {"name": "x"}, []]
    assert [verdict(second, c) for c in cases] == [verdict(reference, c) for c in cases]


def test_custom_date_format_is_checked_by_the_cached_code(tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch
                                                          ) -> None:
    monkeypatch.setenv("OKRKIT_CACHE_DIR", str(tmp_path))
    validator = schema._cached_validator("okr", schema.load_schema("okr"))
    assert verdict(validator, SHEET) and not verdict(validator, BAD_DATE)


def test_a_corrupt_or_unwritable_cache_falls_back(tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OKRKIT_CACHE_DIR", str(tmp_path))
    definition = schema.load_schema("okr")
    schema._cached_validator("okr", definition)
    [written] = list(tmp_path.iterdir())
    written.write_bytes(b"not marshal data")
    assert schema._cached_validator("okr", definition) is None
    blocker = tmp_path / "file"
    blocker.write_text("x", encoding="utf-8")
    monkeypatch.setenv("OKRKIT_CACHE_DIR", str(blocker / "sub"))  # a file where a dir should be
    assert schema._cached_validator("okr", definition) is None
