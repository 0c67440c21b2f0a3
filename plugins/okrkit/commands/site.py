"""`okr site --out DIR`: the site's pages as Markdown files (plus the CSS and the nav).

The same pages the MkDocs plugin generates, so another generator (or a plain
MkDocs build, see bench/bench_site.py) can render them (DESIGN: Material's end
of life is announced).
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

import yaml

from okrkit import resources
from okrkit.commands.lint import today_from_env
from okrkit.config import find_root, load_config
from okrkit.errors import FatalError
from okrkit.findings import Severity
from okrkit.history import read_history
from okrkit.rules.runner import lint
from okrkit.site import CSS_PATH, build_site, strings


def site(out: str, *, lang: str | None, repo_url: str | None, edit_uri: str | None,
         nav_file: str | None, directory_urls: bool = True) -> int:
    root = find_root(Path.cwd())
    config, findings = load_config(root)
    if any(f.severity >= Severity.ERROR for f in findings):
        for f in findings:
            print(f"{f.pos}: {f.code} {f.message()}", file=sys.stderr)
        return 1
    today = today_from_env()
    history = read_history(config)
    result = lint(config, today=today, history=history if history.available else None)
    chosen = strings.choose(lang, config.language)
    if repo_url and edit_uri is None:
        edit_uri = f"edit/{config.main_branch}/"
    built = build_site(result.tree, history, today=today, lang=chosen,
                       findings=result.findings, repo_url=repo_url, edit_uri=edit_uri,
                       directory_urls=directory_urls)
    target = Path(out)
    for page in built.pages:
        _write(target / page.src, page.content.encode("utf-8"))
    css = resources.templates_dir() / CSS_PATH
    _write(target / CSS_PATH, css.read_bytes())
    if nav_file:
        not_in_nav = "\n".join("/" + p.src for p in built.pages if not p.in_nav)
        # INHERIT this from a mkdocs.yml whose docs_dir is DIR: the plugin's nav and CSS
        data = {"nav": built.mkdocs_nav(), "not_in_nav": not_in_nav, "extra_css": [CSS_PATH],
                "markdown_extensions": ["attr_list", "toc", "tables", "fenced_code"]}
        _write(Path(nav_file), yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
               .encode("utf-8"))
    for warning in history.warnings:
        print(f"okr site: {warning.get(chosen) or warning.get('en', '')}", file=sys.stderr)
    print(f"okr site: {len(built.pages)} pages written to {target}", file=sys.stderr)
    return 0


_UMASK = os.umask(0)
os.umask(_UMASK)


def _write(path: Path, data: bytes) -> None:
    """Temp file + rename: never a half-written page."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".okr-", suffix=".tmp")
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.chmod(tmp, 0o666 & ~_UMASK)  # mkstemp makes 0600; pages are ordinary files
        os.replace(tmp, path)
    except OSError as err:
        raise FatalError(f"cannot write {path}: {err.strerror or err}") from err

