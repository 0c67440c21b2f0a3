"""Terminal text: columns, one-line user text, cutting to a width."""

from __future__ import annotations

import pytest

from okrkit.i18n import choose, display_width, one_line, pad, truncate


@pytest.mark.parametrize(("text", "columns"), [
    ("abc", 3), ("提升品牌", 8), ("ＡＢ", 4), ("e\u0301", 1),
    ("a\u200bb", 2),  # zero-width space
    ("👩\u200d💻", 4),  # the joiner takes none (terminals differ on the pair itself)
    ("\u202eabc", 3), ("\ufeffx", 1),
])
def test_display_width(text: str, columns: int) -> None:
    assert display_width(text) == columns


def test_pad_to_columns() -> None:
    assert pad("中文", 6) == "中文  " and pad("toolong", 3) == "toolong"


@pytest.mark.parametrize(("text", "shown"), [
    ("  two\n lines\t", "two lines"),
    ("red \x1b[31m", "red \ufffd[31m"),
    ("a\u202eb\u2066c", "a\ufffdb\ufffdc"),
    ("a\x85b\x9bc", "a b\ufffdc"),  # NEL is a line break; CSI a control
])
def test_one_line(text: str, shown: str) -> None:
    assert one_line(text) == shown


def test_truncate_by_columns() -> None:
    assert truncate("提升品牌知名度", 7) == "提升品…" and truncate("short", 10) == "short"


@pytest.mark.parametrize(("explicit", "configured", "locale", "chosen"), [
    ("zh-TW", "en", "en_US.UTF-8", "zh-TW"), (None, "zh-TW", "C", "zh-TW"),
    (None, None, "zh_TW.UTF-8", "zh-TW"), (None, None, "fr_FR.UTF-8", "en"),
])
def test_choose(monkeypatch: pytest.MonkeyPatch, explicit: str | None, configured: str | None,
                locale: str, chosen: str) -> None:
    monkeypatch.setenv("LANG", locale)
    assert choose(explicit, configured) == chosen
