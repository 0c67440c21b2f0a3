"""Pure page generation: model + history → the site's pages and nav (DESIGN "The site").

Knows nothing about MkDocs: the plugin and `okr site --out` both call
`build_site`.
"""

from __future__ import annotations

from okrkit.site.data import SiteFile
from okrkit.site.pages import CSS_PATH, MARKDOWN_EXTENSIONS, NavEntry, Page, Site, build_site

__all__ = ["CSS_PATH", "MARKDOWN_EXTENSIONS", "NavEntry", "Page", "Site", "SiteFile",
           "build_site"]
