"""Every page of the site, from the tree, the history and the lint findings.

`build_site` is the one entry point: the MkDocs plugin wraps its pages in
`File.generated`, `okr site --out` writes them as files. Nothing here knows
MkDocs.
"""

from __future__ import annotations

import datetime as dt
import functools
import gc
from collections import defaultdict
from collections.abc import Callable, Hashable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, ParamSpec, TypeVar

from markupsafe import Markup

from okrkit.cycles import Cycle
from okrkit.findings import Finding, Severity
from okrkit.model import Objective, Sheet, Status, mean_progress
from okrkit.site import grades, markup, urls, views
from okrkit.site import render as jinja
from okrkit.site.data import SiteFile, site_files
from okrkit.site.incremental import BuildCache, fingerprint, org_digest, sheet_key, templates_key
from okrkit.site.markup import text_keeping_dates
from okrkit.site.strings import Strings
from okrkit.tree import current_cycle

if TYPE_CHECKING:
    from okrkit.history import History
    from okrkit.tree import Tree

CSS_PATH = "assets/okrkit/okrkit.css"
# what the pages' Markdown needs: `{#id}` anchors, tables, and the rule pages' Bad/Good
# examples (pymdownx.superfences does for fenced_code where a site uses it)
MARKDOWN_EXTENSIONS = ("attr_list", "toc", "tables", "fenced_code")
DEFAULT_NAV_TEAM_LIMIT = 30


@dataclass(frozen=True, slots=True)
class Page:
    """One generated page: a Markdown source at `src` (a path as in a docs folder)."""

    src: str  # "okrs/2026-Q1/marketing.md"
    title: str  # plain text; escaped where it is written
    content: str  # Markdown with raw HTML blocks, front matter included
    yaml_path: str | None = None  # the sheet it shows, from the repository root
    edit_url: str | None = None
    in_nav: bool = True


@dataclass(frozen=True, slots=True)
class NavEntry:
    """The nav: a page (`src`), or a section (`title` and `children`)."""

    src: str | None = None
    title: str | None = None
    children: tuple[NavEntry, ...] = ()

    def as_mkdocs(self) -> Any:
        """The entry as MkDocs' `nav:` config writes it (section titles escaped)."""
        if self.src is not None:
            return self.src
        return {str(jinja.text(self.title or "")): [c.as_mkdocs() for c in self.children]}


@dataclass(frozen=True, slots=True)
class Site:
    pages: tuple[Page, ...]
    nav: tuple[NavEntry, ...]
    # data beside the pages: api/v1 JSON, Atom feeds, badges (site/data.py)
    files: tuple[SiteFile, ...] = ()

    def mkdocs_nav(self) -> list[Any]:
        return [entry.as_mkdocs() for entry in self.nav]

    def nav_with_docs(self, docs: Sequence[str], *, first: Sequence[str] = (),
                      section: str | None = None) -> list[Any]:
        """The nav, then the user's own pages (`docs`): those named in `first` leading, in
        that order, the rest as given; under `section` when named (the plugin's
        `docs_nav_first` and `docs_nav_section`, for either engine)."""
        leading = [p for p in first if p in docs]
        own = leading + [p for p in docs if p not in leading]
        return [*self.mkdocs_nav(), *([{section: own}] if section and own else own)]


_P = ParamSpec("_P")
_R = TypeVar("_R")


def _without_collector(fn: Callable[_P, _R]) -> Callable[_P, _R]:
    """`fn` with the cyclic collector paused. Page generation makes millions of small
    values (views, strings, template frames) beside the history and the tree already in
    memory (hundreds of thousands of acyclic values): each full collection walked them
    all again, a tenth of the time of the 800-sheet benchmark's pages, and found little
    (tree.py, history.py and the rules runner pause it for the same reason). The few
    cycles the templates leave are freed by the next collection after."""
    @functools.wraps(fn)
    def paused(*args: _P.args, **kwargs: _P.kwargs) -> _R:
        collecting = gc.isenabled()
        gc.disable()
        try:
            return fn(*args, **kwargs)
        finally:
            if collecting:
                gc.enable()
    return paused


@_without_collector
def build_site(tree: Tree, history: History, *, today: dt.date, lang: str,
               findings: Sequence[Finding] = (),
               suppressed: Sequence[tuple[Finding, str]] = (), repo_url: str | None = None,
               edit_uri: str | None = None, directory_urls: bool = True,
               template_dirs: Sequence[str | Path] = (), rules: Sequence[Any] | None = None,
               nav_team_limit: int = DEFAULT_NAV_TEAM_LIMIT, changes_limit: int = 400,
               md_links: bool = False, site_url: str | None = None,
               includes: Sequence[Any] = (), commit_links: bool = True,
               cache: BuildCache | None = None) -> Site:
    """All pages and the nav. `cache` (under `mkdocs serve`, after `cache.begin`): what
    the last build made from the same inputs is reused (site/incremental.py).
    `suppressed`: the findings silenced inline, each with its reason (the lint page lists
    them, so a silenced pitfall stays visible to the whole team)."""
    ctx = views.Context(tree=tree, history=history, today=today, s=Strings(lang),
                        findings=tuple(findings), suppressed=tuple(suppressed),
                        repo_url=repo_url, edit_uri=edit_uri,
                        urls=urls.Urls(directory_urls=directory_urls, md_links=md_links),
                        changes_limit=changes_limit, includes=tuple(includes),
                        commit_links=commit_links, cache=cache)
    registry = _rules()
    rule_list = registry if rules is None else list(rules)  # the rule pages built
    dirs = jinja.template_dirs(template_dirs)
    builder = _Builder(ctx, dirs, registry, built={r.code for r in rule_list})
    cycles = sorted(tree.cycles(), key=Cycle.sort_key, reverse=True)
    # newest first in the nav; the current cycle leads
    current = current_cycle(tree, today)
    if current is not None and current in cycles:
        cycles.remove(current)
        cycles.insert(0, current)
    by_cycle: dict[str, list[Sheet]] = defaultdict(list)  # in the tree's order
    for sheet in tree.sheets:
        by_cycle[sheet.cycle_id].append(sheet)
    if cache is not None:
        cache.begin_site((
            lang, today, repo_url, edit_uri, directory_urls, dirs, nav_team_limit,
            changes_limit, md_links, site_url, commit_links, fingerprint(tree.config),
            org_digest(tree), tuple((s.cycle_id, s.team, s.path) for s in tree.sheets),
            fingerprint(cycles), tuple(r.code for r in rule_list), templates_key(dirs),
            fingerprint([i.export for i in includes]) if includes else None,
            history.available, history.shallow, fingerprint(history.warnings)))
    # after `begin_site`: what they keep in the cache is this build's
    stale = views.stale_index(ctx)
    children = views.children_index(tree)

    def made(src: str, key: Hashable | None, make: Callable[[], _Made]) -> Page:
        """The page, made again only when its inputs (`key`; None: always) changed."""
        if cache is None or key is None:
            return builder.finish(make())
        found = cache.page(src, key, make)
        if found.lead < 0:  # made with this build's notices: not kept
            cache.pages.pop(src, None)
        return builder.finish(found)

    def keys(sheets: Sequence[Sheet]) -> tuple[Hashable, ...]:
        return tuple(sheet_key(tree, s) for s in sheets)

    stale_teams = {tuple(ref.split("/", 2)[:2]) for ref in stale}

    def team_key(sheet: Sheet, in_nav: bool) -> Hashable:
        # what a team page shows of other sheets: its parents' and its children's objectives
        near: list[Hashable] = []
        for objective in sheet.objectives:
            parent = None
            if objective.parent:  # most have none, and no child: nothing split or joined
                parts = objective.parent.split("/")
                parent = ctx.sheet(parts[0], parts[1]) if len(parts) == 3 else None
            near.append(None if parent is None else sheet_key(tree, parent))
            kids = children.get(sheet.ref(objective))
            near.append(keys([s for s, _ in kids]) if kids else ())
        notes = tuple(tuple(stale.get(sheet.ref(o, kr), ())) for o in sheet.objectives
                      for kr in o.key_results) if (sheet.cycle_id, sheet.team) in stale_teams \
            else ()  # most sheets have none: no ref made for each key result
        return ("team", sheet_key(tree, sheet), in_nav, tuple(near), notes)

    # the changes page (and the dashboard's latest) links the key results still there
    # (each cycle's refs kept under serve by its sheets: 16,000 made for each rebuild
    # otherwise, and 800 look-ups when kept by sheet)
    kr_refs = {c.id: ctx.keep("kr-refs", c.id, by_cycle.get(c.id, ()),
                              functools.partial(_kr_refs, by_cycle.get(c.id, ())))
               for c in cycles}
    if cache is not None and ctx.history.available:
        for cycle in cycles:  # the rows as kept: a check-in's edit adds none (same HEAD)
            changes_src = urls.changes_src(cycle.id)
            ctx._changes[f"{changes_src}\0{cycle.id}"] = cache.datum(
                ("changes", cycle.id, kr_refs[cycle.id]),
                functools.partial(views.cycle_changes, ctx, changes_src, cycle.id))
    pages: list[Page] = [made(urls.index_src(), None, lambda: builder.dashboard(
        current, cycles, by_cycle, stale))]
    nav: list[NavEntry] = [NavEntry(src=urls.index_src())]
    for cycle in cycles:
        sheets = sorted(by_cycle.get(cycle.id, ()),
                        key=lambda s: (ctx.team_name(s.team).casefold(), s.team))
        in_nav = len(sheets) <= nav_team_limit
        cycle_keys = keys(sheets)
        refs = kr_refs[cycle.id]
        pages.append(made(urls.cycle_src(cycle.id), ("cycle", cycle_keys),
                          lambda c=cycle, ss=sheets: builder.cycle(c, ss)))  # type: ignore[misc]
        for sheet in sheets:
            pages.append(made(urls.team_src(cycle.id, sheet.team), team_key(sheet, in_nav),
                              lambda c=cycle, s=sheet, n=in_nav:  # type: ignore[misc]
                              builder.team(c, s, children, stale, in_nav=n)))
        scope = _alignment_scope(tree, by_cycle, cycle)
        pages.append(made(urls.alignment_src(cycle.id), ("alignment", keys(scope)),
                          lambda c=cycle, ss=scope:  # type: ignore[misc]
                          builder.alignment(c, ss, children)))
        pages.append(made(urls.changes_src(cycle.id), ("changes", refs),
                          lambda c=cycle: builder.changes(c)))  # type: ignore[misc]
        section = [NavEntry(src=urls.cycle_src(cycle.id))]
        if in_nav:
            section += [NavEntry(src=urls.team_src(cycle.id, s.team)) for s in sheets]
        section += [NavEntry(src=urls.alignment_src(cycle.id)),
                    NavEntry(src=urls.changes_src(cycle.id))]
        nav.append(NavEntry(title=ctx.cycle_label(cycle), children=tuple(section)))
    if includes:  # other repositories' OKRs, read-only, after the local cycles
        pages += [made(urls.included_src(i.name), ("included",),
                       lambda i=i: builder.included(i))  # type: ignore[misc]
                  for i in includes]
        nav.append(NavEntry(title=ctx.s("included"), children=tuple(
            NavEntry(src=urls.included_src(i.name)) for i in includes)))
    # the lint page: the findings as shown, and the silenced ones with their reasons (the
    # sheets it links to are in the site's key)
    pages.append(made(urls.lint_src(), ("lint", tuple(
        (f.pos, f.code, f.severity, f.message(lang)) for f in ctx.findings), tuple(
        (f.pos, f.code, f.message(lang), why) for f, why in ctx.suppressed)), builder.lint))
    nav.append(NavEntry(src=urls.lint_src()))
    if rule_list:
        pages.append(made(urls.rules_src(), ("rules",), lambda: builder.rules(rule_list)))
        pages += [made(urls.rule_src(r.code), ("rule",),
                       lambda r=r: builder.rule(r))  # type: ignore[misc]
                  for r in rule_list]
        nav.append(NavEntry(src=urls.rules_src()))
    files = site_files(tree, history, today=today, lang=lang, page_urls=ctx.urls,
                       site_url=site_url, cache=cache, progress_of=ctx.progress)
    return Site(tuple(pages), tuple(nav), tuple(files))


def _rules() -> list[Any]:
    try:
        from okrkit.rules import all_rules
    except ImportError:  # pragma: no cover (the rule registry ships with okrkit)
        return []
    return list(all_rules())


@dataclass(frozen=True, slots=True)
class _CycleSummary:
    """What the dashboard and the cycle page both show of a cycle: its cards and teams."""

    elapsed: str
    overall: views.Bar
    counts: list[views.StatusCount]
    totals: str
    teams: list[views.TeamRow]


_MARK = views.Notice("okrkitnoticesmark", "okrkitnoticesmark", "okrkitnoticesmark")


class _Made:
    """A page as rendered, before the notices and the print footer go in; what a serve's
    `BuildCache` keeps of it.

    The notices change when the work tree turns dirty, on every page that shows them: they
    are put into the page, not rendered again. The template is rendered with a marker in
    their place (`_MARK`), the text around it kept tidied: `tidy` only merges runs of
    newlines, so tidy(A + notices + B) is tidy's A (up to its trailing newlines), the
    newlines around the notices with them, and tidy's B."""

    __slots__ = ("after", "before", "body", "edit_url", "head", "in_nav", "last", "lead",
                 "src", "tail", "title", "yaml_path")

    def __init__(self, src: str, title: str, head: str, yaml_path: str | None,
                 edit_url: str | None, in_nav: bool) -> None:
        self.src, self.title, self.head = src, title, head
        self.yaml_path, self.edit_url, self.in_nav = yaml_path, edit_url, in_nav
        self.body: str | None = None  # the whole tidied body: no notices to put in
        self.before = self.after = ""  # tidied, around the notices
        self.lead = self.tail = 0  # the newlines right before and after the notices
        self.last: tuple[tuple[str, str], Page] | None = None

    def split(self, raw: str, mark: str) -> bool:
        """Keep `raw` around its one `mark`; False when it has none, or more, or nothing
        on one side (then tidy's strip would reach the notices)."""
        at = raw.find(mark)
        if at < 0 or raw.find(mark, at + 1) >= 0:
            return False
        before, after = raw[:at].rstrip("\n"), raw[at + len(mark):].lstrip("\n")
        if not before.strip() or not after.strip():
            return False
        self.lead, self.tail = at - len(before), len(raw) - at - len(mark) - len(after)
        self.before = jinja.collapse(before).lstrip()
        self.after = jinja.collapse(after).rstrip() + "\n"
        return True

    def content(self, head: str, notices: str, footer: str) -> str:
        """`head`, the body with `notices` put in, and `footer`, in one join: when the work
        tree turns dirty a serve's rebuild puts new notices into all 846 pages, tens of
        KB each, and a copy each for `+` was a tenth of its time."""
        if self.body is not None:
            return "".join((head, self.body, footer))
        return "".join((head, self.before, _between(self.lead, notices, self.tail), self.after,
                        footer))


@functools.lru_cache(maxsize=8)
def _between(lead: int, notices: str, tail: int) -> str:
    """The notices and the newlines around them, tidied (the same for most pages)."""
    return jinja.collapse("\n" * lead + notices + "\n" * tail)


class _Builder:
    def __init__(self, ctx: views.Context, dirs: tuple[str, ...], registry: Sequence[Any],
                 *, built: set[str]) -> None:
        self.ctx = ctx
        self.dirs = dirs
        self.registry = {r.code: r for r in registry}  # every rule's title
        self.built = built  # the codes with a rule page: the lint page links only to those
        self._footer: str | None = None
        self._marker: str | None = None
        self._macro_module: Any = None
        self._notices: str | None = None

    def _page(self, src: str, template: str, title: str, *, meta: Mapping[str, Any] | None = None,
              yaml_path: str | None = None, edit_url: str | None = None, in_nav: bool = True,
              **values: Any) -> _Made:
        ctx = self.ctx
        made = _Made(src, title, jinja.front_matter({"title": title, **(meta or {})}),
                     yaml_path, edit_url, in_nav)
        notices = values.get("notices")
        if notices is not None:  # put in by `finish`: a kept page takes the notices of now
            values["notices"] = [_MARK]
        values["kept"] = functools.partial(self._kept, src)
        raw = jinja.render_raw(self.dirs, template, t=ctx.s, title=title, src=src,
                               yaml_path=yaml_path, edit_url=edit_url, **values)
        if notices is not None and not made.split(raw, self._mark()):
            # a template override shows them otherwise: rendered with the notices of now,
            # and not kept (BuildCache.page)
            values["notices"] = notices
            made.body = jinja.tidy(jinja.render_raw(
                self.dirs, template, t=ctx.s, title=title, src=src, yaml_path=yaml_path,
                edit_url=edit_url, **values))
            made.lead = -1
        elif notices is None:
            made.body = jinja.tidy(raw)
        return made

    def _kept_page(self, src: str, template: str, title: str, **values: Any) -> _Made:
        """`_page` for a page made at every build (the dashboard: what it shows comes from
        every cycle), kept under serve while what it shows compares equal, the notices
        aside (`finish` puts them in); then its Markdown is not joined again either."""
        make = functools.partial(self._page, src, template, title, **values)
        if self.ctx.cache is None:
            return make()
        shown = (template, title, {k: v for k, v in values.items() if k != "notices"})
        found: _Made = self.ctx.cache.latest(("page", src), shown, make)
        # a template override that shows the notices otherwise has them in its body
        return found if found.lead >= 0 else make()

    def _kept(self, src: str, slot: Hashable, inputs: object, *, caller: Callable[[], str]
              ) -> str:
        """`{% call kept(slot, inputs) %}…{% endcall %}` in a template: the block's output,
        kept under serve for the page's `slot` while `inputs` (all the block reads besides
        the site's strings and macros) compare equal (BuildCache.latest)."""
        if self.ctx.cache is None:
            return caller()
        return self.ctx.cache.latest(("html", src, slot), inputs, caller)

    def _mark(self) -> str:
        if self._marker is None:
            self._marker = str(self._macros().notices([_MARK]))
        return self._marker

    def _macros(self) -> Any:
        if self._macro_module is None:
            self._macro_module = jinja.macros(self.dirs, self.ctx.s)
        return self._macro_module

    def finish(self, made: _Made) -> Page:
        """The page as of now: its kept Markdown with the notices and the footer put in."""
        if self._notices is None:
            self._notices = str(self._macros().notices(self.ctx.notices()))
        footer = self._print_footer()
        if made.last is not None and made.last[0] == (self._notices, footer):
            return made.last[1]
        page = Page(made.src, made.title, made.content(made.head, self._notices, footer),
                    made.yaml_path, made.edit_url, made.in_nav)
        made.last = ((self._notices, footer), page)
        return page

    def _print_footer(self) -> str:
        """The printed page's footer (docs/accessibility.md): the organisation and the date
        of the data, page n of m; CSS margin boxes, so nothing shows on screen."""
        if self._footer is None:
            ctx = self.ctx
            label = ctx.s("print-footer", org=ctx.org_name, date=ctx.data_date().isoformat())
            self._footer = (
                '\n<style class="okr-print-footer">@media print { @page { @bottom-left { '
                f"content: {markup.css_string(label)}; font: 8pt sans-serif; color: #444; }} "
                '@bottom-right { content: counter(page) " / " counter(pages); '
                "font: 8pt sans-serif; color: #444; } } }</style>\n")
        return self._footer

    # -- pages --------------------------------------------------------------------

    def _cycle_summary(self, src: str, cycle: Cycle, sheets: Sequence[Sheet]
                       ) -> dict[str, Any]:
        return dict(self.ctx.keep("summary", f"{src}\0{cycle.id}", sheets,
                                  lambda: self._make_summary(src, cycle, sheets)))

    def _make_summary(self, src: str, cycle: Cycle, sheets: Sequence[Sheet]) -> dict[str, Any]:
        ctx = self.ctx
        expected = cycle.expected_progress(ctx.today)
        overall = mean_progress(sheets, progress_of=ctx.progress)
        summary = _CycleSummary(
            elapsed=ctx.s("elapsed", value=views.fmt_pct(cycle.elapsed(ctx.today)),
                          start=cycle.start.isoformat(), end=cycle.end.isoformat()),
            overall=views.bar(overall, expected, name=views.progress_name(
                ctx.s, ctx.s("overall-progress"), overall)),
            counts=views.status_counts(ctx, sheets),
            totals=ctx.s("sheet-count", teams=len(sheets),
                         objectives=sum(len(s.objectives) for s in sheets),
                         krs=len(_krs(sheets))),
            teams=views.team_rows(ctx, src, sheets, expected))
        # the templates' names for them
        return {name: getattr(summary, name) for name in _CycleSummary.__slots__}

    def dashboard(self, cycle: Cycle | None, cycles: Sequence[Cycle],
                  by_cycle: Mapping[str, Sequence[Sheet]], stale: Mapping[str, list[str]]
                  ) -> _Made:
        ctx = self.ctx
        src = urls.index_src()
        values: dict[str, Any] = {"cycle": None, "notices": ctx.notices(), "report": Markup(""),
                                  "trend": None}
        if cycle is not None and grades.has_ended(ctx, cycle):
            # no active cycle: the last one's report card leads, nothing is "at risk" any more
            return self._ended_dashboard(src, cycle, cycles, by_cycle)
        if cycle is not None:
            last = grades.last_ended(ctx, [c for c in cycles if by_cycle.get(c.id)], cycle)
            if last is not None:
                ended = by_cycle.get(last.id, [])
                values["report"] = ctx.keep("card", f"{src}\0{last.id}", ended,
                                            lambda: self._card(src, last, ended, "dashboard"))
            sheets = by_cycle.get(cycle.id, [])
            values["trend"] = ctx.keep("trend", f"{cycle.id}\0overview", sheets,
                                       lambda: grades.progress_chart(
                                           ctx, ctx.cycle_label(cycle), cycle, sheets,
                                           "trend-overview"))
            attention = list(ctx.keep("attention", src, sheets, lambda: [
                views.kr_line(ctx, src, s, o, kr) for s, o, kr in _krs(sheets)
                if ctx.kr_status(s, kr) in (Status.AT_RISK, Status.OFF_TRACK)]))
            attention.sort(key=lambda k: (k.status != views.css(Status.OFF_TRACK), k.team, k.title))
            # a sheet's stale notes are its OKR503 findings (its bytes, the history, today)
            stale_lines = [line for s in sheets for line in ctx.keep(
                "stale", src, [s], functools.partial(_stale_lines, ctx, src, s, stale))]
            changes = views.latest_changes(ctx, src, cycle.id, 10)
            others = []
            for other in cycles:
                if other.id == cycle.id:
                    continue
                others.append(views.Link(ctx.cycle_label(other),
                                         ctx.urls.href(src, urls.cycle_src(other.id)),
                                         grades.cycle_meta(ctx, other,
                                                           by_cycle.get(other.id, []))))
            values.update(
                cycle=cycle, cycle_label=ctx.cycle_label(cycle),
                cycle_href=ctx.urls.href(src, urls.cycle_src(cycle.id)),
                changes_href=ctx.urls.href(src, urls.changes_src(cycle.id)),
                alignment_href=ctx.urls.href(src, urls.alignment_src(cycle.id)),
                **self._cycle_summary(src, cycle, sheets),
                attention=attention[:25], attention_more=max(len(attention) - 25, 0),
                attention_count=len(attention),
                off_track=any(k.status == views.css(Status.OFF_TRACK) for k in attention),
                stale=stale_lines[:25], stale_more=max(len(stale_lines) - 25, 0),
                stale_count=len(stale_lines), changes=changes, others=others)
        return self._kept_page(src, "dashboard.md", ctx.s("overview"), meta={"hide": ["toc"]},
                               org=ctx.org_name, **values)

    def _card(self, src: str, cycle: Cycle, sheets: Sequence[Sheet], mode: str) -> Markup:
        """An ended cycle's report card: "report-card" once graded, else "last-results"
        (provisional) on the dashboard."""
        card = grades.report_card(self.ctx, src, cycle, sheets)
        if mode == "dashboard" and not card.graded:
            card = grades.report_card(self.ctx, src, cycle, sheets, title_key="last-results")
        return grades.render_card(self.ctx, self.dirs, card, mode=mode)

    def _ended_dashboard(self, src: str, cycle: Cycle, cycles: Sequence[Cycle],
                         by_cycle: Mapping[str, Sequence[Sheet]]) -> _Made:
        ctx = self.ctx
        others = [views.Link(ctx.cycle_label(c), ctx.urls.href(src, urls.cycle_src(c.id)),
                             grades.cycle_meta(ctx, c, by_cycle.get(c.id, [])))
                  for c in cycles if c.id != cycle.id]
        return self._kept_page(src, "dashboard_ended.md", ctx.s("overview"),
                               meta={"hide": ["toc"]}, org=ctx.org_name, notices=ctx.notices(),
                               report=self._card(src, cycle, by_cycle.get(cycle.id, []),
                                                 "dashboard"),
                               trend=grades.progress_chart(ctx, ctx.cycle_label(cycle), cycle,
                                                           by_cycle.get(cycle.id, []),
                                                           "trend-overview"),
                               others=others)

    def cycle(self, cycle: Cycle, sheets: Sequence[Sheet]) -> _Made:
        ctx = self.ctx
        src = urls.cycle_src(cycle.id)
        summary = self._cycle_summary(src, cycle, sheets)
        report = Markup("")
        if grades.has_ended(ctx, cycle) and sheets:
            # the grades lead; statuses become final outcomes
            card = grades.report_card(ctx, src, cycle, sheets)
            report = grades.render_card(ctx, self.dirs, card, mode="cycle")
            summary["counts"] = list(card.outcomes)
            summary["teams"] = grades.final_team_rows(ctx, card, summary["teams"])
        return self._page(
            src, "cycle.md", ctx.s("cycle-title", cycle=ctx.cycle_label(cycle)), report=report,
            trend=grades.progress_chart(ctx, ctx.cycle_label(cycle), cycle, sheets,
                                        f"trend-{cycle.id}"),
            cycle=cycle, notices=ctx.notices(), **summary,
            alignment_href=ctx.urls.href(src, urls.alignment_src(cycle.id)),
            changes_href=ctx.urls.href(src, urls.changes_src(cycle.id)))

    def team(self, cycle: Cycle, sheet: Sheet,
             children: Mapping[str, list[tuple[Sheet, Objective]]],
             stale: Mapping[str, list[str]], *, in_nav: bool) -> _Made:
        ctx = self.ctx
        src = urls.team_src(cycle.id, sheet.team)
        objectives = grades.with_confidence(ctx, sheet, [
            views.objective_view(ctx, src, sheet, o, children, stale) for o in sheet.objectives])
        counts = views.status_counts(ctx, [sheet])
        report = Markup("")
        if grades.has_ended(ctx, cycle):
            # the grades lead; statuses become final outcomes
            card = grades.report_card(ctx, src, cycle, [sheet])
            objectives = grades.final_objectives(ctx, card, objectives)
            counts = list(card.outcomes)
            report = grades.render_card(ctx, self.dirs, card, mode="team")
        attention = [(o, kr) for o in objectives for kr in o.krs
                     if kr.status in (views.css(Status.AT_RISK), views.css(Status.OFF_TRACK))]
        yaml_path = ctx.yaml_path(sheet)
        edit_url = ctx.edit_url(sheet)
        title = ctx.s("team-title", team=ctx.team_name(sheet.team), cycle=ctx.cycle_label(cycle))
        return self._page(
            src, "team.md", title, yaml_path=yaml_path, edit_url=edit_url, in_nav=in_nav,
            cycle=cycle, sheet=sheet, team=ctx.team_name(sheet.team),
            owner=ctx.person(sheet.owner), notes=sheet.notes, notices=ctx.notices(),
            cycle_href=ctx.urls.href(src, urls.cycle_src(cycle.id)),
            cycle_label=ctx.cycle_label(cycle),
            overall=views.bar(sheet.progress(), cycle.expected_progress(ctx.today),
                              name=views.progress_name(ctx.s, title, sheet.progress())),
            counts=counts, objectives=objectives, report=report,
            trend=grades.progress_chart(ctx, title, cycle, [sheet],
                                        f"trend-{cycle.id}-{sheet.team}"),
            attention=attention, has_charts=any(kr.chart or kr.confidence_chart
                                                             for o in objectives for kr in o.krs),
            off_track=any(kr.status == views.css(Status.OFF_TRACK) for _, kr in attention))

    def alignment(self, cycle: Cycle, scope: Sequence[Sheet],
                  children: Mapping[str, list[tuple[Sheet, Objective]]]) -> _Made:
        """`scope`: `_alignment_scope`'s sheets."""
        ctx = self.ctx
        src = urls.alignment_src(cycle.id)
        in_scope = {s.ref(o) for s in scope for o in s.objectives}

        def own(sheet: Sheet, objective: Objective) -> dict[str, Any]:
            status = views.objective_status(ctx, sheet, objective)
            return {"title": objective.title, "team": ctx.team_name(sheet.team),
                    "cycle": sheet.cycle_id, "status": views.css(status),
                    "status_label": ctx.status_label(status),
                    "bar": views.bar(objective.progress(), name=views.progress_name(
                        ctx.s, objective.title, objective.progress(), status)),
                    "href": ctx.urls.href(src, urls.team_src(sheet.cycle_id, sheet.team),
                                          urls.objective_anchor(objective.id))}

        owns: dict[int, dict[str, Any]] = {}  # id(objective) → what its node shows of it

        def node(sheet: Sheet, objective: Objective, seen: frozenset[str]) -> dict[str, Any]:
            ref = sheet.ref(objective)
            kids = [node(s, o, seen | {ref}) for s, o in children.get(ref, ())
                    if s.ref(o) in in_scope and s.ref(o) not in seen]
            found = owns.get(id(objective))
            if found is None:  # a sheet's objectives at once, kept by the sheet under serve
                kept = ctx.keep("alignment-node", src, [sheet],
                                lambda: [own(sheet, o) for o in sheet.objectives])
                owns.update(zip(map(id, sheet.objectives), kept, strict=True))
                found = owns[id(objective)]
            return {**found, "children": kids}

        def is_root(objective: Objective) -> bool:
            return not objective.parent or objective.parent not in in_scope

        themes = []
        org_themes = ctx.tree.org.themes if ctx.tree.org is not None else ()
        for theme in org_themes:
            roots = [node(s, o, frozenset()) for s in scope for o in s.objectives
                     if theme.id in o.strategy and is_root(o)]
            themes.append({"id": theme.id, "title": theme.title,
                           "description": theme.description, "objectives": roots})
        known = {t.id for t in org_themes}
        unaligned = [node(s, o, frozenset()) for s in scope for o in s.objectives
                     if is_root(o) and not (set(o.strategy) & known)]
        return self._page(src, "alignment.md",
                          ctx.s("alignment-title", cycle=ctx.cycle_label(cycle)),
                          cycle=cycle, themes=themes, unaligned=unaligned)

    def changes(self, cycle: Cycle) -> _Made:
        ctx = self.ctx
        src = urls.changes_src(cycle.id)
        rows = views.cycle_changes(ctx, src, cycle.id)
        plan = [r for r in rows if r.kind == "plan"]
        checkins = [r for r in rows if r.kind != "plan"]
        shown = checkins[:ctx.changes_limit]
        weeks: dict[str, list[views.ChangeRow]] = defaultdict(list)
        for row in shown:
            weeks[views.week_of(row.date)].append(row)
        return self._page(
            src, "changes.md", ctx.s("changes-title", cycle=ctx.cycle_label(cycle)),
            cycle=cycle, notices=ctx.notices(), available=ctx.history.available,
            plan=plan, weeks=[(ctx.s("week-of", date=w), r) for w, r in weeks.items()],
            omitted=len(checkins) - len(shown), events=views.cycle_events(ctx, cycle.id))

    def included(self, included: Any) -> _Made:
        """Another repository's export: its cycles, teams, objectives and key results as
        it computed them (progress and status are not recomputed here), linking back."""
        ctx = self.ctx
        src = urls.included_src(included.name)
        export = included.export

        def status(value: str) -> tuple[str, str]:
            return views.css(Status(value)), ctx.status_label(Status(value))

        cycles = []
        for cycle in export["cycles"]:
            teams = []
            for sheet in cycle["sheets"]:
                objectives = []
                for o in sheet["objectives"]:
                    krs = [{"title": kr["title"], "bar": views.bar(kr["progress"]),
                            **dict(zip(("status", "status_label"), status(kr["status"]),
                                       strict=True))} for kr in o["key_results"]]
                    objectives.append({
                        "title": o["title"], "bar": views.bar(o["progress"]), "krs": krs,
                        "anchor": urls.included_anchor(cycle["id"], sheet["team"], o["id"]),
                        "href": included.page_url(sheet, urls.objective_anchor(o["id"]))})
                css, label = status(sheet["status"])
                teams.append({"name": sheet["team_name"], "href": included.page_url(sheet),
                              "bar": views.bar(sheet["progress"]), "status": css,
                              "status_label": label, "objectives": objectives})
            cycles.append({"id": cycle["id"], "title": cycle["title"],
                           "bar": views.bar(cycle["progress"]), "teams": teams})
        org = export["organisation"]["name"] or included.name
        return self._page(
            src, "included.md", ctx.s("included-title", org=org, name=included.name),
            lead=ctx.s("included-lead", date=export["generated"], source=included.source),
            home=included.site, cycles=cycles)

    def lint(self) -> _Made:
        ctx = self.ctx
        src = urls.lint_src()
        findings = list(ctx.findings)
        by_rule: dict[str, list[Finding]] = defaultdict(list)
        by_team: dict[tuple[str, str], list[Finding]] = defaultdict(list)
        for f in findings:
            by_rule[f.code].append(f)
            where = views.sheet_of_path(f.pos.path)
            by_team[where or ("", "")].append(f)
        rule_rows = []
        for code in sorted(by_rule):
            rule = self.registry.get(code)
            rule_rows.append(views.RuleCount(
                code, rule.title_in(ctx.lang) if rule is not None else "",
                ctx.urls.href(src, urls.rule_src(code)) if code in self.built else None,
                max(f.severity for f in by_rule[code]).label, len(by_rule[code])))
        team_rows = []
        for (cycle_id, team), group in sorted(by_team.items()):
            known = ctx.sheet(cycle_id, team) is not None
            team_rows.append(views.TeamFindings(
                ctx.team_name(team) if team else ctx.s("organisation"), cycle_id,
                ctx.urls.href(src, urls.team_src(cycle_id, team)) if known else None,
                views.severity_counts(group)))
        ordered = sorted(findings, key=lambda f: (-f.severity, f.sort_key()))
        rows = [self._finding_row(src, f) for f in ordered[:ctx.findings_limit]]
        silenced = sorted(ctx.suppressed, key=lambda pair: pair[0].sort_key())
        silenced_rows = [(self._finding_row(src, f), why)
                         for f, why in silenced[:ctx.findings_limit]]
        errors, warnings, infos = views.severity_counts(findings)
        return self._page(src, "lint.md", ctx.s("lint"), rules=rule_rows, teams=team_rows,
                          findings=rows, omitted=max(len(findings) - ctx.findings_limit, 0),
                          silenced=silenced_rows,
                          silenced_omitted=max(len(silenced) - ctx.findings_limit, 0),
                          summary=ctx.s("lint-summary", errors=errors, warnings=warnings,
                                        infos=infos),
                          severities=[ctx.s(f"severity-{s.label}") for s in
                                      (Severity.ERROR, Severity.WARNING, Severity.INFO)])

    def _finding_row(self, src: str, f: Finding) -> views.FindingRow:
        ctx = self.ctx
        where = views.sheet_of_path(f.pos.path)
        known = where is not None and ctx.sheet(*where) is not None
        return views.FindingRow(
            str(f.pos), ctx.urls.href(src, urls.team_src(*where)) if known and where
            else None, f.code,
            ctx.urls.href(src, urls.rule_src(f.code)) if f.code in self.built else None,
            f.severity.label, ctx.s(f"severity-{f.severity.label}"),
            text_keeping_dates(f.message(ctx.lang)))

    def rules(self, rules: Sequence[Any]) -> _Made:
        ctx = self.ctx
        src = urls.rules_src()
        rows = [views.RuleCount(r.code, r.title_in(ctx.lang),
                                ctx.urls.href(src, urls.rule_src(r.code)),
                                r.severity.label, 0) for r in rules]
        return self._page(src, "rules.md", ctx.s("rules"), rules=rows,
                          severity_label={s.label: ctx.s(f"severity-{s.label}")
                                          for s in Severity})

    def rule(self, rule: Any) -> _Made:
        ctx = self.ctx
        src = urls.rule_src(rule.code)
        doc = rule.doc_in(ctx.lang).strip()
        body = doc.split("\n", 1)[1].strip() if "\n" in doc else ""
        from markupsafe import Markup

        # the docstring is okrkit's own Markdown (not YAML from a user): rendered as is
        return self._page(src, "rule.md", f"{rule.code} · {rule.title_in(ctx.lang)}",
                          in_nav=False, rule=rule, body=Markup(body),
                          severity=ctx.s(f"severity-{rule.severity.label}"),
                          rules_href=ctx.urls.href(src, urls.rules_src()))


def _alignment_scope(tree: Tree, by_cycle: Mapping[str, Sequence[Sheet]], cycle: Cycle
                     ) -> list[Sheet]:
    """The sheets an alignment page shows: those of `cycle`, of the cycles holding it and of
    those it holds (a year and its quarters), in the tree's order. The cycles are compared
    once each, not once for each of 800 sheets (at every serve rebuild)."""
    ids = {cycle_id for cycle_id in by_cycle if (c := tree.cycle(cycle_id)) is not None
           and (c.contains(cycle) or cycle.contains(c))}
    return [s for s in tree.sheets if s.cycle_id in ids]


def _stale_lines(ctx: views.Context, src: str, sheet: Sheet, stale: Mapping[str, list[str]]
                 ) -> list[views.KrLine]:
    return [views.kr_line(ctx, src, sheet, o, kr, note="; ".join(stale[sheet.ref(o, kr)]))
            for o in sheet.objectives for kr in o.key_results if sheet.ref(o, kr) in stale]


def _kr_refs(sheets: Sequence[Sheet]) -> tuple[str, ...]:
    return tuple(s.ref(o, kr) for s in sheets for o in s.objectives for kr in o.key_results)


def _krs(sheets: Sequence[Sheet]) -> list[tuple[Sheet, Objective, Any]]:
    return [(s, o, kr) for s in sheets for o in s.objectives for kr in o.key_results]
