"""Positions, severities and findings: what every checker yields."""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

LANGS = ("en", "zh-TW")


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


def render(templates: Mapping[str, str], params: Mapping[str, Any]) -> dict[str, str]:
    """Format a message template in every language with the same placeholders."""
    return {lang: text.format(**params) for lang, text in templates.items()}


def unique_sorted(findings: list[Finding]) -> list[Finding]:
    """Sorted by position, each (position, code, message) once."""
    seen: dict[tuple[Pos, str, str], Finding] = {}
    for f in findings:
        seen.setdefault((f.pos, f.code, f.message()), f)
    return sorted(seen.values(), key=Finding.sort_key)
