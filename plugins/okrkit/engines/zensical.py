"""The Zensical engine: okrkit writes the pages and a Zensical config, Zensical renders.

Zensical (the successor of Material for MkDocs, by the same team) reads mkdocs.yml but
loads no `mkdocs.plugins` entry points, and drops a plugin it does not know without a
word: on a mkdocs.yml naming `okrs` it builds no OKR page. So, in a build folder
(`.cache/okrkit/zensical/` under the repository: Zensical wants docs and output inside
the folder of its config, and keeps its cache there too):

- `docs/`: the user's own docs, then the pages of `okrkit.site` (the code path of
  `okr site --out`), with links as source-relative `.md` paths: Zensical rewrites
  relative links inside raw HTML as relative to the `.md` file, and resolves `.md`
  links to the right URL for either `use_directory_urls`;
- `overrides/`: the user's `custom_dir`, plus okrkit's `partials/actions.html`, which
  points a team page's edit button at its YAML sheet (the front matter names it);
- `zensical.toml`: derived from the user's `zensical.toml`, else `mkdocs.yml`: site
  name and URLs, repo_url and edit_uri, the theme (language, palette, features, font,
  custom_dir), extra, extra_css and extra_javascript, the Markdown extensions plus what
  the pages need (`toc` with `permalink`, so headings keep their links), the generated
  nav, the plugins but `okrs`.

The `okrs` plugin's options in mkdocs.yml carry over as the plugin reads them: `root`
(the OKR repository, from the config's folder), `okrs_dir`, `lint`, `today`,
`lang`, `edit_uri`, `nav`, `nav_team_limit`, `changes_limit`, `history_repo` (the
history read from another repository: the same log as under MkDocs),
`docs_nav_section` / `docs_nav_first` (the user's pages as one nav section), and
`include` / `include_timeout` (other repositories' OKRs beside the local ones; with
`--strict`, one that does not load fails the build, as a plugin warning does).

Files are rewritten only when their bytes change, so Zensical's cache and its server's
watcher see only what changed; the finished site is copied to SITE_DIR as a whole.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import shutil
import sys
import tempfile
import threading
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from okrkit import resources
from okrkit.config import CONFIG_NAME
from okrkit.cycles import parse_date
from okrkit.engines import Project, run_click
from okrkit.engines.mkdocs import config_file as mkdocs_config_file
from okrkit.errors import FatalError
from okrkit.findings import LANGS

BUILD_DIR = Path(".cache", "okrkit", "zensical")
CONFIG_NAME_TOML = "zensical.toml"
PLUGIN = "okrs"
_DOCS_MANIFEST = ".okrkit-docs.json"
_OVERRIDES_MANIFEST = ".okrkit-overrides.json"
# what the generated pages need; Zensical always adds pymdownx.superfences (it fences
# code, as fenced_code does for MkDocs)
_NEEDED_EXTENSIONS = ("attr_list", "md_in_html", "tables", "toc")
# mkdocs.yml keys Zensical reads that carry over as they are; docs_dir, site_dir, theme,
# nav, markdown_extensions and plugins are derived
_KEPT = ("site_name", "site_url", "site_description", "site_author", "copyright",
         "repo_url", "repo_name", "edit_uri", "edit_uri_template", "use_directory_urls",
         "extra", "extra_css", "extra_javascript", "extra_templates", "exclude_docs",
         "draft_docs", "not_in_nav", "validation", "dev_addr")
# the okrs plugin's options that shape the pages (mkdocs_plugin.OkrsPluginConfig)
_LIMITS = ("nav_team_limit", "changes_limit")
_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+\Z")

MESSAGES: dict[str, dict[str, str]] = {
    "en": {
        "no-config": "no zensical.toml or mkdocs.yml in {root} "
                     "(`okr init --engine zensical` writes one)",
        "bad-config": "cannot read {path}: {error}",
        "okrs-plugin": "{path}: names the MkDocs plugin `okrs`, which Zensical does not load "
                       "(it drops unknown plugins without a word, so `zensical build` alone "
                       "builds no OKR page); `okr build --engine zensical` generates the "
                       "pages instead: remove `okrs` from its plugins",
        "not-installed": "Zensical is not installed: pip install 'okrkit[zensical]'",
        "bad-today": "{path}: the okrs plugin's today: {value!r} is not a YYYY-MM-DD date",
        "bad-text": "{path}: the okrs plugin's {name}: {value!r} is not a string",
        "bad-list": "{path}: the okrs plugin's {name}: expected a list of page paths, "
                    "got {value!r}",
        "bad-include": "{path}: the okrs plugin's include: expected a mapping of names to "
                       "URLs or paths, got {value!r}",
        "bad-number": "{path}: the okrs plugin's {name}: {value!r} is not a number",
        "bad-bool": "{path}: the okrs plugin's {name}: {value!r} is not true or false",
        "strict-includes": "okr build: aborted with --strict: {count} problem(s) with the "
                           "included repositories (said above)",
        "built": "okr build: {count} OKR pages built with Zensical into {path}",
        "regenerated": "okr serve: {path} changed; the pages were generated again",
        "cannot-write": "cannot write {path}: {error}",
        "strict-unloaded": "okr build: aborted with --strict: {count} file(s) did not load "
                           "and would be missing from the site",
    },
    "zh-TW": {
        "no-config": "{root} 中沒有 zensical.toml 或 mkdocs.yml"
                     "(`okr init --engine zensical` 會建立一個)",
        "bad-config": "無法讀取 {path}:{error}",
        "okrs-plugin": "{path}:列出了 MkDocs 外掛 `okrs`,但 Zensical 不載入它(Zensical 會"
                       "默默略過不認識的外掛,所以單獨執行 `zensical build` 不會產生任何 OKR "
                       "頁面);`okr build --engine zensical` 會改為自行產生頁面:請從 plugins "
                       "中移除 `okrs`",
        "not-installed": "尚未安裝 Zensical:pip install 'okrkit[zensical]'",
        "bad-today": "{path}:okrs 外掛的 today:{value!r} 不是 YYYY-MM-DD 日期",
        "bad-text": "{path}:okrs 外掛的 {name}:{value!r} 不是字串",
        "bad-list": "{path}:okrs 外掛的 {name}:應為頁面路徑的清單,而不是 {value!r}",
        "bad-include": "{path}:okrs 外掛的 include:應為名稱對應網址或路徑的對照表,"
                       "而不是 {value!r}",
        "bad-number": "{path}:okrs 外掛的 {name}:{value!r} 不是數字",
        "bad-bool": "{path}:okrs 外掛的 {name}:{value!r} 不是 true 或 false",
        "strict-includes": "okr build:因 --strict 而中止:引入的儲存庫有 {count} 個問題"
                           "(見上方訊息)",
        "built": "okr build:已用 Zensical 建置 {count} 個 OKR 頁面到 {path}",
        "regenerated": "okr serve:{path} 已變更,已重新產生頁面",
        "cannot-write": "無法寫入 {path}:{error}",
        "strict-unloaded": "okr build:因 --strict 而中止:有 {count} 個檔案無法載入,"
                           "網站上會缺少它們",
    },
}


@dataclass(frozen=True, slots=True)
class Prepared:
    """A build folder ready for Zensical."""

    work: Path  # the build folder
    config: Path  # its zensical.toml
    site_dir: Path  # where the user wants the site
    pages: int  # OKR pages generated
    stale: bool  # pages or files went away: the output is built afresh
    unloaded: int = 0  # sheets that did not load (said on stderr): --strict fails
    include_problems: int = 0  # includes that did not load, parents they lack: the same
    watch: tuple[Path, ...] = ()  # what `okr serve` watches: the sheets, .okrkit.yaml


# -- the user's config ------------------------------------------------------------


class _Loader(yaml.SafeLoader):
    """mkdocs.yml as MkDocs reads it, without running anything: `!ENV` resolves,
    `!!python/name:x` becomes the dotted name (Zensical resolves those in a TOML config)."""


def _env(loader: _Loader, node: yaml.Node) -> Any:
    if isinstance(node, yaml.ScalarNode):
        names, default = [loader.construct_scalar(node)], None
    elif isinstance(node, yaml.SequenceNode) and node.value:
        *vars_, last = node.value
        names = [loader.construct_scalar(v) for v in vars_]
        default = loader.construct_object(last)
        if not names:
            names, default = [loader.construct_scalar(last)], None
    else:
        return None
    for name in names:
        if str(name) in os.environ:
            return yaml.safe_load(os.environ[str(name)])
    return default


def _python_name(loader: _Loader, suffix: str, node: yaml.Node) -> Any:
    # Zensical's own shim: Material's extension namespace is Zensical's
    return suffix.replace("material.extensions", "zensical.extensions")


def _python_apply(loader: _Loader, suffix: str, node: yaml.Node) -> Any:
    # `!!python/object/apply:pymdownx.slugs.slugify {kwds: {case: lower}}` (toc's slugify):
    # Zensical's TOML form is {object = "...", kwds = {...}}
    value = loader.construct_mapping(node, deep=True) \
        if isinstance(node, yaml.MappingNode) else {}
    return {"object": suffix, "kwds": value.get("kwds") or {}}


_Loader.add_constructor("!ENV", _env)
_Loader.add_multi_constructor("tag:yaml.org,2002:python/name:", _python_name)
_Loader.add_multi_constructor("tag:yaml.org,2002:python/object/apply:", _python_apply)


def user_config(root: Path, text: Mapping[str, str]) -> tuple[Path, dict[str, Any]]:
    """The user's zensical.toml (its `project` table), else mkdocs.yml, as a dict."""
    toml = root / CONFIG_NAME_TOML
    path = toml if toml.is_file() else mkdocs_config_file(root)
    if path is None:
        raise FatalError(text["no-config"].format(root=root))
    try:
        if path.suffix == ".toml":
            data = _toml_load(path.read_bytes())
            data = data.get("project", data)
        else:
            data = yaml.load(path.read_text(encoding="utf-8"), Loader=_Loader)
    except (OSError, ValueError, yaml.YAMLError) as err:
        raise FatalError(text["bad-config"].format(path=path, error=err)) from err
    if not isinstance(data, dict):
        raise FatalError(text["bad-config"].format(path=path, error="not a mapping"))
    return path, data


def _toml_load(data: bytes) -> dict[str, Any]:
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover (Python 3.10: Zensical depends on tomli)
        import tomli as tomllib
    return tomllib.loads(data.decode("utf-8"))


def plugin_entries(data: Mapping[str, Any]) -> list[tuple[str, Any]]:
    """(name, options) of each plugin, whether written as a list or a mapping."""
    plugins = data.get("plugins")
    if isinstance(plugins, dict):
        return list(plugins.items())
    entries: list[tuple[str, Any]] = []
    for item in plugins or ():
        if isinstance(item, str):
            entries.append((item, {}))
        elif isinstance(item, dict) and len(item) == 1:
            entries.extend(item.items())
    return entries


# -- the derived config -------------------------------------------------------------


def _extensions(value: Any, *, toml: bool) -> dict[str, Any]:
    """Markdown extensions as an ordered name → options mapping."""
    if value is None:
        if not toml:
            return {}
        from zensical.config import DEFAULT_MARKDOWN_EXTENSIONS

        # Zensical's defaults, the emoji functions by name (they are not TOML values)
        out = {k: v for k, v in DEFAULT_MARKDOWN_EXTENSIONS.items() if k != "pymdownx.emoji"}
        out["pymdownx.emoji"] = {"emoji_index": "zensical.extensions.emoji.twemoji",
                                 "emoji_generator": "zensical.extensions.emoji.to_svg"}
        return out
    if isinstance(value, dict):
        return {str(k): v or {} for k, v in value.items()}
    out = {}
    for item in value:
        if isinstance(item, str):
            out[item] = {}
        elif isinstance(item, dict):
            out.update({str(k): v or {} for k, v in item.items()})
    return out


def derive(data: Mapping[str, Any], *, toml: bool, nav: list[Any] | None,
           not_in_nav: list[str], overrides: Path) -> dict[str, Any]:
    """The Zensical config of the build folder, from the user's config and the site."""
    from okrkit.site import CSS_PATH

    out: dict[str, Any] = {k: data[k] for k in _KEPT if data.get(k) is not None}
    out["docs_dir"], out["site_dir"] = "docs", "site"
    theme = data.get("theme") or {}
    theme = {"name": theme} if isinstance(theme, str) else \
        dict(theme) if isinstance(theme, dict) else {}
    theme["custom_dir"] = str(overrides)
    out["theme"] = theme
    extra_css = [c for c in out.get("extra_css") or () if c != CSS_PATH]
    out["extra_css"] = [*extra_css, CSS_PATH]
    extensions = _extensions(data.get("markdown_extensions"), toml=toml)
    for name in _NEEDED_EXTENSIONS:
        extensions.setdefault(name, {})
    toc = dict(extensions["toc"] or {})
    toc.setdefault("permalink", True)  # headings keep their links, as under MkDocs
    extensions["toc"] = toc
    out["markdown_extensions"] = [{k: v} if v else k for k, v in extensions.items()]
    if data.get("nav") is not None:
        out["nav"] = data["nav"]
    elif nav is not None:
        out["nav"] = nav
    hidden = [line for line in str(data.get("not_in_nav") or "").splitlines() if line.strip()]
    if not_in_nav or hidden:
        out["not_in_nav"] = "\n".join([*hidden, *not_in_nav])
    out["plugins"] = [name if not options else {name: options}
                      for name, options in plugin_entries(data) if name != PLUGIN]
    return out


def toml_dumps(table: Mapping[str, Any], name: str = "project") -> str:
    """A `[name]` table of plain values (str, bool, int, float, list, dict); None left out."""
    lines = [f"[{name}]"]
    for key, value in table.items():
        if value is not None:
            lines.append(f"{_toml_key(key)} = {_toml_value(value)}")
    return "\n".join(lines) + "\n"


def _toml_key(key: str) -> str:
    return key if _BARE_KEY.match(key) else json.dumps(key, ensure_ascii=False)


def _toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, str):
        # a JSON string is a TOML basic string (the same escapes)
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(_toml_value(v) for v in value if v is not None) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{_toml_key(str(k))} = {_toml_value(v)}"
                               for k, v in value.items() if v is not None) + "}"
    raise ValueError(f"not a TOML value: {value!r}")


# -- the build folder -------------------------------------------------------------


def _sync_tree(src: Path | None, dst: Path, manifest: Path, *, skip: set[str],
               extra: Mapping[str, bytes] = {}) -> bool:
    """Mirror `src` (and `extra`, path → bytes) into `dst`: copy what changed, remove what
    the last run copied and this one did not; files not in the manifest are left alone.
    True when something was removed."""
    from okrkit.yamledit import write_atomic

    wanted: dict[str, Path | bytes] = {}
    if src is not None and src.is_dir():
        for path in sorted(src.rglob("*")):
            rel = path.relative_to(src).as_posix()
            if path.is_file() and rel not in skip and not rel.startswith("."):
                wanted[rel] = path
    for rel, data in extra.items():
        wanted.setdefault(rel, data)
    for rel, source in wanted.items():
        data = source if isinstance(source, bytes) else source.read_bytes()
        target = dst / rel
        if target.is_file() and target.read_bytes() == data:
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(target, data)
    removed = False
    try:
        previous = json.loads(manifest.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        previous = []
    for rel in previous if isinstance(previous, list) else ():
        if isinstance(rel, str) and rel not in wanted and rel not in skip \
                and ".." not in Path(rel).parts and not Path(rel).is_absolute():
            (dst / rel).unlink(missing_ok=True)
            removed = True
    dst.mkdir(parents=True, exist_ok=True)
    listing = json.dumps(sorted(wanted), indent=0).encode("utf-8")
    # outside `dst` and only when it changes: Zensical's server reloads everything when
    # its theme folder changes
    if not manifest.is_file() or manifest.read_bytes() != listing:
        write_atomic(manifest, listing)
    return removed


def _okrs_options(data: Mapping[str, Any]) -> dict[str, Any]:
    for name, options in plugin_entries(data):
        if name == PLUGIN and isinstance(options, dict):
            return options
    return {}


def _text_option(options: Mapping[str, Any], name: str, path: Path,
                 text: Mapping[str, str]) -> str | None:
    """A string option of the okrs plugin, checked as MkDocs' config would."""
    value = options.get(name)
    if value is not None and not isinstance(value, str):
        raise FatalError(text["bad-text"].format(path=path, name=name, value=value))
    return value


def _bool_option(options: Mapping[str, Any], name: str, path: Path,
                 text: Mapping[str, str], *, default: bool) -> bool:
    value = options.get(name)
    if value is None:
        return default
    if not isinstance(value, bool):
        raise FatalError(text["bad-bool"].format(path=path, name=name, value=value))
    return value


def _list_option(options: Mapping[str, Any], name: str, path: Path,
                 text: Mapping[str, str]) -> list[str]:
    value = options.get(name)
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise FatalError(text["bad-list"].format(path=path, name=name, value=value))
    return value


def _include_options(options: Mapping[str, Any], path: Path, text: Mapping[str, str]
                     ) -> tuple[list[str], float | None]:
    """`include:` (name → URL or path) as `okr site --include NAME=SOURCE` specs, and
    `include_timeout` (seconds per include)."""
    include = options.get("include")
    if include is not None and not (isinstance(include, dict) and all(
            isinstance(k, str) and isinstance(v, str) for k, v in include.items())):
        raise FatalError(text["bad-include"].format(path=path, value=include))
    timeout = options.get("include_timeout")
    if timeout is not None and (isinstance(timeout, bool)
                                or not isinstance(timeout, (int, float))):
        raise FatalError(text["bad-number"].format(path=path, name="include_timeout",
                                                   value=timeout))
    return [f"{k}={v}" for k, v in (include or {}).items()], \
        None if timeout is None else float(timeout)


def prepare(project: Project, *, site_dir: Path | None) -> Prepared | None:
    """Write the build folder: docs, overrides and zensical.toml; None (the findings
    printed) when .okrkit.yaml has errors."""
    from okrkit.engines.files import generate
    from okrkit.site import strings

    text = MESSAGES[project.lang]
    root = project.root
    path, data = user_config(root, text)
    toml = path.suffix == ".toml"
    names_plugin = any(name == PLUGIN for name, _ in plugin_entries(data))
    if toml and names_plugin:
        print("okr: " + text["okrs-plugin"].format(path=path), file=sys.stderr)
    options = _okrs_options(data) if not toml else {}
    today = None
    if options.get("today"):
        today = parse_date(str(options["today"]))
        if today is None:
            raise FatalError(text["bad-today"].format(path=path, value=options["today"]))
    # the OKR repository (`root`, from the config's folder: MkDocs' own folder for its
    # paths) and its sheets' folder (`okrs_dir`, from that root), as the plugin reads them
    okr_root = root
    root_option = _text_option(options, "root", path, text)
    if root_option:
        okr_root = (path.parent / root_option).resolve()
    okrs_option = _text_option(options, "okrs_dir", path, text)
    okrs_dir = okr_root / okrs_option if okrs_option else None
    run_lint = _bool_option(options, "lint", path, text, default=True)
    # the history of the same okrs/ in another repository, relative to the OKR root as
    # the plugin reads it (`root / history_repo`)
    history_repo = _text_option(options, "history_repo", path, text)
    section = _text_option(options, "docs_nav_section", path, text)
    first = _list_option(options, "docs_nav_first", path, text)
    includes, include_timeout = _include_options(options, path, text)
    theme = data.get("theme") if isinstance(data.get("theme"), dict) else {}
    language = theme.get("language") if theme else None
    lang = strings.choose(options.get("lang"), language if language in LANGS else None)
    work = root / BUILD_DIR
    docs = work / "docs"
    user_docs = root / str(data.get("docs_dir") or "docs")
    custom = theme.get("custom_dir") if theme else None
    custom_dir = (root / str(custom)) if custom else None
    repo_url = data.get("repo_url")
    generated = generate(docs, lang=lang, repo_url=repo_url,
                         edit_uri=_edit_uri(data, okr_root, user_docs, options),
                         directory_urls=data.get("use_directory_urls", True) is not False,
                         md_links=True, edit_url_meta=True,
                         template_dirs=[custom_dir] if custom_dir else [], today=today,
                         root=okr_root, okrs_dir=okrs_dir, run_lint=run_lint,
                         history_repo=okr_root / history_repo if history_repo else None,
                         includes=includes, include_timeout=include_timeout,
                         **{k: options[k] for k in _LIMITS
                                       if isinstance(options.get(k), int)})
    if generated is None:
        return None
    site = generated.site
    srcs = {p.src for p in site.pages} | {"assets/okrkit/okrkit.css"}
    docs_removed = _sync_tree(user_docs, docs, work / _DOCS_MANIFEST, skip=srcs)
    actions = resources.templates_dir() / "zensical" / "partials" / "actions.html"
    _sync_tree(custom_dir, work / "overrides", work / _OVERRIDES_MANIFEST, skip=set(),
               extra={"partials/actions.html": actions.read_bytes()})
    nav = None
    if options.get("nav", True) is not False:
        own = sorted(p.relative_to(user_docs).as_posix() for p in user_docs.rglob("*.md")
                     if p.relative_to(user_docs).as_posix() not in srcs) \
            if user_docs.is_dir() else []
        nav = site.nav_with_docs(own, first=first, section=section)
    config = derive(data, toml=toml, nav=nav, overrides=work / "overrides",
                    not_in_nav=["/" + p.src for p in site.pages if not p.in_nav])
    from okrkit.yamledit import write_atomic

    data_toml = toml_dumps(config).encode("utf-8")
    config_path = work / CONFIG_NAME_TOML
    # unchanged, left alone: Zensical's server rebuilds everything when its config changes
    if not config_path.is_file() or config_path.read_bytes() != data_toml:
        write_atomic(config_path, data_toml)
    target = site_dir if site_dir is not None else root / str(data.get("site_dir") or "site")
    for f in generated.unloaded:
        print(f"okr: {f.pos}: {f.code} {f.message(generated.lang)}", file=sys.stderr)
    return Prepared(work, work / CONFIG_NAME_TOML, target, len(site.pages),
                    stale=bool(generated.removed) or docs_removed,
                    unloaded=len(generated.unloaded),
                    include_problems=generated.include_problems,
                    watch=tuple(watched(okr_root, okrs_dir)))


def _edit_uri(data: Mapping[str, Any], root: Path, docs: Path,
              options: Mapping[str, Any]) -> str | None:
    """The edit URI from the repository root, as the plugin computes it."""
    if options.get("edit_uri") is not None:
        return str(options["edit_uri"])
    edit_uri = data.get("edit_uri")
    if not data.get("repo_url") or not edit_uri or "?" in str(edit_uri):
        return None
    import posixpath

    up = Path(os.path.relpath(root, docs.resolve() if docs.exists() else docs)).as_posix()
    joined = posixpath.normpath(posixpath.join(str(edit_uri), up))
    return "" if joined == "." else joined + "/"


def _zensical_cli(text: Mapping[str, str]) -> Any:
    try:
        from zensical.main import cli
    except ImportError as err:
        raise FatalError(text["not-installed"]) from err
    return cli


def _publish(built: Path, target: Path, text: Mapping[str, str]) -> None:
    """Copy the site into `target` as a whole: a copy beside it, then two renames."""
    if built.resolve() == target.resolve():
        return
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}-", dir=target.parent))
    old = staging.with_name(staging.name + "-old")
    try:
        shutil.copytree(built, staging, dirs_exist_ok=True)
        if target.exists():
            os.replace(target, old)
        os.replace(staging, target)
    except OSError as err:
        raise FatalError(text["cannot-write"].format(path=target, error=err.strerror or err)
                         ) from err
    finally:
        shutil.rmtree(staging, ignore_errors=True)
        shutil.rmtree(old, ignore_errors=True)


def build(project: Project, *, site_dir: Path | None, strict: bool) -> int:
    text = MESSAGES[project.lang]
    cli = _zensical_cli(text)
    prepared = prepare(project, site_dir=site_dir)
    if prepared is None:
        return 1
    if strict and prepared.unloaded:
        print(text["strict-unloaded"].format(count=prepared.unloaded), file=sys.stderr)
        return 1
    if strict and prepared.include_problems:
        print(text["strict-includes"].format(count=prepared.include_problems), file=sys.stderr)
        return 1
    if prepared.stale:
        shutil.rmtree(prepared.work / "site", ignore_errors=True)
    args = ["build", "--config-file", str(prepared.config)]
    if strict:
        args.append("--strict")
    code = run_click(cli, args, "zensical")
    if code != 0:
        return code
    _publish(prepared.work / "site", prepared.site_dir, text)
    print(text["built"].format(count=prepared.pages, path=prepared.site_dir), file=sys.stderr)
    return 0


def watched(root: Path, okrs_dir: Path | None = None) -> list[Path]:
    """What regenerates the pages under `okr serve`: the sheets (`okrs_dir`, else
    .okrkit.yaml's) and okrkit's config."""
    from okrkit.config import load_config

    if okrs_dir is None:
        okrs_dir = load_config(root)[0].okrs_dir
    return [okrs_dir, root / CONFIG_NAME]


def _snapshot(paths: Iterable[Path]) -> dict[str, tuple[int, int]]:
    state = {}
    for top in paths:
        files = [top] if top.is_file() else sorted(top.rglob("*")) if top.is_dir() else []
        for path in (f for f in files if f.is_file()):
            try:
                st = path.stat()
            except OSError:
                continue
            state[str(path)] = (st.st_mtime_ns, st.st_size)
    return state


def _watch(project: Project, paths: list[Path], stop: threading.Event, interval: float
           ) -> None:
    """Generate the pages again when a sheet or .okrkit.yaml changes; Zensical's server
    sees the changed pages in its docs folder and reloads the browser."""
    text = MESSAGES[project.lang]
    before = _snapshot(paths)
    while not stop.wait(interval):
        now = _snapshot(paths)
        if now == before:
            continue
        changed = sorted(set(now.items()) ^ set(before.items()))
        before = now
        try:
            prepare(project, site_dir=None)
        except FatalError as err:
            print(f"okr: {err.message(project.lang)}", file=sys.stderr)
            continue
        except Exception as err:  # a half-typed sheet must not stop the server
            print(f"okr: {type(err).__name__}: {err}", file=sys.stderr)
            continue
        where = _shown(Path(changed[0][0]), project.root) if changed else project.root
        print(text["regenerated"].format(path=where), file=sys.stderr)


def _shown(path: Path, root: Path) -> Path:
    """`path` from the repository root; as it is when outside (the `root` option)."""
    try:
        return path.relative_to(root)
    except ValueError:
        return path


def serve(project: Project, *, dev_addr: str | None) -> int:
    text = MESSAGES[project.lang]
    cli = _zensical_cli(text)
    prepared = prepare(project, site_dir=None)
    if prepared is None:
        return 1
    stop = threading.Event()
    interval = float(os.environ.get("OKR_SERVE_POLL", "0.5"))
    watcher = threading.Thread(target=_watch, daemon=True,
                               args=(project, list(prepared.watch), stop, interval))
    watcher.start()
    args = ["serve", "--config-file", str(prepared.config)]
    if dev_addr:
        args += ["--dev-addr", dev_addr]
    try:
        return run_click(cli, args, "zensical")
    finally:
        stop.set()
        watcher.join(timeout=5)
