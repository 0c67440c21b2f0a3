"""The Jinja2 environment of the page templates (site_templates/okrkit/*.md).

Every `{{ value }}` passes through `markup.text` (HTML, Markdown and Jinja
escaped), so a template cannot forget to escape a YAML string; only values
that are already `Markup` (the SVG charts, heading ids) go through as is.
Jinja's own autoescape is off (its second escaping pass cost a third of the
page generation): a macro's HTML is marked `|safe` where it is called, and a
forgotten `|safe` shows the HTML as text, never runs it.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup

from okrkit import resources
from okrkit.site.lang import text_lang
from okrkit.site.markup import text

_ANCHOR_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]*\Z")


def heading_id(anchor: str, lang: str | None = None) -> Markup:
    """attr_list's `{#id}` after a Markdown heading; ids are slugs, checked again here.
    With `lang`, the heading's language too: `{#id lang="en"}`."""
    if not _ANCHOR_RE.match(anchor):
        raise ValueError(f"not an anchor: {anchor!r}")
    return Markup("{#" + anchor + (f' lang="{lang}"' if lang in ("en", "zh-TW") else "") + "}")


@jinja2.pass_context
def _hid(context: Any, anchor: str, title: object = None) -> Markup:
    """`hid(anchor, title)`: the heading's id, and its language when the title is in
    another language than the page."""
    lang = text_lang(str(title), context["t"].lang) if title else None
    return heading_id(anchor, lang)


@jinja2.pass_context
def _tx(context: Any, value: object) -> Markup:
    """`tx(title)`: a user's text, escaped, in a `<span lang>` when it is in another language
    than the page (a screen reader then switches voice)."""
    if not value:
        return text(value)
    return _tagged(str(value), context["t"].lang)


@lru_cache(maxsize=1 << 14)
def _tagged(value: str, page_lang: str) -> Markup:
    # team names, titles and commit subjects repeat on every page that lists them
    lang = text_lang(value, page_lang)
    escaped = text(value)
    return Markup(f'<span lang="{lang}">{escaped}</span>') if lang else escaped


# The pieces below are the macros `progress`, `status`, `change` and `commit` of macros.md,
# written in Python: the macros call them, and team.md calls them directly, because its
# 9,600 bars and badges and 40,000 timeline rows (three macro calls each) on a large site
# were most of the team template's time, and a macro call costs several times a function
# call. Every value is escaped by `text`, as `{{ }}` does.


def progress_bar(b: Any, ref: object = "") -> Markup:
    """A progress bar (`views.Bar`), its accessible name and value, the cycle's elapsed
    share; `ref` the key result or objective it belongs to."""
    name = f' aria-label="{text(b.name)}"' if b.name else ""
    data = f' data-ref="{text(ref)}"' if ref else ""
    expected = f'<span class="okr-progress-expected" style="left:{text(b.expected)}%"></span>' \
        if b.expected else ""
    width, label = text(b.width), text(b.label)
    return Markup(f'<span class="okr-progress" role="progressbar"{name} aria-valuemin="0" '
                  f'aria-valuemax="100" aria-valuenow="{width}" aria-valuetext="{label}"'
                  f'{data}><span class="okr-progress-fill" style="width:{width}%"></span>'
                  f'{expected}</span> <span class="okr-progress-label">{label}</span>')


def status_badge(key: object, label: object) -> Markup:
    return Markup(f'<span class="okr-status okr-status-{text(key)}">{text(label)}</span>')


@jinja2.pass_context
def _change_cell(context: Any, row: Any) -> Markup:
    """A timeline row's change (`views.TimelineRow`): its kind unless a check-in, goal
    posts moved, the fields changed."""
    return change_cell(row, context["t"])


def change_cell(row: Any, t: Any) -> Markup:
    kind = f'<span class="okr-kind okr-kind-{text(row.kind)}">{text(row.kind_label)}</span> ' \
        if row.kind != "checkin" else ""
    moved = f'<span class="okr-kind okr-kind-moved">{text(t("goal-posts-moved"))}</span> ' \
        if row.moved else ""
    return Markup(f"{kind}{moved}{_join(row.changes, '; ')}")


def commit_cell(row: Any) -> Markup:
    """A timeline row's commit: its short sha, linked when there is a link."""
    sha = text(row.sha)
    return Markup(f'<a class="okr-sha" href="{text(row.commit_href)}">{sha}</a>'
                  if row.commit_href else f'<span class="okr-sha">{sha}</span>')


@jinja2.pass_context
def _timeline_body(context: Any, rows: Sequence[Any]) -> Markup:
    """`timeline_body(kr.timeline)`: a key result's change timeline as table rows, newest
    first, each ending in a newline."""
    t = context["t"]
    out = []
    for row in reversed(rows):
        subject = _tagged(str(row.subject), t.lang) if row.subject else text(row.subject)
        tr = '<tr class="okr-row-moved">' if row.moved else "<tr>"
        out.append(f"{tr}<td>{text(row.date)}</td><td>{text(row.who)}</td>"
                   f"<td>{change_cell(row, t)}</td><td>{commit_cell(row)} "
                   f'<span class="okr-subject" title="{text(row.subject)}">{subject}</span>'
                   "</td></tr>\n")
    return Markup("".join(out))


def chart_rows_body(rows: Sequence[Any]) -> Markup:
    """`chart_rows_body(kr.chart_rows)`: a chart's numbers (`views.ChartRow`) as table rows,
    each ending in a newline (50,000 rows on a large site's team pages)."""
    return Markup("".join(f"<tr><td>{text(row.date)}</td><td>{text(row.value)}</td>"
                          f"<td>{text(row.ideal)}</td></tr>\n" for row in rows))


def front_matter(meta: Mapping[str, Any]) -> str:
    """YAML front matter; strings escaped like page text (MkDocs puts titles in HTML raw)."""
    lines = ["---"]
    for key, value in meta.items():
        if isinstance(value, str):
            lines.append(f"{key}: {json.dumps(str(text(value)), ensure_ascii=False)}")
        else:
            lines.append(f"{key}: {json.dumps(value, ensure_ascii=False)}")
    lines.append("---")
    return "\n".join(lines) + "\n\n"


def front_matter_add(content: str, key: str, value: str) -> str:
    """`content` (a page starting with `front_matter`'s block) with one more string key."""
    head = "---\n"
    if not content.startswith(head):
        return content
    return f"{head}{key}: {json.dumps(str(text(value)), ensure_ascii=False)}\n" \
        + content[len(head):]


@cache
def environment(dirs: tuple[str, ...]) -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(list(dirs)),
        autoescape=False,  # finalize escapes instead: see the module's docstring
        finalize=text,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        undefined=jinja2.StrictUndefined,
    )
    env.globals["hid"] = _hid
    env.globals["tx"] = _tx
    env.globals["timeline_body"] = _timeline_body
    env.globals["progress_bar"] = progress_bar
    env.globals["status_badge"] = status_badge
    env.globals["change_cell"] = _change_cell
    env.globals["commit_cell"] = commit_cell
    env.globals["chart_rows_body"] = chart_rows_body
    # Jinja's own join escapes for HTML only: ours escapes each item like `{{ }}` does
    env.filters["join"] = _join
    return env


def _join(items: Any, separator: str = "") -> Markup:
    return Markup(text(separator)).join(text(item) for item in items)


def template_dirs(extra: Sequence[str | Path] = ()) -> tuple[str, ...]:
    """Overrides first (a theme's custom_dir), then the packaged templates."""
    found = [str(Path(d)) for d in extra if Path(d, "okrkit").is_dir()]
    return (*found, str(resources.templates_dir()))


def render(dirs: tuple[str, ...], name: str, **values: Any) -> str:
    return tidy(render_raw(dirs, name, **values))


def render_raw(dirs: tuple[str, ...], name: str, **values: Any) -> str:
    """The template's output before `tidy` (a kept page has parts put in: pages.py)."""
    return environment(dirs).get_template(f"okrkit/{name}").render(**values)


def tidy(out: str) -> str:
    return collapse(out).strip() + "\n"


def collapse(out: str) -> str:
    """Never more than one blank line (raw HTML blocks end at a blank line)."""
    # str.replace until no run of three is left: the same result as re.sub(r"\n{3,}",
    # "\n\n") (each pass shortens every longer run, and makes no new one), several times
    # faster over 800 team pages of 60 KB, whose runs are three or four newlines long
    while "\n\n\n" in out:
        out = out.replace("\n\n\n", "\n\n")
    return out


def macros(dirs: tuple[str, ...], t: Any) -> Any:
    """macros.md as a module: a macro's output alone (the notices put into a kept page)."""
    return environment(dirs).get_template("okrkit/macros.md").make_module({"t": t})
