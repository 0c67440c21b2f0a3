"""Property tests: arbitrary text and arbitrary YAML trees give findings or success, never an
exception, from the loader alone and through the whole `okr validate` path."""

from __future__ import annotations

import contextlib
import io
import json
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from okrkit import yamlload
from okrkit.cli import main
from okrkit.findings import Finding

# scalars the way hand-written YAML has them: text (CJK, emoji, controls), numbers, booleans
TEXT = st.text(st.characters(exclude_categories=("Cs",)), max_size=20)
SCALARS = st.one_of(st.none(), st.booleans(), st.integers(-10**12, 10**12),
                    st.floats(allow_nan=False, allow_infinity=False), TEXT,
                    st.sampled_from(["no", "on", "2026-03-31", "2025-13-45", ".nan", "~", "",
                                     "1e3", "0x1F", "# okr: disable-next-line OKR301", "提升"]))
KEYS = st.one_of(TEXT, st.sampled_from(["cycle", "team", "owner", "objectives", "id", "title",
                                        "key_results", "target", "current", "baseline"]))
TREES = st.recursive(SCALARS, lambda children: st.one_of(
    st.lists(children, max_size=4), st.dictionaries(KEYS, children, max_size=4)),
    max_leaves=25)

KR = st.fixed_dictionaries(
    {"id": st.sampled_from(["a", "b", "unique-visitors", "Bad Id"]), "title": SCALARS},
    optional={"direction": st.sampled_from(["increase", "decrease", "at_least", "at_most",
                                            "milestone", "sideways"]),
              "baseline": SCALARS, "target": SCALARS, "current": SCALARS,
              "confidence": st.one_of(st.floats(0, 1), SCALARS), "weight": SCALARS,
              "due": SCALARS, "owner": SCALARS, "score": SCALARS,
              "contributors": st.lists(st.sampled_from(["marketing", "x", "a"]), max_size=3),
              "initiatives": st.lists(st.fixed_dictionaries({"title": SCALARS},
                                                            optional={"done": SCALARS}),
                                      max_size=2)})
OBJECTIVE = st.fixed_dictionaries(
    {"id": st.sampled_from(["grow", "o", "grow"]), "title": SCALARS},
    optional={"key_results": st.lists(KR, max_size=3), "weight": SCALARS,
              "parent": st.sampled_from(["2026/marketing/grow", "2026-Q1/marketing/grow",
                                         "nope"]),
              "strategy": st.lists(st.sampled_from(["brand", "other"]), max_size=2),
              "kind": st.sampled_from(["committed", "aspirational", "maybe"]),
              "score": SCALARS})
SHEETS = st.fixed_dictionaries(
    {"cycle": st.sampled_from(["2026-Q1", "2026", "2026-Q5", "FY-1"]),
     "team": st.sampled_from(["marketing", "sales"]),
     "objectives": st.lists(OBJECTIVE, max_size=3)},
    optional={"owner": SCALARS, "notes": SCALARS})



def fuzz(max_examples: int = 100) -> settings:
    return settings(max_examples=max_examples, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow])


def dump(data: Any) -> str:
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)


class _QuotingDumper(yaml.SafeDumper):
    """Quotes the strings okrkit's YAML 1.2 core reading would not read back as strings
    (PyYAML follows YAML 1.1: it writes `0E0` plain, which 1.2 reads as a number)."""


def _represent_str(dumper: yaml.SafeDumper, value: str) -> yaml.Node:
    doc, findings = yamlload.load_text("s", f"k: {value}\n") if "\n" not in value else (None, [])
    plain_ok = not findings and doc is not None and doc.data == {"k": value}
    style = None if plain_ok else '"'
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_QuotingDumper.add_representer(str, _represent_str)


def assert_findings(findings: list[Finding], path: str = "f.yaml") -> None:
    for finding in findings:
        assert finding.pos.path == path
        assert finding.pos.line >= 1 and finding.pos.col >= 1
        assert finding.code.startswith("OKR")
        assert finding.message("en") and finding.message("zh-TW")


@fuzz()
@given(st.text(max_size=300))
def test_loader_on_arbitrary_text(text: str) -> None:
    doc, findings = yamlload.load_text("f.yaml", text)
    assert_findings(findings)
    assert doc is not None or findings


@fuzz()
@given(st.binary(max_size=300))
def test_loader_on_arbitrary_bytes(raw: bytes) -> None:
    doc, findings = yamlload.load_bytes("f.yaml", raw)
    assert_findings(findings)
    assert doc is not None or findings


@fuzz()
@given(st.text(alphabet="[]{}:,-?&*!|>'\"# \n\t\u2028ab1", max_size=200))
def test_loader_on_yaml_punctuation(text: str) -> None:
    _, findings = yamlload.load_text("f.yaml", text)
    assert_findings(findings)


@fuzz()
@given(TREES)
def test_loader_reads_back_dumped_trees(data: Any) -> None:
    text = yaml.dump(data, Dumper=_QuotingDumper, allow_unicode=True, sort_keys=False)
    doc, findings = yamlload.load_text("f.yaml", text)
    assert_findings(findings)
    # PyYAML escapes a control character in a string: the loader refuses it (OKR001)
    assert doc is not None or (findings and all("char" in f.params for f in findings))
    if not findings:  # strings stay strings, keys become strings: PyYAML quotes what it must
        assert doc.data == _keys_as_strings(data)


def _keys_as_strings(data: Any) -> Any:
    if isinstance(data, dict):
        return {str(k): _keys_as_strings(v) for k, v in data.items()}
    if isinstance(data, list):
        return [_keys_as_strings(v) for v in data]
    return data


ORG = """\
name: Fuzz
strategy:
  - {id: brand, title: Brand}
teams:
  - {id: marketing, name: Marketing}
  - {id: sales, name: Sales}
people:
  - {id: mei}
"""


@contextlib.contextmanager
def okr_tree() -> Iterator[Path]:
    """A small tree in a fresh tmp dir, the current directory while it lasts."""
    before = Path.cwd()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        (root / "okrs" / "2026").mkdir(parents=True)
        (root / "okrs" / "org.yaml").write_text(ORG, encoding="utf-8")
        (root / "okrs" / "2026" / "marketing.yaml").write_text(
            'cycle: "2026"\nteam: marketing\nobjectives:\n  - id: grow\n    title: 成長\n'
            "    strategy: [brand]\n", encoding="utf-8")
        (root / "okrs" / "2026-Q1").mkdir()
        os.chdir(root)
        try:
            yield root
        finally:
            os.chdir(before)


def run_validate(content: str | bytes, *args: str) -> tuple[int, str, str]:
    with okr_tree() as root:
        sheet = root / "okrs" / "2026-Q1" / "marketing.yaml"
        if isinstance(content, bytes):
            sheet.write_bytes(content)
        else:
            sheet.write_text(content, encoding="utf-8")
        out, err = io.StringIO(), io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = main(["validate", *args])
    return code, out.getvalue(), err.getvalue()


def assert_validated(code: int, out: str, err: str, *, as_json: bool = False) -> None:
    assert err == ""  # an internal error would print here, with exit code 2
    assert code in (0, 1)
    if as_json:
        rows = json.loads(out)
        assert (code == 1) == bool(rows)
        assert {row["path"] for row in rows} <= {"okrs/2026-Q1/marketing.yaml"}
        return
    assert (code == 1) == bool(out)
    for line in out.split("\n")[:-1]:  # one finding per line: user text cannot break it
        assert line.startswith("okrs/2026-Q1/marketing.yaml:"), line


@fuzz(40)
@given(TREES)
def test_validate_on_arbitrary_trees(data: Any) -> None:
    assert_validated(*run_validate(dump(data)))


@fuzz(80)
@given(SHEETS, st.booleans())
def test_validate_on_sheet_shaped_trees(data: Any, as_json: bool) -> None:
    args = ["okrs/2026-Q1/marketing.yaml", "--format", "json"] if as_json else []
    assert_validated(*run_validate(dump(data), *args), as_json=as_json)


@fuzz(40)
@given(st.one_of(st.text(max_size=200), st.binary(max_size=200)))
def test_validate_on_arbitrary_content(content: str | bytes) -> None:
    assert_validated(*run_validate(content))


def test_a_valid_sheet_shaped_tree_is_clean() -> None:
    # the strategies above can produce clean sheets: this is one, so "clean" is reachable
    sheet = {"cycle": "2026-Q1", "team": "marketing", "objectives": [
        {"id": "grow", "title": "成長", "parent": "2026/marketing/grow", "key_results": [
            {"id": "a", "title": "將訪客數從1000提升到1200", "baseline": 1000, "target": 1200,
             "current": 1100, "confidence": 0.5, "owner": "mei"}]}]}
    assert run_validate(dump(sheet)) == (0, "", "")


@pytest.mark.parametrize("text", ["[" * 5000, "{a: " * 3000, "- " * 5000 + "x",
                                  "a:\n" + "".join("  " * n + f"k{n}:\n" for n in range(200))])
def test_pathological_nesting(text: str) -> None:
    doc, findings = yamlload.load_text("f.yaml", text)
    assert doc is None
    assert [f.code for f in findings] == ["OKR001"]
