"""`okr validate [PATHS]`: YAML, schema, structure and references."""

from __future__ import annotations

import sys
from collections.abc import Iterator, Sequence
from pathlib import Path

from okrkit import i18n, reporters
from okrkit.config import CONFIG_NAME, Config, config_for
from okrkit.findings import unique_sorted
from okrkit.tree import YAML_SUFFIXES, check_file, load_tree

SUMMARY = {
    "en": lambda n: f"{n} file{'' if n == 1 else 's'} valid",
    "zh-TW": lambda n: f"{n} 個檔案格式正確",
}


def validate(paths: Sequence[str], *, lang: str | None, output_format: str,
             kind: str | None = None, quiet: bool = False) -> int:
    given, config, findings = config_for(paths)
    inside, outside = _split(config, given, forced=kind is not None)
    checked = 0
    if inside or not given:
        tree, tree_findings = load_tree(config, inside or None)
        findings += tree_findings
        checked += len(tree.selected)
    for path in _yaml_files(outside):
        findings += check_file(config, path, kind)
        checked += 1
    findings = unique_sorted(findings)
    chosen = i18n.choose(lang, config.language)
    if output_format == "json":
        sys.stdout.write(reporters.as_json(findings, chosen))
    else:
        sys.stdout.write(reporters.text(findings, chosen, severity=False))
        # silence is no answer for a person at a terminal; the hook, CI and scripts that
        # read the output (piped) get what they always got (issue 14)
        if not findings and not quiet and sys.stdout.isatty():
            print(SUMMARY[chosen](checked))
    return 1 if findings else 0


def _split(config: Config, given: list[Path], *, forced: bool) -> tuple[list[Path], list[Path]]:
    """Paths in the OKR tree (checked with references) and files checked on their own."""
    okrs_dir = config.okrs_dir.resolve()
    inside: list[Path] = []
    outside: list[Path] = []
    for path in given:
        resolved = path.resolve()
        if forced or resolved.name == CONFIG_NAME:
            outside.append(path)
        elif resolved.is_relative_to(okrs_dir):
            inside.append(path)
        elif resolved.is_dir() and okrs_dir.is_relative_to(resolved):
            inside.append(okrs_dir)  # `okr validate .` at the repository root
        else:
            outside.append(path)
    return inside, outside


def _yaml_files(paths: list[Path]) -> Iterator[Path]:
    for path in paths:
        if path.is_dir():
            yield from sorted(p for p in path.rglob("*") if p.suffix in YAML_SUFFIXES)
        else:
            yield path
