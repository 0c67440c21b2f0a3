"""Text from users in the pull-request comment shows as typed (okrkit.gfm).

The comment is read back with markdown-it-py's GFM-like parser (tables, strikethrough,
autolinks): whatever a string holds, it must come out as one text, no link, image,
emphasis, code or HTML, and a table row must stay one row with its cells.
GitHub's own post-processing (mentions, references, emoji) is not in markdown-it:
the test checks that no `@`, `#` or `:` is directly followed by what it would link.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt
from markdown_it.token import Token

from golden import assert_golden
from okrkit.gfm import md_code, md_text

GOLDEN = Path(__file__).parent / "resources" / "review" / "escaped.md"


def _parser() -> MarkdownIt:
    md = MarkdownIt("gfm-like")
    # GitHub links `www.` and `https://` but not a bare `example.com`; e-mails it does
    md.linkify.set({"fuzzy_link": False})
    return md


MD = _parser()


def _inline_text(children: list[Token]) -> str:
    """The text a reader sees; anything but text and our `<br>` fails."""
    out = []
    for child in children:
        if child.type in ("text", "code_inline"):
            out.append(child.content)
        elif child.type == "html_inline" and child.content in ("<br>", "<code>", "</code>"):
            out.append("\n" if child.content == "<br>" else "")
        else:
            raise AssertionError(f"{child.type} {child.content!r} in the rendered text")
    return "".join(out)


def _shown(text: str) -> str:
    """How a string is meant to show: controls as U+FFFD, whitespace as a browser shows it."""
    text = re.sub("[\x00-\x08\x0e-\x1f\x7f-\x84\x86-\x9f]", "\ufffd", text)
    return " ".join(text.replace("\u200b", "").split())


def _check_linkless(rendered: str) -> None:
    # GitHub's filters after Markdown: @mention, #12 / GH-12, :emoji:
    assert not re.search(r"@[\w-]", rendered)
    assert not re.search(r"#\d", rendered)
    assert not re.search(r"(?i)\bgh-\d", rendered)
    assert not re.search(r":[\w+-]", rendered)


def _cell(text: str, escape: Callable[[str], str] = md_text) -> tuple[str, str]:
    source = f"| a | b |\n|---|---|\n| x | {escape(text)} |\n"
    tokens = MD.parse(source)
    rows = [t for t in tokens if t.type == "tr_open"]
    assert len(rows) == 2, source  # the head and exactly one body row
    cells = [tokens[i + 1] for i, t in enumerate(tokens) if t.type == "td_open"]
    assert len(cells) == 2, source
    assert cells[1].type == "inline"
    return _inline_text(cells[1].children or []), source


def _paragraph(line: str) -> str:
    tokens = MD.parse(line)
    assert [t.type for t in tokens] == ["paragraph_open", "inline", "paragraph_close"], line
    return _inline_text(tokens[1].children or [])


@settings(max_examples=150, deadline=None)
@given(st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=40)
       | st.text(alphabet="@#:!*_`~$|<>&[]()\\/.wgh- \n\t12a", max_size=30))
def test_any_string_shows_literally(text: str) -> None:
    shown, source = _cell(text)
    assert _shown(shown) == _shown(text), source
    _check_linkless(shown)
    for prefix in ("Owner: ", "### 2026-Q1 · ", "- ➕ ", "> ⚠️ "):
        line = prefix + md_text(text)
        tokens = MD.parse(line)
        inline = next(t for t in tokens if t.type == "inline")
        got = _inline_text(inline.children or [])
        assert _shown(got) == _shown(prefix.lstrip("#>- ") + text), line
    assert _shown(_paragraph("x " + md_code(text))) == _shown("x " + text)
    shown, source = _cell(text, md_code)
    assert _shown(shown) == _shown(text), source


@pytest.mark.parametrize(("text", "escaped"), [
    ("@octocat", "@&#8203;octocat"),
    ("![x](https://example.com/p.png)", "\\!\\[x\\](https:&#8203;//example.com/p.png)"),
    ("<img src=x onerror=alert(1)>", "&lt;img src=x onerror=alert(1)&gt;"),
    ("a | b", "a \\| b"),
    ("`code`", "\\`code\\`"),
    ("**bold** _it_ ~~s~~", "\\*\\*bold\\*\\* \\_it\\_ \\~\\~s\\~\\~"),
    ("fixes #12, GH-3", "fixes \\#&#8203;12, GH-&#8203;3"),
    ("line one\nline two", "line one<br>line two"),
    ("www.example.com :tada:", "www\\.example.com :&#8203;tada:"),
    ("達到「60,000」＊＊人＊＊｜100%", "達到「60,000」＊＊人＊＊｜100%"),
    ("$x$ &amp;", "\\$x\\$ &amp;amp;"),
])
def test_each_construct_is_neutralised(text: str, escaped: str) -> None:
    assert md_text(text) == escaped
    shown, source = _cell(text)
    assert _shown(shown) == _shown(text), source


def test_values_show_as_the_yaml_writes_them() -> None:
    assert md_text(None) == "null" and md_text(0.5) == "0.5" and md_text(["a", "b"]) == "\\[a, b\\]"


def test_golden_comment_lines() -> None:
    """One comment-shaped page with every hostile title, kept to be read by a person."""
    titles = ["@octocat ![x](https://example.com/p.png)", "<img src=x>", "a | b", "`rm -rf`",
              "**bold**", "提升「品牌」知名度：＊達到＊６０％｜ＯＫ", "#7 :tada: www.example.com",
              "two\nlines"]
    lines = ["| KR | Title |", "|---|---|"]
    lines += [f"| {md_code(f'kr-{n}')} | {md_text(title)} |" for n, title in enumerate(titles)]
    lines += ["", *(f"- {md_text(title)}" for title in titles)]
    text = "\n".join(lines) + "\n"
    assert_golden(GOLDEN, text)
    for n, title in enumerate(titles):
        shown, _ = _cell(title)
        assert _shown(shown) == _shown(title), n
