"""The language of a user's text, so a screen reader pronounces it right (WCAG 3.1.2).

Titles, team and person names come from YAML in any language: an English key result on
a zh-TW page, a Chinese title on an English one. Telling the two apart needs no
dictionary: Han characters mean zh-TW, a Latin word without them means English.
"""

from __future__ import annotations

import re

# CJK ideographs (and their extensions and compatibility forms), CJK punctuation, full-width forms
_HAN_RE = re.compile(r"[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef]")
_LATIN_WORD_RE = re.compile(r"[A-Za-z]{2,}")  # "Q1" or "x" alone say nothing


def text_lang(value: str, page_lang: str) -> str | None:
    """`value`'s language when it is not the page's (`lang` attribute), else None."""
    if _HAN_RE.search(value):
        found = "zh-TW"
    elif _LATIN_WORD_RE.search(value):
        found = "en"
    else:
        return None
    return None if found == page_lang else found
