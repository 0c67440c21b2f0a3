"""`okr new [CYCLE] [TEAM] [--template NAME]`: scaffold one sheet from the seed's examples.

The templates (`okrkit.sheet_templates`, listed by `okr new --list`) are the
seed article's example OKRs in zh-TW or English, due at the cycle's end, owned
by the team's lead from org.yaml and aligned to the org's strategy themes. The
default, brand-awareness, is also `okr init`'s first sheet.

In a terminal (stdin and stdout both ttys) whatever is missing is asked for:
the cycle (default: the current one), the team (from org.yaml) and the
template; piped or in CI a missing CYCLE or TEAM is an error and the template
defaults to brand-awareness (issue 7: "interactive prompts when run in a
terminal, flags otherwise"). The result is validated before it is written, and
an existing sheet is never overwritten.
"""

from __future__ import annotations

import difflib
import os
import sys
from collections.abc import Mapping
from pathlib import Path

from okrkit import i18n, prompt, schema, sheet_templates, yamlload
from okrkit.config import Config, find_root, load_config, today_from_env
from okrkit.cycles import Cycle
from okrkit.errors import FatalError
from okrkit.i18n import one_line
from okrkit.model import Org, is_id
from okrkit.tree import load_tree
from okrkit.yamledit import write_atomic

MESSAGES: dict[str, dict[str, str]] = {
    "en": {
        "created": "created {path}",
        "next": "edit the baselines and targets, then run `okr lint {path}`",
        "exists": "{path} already exists: not overwritten",
        "unknown-cycle": "unknown cycle '{cycle}' (2026, 2026-H1, 2026-Q1 or a custom cycle "
                         "from .okrkit.yaml)",
        "bad-team": "'{team}' is not a team id (lowercase letters, digits and hyphens)",
        "unknown-team": "team '{team}' is not in {path}: add it under `teams:` first (a "
                        "sheet of an unknown team fails OKR006)",
        "unknown-team-suggest": "team '{team}' is not in {path} (did you mean "
                                "'{suggestion}'?): add it under `teams:` first",
        "no-teams": "{path} lists no teams yet: add yours under `teams:` first",
        "no-org": "no {path} yet: a sheet's team and owner are checked against it; run "
                  "`okr init .` to start an OKR repository",
        "bad-org": "{path} has problems: run `okr validate {path}` and fix it first",
        "invalid": "the new sheet would not be valid: {finding}",
        "unknown-template": "unknown template '{name}'{hint}; the templates are: {names}",
        "did-you-mean": " (did you mean '{match}'?)",
        "missing": "missing {what}: give them as in `okr new CYCLE TEAM [--template NAME]`, "
                   "or run `okr new` in a terminal to be asked",
        "missing-cycle": "CYCLE",
        "missing-team": "TEAM",
        "missing-both": "CYCLE and TEAM",
        "ask-cycle": "Cycle",
        "ask-team": "Team",
        "ask-template": "Template",
        "cannot-write": "cannot write {path}: {error}",
    },
    "zh-TW": {
        "created": "已建立 {path}",
        "next": "請修改基準值與目標值,再執行 `okr lint {path}`",
        "exists": "{path} 已存在:不覆寫",
        "unknown-cycle": "未定義的週期「{cycle}」(2026、2026-H1、2026-Q1 或 .okrkit.yaml "
                         "中的自訂週期)",
        "bad-team": "「{team}」不是有效的團隊 id(小寫英文字母、數字與連字號)",
        "unknown-team": "團隊「{team}」不在 {path} 中:請先加到 `teams:` 底下"
                        "(未知團隊的表單會得到 OKR006)",
        "unknown-team-suggest": "團隊「{team}」不在 {path} 中(是否指「{suggestion}」?):"
                                "請先加到 `teams:` 底下",
        "no-teams": "{path} 還沒有列出任何團隊:請先把你的團隊加到 `teams:` 底下",
        "no-org": "還沒有 {path}:表單的團隊與負責人都要對照它檢查;請執行 `okr init .` "
                  "建立 OKR 儲存庫",
        "bad-org": "{path} 有問題:請先執行 `okr validate {path}` 並修正",
        "invalid": "新的 OKR 表將不符合格式:{finding}",
        "unknown-template": "沒有名為「{name}」的範本{hint};可用的範本:{names}",
        "did-you-mean": "(您是不是要找「{match}」?)",
        "missing": "缺少 {what}:請依 `okr new CYCLE TEAM [--template NAME]` 指定,"
                   "或在終端機中執行 `okr new` 逐項回答",
        "missing-cycle": "CYCLE(週期)",
        "missing-team": "TEAM(團隊)",
        "missing-both": "CYCLE(週期)與 TEAM(團隊)",
        "ask-cycle": "週期",
        "ask-team": "團隊",
        "ask-template": "範本",
        "cannot-write": "無法寫入 {path}:{error}",
    },
}


def _fatal(key: str, **values: str) -> FatalError:
    """A FatalError in both languages; the CLI prints the one the user chose."""
    return FatalError(MESSAGES["en"][key].format(**values),
                      zh=MESSAGES["zh-TW"][key].format(**values))


def new(cycle_id: str | None, team: str | None, *, template: str | None = None,
        lang: str | None = None, list_templates: bool = False) -> int:
    root = find_root(Path.cwd())
    config, _ = load_config(root)
    chosen = i18n.choose(lang, config.language)
    text = MESSAGES[chosen]
    if list_templates:
        print(template_list(chosen), end="")
        return 0
    if template is not None and sheet_templates.get(template) is None:
        raise FatalError(unknown_template_message(template, "en"),
                         zh=unknown_template_message(template, "zh-TW"))
    # a full command line is never questioned; a session asks for the template too
    interactive = prompt.is_interactive() and (cycle_id is None or team is None)
    if not interactive and (cycle_id is None or team is None):
        what = ("missing-both" if cycle_id is None and team is None
                else "missing-cycle" if cycle_id is None else "missing-team")
        raise FatalError(MESSAGES["en"]["missing"].format(what=MESSAGES["en"][what]),
                         zh=MESSAGES["zh-TW"]["missing"].format(what=MESSAGES["zh-TW"][what]))
    tree, _ = load_tree(config, [])  # the org only: no sheet is read
    org = tree.org
    if org is None:  # the new sheet would fail `okr lint` (OKR006) without one
        found = next((p for p in (config.okrs_dir / "org.yaml", config.okrs_dir / "org.yml")
                      if p.exists()), None)
        if found is None:
            raise _fatal("no-org", path=config.display_path(config.okrs_dir / "org.yaml"))
        raise _fatal("bad-org", path=config.display_path(found))
    org_path = config.display_path(config.okrs_dir / "org.yaml")
    if not org.teams:
        raise _fatal("no-teams", path=org_path)

    if cycle_id is None:
        cycle_id = prompt.ask(text["ask-cycle"], lang=chosen, default=_current_cycle(config).id,
                              check=lambda answer: _cycle_problem(config, answer, text))
    cycle = config.calendar.get(cycle_id)
    if cycle is None:
        raise _fatal("unknown-cycle", cycle=cycle_id)
    if team is None:
        team = prompt.choose(text["ask-team"], [(t.id, one_line(t.name)) for t in org.teams],
                             lang=chosen,
                             default=org.teams[0].id if len(org.teams) == 1 else None)
    named = org.team_named(team)
    if named is not None:  # 行銷部 as well as marketing: the name people see
        team = named.id
    if not is_id(team):
        raise _fatal("bad-team", team=team)
    if org.team(team) is None:  # the sheet would fail OKR006
        close = difflib.get_close_matches(team, [t.id for t in org.teams], n=1, cutoff=0.6)
        if close:
            raise _fatal("unknown-team-suggest", team=team, path=org_path, suggestion=close[0])
        raise _fatal("unknown-team", team=team, path=org_path)
    path = config.okrs_dir / cycle.id / f"{team}.yaml"
    shown = config.display_path(path)
    existing = next((p for p in (path, path.with_suffix(".yml")) if p.exists()), None)
    if existing is not None:
        raise _fatal("exists", path=config.display_path(existing))
    if template is None:
        template = (prompt.choose(text["ask-template"], _template_options(chosen), lang=chosen,
                                  default=sheet_templates.DEFAULT)
                    if interactive else sheet_templates.DEFAULT)

    schema_ref = os.path.relpath(root / "schema" / "okr.schema.json", path.parent)
    content = sheet_templates.render(
        template, chosen, cycle_id=cycle.id, team=team, due=cycle.end.isoformat(),
        owner=team_owner(org, team), themes=[t.id for t in org.themes] if org else None,
        schema_ref=Path(schema_ref).as_posix())
    doc, findings = yamlload.load_text(shown, content)
    if doc is not None and not findings:
        findings = schema.validate(doc, "okr")
    if findings:  # pragma: no cover (the templates and the checks above keep it valid)
        first = findings[0]
        raise FatalError(
            MESSAGES["en"]["invalid"].format(finding=f"{first.pos}: {first.message('en')}"),
            zh=MESSAGES["zh-TW"]["invalid"].format(
                finding=f"{first.pos}: {first.message('zh-TW')}"))
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            write_atomic(path, content, exclusive=True)  # never over a sheet, even in a race
        except FileExistsError:
            raise _fatal("exists", path=shown) from None
    except OSError as err:  # a file where the cycle's folder goes, a read-only folder
        raise _fatal("cannot-write", path=shown, error=err.strerror or str(err)) from err
    print(text["created"].format(path=shown))
    print(text["next"].format(path=shown), file=sys.stderr)
    return 0


def template_list(lang: str) -> str:
    """`okr new --list`: one line per template, its name and what it holds."""
    width = max(i18n.display_width(name) for name in sheet_templates.NAMES) + 2
    return "".join(f"{i18n.pad(t.name, width)}{t.description[lang]}\n"
                   for t in sheet_templates.TEMPLATES)


def unknown_template_message(name: str, lang: str) -> str:
    text = MESSAGES[lang]
    close = difflib.get_close_matches(name, sheet_templates.NAMES, n=1, cutoff=0.6)
    hint = text["did-you-mean"].format(match=close[0]) if close else ""
    return text["unknown-template"].format(name=name, hint=hint,
                                           names=", ".join(sheet_templates.NAMES))


def team_owner(org: Org | None, team: str) -> str | None:
    """The team's lead (else its first member) from org.yaml; None when nobody is named."""
    found = org.team(team) if org is not None else None
    if found is None:
        return None
    return found.lead or (found.members[0] if found.members else None)


def _current_cycle(config: Config) -> Cycle:
    """The config's `current_cycle`, else the calendar quarter containing today."""
    configured = config.calendar.get(config.current_cycle) if config.current_cycle else None
    return configured or config.calendar.containing(today_from_env())


def _cycle_problem(config: Config, answer: str, text: Mapping[str, str]) -> str | None:
    return None if config.calendar.get(answer) else text["unknown-cycle"].format(cycle=answer)


def _template_options(lang: str) -> list[tuple[str, str]]:
    return [(t.name, t.description[lang]) for t in sheet_templates.TEMPLATES]
