"""UI strings: English and Traditional Chinese for every key, with the same placeholders."""

from __future__ import annotations

import string

import pytest

from okrkit.site.strings import STRINGS, Strings, choose


def _names(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


@pytest.mark.parametrize("key", sorted(STRINGS))
def test_both_languages_with_the_same_placeholders(key: str) -> None:
    texts = STRINGS[key]
    assert set(texts) == {"en", "zh-TW"}
    assert _names(texts["en"]) == _names(texts["zh-TW"])


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
