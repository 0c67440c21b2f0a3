"""`okr new CYCLE TEAM [--lang]`: scaffold one sheet from the seed's template.

The sheet is `okr init`'s (okrkit/scaffold/<lang>/okrs/@@cycle@@/@@team@@.yaml):
the seed article's "提升品牌知名度" objective with its three key results, in
zh-TW or English, due at the cycle's end, owned by the team's lead from
org.yaml and aligned to the org's `brand` theme (or its first theme). The
result is validated before it is written, and an existing sheet is never
overwritten.
"""

from __future__ import annotations

import os
import re
import sys
import tempfile
from pathlib import Path

from okrkit import i18n, schema, yamlload
from okrkit.commands.init import SCAFFOLD_DIR, render
from okrkit.config import find_root, load_config
from okrkit.errors import FatalError
from okrkit.model import Org
from okrkit.tree import load_tree
from okrkit.yamledit import format_scalar

TEMPLATE = Path("okrs") / "@@cycle@@" / "@@team@@.yaml"
DEFAULT_THEME = "brand"
_SLUG_RE = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*\Z")
_OWNER_LINE_RE = re.compile(r"^[ ]*owner: @@owner@@\n", re.MULTILINE)
_STRATEGY_LINE_RE = re.compile(r"^([ ]*)strategy: \[brand\]\n", re.MULTILINE)

MESSAGES: dict[str, dict[str, str]] = {
    "en": {
        "created": "created {path}",
        "next": "edit the baselines and targets, then run `okr lint {path}`",
        "exists": "{path} already exists: not overwritten",
        "unknown-cycle": "unknown cycle '{cycle}' (2026, 2026-H1, 2026-Q1 or a custom cycle "
                         "from .okrkit.yaml)",
        "bad-team": "'{team}' is not a team id (lowercase letters, digits and hyphens)",
        "unknown-team": "team '{team}' is not in org.yaml yet: add it there",
        "invalid": "the new sheet would not be valid: {finding}",
    },
    "zh-TW": {
        "created": "已建立 {path}",
        "next": "請修改基準值與目標值,再執行 `okr lint {path}`",
        "exists": "{path} 已存在:不覆寫",
        "unknown-cycle": "未定義的週期「{cycle}」(2026、2026-H1、2026-Q1 或 .okrkit.yaml "
                         "中的自訂週期)",
        "bad-team": "「{team}」不是有效的團隊 id(小寫英文字母、數字與連字號)",
        "unknown-team": "團隊「{team}」尚未列在 org.yaml:請先加入",
        "invalid": "新的 OKR 表將不符合格式:{finding}",
    },
}


def sheet_text(cycle_id: str, team: str, *, due: str, lang: str, org: Org | None,
               schema_ref: str) -> str:
    """The template filled in for one team and cycle."""
    template = (SCAFFOLD_DIR / lang / TEMPLATE).read_text(encoding="utf-8")
    template = template.replace("$schema=../../schema/okr.schema.json", f"$schema={schema_ref}")
    owner = _owner(org, team)
    if owner is None:  # an owner nobody named is worse than none: OKR603 asks for one
        template = _OWNER_LINE_RE.sub("", template)
    theme_ids = [t.id for t in org.themes] if org is not None else [DEFAULT_THEME]
    if DEFAULT_THEME not in theme_ids:
        template = _STRATEGY_LINE_RE.sub(
            (lambda m: f"{m.group(1)}strategy: [{theme_ids[0]}]\n") if theme_ids else "",
            template)
    values = {"cycle": format_scalar(cycle_id), "team": team, "owner": owner or "",
              "due": due}
    return render(template, values)


def _owner(org: Org | None, team: str) -> str | None:
    found = org.team(team) if org is not None else None
    if found is None:
        return None
    return found.lead or (found.members[0] if found.members else None)


def new(cycle_id: str, team: str, *, lang: str | None = None) -> int:
    root = find_root(Path.cwd())
    config, _ = load_config(root)
    chosen = i18n.choose(lang, config.language)
    text = MESSAGES[chosen]
    cycle = config.calendar.get(cycle_id)
    if cycle is None:
        raise FatalError(text["unknown-cycle"].format(cycle=cycle_id))
    if not _SLUG_RE.match(team):
        raise FatalError(text["bad-team"].format(team=team))
    path = config.okrs_dir / cycle.id / f"{team}.yaml"
    shown = config.display_path(path)
    if path.exists() or path.with_suffix(".yml").exists():
        raise FatalError(text["exists"].format(path=shown))
    tree, _ = load_tree(config, [])  # the org only: no sheet is read
    if tree.org is not None and tree.org.team(team) is None:
        print(text["unknown-team"].format(team=team), file=sys.stderr)
    schema_ref = os.path.relpath(root / "schema" / "okr.schema.json", path.parent)
    content = sheet_text(cycle.id, team, due=cycle.end.isoformat(), lang=chosen, org=tree.org,
                         schema_ref=Path(schema_ref).as_posix())
    doc, findings = yamlload.load_text(shown, content)
    if doc is not None and not findings:
        findings = schema.validate(doc, "okr")
    if findings:  # pragma: no cover (the template and the checks above keep it valid)
        raise FatalError(text["invalid"].format(
            finding=f"{findings[0].pos}: {findings[0].message(chosen)}"))
    path.parent.mkdir(parents=True, exist_ok=True)
    _create(path, content, text["exists"].format(path=shown))
    print(text["created"].format(path=shown))
    print(text["next"].format(path=shown), file=sys.stderr)
    return 0


def _create(path: Path, content: str, exists_message: str) -> None:
    """Write a new file whole or not at all, never over an existing one (even in a race)."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(content)
        os.link(tmp, path)  # fails when the name exists, unlike os.replace
    except FileExistsError:
        raise FatalError(exists_message) from None
    finally:
        Path(tmp).unlink(missing_ok=True)
