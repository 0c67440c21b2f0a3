"""Escaping for HTML, Markdown and Jinja at once, and links that cannot run code."""

from __future__ import annotations

import html

import markdown
import pytest

from okrkit.site.markup import safe_url, text

PAYLOADS = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "{{ 7*7 }}",
    "{% raw %}x{% endraw %}",
    "*emphasis* _under_ `code` [link](http://x) ![img](x.png)",
    "# not a heading",
    "a & b \"quoted\" 'single'",
    "line one\nline two",
    "|table| ~~del~~ ==mark== ^^ins^^ :smile: $x$",
]


@pytest.mark.parametrize("payload", PAYLOADS)
def test_text_survives_markdown_as_typed(payload: str) -> None:
    out = markdown.markdown(f"## {text(payload)} {{#x}}\n\n<p>{text(payload)}</p>",
                            extensions=["attr_list", "toc", "tables"])
    # no markup was made from the payload: the only tags are ours
    assert "<script" not in out and "<img" not in out and "<em>" not in out
    assert "<a " not in out and "<code>" not in out and "{{" not in out and "{%" not in out
    # and a browser shows exactly what was typed (newlines as spaces in a heading)
    heading = out.split("</h2>")[0].split(">", 1)[1]
    assert html.unescape(heading) == payload.replace("\n", "\n")


@pytest.mark.parametrize("url", [
    "https://example.com/a?b=c#d", "http://example.com", "mailto:mei@example.com",
    "docs/plan.md", "../plan/", "#anchor",
])
def test_safe_urls_are_kept(url: str) -> None:
    assert safe_url(url) == url


@pytest.mark.parametrize("url", [
    "javascript:alert(1)", "JavaScript:alert(1)", " javascript:alert(1)",
    "java\tscript:alert(1)", "java\nscript:alert(1)", "data:text/html,<script>alert(1)</script>",
    "vbscript:msgbox(1)", "", None, 42,
])
def test_unsafe_urls_are_refused(url: object) -> None:
    assert safe_url(url) is None
