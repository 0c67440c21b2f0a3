"""okrkit.csvtext: the CSV encodings `okr import` and `okr checkin --batch` share."""

from __future__ import annotations

import pytest

from okrkit import csvtext


@pytest.mark.parametrize(("raw", "expected"), [
    ("關鍵結果,數值\n".encode(), "關鍵結果,數值\n"),
    (b"\xef\xbb\xbf" + "kr,數值\n".encode(), "kr,數值\n"),  # Excel's CSV UTF-8: the mark goes
    ("關鍵結果,數值\n".encode("cp950"), "關鍵結果,數值\n"),  # Excel's CSV in Taiwan
    (b"\xff\xfe\x00\xd8bad", None),
])
def test_decode(raw: bytes, expected: str | None) -> None:
    assert csvtext.decode(raw) == expected
