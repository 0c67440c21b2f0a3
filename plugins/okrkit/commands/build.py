"""`okr build [--engine mkdocs|zensical] [-d SITE_DIR] [--strict]` and
`okr serve [--engine ...]`: the OKR site with either engine (`okrkit.engines`)."""

from __future__ import annotations

from pathlib import Path

from okrkit import i18n
from okrkit.config import find_root, load_config
from okrkit.engines import Project, get


def _project(lang: str | None) -> Project:
    root = find_root(Path.cwd())
    return Project(root, i18n.choose(lang, load_config(root)[0].language))


def build(*, engine: str, site_dir: str | None, strict: bool, lang: str | None) -> int:
    return get(engine).build(_project(lang), site_dir=Path(site_dir) if site_dir else None,
                             strict=strict)


def serve(*, engine: str, dev_addr: str | None, lang: str | None) -> int:
    return get(engine).serve(_project(lang), dev_addr=dev_addr)
