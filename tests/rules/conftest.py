"""The rule-test helper (yamllint's `RuleTestCase.check`): the REAL linter on a snippet.

Use it through the fixtures of the same names (conftest modules are not meant
to be imported):

    def test_vague(tmp_path, lint_snippet, codes_at):
        findings = lint_snippet(tmp_path, SHEET)
        assert codes_at(findings) == [(12, 16, "OKR101")]

or `check(sheet_yaml, conf=None, today=...)`, which does both in `tmp_path`,
or `lint_result(tmp_path, yaml_text, conf=..., select=..., rules=...)` for the
whole `LintResult` (and the config's own findings).

`lint_snippet(tmp_path, yaml_text, *, conf=None, today=date(2026, 2, 15),
extra_files=None, lang="en", history=None)` builds a repository in
`tmp_path/repo`: the demo org (`okrs/org.yaml`, so the teams company,
marketing, content, ecommerce, expansion, sales and their people) and the
annual company sheet (`okrs/2026/company.yaml`, so parents like
`2026/company/grow-online`), writes the snippet at `okrs/<cycle>/<team>.yaml`
from its own `cycle:` and `team:` (`okrs/2026-Q1/marketing.yaml` when it does
not parse), `conf` as `.okrkit.yaml`, and `extra_files` (repository-relative
path → text). It lints the snippet and the extra sheets, references resolved
against the whole tree, and returns the findings (config findings included),
sorted. Paths in findings are relative to the repository
(`okrs/2026-Q1/marketing.yaml`).
"""

from __future__ import annotations

import datetime as dt
import shutil
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

import pytest
import yaml

from okrkit.config import load_config
from okrkit.findings import Finding, unique_sorted
from okrkit.rules.runner import LintResult, lint
from paths import REPO_ROOT, chdir

TODAY = dt.date(2026, 2, 15)
DEFAULT_SHEET = "okrs/2026-Q1/marketing.yaml"


def sheet_path(yaml_text: str) -> str:
    """Where a snippet belongs, from its own `cycle:` and `team:`."""
    try:
        data = yaml.safe_load(yaml_text)
    except yaml.YAMLError:
        return DEFAULT_SHEET
    if not isinstance(data, dict) or "cycle" not in data or "team" not in data:
        return DEFAULT_SHEET
    cycle, team = str(data["cycle"]), str(data["team"])
    if not cycle or "/" in cycle or not team or "/" in team:
        return DEFAULT_SHEET
    return f"okrs/{cycle}/{team}.yaml"


def make_repo(root: Path, yaml_text: str | None = None, *, conf: Mapping[str, Any] | None = None,
              extra_files: Mapping[str, str] | None = None) -> list[str]:
    """The demo org, the company sheet, the snippet, config and extras under `root`.

    Returns the repository-relative paths of the sheets to lint.
    """
    (root / "okrs" / "2026").mkdir(parents=True, exist_ok=True)
    shutil.copy2(REPO_ROOT / "okrs" / "org.yaml", root / "okrs" / "org.yaml")
    shutil.copy2(REPO_ROOT / "okrs" / "2026" / "company.yaml",
                 root / "okrs" / "2026" / "company.yaml")
    linted: list[str] = []
    if yaml_text is not None:
        rel = sheet_path(yaml_text)
        _write(root / rel, yaml_text)
        linted.append(rel)
    for rel, text in (extra_files or {}).items():
        _write(root / rel, text)
        if rel.startswith("okrs/") and rel.endswith((".yaml", ".yml")) and rel not in linted:
            linted.append(rel)
    if conf is not None:
        _write(root / ".okrkit.yaml",
               yaml.safe_dump(dict(conf), allow_unicode=True, sort_keys=False))
    return linted


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def lint_result(tmp_path: Path, yaml_text: str, *, conf: Mapping[str, Any] | None = None,
                conf_text: str | None = None, today: dt.date = TODAY,
                extra_files: Mapping[str, str] | None = None, **kwargs: Any
                ) -> tuple[LintResult, list[Finding]]:
    """The whole `LintResult` and the config's own findings; `kwargs` go to `lint()`
    (select, ignore, history, rules). `conf_text`: `.okrkit.yaml` verbatim."""
    root = tmp_path / "repo"
    linted = make_repo(root, yaml_text, conf=conf, extra_files=extra_files)
    if conf_text is not None:
        _write(root / ".okrkit.yaml", conf_text)
    with chdir(root):
        config, config_findings = load_config(root)
        result = lint(config, [Path(p) for p in linted], today=today, **kwargs)
    return result, config_findings


def lint_snippet(tmp_path: Path, yaml_text: str, *, conf: Mapping[str, Any] | None = None,
                 today: dt.date = TODAY, extra_files: Mapping[str, str] | None = None,
                 lang: str = "en", history: Any = None) -> list[Finding]:
    """The real linter on a snippet in a tmp OKR tree; findings sorted by position."""
    result, config_findings = lint_result(tmp_path, yaml_text, conf=conf, today=today,
                                          extra_files=extra_files, history=history)
    findings = unique_sorted([*config_findings, *result.findings])
    for f in findings:  # every finding renders in the language asked for
        assert f.message(lang).strip(), f
    return findings


def codes_at(findings: Sequence[Finding], path: str | None = None
             ) -> list[tuple[int, int, str]]:
    """(line, col, code) of each finding (of one file, when `path` is given)."""
    return [(f.pos.line, f.pos.col, f.code) for f in findings
            if path is None or f.pos.path == path]


@pytest.fixture(name="lint_snippet")
def lint_snippet_fixture() -> Callable[..., list[Finding]]:
    return lint_snippet


@pytest.fixture(name="lint_result")
def lint_result_fixture() -> Callable[..., tuple[LintResult, list[Finding]]]:
    return lint_result


@pytest.fixture(name="make_repo")
def make_repo_fixture() -> Callable[..., list[str]]:
    return make_repo


@pytest.fixture(name="codes_at")
def codes_at_fixture() -> Callable[..., list[tuple[int, int, str]]]:
    return codes_at


@pytest.fixture
def check(tmp_path: Path) -> Callable[..., list[tuple[int, int, str]]]:
    """`check(sheet_yaml, conf=None, today=..., extra_files=None, history=None, code=None)`
    → [(line, col, code)]; with `code`, only that code's."""
    counter = iter(range(1_000_000))

    def run(yaml_text: str, conf: Mapping[str, Any] | None = None, *,
            today: dt.date = TODAY, extra_files: Mapping[str, str] | None = None,
            history: Any = None, code: str | None = None) -> list[tuple[int, int, str]]:
        where = tmp_path / f"check{next(counter)}"  # each call its own repository
        found = codes_at(lint_snippet(where, yaml_text, conf=conf, today=today,
                                      extra_files=extra_files, history=history))
        return [c for c in found if code is None or c[2] == code]

    return run
