"""Positions, severities and findings: what every checker yields."""

from __future__ import annotations

import enum
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

LANGS = ("en", "zh-TW")
# what `okr rules`, `okr review` and the site call each severity (提示 as the rule docs do)
SEVERITY_NAMES: Mapping[str, Mapping[str, str]] = {
    "en": {"error": "error", "warning": "warning", "info": "info"},
    "zh-TW": {"error": "錯誤", "warning": "警告", "info": "提示"},
}


@dataclass(frozen=True, slots=True, order=True)
class Pos:
    """A 1-based line and column in a file (path as shown to the user)."""

    path: str
    line: int = 1
    col: int = 1

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.col}"


class Severity(enum.IntEnum):
    INFO = 1
    WARNING = 2
    ERROR = 3

    @property
    def label(self) -> str:
        return self.name.lower()

    @classmethod
    def parse(cls, text: str) -> Severity:
        return cls[text.upper()]

    def name_in(self, lang: str) -> str:
        return SEVERITY_NAMES[lang][self.label]


@dataclass(frozen=True, slots=True)
class Finding:
    """One problem at one position, with its message in every language."""

    pos: Pos
    code: str
    severity: Severity
    messages: Mapping[str, str] = field(compare=False)
    # the rule's placeholders, kept for json/sarif output and tests
    params: Mapping[str, Any] = field(default_factory=dict, compare=False)

    def message(self, lang: str = "en") -> str:
        return self.messages.get(lang) or self.messages["en"]

    def sort_key(self) -> tuple[str, int, int, str]:
        return (self.pos.path, self.pos.line, self.pos.col, self.code)


def root_relative(shown: str, root: Path) -> str:
    """A finding's path (as shown, relative to the cwd) relative to the repository root."""
    try:
        return Path(os.path.relpath(os.path.abspath(shown), root.resolve())).as_posix()
    except ValueError:  # pragma: no cover (another drive, Windows only)
        return Path(shown).as_posix()


def render(templates: Mapping[str, str], params: Mapping[str, Any]) -> dict[str, str]:
    """Format a message template in every language with the same placeholders."""
    return {lang: text.format(**params) for lang, text in templates.items()}


def unique_sorted(findings: list[Finding]) -> list[Finding]:
    """Sorted by position, each (position, code, message) once."""
    seen: dict[tuple[Pos, str, str], Finding] = {}
    for f in findings:
        seen.setdefault((f.pos, f.code, f.message()), f)
    return sorted(seen.values(), key=Finding.sort_key)
