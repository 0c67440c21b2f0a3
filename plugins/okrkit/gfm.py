"""Anyone's text inside GitHub-flavoured Markdown (the `okr review` comment), shown as typed.

What the site does for HTML (every YAML string escaped), this does for the comment a
bot posts on a pull request: a title `@octocat ![x](https://example.com/p.png)` must
not mention a user nor show a remote image. One helper, `md_text`, for every string
that comes from a YAML file, a commit message or the file system:

- ASCII punctuation that starts inline Markdown (emphasis, strikethrough, links,
  images, code spans, tables, math, emoji shortcodes, a heading's closing `#`) gets a
  backslash, which CommonMark defines as "this character, literally";
- `<`, `>` and `&` become entities (no HTML, no entity written by the user is decoded);
- what GitHub adds after Markdown, from the text itself (`@user` mentions, `#12` and
  `GH-12` references, `:emoji:` shortcodes), and the `https:` autolinks, are broken by
  a zero-width space after the `@`, `#`, `GH-` or `:` (as Renovate does); the dot of a
  `www.` autolink gets a backslash. (A commit id in a title may still link to that
  commit: harmless, and breaking every hex run would make ids unreadable.)
- line breaks become `<br>` (one row of a table stays one row), other control
  characters U+FFFD as in the terminal (`i18n.one_line`).

Full-width CJK punctuation (`＊`, `｜`, `「」`) means nothing to Markdown and stays as is:
a backslash before a non-ASCII character would show.
The result is inline text: it goes after something on its line (a table cell, a list
marker, a label), never at the start of a line.
"""

from __future__ import annotations

import re
from typing import Any

from okrkit.pairing import show

ZWSP = "&#8203;"  # an entity, so the comment's source shows where it is
_BACKSLASHED = frozenset("\\`*_[]|~$#!")
_ENTITIES = {"&": "&amp;", "<": "&lt;", ">": "&gt;"}
_BREAK_RE = re.compile("\r\n|[\r\n\u2028\u2029\x0b\x0c\x85]")
_CONTROL_RE = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x84\x86-\x9f]")
_WWW_RE = re.compile(r"(?i)(?<![\w.])(www)\.")
_GH_RE = re.compile(r"(?i)\b(gh-)(?=\d)")
_SHORTCODE_RE = re.compile(r"[\w+/-]")


def md_text(value: Any) -> str:
    """`value` (text, or a YAML value shown as written) as literal inline GFM."""
    text = value if isinstance(value, str) else show(value)
    text = _CONTROL_RE.sub("\ufffd", text)
    out: list[str] = []
    for i, char in enumerate(text):
        if char in _ENTITIES:
            out.append(_ENTITIES[char])
        elif char in _BACKSLASHED:
            out.append("\\" + char)
            if char == "#" and text[i + 1:i + 2].isdigit():
                out.append(ZWSP)
        elif char == "@" or (char == ":" and _SHORTCODE_RE.match(text, i + 1)):
            out.append(char + ZWSP)
        else:
            out.append(char)
    escaped = _GH_RE.sub(r"\1" + ZWSP, _WWW_RE.sub(r"\1\\.", "".join(out)))
    return _BREAK_RE.sub("<br>", escaped)


def md_code(value: Any) -> str:
    """`value` in code style, literal: a code span when nothing in it can end the span or
    a table cell (GitHub links nothing inside code); else `<code>` around `md_text`."""
    text = value if isinstance(value, str) else show(value)
    if text.strip() == text and text and not _NOT_IN_SPAN_RE.search(text):
        return f"`{text}`"
    return f"<code>{md_text(text)}</code>"


_NOT_IN_SPAN_RE = re.compile("[`|\r\n\u2028\u2029\x0b\x0c\x85\x00-\x08\x0e-\x1f\x7f-\x9f]")
