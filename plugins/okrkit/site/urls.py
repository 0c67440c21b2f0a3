"""Where each generated page lives, and relative links between them.

Links inside raw HTML blocks are not rewritten by MkDocs, so the site writes
them as the final relative URLs, following `use_directory_urls` as MkDocs does.
Zensical does rewrite them, as paths relative to the source `.md` file: for it
the site writes source-relative `.md` links (`md_links`), which it turns into
the right URL for either setting of `use_directory_urls`.
"""

from __future__ import annotations

import functools
import posixpath


def index_src() -> str:
    return "index.md"


def cycle_src(cycle_id: str) -> str:
    return f"cycles/{cycle_id}/index.md"


def alignment_src(cycle_id: str) -> str:
    return f"cycles/{cycle_id}/alignment.md"


def changes_src(cycle_id: str) -> str:
    return f"cycles/{cycle_id}/changes.md"


def team_src(cycle_id: str, team: str) -> str:
    # mirrors the sheet's path okrs/<cycle>/<team>.yaml
    return f"okrs/{cycle_id}/{team}.md"


def lint_src() -> str:
    return "lint.md"


def rules_src() -> str:
    return "rules/index.md"


def rule_src(code: str) -> str:
    return f"rules/{code.lower()}.md"


def kr_anchor(objective_id: str, kr_id: str) -> str:
    # slugs never contain "--", so objective--kr cannot collide
    return f"{objective_id}--{kr_id}"


def objective_anchor(objective_id: str) -> str:
    return objective_id


class Urls:
    """Page URLs as MkDocs makes them: `a/b.md` → `a/b/` (directory URLs) or `a/b.html`."""

    def __init__(self, *, directory_urls: bool = True, md_links: bool = False) -> None:
        self.directory_urls = directory_urls
        self.md_links = md_links

    def url(self, src: str) -> str:
        stem = src[:-3] if src.endswith(".md") else src
        if stem == "index" or stem.endswith("/index"):
            base = stem[: -len("index")]
            return base if self.directory_urls else base + "index.html"
        return stem + "/" if self.directory_urls else stem + ".html"

    def href(self, from_src: str, to_src: str, anchor: str | None = None) -> str:
        """A link from one page to another (or to an anchor on the same page)."""
        if self.md_links:
            return _md_href(from_src, to_src, anchor)
        here, there = self.url(from_src), self.url(to_src)
        if here == there:
            return f"#{anchor}" if anchor else "./"
        folder = here.rsplit("/", 1)[0] if "/" in here else ""
        target = there.rstrip("/")
        rel = _relpath(target or ".", folder or ".")
        if there.endswith("/") or not there:
            rel = rel + "/" if rel != "." else "./"
        return rel + (f"#{anchor}" if anchor else "")


@functools.lru_cache(maxsize=1 << 15)
def _relpath(path: str, start: str) -> str:
    # the same few thousand pairs on every build (and every rebuild under serve)
    return posixpath.relpath(path, start)


def _md_href(from_src: str, to_src: str, anchor: str | None) -> str:
    """The link as a source-relative path to the `.md` file (Zensical resolves those)."""
    if from_src == to_src:
        return f"#{anchor}" if anchor else posixpath.basename(to_src)
    rel = posixpath.relpath(to_src, posixpath.dirname(from_src) or ".")
    return rel + (f"#{anchor}" if anchor else "")
def included_src(name: str) -> str:
    """Another repository's OKRs (plugin option `include:`), read-only."""
    return f"included/{name}/index.md"


def included_anchor(cycle_id: str, team: str, objective_id: str) -> str:
    return f"{cycle_id}-{team}-{objective_id}".lower().replace(".", "-")
