"""The `rules:` section of `.okrkit.yaml` checked against each rule's OPTIONS.

The config schema leaves a rule's options open (they belong to the rule), so
they are checked here, once per run (yamllint's `config.validate_rule_conf`):
an unknown rule, an unknown option or a value of the wrong type is an OKR002
finding at its position in `.okrkit.yaml`, and the rule runs with its default.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import Any

from okrkit import problems
from okrkit.config import CONFIG_NAME, Config
from okrkit.findings import Finding, Pos, Severity
from okrkit.rules import CODE_RE, Rule

_TYPE_NAMES = {bool: ("boolean", "布林值"), int: ("integer", "整數"), float: ("number", "數字"),
               str: ("string", "文字"), list: ("list", "清單"), dict: ("mapping", "對應")}


@dataclass(frozen=True, slots=True)
class RuleSettings:
    """What the config says about the rules, after checking."""

    options: Mapping[str, Mapping[str, Any]]  # code → effective options (defaults filled in)
    severity: Mapping[str, Severity]  # code → configured severity
    off: frozenset[str]  # codes with `severity: off`
    findings: tuple[Finding, ...]


def _kind(default: Any) -> type | None:
    if default is None:
        return None
    for kind in (bool, int, float, str, dict):
        if isinstance(default, kind):
            return kind
    return list if isinstance(default, (list, tuple)) else None


def _fits(kind: type | None, value: Any) -> bool:
    if kind is None:
        return True
    if kind is bool:
        return isinstance(value, bool)
    if kind is int:
        return isinstance(value, int) and not isinstance(value, bool)
    if kind is float:
        return isinstance(value, (int, float)) and not isinstance(value, bool)
    return isinstance(value, kind)


def _items_fit(default: Any, value: list[Any]) -> bool:
    # an empty default (`extra_terms: ()`) says nothing: such lists hold words
    kinds = {_kind(item) for item in default} or {str}
    if len(kinds) != 1:
        return True
    kind = kinds.pop()
    return all(_fits(kind, item) for item in value)


def _pos(config: Config, *jpath: str | int, key: bool = False) -> Pos:
    if config.source is not None:
        return config.source.pos(jpath, key=key)
    return Pos(str(Path(config.root, CONFIG_NAME)))


def _schema_finding(pos: Pos, where: str, en: str, zh: str) -> Finding:
    return problems.SCHEMA.finding(pos, where=where, problem=en, problem_zh=zh)


def check_config(config: Config, rules: Mapping[str, Rule]) -> RuleSettings:
    """Effective options and severities for `rules`, and the config's findings about them."""
    findings: list[Finding] = []
    options: dict[str, Mapping[str, Any]] = {}
    severity: dict[str, Severity] = {}
    off: set[str] = set()
    for code, settings in config.rules.items():
        rule = rules.get(code)
        if rule is None:
            findings.append(_schema_finding(
                _pos(config, "rules", code, key=True), "rules: ",
                f"unknown rule code '{code}'", f"未知的規則代碼「{code}」"))
            continue
        for name, value in settings.items():
            where = f"rules.{code}.{name}: "
            if name == "severity":  # the schema allows error, warning, info, off
                if value == "off":
                    off.add(code)
                else:
                    severity[code] = Severity.parse(value)
                continue
            if name not in rule.options:
                known = ", ".join(sorted(rule.options)) or "(none)"
                findings.append(_schema_finding(
                    _pos(config, "rules", code, name, key=True), f"rules.{code}: ",
                    f"unknown option '{name}' (options of {code}: severity, {known})"
                    if rule.options else f"unknown option '{name}' ({code} has no options)",
                    f"未知的選項「{name}」({code} 的選項:severity, {known})"
                    if rule.options else f"未知的選項「{name}」({code} 沒有選項)"))
                continue
            default = rule.options[name]
            kind = _kind(default)
            fits = _fits(kind, value)
            if fits and kind is list:
                fits = _items_fit(default, value)
            if not fits:
                en, zh = _TYPE_NAMES.get(kind, ("value", "值")) if kind else ("value", "值")
                findings.append(_schema_finding(
                    _pos(config, "rules", code, name), where,
                    f"expected {en} (default {default!r}), got {value!r}",
                    f"應為{zh}(預設 {default!r}),實際為 {value!r}"))
                continue
            options.setdefault(code, dict(rule.options))
            options[code][name] = tuple(value) if kind is list else value  # type: ignore[index]
    for field_name in ("select", "ignore"):
        for index, selector in enumerate(getattr(config, field_name)):
            if CODE_RE.match(selector) and selector not in rules:
                findings.append(_schema_finding(
                    _pos(config, field_name, index), f"{field_name}[{index}]: ",
                    f"unknown rule code '{selector}'", f"未知的規則代碼「{selector}」"))
    for glob, selectors in config.per_path_ignores.items():
        for index, selector in enumerate(selectors):
            if CODE_RE.match(selector) and selector not in rules:
                findings.append(_schema_finding(
                    _pos(config, "per_path_ignores", glob, index),
                    f"per_path_ignores.{glob}[{index}]: ",
                    f"unknown rule code '{selector}'", f"未知的規則代碼「{selector}」"))
    effective = {code: MappingProxyType(dict(options.get(code, rule.options)))
                 for code, rule in rules.items()}
    return RuleSettings(effective, severity, frozenset(off), tuple(findings))
