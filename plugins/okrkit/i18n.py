"""Choosing the language of messages: --lang, then config, then the locale."""

from __future__ import annotations

import os
import re
import unicodedata

from okrkit.findings import LANGS


def normalize(lang: str | None) -> str | None:
    """'zh_TW.UTF-8', 'zh-Hant', 'zh-tw' → 'zh-TW'; 'en_US' → 'en'; else None."""
    if not lang:
        return None
    tag = lang.split(".")[0].replace("_", "-").lower()
    if tag in ("zh-tw", "zh-hant", "zh-hant-tw", "zh-hk", "zh-mo") or tag.startswith("zh-hant"):
        return "zh-TW"
    if tag == "en" or tag.startswith("en-") or tag in ("c", "posix"):
        return "en"
    return None


def choose(explicit: str | None, configured: str | None) -> str:
    for candidate in (explicit, configured):
        if candidate in LANGS:
            return candidate
    for var in ("LC_ALL", "LC_MESSAGES", "LANG"):
        found = normalize(os.environ.get(var))
        if found is not None:
            return found
    return "en"


def display_width(text: str) -> int:
    """Terminal columns: East Asian wide and full-width characters take two; combining
    marks and format characters (zero-width joiner and space, bidi controls) none."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else
               0 if unicodedata.combining(ch) or unicodedata.category(ch) == "Cf" else 1
               for ch in text)


def one_line(text: str) -> str:
    """User text as one line for a terminal: whitespace runs become one space, and control
    characters (an escape sequence could recolour or clear the terminal) and bidi
    overrides (they would reverse the columns after them) show as U+FFFD."""
    return _UNSAFE_RE.sub("\ufffd", " ".join(text.split()))


_UNSAFE_RE = re.compile("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def truncate(text: str, width: int) -> str:
    """`text` cut to at most `width` terminal columns, ending in '…' when cut."""
    if display_width(text) <= width:
        return text
    kept, used = [], 0
    for char in text:
        size = display_width(char)
        if used + size > width - 1:
            break
        kept.append(char)
        used += size
    return "".join(kept).rstrip() + "…"


def pad(text: str, width: int) -> str:
    """`text` followed by spaces up to `width` terminal columns."""
    return text + " " * max(0, width - display_width(text))
