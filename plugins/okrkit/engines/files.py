"""The OKR pages written as files: the one code path of `okr site --out` and of the
engines that render the pages themselves (`okrkit.engines.zensical`).

The same pages the MkDocs plugin generates (`okrkit.site`), plus the CSS and the site's
data files (api/v1 JSON, feeds, badges). A manifest in the folder lists what the last
run wrote, so a page that is no longer generated (a sheet renamed, a cycle removed) is
deleted on the next run; files okrkit did not write are never touched.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from okrkit import resources
from okrkit.config import find_root, history_config, load_config, today_from_env
from okrkit.errors import FatalError
from okrkit.findings import Finding, Severity
from okrkit.history import read_history
from okrkit.rules.runner import lint
from okrkit.site import CSS_PATH, Site, build_site, strings
from okrkit.site.pages import DEFAULT_NAV_TEAM_LIMIT
from okrkit.site.render import front_matter_add
from okrkit.tree import load_tree
from okrkit.yamledit import write_atomic

MANIFEST = ".okrkit-site.json"
MESSAGES: dict[str, dict[str, str]] = {
    "en": {
        "written": "okr site: {count} pages written to {path}",
        "removed": "okr site: {count} page(s) no longer generated removed from {path}",
        "cannot-write": "cannot write {path}: {error}",
        "bad-include": "--include '{spec}': expected NAME=URL or NAME=PATH",
    },
    "zh-TW": {
        "written": "okr site:已將 {count} 個頁面寫入 {path}",
        "removed": "okr site:已從 {path} 刪除 {count} 個不再產生的頁面",
        "cannot-write": "無法寫入 {path}:{error}",
        "bad-include": "--include '{spec}':格式應為 NAME=URL 或 NAME=PATH",
    },
}


@dataclass(frozen=True, slots=True)
class Generated:
    """What `generate` wrote: the site (pages and nav), the language, the count of
    stale pages removed, and the sheets that did not load (missing from the site)."""

    site: Site
    lang: str
    removed: int
    unloaded: tuple[Finding, ...] = ()
    include_problems: int = 0  # includes that did not load, parents they lack (said on stderr)


def generate(out: Path, *, lang: str | None, repo_url: str | None, edit_uri: str | None,
             directory_urls: bool = True, md_links: bool = False,
             edit_url_meta: bool = False, template_dirs: Sequence[str | Path] = (),
             today: dt.date | None = None, root: Path | None = None,
             nav_team_limit: int = DEFAULT_NAV_TEAM_LIMIT, changes_limit: int = 400,
             includes: Sequence[str] = (), site_url: str | None = None,
             history_repo: Path | None = None, include_timeout: float | None = None,
             okrs_dir: Path | None = None, run_lint: bool = True) -> Generated | None:
    """Write the pages and the CSS into `out`, removing what the last run wrote and this
    one did not; None (the findings printed) when .okrkit.yaml has errors.

    The one code path of `okr site --out` and of the engines that render the pages
    themselves (`okrkit.engines`): `md_links` writes source-relative `.md` links,
    `edit_url_meta` each page's edit URL in its front matter (`okrkit_edit_url`,
    empty for a page without a sheet). A page whose bytes did not change is not
    rewritten, so a watching server rebuilds only what changed. `history_repo`: read the
    history of the same OKR folder there; `okrs_dir`: the sheets' folder instead of
    .okrkit.yaml's; `run_lint` false: the sheets loaded, no rules run (the lint page shows
    only what did not load): the MkDocs plugin's options `history_repo`, `okrs_dir`, `lint`.
    """
    config, findings = load_config(root or find_root(Path.cwd()))
    chosen = strings.choose(lang, config.language)
    if any(f.severity >= Severity.ERROR for f in findings):
        for f in findings:
            print(f"{f.pos}: {f.code} {f.message(chosen)}", file=sys.stderr)
        return None
    if okrs_dir is not None:
        config = replace(config, okrs_dir=okrs_dir)
    today = today or today_from_env()
    history = read_history(config if history_repo is None
                           else history_config(config, history_repo))
    if run_lint:
        result = lint(config, today=today, history=history)
        tree, found, suppressed = result.tree, list(result.findings), result.suppressed
    else:
        (tree, found), suppressed = load_tree(config), ()
    if repo_url and edit_uri is None:
        edit_uri = f"edit/{config.main_branch}/"
    included, include_problems = _includes(includes, config.root, tree, chosen,
                                           timeout=include_timeout)
    built = build_site(tree, history, today=today, lang=chosen, findings=found,
                       suppressed=suppressed,
                       repo_url=repo_url, edit_uri=edit_uri,
                       directory_urls=directory_urls, md_links=md_links,
                       template_dirs=template_dirs, site_url=site_url, includes=included,
                       nav_team_limit=nav_team_limit, changes_limit=changes_limit,
                       # a history read elsewhere: its commits are not at repo_url
                       commit_links=history_repo is None)
    text = MESSAGES[chosen]
    written = [page.src for page in built.pages] + [f.src for f in built.files] + [CSS_PATH]
    for page in built.pages:
        content = page.content
        if edit_url_meta:  # empty: a page with nothing to edit (no sheet behind it)
            content = front_matter_add(content, "okrkit_edit_url", page.edit_url or "")
        write_file(out / page.src, content.encode("utf-8"), text)
    for extra in built.files:  # api/v1 JSON, feeds, badges
        write_file(out / extra.src, extra.content, text)
    css = resources.templates_dir() / CSS_PATH
    write_file(out / CSS_PATH, css.read_bytes(), text)
    removed = _remove_stale(out, set(written))
    write_file(out / MANIFEST, json.dumps(sorted(written), indent=0).encode("utf-8"), text)
    for warning in history.warnings:
        print(f"okr: {warning.get(chosen) or warning.get('en', '')}", file=sys.stderr)
    # a file that does not load is missing from the site: the MkDocs plugin warns (so
    # --strict fails), an engine driven by okrkit says the same
    unloaded = tuple(f for f in found
                     if f.code < "OKR100" and f.severity >= Severity.ERROR)
    return Generated(built, chosen, removed, unloaded, include_problems)


def _includes(specs: Sequence[str], root: Path, tree: Any, lang: str, *,
              timeout: float | None = None) -> tuple[list[Any], int]:
    """`--include NAME=URL_OR_PATH`, as the plugin's `include:`: warnings on stderr; what
    loaded and how many problems were said (`--strict` fails on them, as the plugin's)."""
    if not specs:
        return [], 0
    from okrkit.include import DEFAULT_TIMEOUT, check_parents, fetch_includes

    wanted: dict[str, str] = {}
    for spec in specs:
        name, sep, source = spec.partition("=")
        if not sep or not name or not source:
            raise FatalError(MESSAGES["en"]["bad-include"].format(spec=spec),
                             zh=MESSAGES["zh-TW"]["bad-include"].format(spec=spec))
        wanted[name] = source
    found, warnings = fetch_includes(wanted, root=root,
                                     timeout=DEFAULT_TIMEOUT if timeout is None else timeout)
    for warning in warnings:
        print(f"okr site: {warning[lang]}", file=sys.stderr)
    missing = [n for n in wanted if n not in {i.name for i in found}]
    parents = check_parents(tree.sheets, found, unavailable=missing)
    for finding in parents:
        print(f"{finding.pos}: {finding.code} {finding.message(lang)}", file=sys.stderr)
    return found, len(warnings) + len(parents)


def _remove_stale(target: Path, written: set[str]) -> int:
    """Delete what the previous run wrote and this one did not; empty folders go too."""
    try:
        previous = json.loads((target / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return 0
    if not isinstance(previous, list):
        return 0
    removed = 0
    for name in previous:
        # only plain relative paths inside DIR: a manifest edited by hand cannot aim elsewhere
        if not isinstance(name, str) or name in written or ".." in Path(name).parts \
                or Path(name).is_absolute():
            continue
        path = target / name
        try:
            path.unlink()
        except FileNotFoundError:
            continue
        except OSError:
            continue  # a file we cannot delete is left, as before this run
        removed += 1
        for parent in path.parents:
            if parent == target or not parent.is_relative_to(target):
                break
            try:
                parent.rmdir()  # only when empty
            except OSError:
                break
    return removed


def write_file(path: Path, data: bytes, text: dict[str, str]) -> None:
    """Temp file + rename: never a half-written page."""
    try:
        if path.is_file() and path.stat().st_size == len(data) and path.read_bytes() == data:
            return
        path.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(path, data)
    except OSError as err:
        raise FatalError(text["cannot-write"].format(path=path, error=err.strerror or err)
                         ) from err
