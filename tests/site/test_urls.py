"""Relative links between generated pages, as MkDocs lays the pages out."""

from __future__ import annotations

import pytest

from okrkit.site.urls import Urls


@pytest.mark.parametrize(("directory_urls", "here", "there", "expected"), [
    (True, "index.md", "okrs/2026-Q1/marketing.md", "okrs/2026-Q1/marketing/"),
    (True, "okrs/2026-Q1/marketing.md", "index.md", "../../../"),
    (True, "okrs/2026-Q1/marketing.md", "okrs/2026-Q1/sales.md", "../sales/"),
    (True, "okrs/2026-Q1/marketing.md", "cycles/2026-Q1/index.md", "../../../cycles/2026-Q1/"),
    (True, "rules/okr301.md", "rules/index.md", "../"),
    (False, "index.md", "okrs/2026-Q1/marketing.md", "okrs/2026-Q1/marketing.html"),
    (False, "okrs/2026-Q1/marketing.md", "index.md", "../../index.html"),
    (False, "okrs/2026-Q1/marketing.md", "okrs/2026-Q1/sales.md", "sales.html"),
])
def test_href(directory_urls: bool, here: str, there: str, expected: str) -> None:
    assert Urls(directory_urls=directory_urls).href(here, there) == expected


def test_same_page_anchor() -> None:
    assert Urls().href("lint.md", "lint.md", "x") == "#x"


@pytest.mark.parametrize(("here", "there", "anchor", "expected"), [
    ("index.md", "okrs/2026-Q1/marketing.md", None, "okrs/2026-Q1/marketing.md"),
    ("okrs/2026-Q1/marketing.md", "index.md", None, "../../index.md"),
    ("okrs/2026-Q1/marketing.md", "okrs/2026-Q1/sales.md", "o--k", "sales.md#o--k"),
    ("cycles/2026-Q1/index.md", "okrs/2026-Q1/sales.md", None, "../../okrs/2026-Q1/sales.md"),
    ("rules/okr301.md", "rules/index.md", None, "index.md"),
    ("lint.md", "lint.md", "x", "#x"),
    ("lint.md", "lint.md", None, "lint.md"),
])
def test_md_links_are_source_relative(here: str, there: str, anchor: str | None,
                                       expected: str) -> None:
    """For Zensical, which resolves `.md` links against the source file, whichever
    `use_directory_urls` says."""
    for directory_urls in (True, False):
        urls = Urls(directory_urls=directory_urls, md_links=True)
        assert urls.href(here, there, anchor) == expected
