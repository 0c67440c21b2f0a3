"""UI strings: the language chosen, and the strings looked up (both languages with the same
placeholders: tests/test_messages.py)."""

from __future__ import annotations

import pytest

from okrkit.site.strings import Strings, choose


@pytest.mark.parametrize(("option", "theme", "expected"), [
    (None, "zh-TW", "zh-TW"), ("en", "zh-TW", "en"), (None, None, "en"), (None, "de", "en"),
    ("zh-TW", "en", "zh-TW"), (None, "zh-Hant", "zh-TW"),
])
def test_language_from_option_then_theme_then_english(option: str | None, theme: str | None,
                                                      expected: str) -> None:
    assert choose(option, theme) == expected


def test_strings_format_their_placeholders() -> None:
    assert Strings("zh-TW")("cycle-title", cycle="2026-Q1") == "2026-Q1 週期"
    assert Strings("fr")("overview") == "Overview"
