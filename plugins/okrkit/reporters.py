"""Findings → text for people and machines: text, json, github, sarif."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import quote  # free: pathlib imports it already

from okrkit import __version__
from okrkit.findings import Finding, Severity, root_relative

if TYPE_CHECKING:
    from okrkit.rules import Rule

FORMATS = ("text", "json", "github", "sarif")
SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
INFORMATION_URI = "https://github.com/okrkit/okrkit"

_GITHUB_LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}
_SARIF_LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}


def text(findings: Sequence[Finding], lang: str, *, severity: bool = True) -> str:
    """`path:line:col: CODE [severity] message`, one per line; the severity in `lang`, as
    the site says it (the machine formats keep the English word)."""
    lines = []
    for f in findings:
        label = f" [{f.severity.name_in(lang)}]" if severity else ""
        lines.append(f"{f.pos}: {f.code}{label} {f.message(lang)}")
    return "".join(line + "\n" for line in lines)


def as_json(findings: Sequence[Finding], lang: str) -> str:
    rows = [{"path": f.pos.path, "line": f.pos.line, "column": f.pos.col, "code": f.code,
             "severity": f.severity.label, "message": f.message(lang),
             "messages": dict(f.messages)} for f in findings]
    return json.dumps(rows, ensure_ascii=False, indent=2) + "\n"


# -- GitHub Actions workflow commands --------------------------------------------


def _escape_data(value: str) -> str:
    # the escaping of @actions/core's command.ts: escapeData
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(value: str) -> str:
    # ... and escapeProperty: also ':' and ',', which separate properties
    return _escape_data(value).replace(":", "%3A").replace(",", "%2C")


def github(findings: Sequence[Finding], lang: str,
           names: Mapping[str, str] | None = None) -> str:
    """`::error file=…,line=…,col=…,title=OKR301 not-challenging::message`, most severe first."""
    names = names or {}
    ordered = sorted(findings, key=lambda f: (-f.severity, f.sort_key()))
    lines = []
    for f in ordered:
        title = f"{f.code} {names[f.code]}" if f.code in names else f.code
        props = ",".join(f"{key}={_escape_property(str(value))}" for key, value in (
            ("file", Path(f.pos.path).as_posix()), ("line", f.pos.line), ("col", f.pos.col),
            ("title", title)))
        lines.append(f"::{_GITHUB_LEVEL[f.severity]} {props}::{_escape_data(f.message(lang))}")
    return "".join(line + "\n" for line in lines)


# -- SARIF 2.1.0 -------------------------------------------------------------------


def _uri(path: str, root: Path | None) -> str:
    """The file's URI relative to the repository root (SRCROOT)."""
    return quote(Path(path).as_posix() if root is None else root_relative(path, root), safe="/")


def _what(doc: str) -> str:
    """The paragraph after `**What**:` (or its zh-TW heading `**說明**`), on one line."""
    for heading in ("**What**", "**說明**"):
        if heading in doc:
            rest = doc.split(heading, 1)[1].lstrip().removeprefix(":").removeprefix(":")
            return " ".join(rest.split("\n\n", 1)[0].split())
    return ""


def _sarif_rule(rule: Rule, lang: str) -> dict[str, Any]:
    doc = rule.doc_in(lang)
    return {
        "id": rule.code,
        "name": rule.name,
        "shortDescription": {"text": rule.title_in(lang)},
        "fullDescription": {"text": _what(doc) or rule.title_in(lang)},
        "help": {"text": doc, "markdown": doc},
        "defaultConfiguration": {"level": _SARIF_LEVEL[rule.severity]},
        "properties": {"tags": [rule.scope]},
    }


def sarif(findings: Sequence[Finding], lang: str, rules: Iterable[Rule], *,
          root: Path | None = None,
          suppressed: Sequence[tuple[Finding, str]] = ()) -> str:
    """A SARIF 2.1.0 log: every rule's metadata, then one result per finding.

    Findings silenced inline are included with an `inSource` suppression, so a
    code-scanning view can show them as dismissed with their reason.
    """
    rule_list = list(rules)
    index = {r.code: i for i, r in enumerate(rule_list)}
    results = [_sarif_result(f, lang, index, root) for f in findings]
    for f, reason in suppressed:
        result = _sarif_result(f, lang, index, root)
        result["suppressions"] = [{"kind": "inSource", "justification": reason}]
        results.append(result)
    run: dict[str, Any] = {
        "tool": {"driver": {
            "name": "okrkit",
            "version": __version__,
            "semanticVersion": __version__,
            "informationUri": INFORMATION_URI,
            "language": lang,
            "rules": [_sarif_rule(r, lang) for r in rule_list],
        }},
        "language": lang,
        "columnKind": "unicodeCodePoints",  # the loader counts characters, not UTF-16 units
        "results": results,
    }
    if root is not None:
        run["originalUriBaseIds"] = {"SRCROOT": {"uri": root.resolve().as_uri() + "/"}}
    log = {"$schema": SARIF_SCHEMA, "version": "2.1.0", "runs": [run]}
    return json.dumps(log, ensure_ascii=False, indent=2) + "\n"


def _sarif_result(f: Finding, lang: str, index: Mapping[str, int], root: Path | None
                  ) -> dict[str, Any]:
    location: dict[str, Any] = {"uri": _uri(f.pos.path, root)}
    if root is not None:
        location["uriBaseId"] = "SRCROOT"
    result: dict[str, Any] = {
        "ruleId": f.code,
        "level": _SARIF_LEVEL[f.severity],
        "message": {"text": f.message(lang)},
        "locations": [{"physicalLocation": {
            "artifactLocation": location,
            "region": {"startLine": f.pos.line, "startColumn": f.pos.col},
        }}],
    }
    if f.code in index:
        result["ruleIndex"] = index[f.code]
    return result
