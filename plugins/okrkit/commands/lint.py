"""`okr lint [PATHS]`: the SMART and pitfall rules, as the pre-commit hook runs them."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path

from okrkit import i18n, reporters
from okrkit.config import CONFIG_NAME, Config, config_for, today_from_env
from okrkit.errors import FatalError
from okrkit.findings import unique_sorted
from okrkit.rules import CODE_RE, all_codes, all_rules
from okrkit.rules.runner import failed, lint


def parse_selectors(values: Sequence[str] | None, option: str) -> tuple[str, ...]:
    """`--select OKR1,OKR301 --select OKR5` → ('OKR1', 'OKR301', 'OKR5'); unknown codes stop."""
    found: list[str] = []
    known = all_codes()
    for value in values or ():
        for item in value.replace(" ", ",").split(","):
            item = item.strip().upper()
            if not item:
                continue
            if not (item.startswith("OKR") and item[3:].isdigit() and len(item) <= 6):
                raise FatalError(f"{option}: '{item}' is not a rule code or prefix (OKR301, OKR3)",
                                 zh=f"{option}:「{item}」不是規則代碼或前綴(OKR301、OKR3)")
            if CODE_RE.match(item) and item not in known:
                raise FatalError(f"{option}: unknown rule code '{item}'",
                                 zh=f"{option}:未知的規則代碼「{item}」")
            found.append(item)
    return tuple(found)


def lint_command(paths: Sequence[str], *, output_format: str = "text", lang: str | None = None,
                 strict: bool = False, select: Sequence[str] | None = None,
                 ignore: Sequence[str] | None = None) -> int:
    given, config, findings = config_for(paths)
    selectors = parse_selectors(select, "--select")
    ignored = parse_selectors(ignore, "--ignore")
    result = lint(config, _tree_paths(config, given), today=today_from_env(),
                  select=selectors, ignore=ignored)
    findings = unique_sorted([*findings, *result.findings])
    chosen = i18n.choose(lang, config.language)
    for note in result.notes:
        print(f"okr: warning: {note.get(chosen) or note['en']}", file=sys.stderr)
    if output_format == "json":
        out = reporters.as_json(findings, chosen)
    elif output_format == "github":
        out = reporters.github(findings, chosen, {r.code: r.name for r in all_rules()})
    elif output_format == "sarif":
        out = reporters.sarif(findings, chosen, all_rules(), root=config.root,
                              suppressed=result.suppressed)
    else:
        out = reporters.text(findings, chosen)
    sys.stdout.write(out)
    return 1 if failed(findings, strict=strict) else 0


def _tree_paths(config: Config, given: list[Path]) -> list[Path] | None:
    """The paths to lint inside the OKR tree; None for the whole tree.

    The config file counts as the whole tree: a change to it can change every
    verdict. A path outside the tree is a usage error (the hook's `files:`
    pattern keeps them out).
    """
    if not given:
        return None
    okrs_dir = config.okrs_dir.resolve()
    inside: list[Path] = []
    for path in given:
        resolved = path.resolve()
        if resolved.name == CONFIG_NAME or (resolved.is_dir()
                                            and okrs_dir.is_relative_to(resolved)):
            return None
        if resolved.is_relative_to(okrs_dir):
            inside.append(path)
        else:
            shown = config.display_path(okrs_dir)
            raise FatalError(f"{path} is outside the OKR tree ({shown})",
                             zh=f"{path} 不在 OKR 目錄({shown})之內")
    return inside
