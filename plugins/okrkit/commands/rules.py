"""`okr rules` (the table of codes) and `okr rule CODE` (one rule's documentation)."""

from __future__ import annotations

import json
import os
import re
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from okrkit import i18n
from okrkit.config import find_root, load_config
from okrkit.errors import FatalError
from okrkit.i18n import display_width, pad
from okrkit.rules import Rule, all_rules, get
from okrkit.yamledit import format_scalar

HEADERS = {
    "en": ("code", "name", "severity", "title"),
    "zh-TW": ("代碼", "名稱", "預設嚴重度", "說明"),
}
STRINGS = {
    "en": {"unknown": "unknown rule '{code}' (see `okr rules`)",
           "options": "Options and their defaults, as set in .okrkit.yaml:",
           "no-options": "Configure it in .okrkit.yaml:",
           "history": "This rule reads the git history."},
    "zh-TW": {"unknown": "未知的規則「{code}」(請參考 `okr rules`)",
              "options": "選項與預設值(在 .okrkit.yaml 中設定):",
              "no-options": "在 .okrkit.yaml 中設定:",
              "history": "此規則需要讀取 git 歷史。"},
}


def _lang(lang: str | None) -> str:
    config, _ = load_config(find_root(Path.cwd()))
    return i18n.choose(lang, config.language)


def rules_table(rules: Sequence[Rule], lang: str) -> str:
    rows = [HEADERS[lang]] + [
        (r.code, r.name, r.severity.name_in(lang), r.title_in(lang))
        for r in rules]
    widths = [max(display_width(row[i]) for row in rows) for i in range(3)]
    lines = ["  ".join([*(pad(row[i], widths[i]) for i in range(3)), row[3]]).rstrip()
             for row in rows]
    return "".join(line + "\n" for line in lines)


def _yaml_value(value: Any) -> str:
    if isinstance(value, (list, tuple)):  # a flow sequence: the defaults are one line
        return "[" + ", ".join(_flow_item(v) for v in value) + "]"
    return format_scalar(value)


def _flow_item(value: Any) -> str:
    text = format_scalar(value)
    if isinstance(value, str) and text == value and any(c in text for c in ",[]{}"):
        return json.dumps(value, ensure_ascii=False)  # plain `a, b` would be two items
    return text


def rule_doc(rule: Rule, lang: str) -> str:
    """The rule's page: a header line, its documentation, and its config snippet."""
    strings = STRINGS[lang]
    severity = rule.severity.name_in(lang)
    parts = [f"{rule.code} {rule.name} ({severity})", "", rule.doc_in(lang).rstrip(), ""]
    if rule.needs_history:
        parts += [strings["history"], ""]
    parts += [strings["options" if rule.options else "no-options"], "", "```yaml", "rules:",
              f"  {rule.code}:", f"    severity: {rule.severity.label}"]
    parts += [f"    {name}: {_yaml_value(value)}"
              for name, value in rule.options.items()]
    parts += ["```"]
    return "\n".join(parts) + "\n"


def rules_command(*, lang: str | None = None) -> int:
    sys.stdout.write(rules_table(all_rules(), _lang(lang)))
    return 0


def rule_command(code: str, *, lang: str | None = None, output_format: str = "text") -> int:
    chosen = _lang(lang)
    rule = get(code)
    if rule is None:
        raise FatalError(STRINGS[chosen]["unknown"].format(code=code))
    doc = rule_doc(rule, chosen)
    if output_format == "text":  # Markdown markers read as noise in a terminal (issue 14)
        doc = render_terminal(doc, color=sys.stdout.isatty() and not os.environ.get("NO_COLOR"))
    sys.stdout.write(doc)
    return 0


_BOLD = re.compile(r"\*\*(.+?)\*\*")
_CODE = re.compile(r"`([^`]+)`")
_LINK = re.compile(r"\[([^\]]+)\]\(([^)\s]+)\)")


def render_terminal(markdown: str, *, color: bool) -> str:
    """The rule docs' Markdown as terminal text: emphasis and code markers dropped (bold
    with `color`), headings bold, links as `text <url>`, code blocks indented four spaces
    without their fences."""
    bold, plain = ("\x1b[1m", "\x1b[0m") if color else ("", "")
    out: list[str] = []
    fenced = False
    for line in markdown.split("\n"):
        if line.lstrip().startswith("```"):
            fenced = not fenced
            continue
        if fenced:
            out.append("    " + line if line else "")
            continue
        heading = re.match(r"#{1,6}\s+(.*)", line)
        if heading:
            out.append(f"{bold}{heading.group(1)}{plain}")
            continue
        line = _LINK.sub(r"\1 <\2>", line)
        line = _BOLD.sub(lambda m: f"{bold}{m.group(1)}{plain}", line)
        out.append(_CODE.sub(r"\1", line))
    return "\n".join(out)
