"""`okr site --out DIR`: the site's pages as Markdown files (plus the CSS and the nav).

The same pages the MkDocs plugin generates, so another generator (or a plain
MkDocs build, see bench/bench_site.py) can render them (DESIGN: Material's end
of life is announced). The writing is `okrkit.engines.files.generate`, which the
Zensical engine shares; here: the nav file and what is said.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path

import yaml

from okrkit.engines.files import MESSAGES, generate, write_file
from okrkit.site import CSS_PATH, MARKDOWN_EXTENSIONS


def site(out: str, *, lang: str | None, repo_url: str | None, edit_uri: str | None,
         nav_file: str | None, directory_urls: bool = True,
         includes: Sequence[str] = (), site_url: str | None = None) -> int:
    target = Path(out)
    generated = generate(target, lang=lang, repo_url=repo_url, edit_uri=edit_uri,
                         directory_urls=directory_urls, includes=includes, site_url=site_url)
    if generated is None:
        return 1
    built, text = generated.site, MESSAGES[generated.lang]
    if nav_file:
        not_in_nav = "\n".join("/" + p.src for p in built.pages if not p.in_nav)
        # INHERIT this from a mkdocs.yml whose docs_dir is DIR: the plugin's nav and CSS
        data = {"nav": built.mkdocs_nav(), "not_in_nav": not_in_nav, "extra_css": [CSS_PATH],
                "markdown_extensions": list(MARKDOWN_EXTENSIONS)}
        write_file(Path(nav_file), yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
               .encode("utf-8"), text)
    if generated.removed:
        print(text["removed"].format(count=generated.removed, path=target), file=sys.stderr)
    print(text["written"].format(count=len(built.pages), path=target), file=sys.stderr)
    return 0
