"""The MkDocs plugin `okrs`: a thin adapter over `okrkit.site` (DESIGN "The site").

`plugins: [search, okrs]` in mkdocs.yml generates every OKR page from `okrs/`.
The work is in `okrkit.site`; here: options, template dirs and CSS, wrapping
pages in `File.generated`, the nav, and what `mkdocs serve` watches.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import gc
import logging
import os
import posixpath
from pathlib import Path
from typing import TYPE_CHECKING, Any

from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, InclusionLevel

from okrkit import git, resources
from okrkit.config import CONFIG_NAME, Config, history_config, load_config, today_from_env
from okrkit.cycles import parse_date
from okrkit.errors import FatalError
from okrkit.findings import Severity

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.livereload import LiveReloadServer
    from mkdocs.structure.files import Files
    from mkdocs.structure.pages import Page

    from okrkit.history import History
    from okrkit.site.incremental import BuildCache

log = logging.getLogger("mkdocs.plugins.okrkit")


class OkrsPluginConfig(base.Config):
    root = c.Optional(c.Type(str))  # the OKR repository: default, mkdocs.yml's folder
    okrs_dir = c.Optional(c.Type(str))  # default: .okrkit.yaml's okrs_dir, else okrs
    lang = c.Optional(c.Choice(("en", "zh-TW")))  # default: theme.language, then en
    today = c.Optional(c.Type(str))  # YYYY-MM-DD: pin "today" for reproducible builds
    edit_uri = c.Optional(c.Type(str))  # from the repository root, e.g. edit/main/
    nav = c.Type(bool, default=True)  # write the nav when mkdocs.yml has none
    nav_team_limit = c.Type(int, default=30)  # list a cycle's teams in the nav up to this
    changes_limit = c.Type(int, default=400)  # check-ins listed per "what changed" page
    lint = c.Type(bool, default=True)  # run the linter for the lint health page
    # other okrkit sites' api/v1/okrs.json (URL or path), by name: shown read-only, and
    # `parent: <name>:<cycle>/<team>/<objective>` aligns to them
    include = c.Type(dict, default={})
    include_timeout = c.Type((int, float), default=10)  # seconds per include
    # a git repository whose log is the history of the same okrs path (okrkit's demo
    # replays its story there, so the pages show okrs/ as edited with a real history)
    history_repo = c.Optional(c.Type(str))
    # the pages of docs/ (a user guide) as one nav section after the OKR pages, under
    # this title, the pages named in `docs_nav_first` leading; default: listed flat
    docs_nav_section = c.Optional(c.Type(str))
    docs_nav_first = c.Type(list, default=[])


class OkrsPlugin(BasePlugin[OkrsPluginConfig]):
    def __init__(self) -> None:
        self._history_cache: tuple[object, History] | None = None
        self._serving = False
        self._edit_urls: dict[str, str] = {}
        self._okr_config: Config | None = None
        self._history_config: Config | None = None
        # under serve: the last build's rule hits, pages and data, reused for what an edit
        # did not change (site/incremental.py); keyed by HEAD, as the history
        self._build_cache: BuildCache | None = None
        self._history_key: object = None
        self._top: tuple[Path, Path | None] | None = None  # the repository of the root
        self._freeze_due = False  # a history newly kept: freeze what survives (_freeze)
        # under serve: the data files (API, feeds, badges) of the last build, by src
        self._data_files: dict[str, tuple[Any, bytes, File]] = {}

    def on_startup(self, *, command: str, dirty: bool) -> None:
        # defining on_startup keeps this instance across `mkdocs serve` rebuilds,
        # so the history read can be cached by HEAD (DESIGN "MkDocs facts")
        self._history_cache = None
        self._build_cache = None
        self._data_files = {}
        self._top = None
        self._serving = command == "serve"

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        root = Path(self.config.root or os.path.dirname(config.config_file_path or ".")).resolve()
        try:
            okr_config, findings = load_config(root)
        except FatalError as err:
            raise PluginError(f"okrkit: {err}") from err
        for finding in findings:
            log.warning(f"{finding.pos}: {finding.code} {finding.message()}")
        if self.config.okrs_dir:
            okr_config = dataclasses.replace(okr_config, okrs_dir=root / self.config.okrs_dir)
        self._okr_config = okr_config
        self._history_config = okr_config
        if self.config.history_repo:
            self._history_config = _history_config(okr_config, root / self.config.history_repo)
        # our templates after the user's custom_dir, so a user can override any of them
        templates = str(resources.templates_dir())
        dirs = config.theme.dirs
        if templates not in dirs:
            dirs.insert(1 if config.theme.custom_dir else 0, templates)
        from okrkit.site import CSS_PATH, MARKDOWN_EXTENSIONS

        if CSS_PATH not in config.extra_css:
            config.extra_css.append(CSS_PATH)
        extensions = config.markdown_extensions
        for needed in MARKDOWN_EXTENSIONS:
            if needed == "fenced_code" and "pymdownx.superfences" in extensions:
                continue  # it fences code too
            if needed not in extensions:
                extensions.append(needed)
        return config

    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files:
        from okrkit.site import build_site, strings

        okr_config = self._okr_config
        assert okr_config is not None
        today = self._today()
        history = self._history(self._history_config or okr_config)
        cache = self._cache(okr_config, today, config)
        tree, findings, suppressed = self._lint(okr_config, today, history, cache)
        theme_language = config.theme.get("language")
        lang = strings.choose(self.config.lang, theme_language)
        includes = self._includes(okr_config, tree, findings)
        docs_dir = Path(config.docs_dir).resolve()
        custom = [config.theme.custom_dir] if config.theme.custom_dir else []
        site = build_site(
            tree, history, today=today, lang=lang, findings=findings, suppressed=suppressed,
            repo_url=config.repo_url, edit_uri=self._edit_uri(config, okr_config.root),
            directory_urls=config.use_directory_urls, template_dirs=custom,
            nav_team_limit=self.config.nav_team_limit, changes_limit=self.config.changes_limit,
            site_url=config.site_url, includes=includes,
            # a history read elsewhere (history_repo): its commits are not at repo_url
            commit_links=not self.config.history_repo, cache=cache)
        if cache is not None:
            cache.end()
        self._edit_urls = {}
        by_src = files.src_uris  # a page's src is already a POSIX path: no PurePath each
        up = self._up_to_root(okr_config.root, docs_dir)
        for page in site.pages:
            existing = by_src.get(page.src)
            if existing is not None:
                log.info(f"okrkit: the generated page {page.src} replaces the file in docs/")
                files.remove(existing)
            file = File.generated(config, page.src, content=page.content,
                                  inclusion=InclusionLevel.INCLUDED if page.in_nav
                                  else InclusionLevel.NOT_IN_NAV)
            if page.yaml_path is not None:
                # MkDocs joins repo_url + edit_uri (which names docs/) + this: step out of docs/
                # (relpath's answer for a path from the root, without its work for each page)
                file.edit_uri = posixpath.normpath(posixpath.join(up, page.yaml_path)) \
                    if not posixpath.isabs(page.yaml_path) else Path(os.path.relpath(
                        okr_config.root / page.yaml_path, docs_dir)).as_posix()
            if page.edit_url is not None:
                self._edit_urls[page.src] = page.edit_url
            files.append(file)
        made: dict[str, tuple[Any, bytes, File]] = {}
        for data in site.files:  # api/v1 JSON, feeds, badges: copied as they are
            existing = by_src.get(data.src)
            if existing is not None:
                files.remove(existing)
            files.append(self._data_file(config, data.src, data.content, made))
        self._data_files = made
        # the schemas at a stable URL (<site>/schema/okr.schema.json) for modelines and
        # editors; a file of the same name in docs/ wins
        for kind in ("okr", "org", "config", "export"):
            schema_uri = f"schema/{kind}.schema.json"
            if files.get_file_from_path(schema_uri) is None:
                files.append(File.generated(config, schema_uri,
                                            abs_src_path=str(resources.schema_file(kind))))
        if self.config.nav and config.nav is None:
            generated = {p.src for p in site.pages}
            own = sorted(f.src_uri for f in files.documentation_pages()
                         if f.src_uri not in generated and f.inclusion.is_in_nav())
            config.nav = site.nav_with_docs(own, first=self.config.docs_nav_first,
                                            section=self.config.docs_nav_section)
        if self._freeze_due:
            self._freeze_due = False
            _freeze()
        return files

    def _data_file(self, config: MkDocsConfig, src: str, content: bytes,
                   made: dict[str, tuple[Any, bytes, File]]) -> File:
        """`File.generated` for a data file; under serve, the last build's when its content
        is the very bytes object it was made with (the build cache keeps 800 badges and the
        unchanged API documents so), for the same site folder: a File is a dozen path
        operations, and MkDocs only reads a data file's (its page is for Markdown)."""
        if not self._serving:
            return File.generated(config, src, content=content)
        key = (config.site_dir, config.use_directory_urls)
        found = self._data_files.get(src)
        if found is None or found[0] != key or found[1] is not content:
            found = (key, content, File.generated(config, src, content=content))
        made[src] = found
        return found[2]

    def on_pre_page(self, page: Page, *, config: MkDocsConfig, files: Files) -> Page:
        url = self._edit_urls.get(page.file.src_uri)
        if url is not None:
            page.edit_url = url
        return page

    def on_serve(self, server: LiveReloadServer, *, config: MkDocsConfig, builder: Any
                 ) -> LiveReloadServer:
        okr_config = self._okr_config
        if okr_config is not None:
            server.watch(str(okr_config.okrs_dir))
            config_file = okr_config.root / CONFIG_NAME
            if config_file.exists():
                server.watch(str(config_file))
        return server

    # -- helpers ----------------------------------------------------------------

    def _today(self) -> dt.date:
        """The `today` option, else OKR_TODAY (as the CLI reads it), else today."""
        if self.config.today:
            day = parse_date(self.config.today)
            if day is None:
                raise PluginError(f"okrs: today: {self.config.today!r} is not a YYYY-MM-DD date")
            return day
        try:
            return today_from_env()
        except FatalError as err:
            raise PluginError(f"okrs: {err}") from err

    def _history(self, okr_config: Config) -> History:
        from okrkit.history import read_history

        if not self._serving:
            # no cache during a build: a live history of 5,000 commits makes every
            # garbage collection of the Markdown phase slower
            return _logged(read_history(okr_config))
        # the repository found once (one git process less a rebuild); none: asked again
        if self._top is None or self._top[0] != okr_config.root or self._top[1] is None:
            self._top = (okr_config.root, git.repo_root(okr_config.root))
        top = self._top[1]
        if top is None:  # not in git: nothing to cache, read_history says why
            return _logged(read_history(okr_config))
        cached = self._history_cache
        # a kept history takes the work tree's state of now: its `git status` runs while
        # HEAD is asked for (two git processes, one after the other, were a tenth of a
        # rebuild's share)
        prefix = _prefix(top, okr_config.okrs_dir) if cached is not None else None
        dirty = git.is_dirty_later(top, prefix) if prefix is not None else None
        key = (str(top), git.head_sha(top))
        self._history_key = key
        if cached is not None and cached[0] == key:
            if dirty is None or not cached[1].available:
                return cached[1]
            return dataclasses.replace(cached[1], dirty=dirty())
        if dirty is not None:
            dirty()  # its process ended, its answer unused: HEAD moved, read it all again
        history = _logged(read_history(okr_config))
        self._history_cache = (key, history)
        self._freeze_due = True
        return history

    def _cache(self, okr_config: Config, today: dt.date, config: MkDocsConfig
               ) -> BuildCache | None:
        """Under serve with a history kept by HEAD: the build cache, begun with every input
        the whole build reads (the tree's own parts are keyed in build_site)."""
        if not self._serving or self._history_cache is None \
                or self._history_cache[0] != self._history_key:
            self._build_cache = None
            return None
        from okrkit.site.incremental import BuildCache, fingerprint

        if self._build_cache is None:
            self._build_cache = BuildCache()
        self._build_cache.begin((self._history_key, today, fingerprint(okr_config),
                                 fingerprint(self._history_config),
                                 fingerprint(dict(self.config)), config.config_file_path))
        return self._build_cache

    def _lint(self, okr_config: Config, today: dt.date, history: History,
              cache: BuildCache | None = None) -> tuple[Any, list[Any], tuple[Any, ...]]:
        suppressed: tuple[Any, ...] = ()  # no lint: nothing silenced either
        try:
            if self.config.lint:
                from okrkit.rules import all_rules
                from okrkit.rules.runner import lint

                result = lint(okr_config, today=today, history=history, rules=all_rules(),
                              kept_hits=cache.hits if cache is not None else None)
                tree, findings = result.tree, list(result.findings)
                suppressed = result.suppressed
            else:
                from okrkit.tree import load_tree

                tree, findings = load_tree(okr_config)
        except FatalError as err:
            raise PluginError(f"okrkit: {err}") from err
        for f in findings:
            # a file that does not load is missing from the site: say so, --strict fails
            if f.code < "OKR100" and f.severity >= Severity.ERROR:
                log.warning(f"{f.pos}: {f.code} {f.message()}")
        return tree, findings, suppressed

    def _includes(self, okr_config: Config, tree: Any, findings: list[Any]) -> list[Any]:
        """Fetch the `include:` exports; each failure is a warning (`--strict` fails), and
        a cross-repository `parent:` they do not have is an OKR006 on the lint page too."""
        if not self.config.include:
            return []
        from okrkit.include import check_parents, fetch_includes

        includes, warnings = fetch_includes(
            {str(k): str(v) for k, v in self.config.include.items()}, root=okr_config.root,
            timeout=float(self.config.include_timeout))
        for warning in warnings:
            log.warning(f"okrkit: {warning['en']}")
        loaded = {i.name for i in includes}
        missing = [str(k) for k in self.config.include if str(k) not in loaded]
        for finding in check_parents(tree.sheets, includes, unavailable=missing):
            log.warning(f"{finding.pos}: {finding.code} {finding.message()}")
            findings.append(finding)
        return includes

    @staticmethod
    def _up_to_root(root: Path, docs_dir: Path) -> str:
        """The repository root from the docs folder, as a POSIX path ("..")."""
        return Path(os.path.relpath(root, docs_dir)).as_posix()

    def _edit_uri(self, config: MkDocsConfig, root: Path) -> str | None:
        """The edit URI from the repository root (MkDocs' edit_uri names the docs folder)."""
        if self.config.edit_uri is not None:
            return self.config.edit_uri
        if not config.repo_url or not config.edit_uri or "?" in config.edit_uri:
            return None
        up = os.path.relpath(root, Path(config.docs_dir).resolve())
        joined = posixpath.normpath(posixpath.join(config.edit_uri, Path(up).as_posix()))
        return "" if joined == "." else joined + "/"


def _history_config(config: Config, repo: Path) -> Config:
    """`config.history_config`, its error a PluginError (shared with the Zensical engine)."""
    try:
        return history_config(config, repo)
    except FatalError as err:
        raise PluginError(f"okrs: {err}") from err


def _freeze() -> None:
    """Under serve, once a history is newly kept (the first build, a new HEAD): what the
    rebuilds keep (the history, the tree's models, the kept pages and data: hundreds of
    thousands of values) out of the cyclic collector's way. Every full collection walks
    every live object; frozen ones (`gc.freeze`) are never walked again, and still freed
    when nothing refers to them (they hold no cycle: a new HEAD's history replaces the
    old). Collected first, so no garbage is frozen with them."""
    gc.collect()
    gc.freeze()


def _prefix(top: Path, okrs_dir: Path) -> str | None:
    """The okrs folder in the repository at `top`, for `git status` (a cached history's
    `dirty` is asked again each rebuild: the cache follows HEAD, and under serve the sheets
    are edited without a commit); None outside it."""
    try:
        return okrs_dir.resolve().relative_to(top.resolve()).as_posix()
    except ValueError:
        return None


def _logged(history: History) -> History:
    for warning in history.warnings:
        log.info(f"okrkit: {warning.get('en', '')}")
    return history
