"""Pure page generation: model + history → the site's pages and nav (DESIGN "The site").

Knows nothing about MkDocs: the plugin and `okr site --out` both call
`build_site`.
"""

from __future__ import annotations

from okrkit.site.pages import CSS_PATH, NavEntry, Page, Site, build_pages, build_site

__all__ = ["CSS_PATH", "NavEntry", "Page", "Site", "build_pages", "build_site"]
