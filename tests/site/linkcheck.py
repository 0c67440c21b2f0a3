"""A link checker over a built site: every relative `href` and `src` of every page must
name a file in the output, with the site served at the domain root and under a sub-path
(GitHub Pages serves a project site at /<repository>/); a `#fragment` on a link to
another page must name an id on that page.

It reads the HTML as a browser resolves it: against the page's own URL (`a/b/index.html`
is served as `a/b/`), so a link that climbs above the site root works at the root only by
luck and is reported under the sub-path. 404.html is left out: it is served at any URL.
"""

from __future__ import annotations

import html.parser
import posixpath
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

SUB_PATH = "/okrs/"
_ATTRS = {"href", "src"}
_SKIP_SCHEMES = ("http:", "https:", "mailto:", "data:", "javascript:", "tel:", "blob:")


@dataclass(frozen=True, slots=True)
class BrokenLink:
    page: str  # the page's path in the output
    url: str  # the attribute as written
    served_at: str  # "/" or the sub-path

    def __str__(self) -> str:
        return f"{self.page}: {self.url} (served at {self.served_at})"


class _Links(html.parser.HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.urls: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name in _ATTRS and value is not None:
                self.urls.append(value.strip())


def page_links(page: Path) -> list[str]:
    """Every href and src of one HTML page, as written."""
    parser = _Links()
    parser.feed(page.read_text(encoding="utf-8"))
    return parser.urls


def _page_url(rel: str, prefix: str) -> str:
    if rel == "index.html":
        return prefix
    if rel.endswith("/index.html"):
        return prefix + rel[: -len("index.html")]
    return prefix + rel


def _target(site_dir: Path, path: str) -> Path:
    target = site_dir / path
    if path == "" or path.endswith("/") or target.is_dir():
        target = target / "index.html"
    return target


_ID_RE = re.compile(r"""\bid=["']([^"']+)["']""")


def broken_links(site_dir: Path, *, prefixes: tuple[str, ...] = ("/", SUB_PATH)
                 ) -> list[BrokenLink]:
    """The relative links and sources of every page that name no file in `site_dir`."""
    broken: list[BrokenLink] = []
    ids: dict[Path, set[str]] = {}
    for page in sorted(site_dir.rglob("*.html")):
        rel = page.relative_to(site_dir).as_posix()
        if rel == "404.html":
            continue
        urls = [u for u in page_links(page)
                if u and not u.startswith("#") and not u.startswith("//")
                and not u.lower().startswith(_SKIP_SCHEMES)]
        for prefix in prefixes:
            base = "http://127.0.0.1" + _page_url(rel, prefix)
            for url in urls:
                parts = urlsplit(urljoin(base, url))
                path = unquote(parts.path)
                path = posixpath.normpath(path) + ("/" if path.endswith("/") else "")
                if not (path + "/").startswith(prefix) and path != prefix.rstrip("/"):
                    broken.append(BrokenLink(rel, url, prefix))  # above the site's root
                    continue
                target = _target(site_dir, path[len(prefix):].lstrip("/"))
                if not target.is_file():
                    broken.append(BrokenLink(rel, url, prefix))
                elif parts.fragment and target.suffix == ".html":
                    if target not in ids:
                        ids[target] = set(_ID_RE.findall(target.read_text(encoding="utf-8")))
                    if unquote(parts.fragment) not in ids[target]:
                        broken.append(BrokenLink(rel, url, prefix))
    return broken


def count_links(site_dir: Path) -> int:
    """How many relative hrefs and srcs the pages hold (the checker did look at some)."""
    return sum(1 for page in site_dir.rglob("*.html") if page.name != "404.html"
               for u in page_links(page)
               if u and not u.startswith(("#", "//")) and not u.lower().startswith(_SKIP_SCHEMES))
