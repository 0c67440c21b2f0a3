"""The text of a CSV file as spreadsheets save it, shared by `okr import` and
`okr checkin --batch` (the same people, the same Excel).

Excel's "CSV UTF-8" starts with a byte-order mark; plain "CSV" from Excel in
Taiwan is Big5 (Microsoft's cp950). UTF-8 is tried first: Big5 bytes are
almost never valid UTF-8, while UTF-8 text often decodes as cp950 to nonsense.
"""

from __future__ import annotations

ENCODINGS = ("utf-8-sig", "cp950")


def decode(raw: bytes) -> str | None:
    """`raw` as text in the first encoding that reads it; None when none does."""
    for encoding in ENCODINGS:
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    return None
