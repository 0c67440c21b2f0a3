"""Escaping every YAML string for the three languages a generated page passes through.

A page is Markdown with raw HTML blocks, rendered by Python-Markdown and, on
some sites, by Jinja too (mkdocs-macros). So a title must come out as typed
text in all three: HTML (`<script>`), Markdown (`*x*`, `[a](b)`, `# `) and
Jinja (`{{ 7*7 }}`, `{% raw %}`). Escaping the HTML specials and every ASCII
punctuation mark Markdown or Jinja could read as numeric character references
does it in one step: Markdown and Jinja never see the marks, the browser shows
them, and the references are valid in text and in quoted attribute values.
"""

from __future__ import annotations

import re
from functools import lru_cache
from urllib.parse import urlsplit

from markupsafe import Markup

# HTML specials, Markdown (emphasis, code, links, headings, tables, attr_list,
# pymdownx's ~ ^ = : $) and Jinja's { }: all as &#NN;
_SPECIAL = "&<>\"'`*_{}[]()#+!|~^=:$\\@"
_TABLE = {ord(c): f"&#{ord(c)};" for c in _SPECIAL}
# newlines too: a raw newline could end a Markdown heading or a raw HTML block
_TABLE.update({ord("\n"): "&#10;", ord("\r"): "", ord("\t"): " "})

_SAFE_SCHEMES = ("http", "https", "mailto")
_CONTROL_RE = re.compile(r"[\x00-\x20\x7f-\x9f]")


def text(value: object) -> Markup:
    """Any value as text that HTML, Markdown and Jinja all leave alone."""
    # the template engine's finalize calls this for every `{{ }}` (a million times on a
    # large site): the common types first, by exact type
    if type(value) is str:
        return _escaped(value)
    if type(value) is Markup:
        return value
    if value is None:
        return _EMPTY
    if isinstance(value, Markup):
        return value
    return _escaped(str(value))


_EMPTY = Markup("")


@lru_cache(maxsize=1 << 16)
def _escaped(value: str) -> Markup:
    # pages repeat the same labels, names and units thousands of times; most values have
    # no mark to escape, or a few: a scan and a replacement per mark is twice as fast as
    # `translate` (which copies every character), the same text
    if _MARK_RE.search(value) is None:
        return Markup(value)
    return Markup(_MARK_RE.sub(_reference, value))


_MARK_RE = re.compile("[" + re.escape("".join(chr(c) for c in _TABLE)) + "]")


def _reference(match: re.Match[str]) -> str:
    return _TABLE[ord(match.group())]


_DATE_RE = re.compile(r"\d{4}-\d{2}-\d{2}")


def text_keeping_dates(value: object) -> Markup:
    """`text`, each YYYY-MM-DD in a span that does not wrap: a browser breaks a line
    after a hyphen, and "2026-11-" / "28" reads as two dates (issue 14)."""
    return Markup(_DATE_RE.sub(lambda m: f'<span class="okr-nowrap">{m.group(0)}</span>',
                               str(text(value))))


def safe_url(url: object) -> str | None:
    """The URL when following it cannot run code: http(s), mailto or relative; else None.

    `javascript:`, `data:`, `vbscript:` and anything a browser might read as a
    scheme once it drops control characters and spaces are refused.
    """
    if not isinstance(url, str):
        return None
    candidate = url.strip()
    if not candidate or _CONTROL_RE.search(candidate):
        return None
    try:
        scheme = urlsplit(candidate).scheme
    except ValueError:
        return None
    if scheme:
        return candidate if scheme.lower() in _SAFE_SCHEMES else None
    # no scheme: a colon before any / ? # would still read as one in some browsers
    head = re.split(r"[/?#]", candidate, maxsplit=1)[0]
    return None if ":" in head else candidate


_CSS_PLAIN = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 -.,/")


def css_string(value: object) -> str:
    """Any text as a double-quoted CSS string (for `content:` in a `<style>` element): every
    character but ASCII letters, digits, space and `-.,/` as a CSS escape, so nothing in it
    can end the string, the rule or the element, and Markdown and Jinja see no marks."""
    out = [ch if ch in _CSS_PLAIN else f"\\{ord(ch):x} " for ch in str(value)
           if ch not in "\r\n"]
    return '"' + "".join(out) + '"'
