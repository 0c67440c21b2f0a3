"""Model + history → what the page templates show: every number computed and formatted here.

Templates only lay things out; progress, status and scoring come from
`okrkit.model`, never recomputed in a template.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import os
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import quote, urlencode, urlsplit

from markupsafe import Markup

from okrkit import model
from okrkit.cycles import Cycle, parse_date
from okrkit.findings import Finding, Severity
from okrkit.model import (
    VERDICT_LABELS,
    KeyResult,
    Objective,
    Sheet,
    Status,
    grade_verdict,
    is_number,
)
from okrkit.numbers import with_unit
from okrkit.pairing import CHECKIN_FIELDS
from okrkit.site import svg, urls
from okrkit.site.markup import safe_url
from okrkit.site.strings import STRINGS, Strings

if TYPE_CHECKING:
    from okrkit.history import Commit, History, KrState, TimelinePoint
    from okrkit.tree import Tree

STATUS_ORDER = (Status.OFF_TRACK, Status.AT_RISK, Status.ON_TRACK, Status.UNKNOWN)


# -- formatting ---------------------------------------------------------------


def fmt_number(value: float | int) -> str:
    if isinstance(value, int):
        return f"{value:,}"
    if value.is_integer() and abs(value) < 1e15:
        return f"{int(value):,}"
    return f"{value:,.4f}".rstrip("0").rstrip(".")


def css(status: Status) -> str:
    """A status as a CSS class suffix and data value: on-track, at-risk, off-track, unknown."""
    return status.value.replace("_", "-")


def fmt_pct(value: float | None) -> str:
    return "—" if value is None else f"{round(value * 100):d}%"


@dataclass(frozen=True, slots=True)
class Bar:
    """A progress bar: width is the clamped progress, label the raw one (over 100 % shows)."""

    width: str  # "57.0": percent of the bar, 0..100
    label: str  # "74%" or "130%"
    ratio: str  # the clamped progress 0..1, for tests and screen readers
    expected: str | None = None  # where the cycle's elapsed share falls, percent
    name: str = ""  # the accessible name: what the bar measures, its value and status


def bar(progress: float | None, expected: float | None = None, *, name: str = "") -> Bar:
    exp = None if expected is None else f"{model.clamp(expected) * 100:.1f}"
    if progress is None:
        return Bar("0.0", "—", "0", exp, name)
    clamped = model.clamp(progress)
    return Bar(f"{clamped * 100:.1f}", fmt_pct(progress), f"{clamped:.4f}", exp, name)


def progress_name(s: Strings, title: str, progress: float | None,
                  status: Status | None = None) -> str:
    """A progress bar's accessible name, "<title>: 65%, On track" (WCAG 4.1.2: a
    progressbar needs a name; the status in words, never by the bar's colour alone)."""
    value = s("status-unknown") if progress is None else fmt_pct(progress)
    if status is None:
        return s("progress-name-plain", title=title, value=value)
    return s("progress-name", title=title, value=value, status=s(f"status-{status.value}"))


# -- the shared context -----------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Notice:
    kind: str  # admonition type: info | warning
    title: str
    body: str


_UNKNOWN = object()  # not worked out yet (None is an answer)


@dataclass
class Context:
    """Everything page builders read: the tree, the history and the page options."""

    tree: Tree
    history: History
    today: dt.date
    s: Strings
    findings: Sequence[Finding]
    repo_url: str | None
    edit_uri: str | None
    urls: urls.Urls
    changes_limit: int = 400
    findings_limit: int = 500
    includes: Sequence[Any] = ()  # okrkit.include.Included: other repositories' exports
    # findings silenced inline (`# okr: disable-line CODE -- reason`), with the reason
    suppressed: Sequence[tuple[Finding, str]] = ()
    commit_links: bool = True  # False when the history's commits are not at repo_url
    _status: dict[int, Status] = field(default_factory=dict)
    # lookups the pages make thousands of times (the model's are linear scans)
    _teams: dict[str, str] = field(default_factory=dict)
    _people: dict[str, str] = field(default_factory=dict)
    _sheets: dict[tuple[str, str], Sheet] = field(default_factory=dict)
    _changes: dict[str, list[ChangeRow]] = field(default_factory=dict)
    _trend_steps: dict[str, list[tuple[Commit, float | None]]] = field(default_factory=dict)
    _progress: dict[int, float | None] = field(default_factory=dict)  # by id(sheet)
    # a commit's link and date, asked for on every timeline row that names it (40,000 rows
    # of 5,000 commits on a large site)
    _commit_urls: dict[str, str | None] = field(default_factory=dict)
    _on_github: bool | None = None
    # under `mkdocs serve`: the last build's BuildCache (site/incremental.py), for `keep`
    cache: Any = None

    def __post_init__(self) -> None:
        org = self.tree.org
        if org is not None:
            self._teams = {t.id: t.name for t in reversed(org.teams)}
            self._people = org.person_names()
        self._sheets = {(s.cycle_id, s.team): s for s in reversed(self.tree.sheets)}

    def sheet(self, cycle_id: str, team: str) -> Sheet | None:
        return self._sheets.get((cycle_id, team))

    def keep(self, kind: str, name: str, sheets: Sequence[Sheet], make: Callable[[], Any]
             ) -> Any:
        """`make()`, kept under serve while these sheets' bytes stay (and the history,
        today and the config: the cache's key); `make` reads nothing else of the tree."""
        if self.cache is None:
            return make()
        from okrkit.site.incremental import sheet_key

        key = (kind, name, tuple(sheet_key(self.tree, s) for s in sheets))
        return self.cache.datum(key, make)

    def progress(self, sheet: Sheet) -> float | None:
        """`sheet.progress()`, worked out once a build (a cycle's mean reads every sheet of
        it, on several pages and in the export), and kept under serve while its bytes stay."""
        found = self._progress.get(id(sheet), _UNKNOWN)
        if found is _UNKNOWN:
            found = self._progress[id(sheet)] = self.keep("progress", "", [sheet],
                                                          sheet.progress)
        return found  # type: ignore[return-value]

    @property
    def lang(self) -> str:
        return self.s.lang

    @property
    def org_name(self) -> str:
        return self.tree.org.name if self.tree.org is not None else "OKRs"

    def team_name(self, team_id: str) -> str:
        return self._teams.get(team_id, team_id)

    def person(self, person_id: str | None) -> str:
        if not person_id:
            return "—"
        return self._people.get(person_id, person_id)

    def cycle_label(self, cycle: Cycle) -> str:
        return cycle.title or cycle.id

    def kr_status(self, sheet: Sheet, kr: KeyResult) -> Status:
        key = id(kr)
        if key not in self._status and self.cache is not None:  # a sheet's, as kept
            krs = [k for o in sheet.objectives for k in o.key_results]
            self._status.update(zip(map(id, krs), self.keep(
                "statuses", "", [sheet], lambda: [self._kr_status(sheet, k) for k in krs]),
                strict=True))
        if key not in self._status:
            self._status[key] = self._kr_status(sheet, kr)
        return self._status[key]

    def _kr_status(self, sheet: Sheet, kr: KeyResult) -> Status:
        cycle = self.tree.cycle(sheet.cycle_id)
        return (Status.UNKNOWN if cycle is None else
                model.kr_status(kr, cycle, self.today, self.tree.config.bands))

    def status_label(self, status: Status) -> str:
        return self.s(f"status-{status.value}")

    def yaml_path(self, sheet: Sheet) -> str:
        """The sheet's path from the repository root, as in the repository's URLs."""
        path = Path(os.path.abspath(sheet.path))
        try:
            return path.relative_to(self.tree.config.root.resolve()).as_posix()
        except ValueError:
            return Path(sheet.path).as_posix()

    def edit_url(self, sheet: Sheet) -> str | None:
        if not self.repo_url or self.edit_uri is None:
            return None
        base = self.repo_url.rstrip("/") + "/"
        return safe_url(base + self.edit_uri.strip("/") + "/" + self.yaml_path(sheet)
                        if self.edit_uri.strip("/") else base + self.yaml_path(sheet))

    def commit_url(self, sha: str) -> str | None:
        """A link to the commit when the repository is on GitHub."""
        try:
            return self._commit_urls[sha]
        except KeyError:
            pass
        url = None
        if self.on_github and self.commit_links:
            assert self.repo_url is not None
            url = safe_url(self.repo_url.rstrip("/").removesuffix(".git") + "/commit/" + sha)
        self._commit_urls[sha] = url
        return url

    @property
    def on_github(self) -> bool:
        """`repo_url` is a repository on github.com (commit links, the check-in form)."""
        if self._on_github is None:  # asked once per key result and per timeline row
            parts = urlsplit(self.repo_url) if self.repo_url else None
            self._on_github = parts is not None and parts.scheme == "https" \
                and parts.netloc.lower() in ("github.com", "www.github.com")
        return self._on_github

    def checkin_url(self, ref: str, title: str) -> str | None:
        """The check-in issue form with the key result and a title filled in (GitHub fills
        an issue form's fields from query parameters named by field id); None unless the
        repository is on GitHub."""
        if not self.on_github:
            return None
        assert self.repo_url is not None
        query = urlencode({"template": "okr-checkin.yml", "kr": ref,
                           "title": self.s("check-in-title", title=title)}, quote_via=quote)
        return safe_url(self.repo_url.rstrip("/").removesuffix(".git") + "/issues/new?" + query)

    def data_date(self) -> dt.date:
        """The date of the numbers shown: the newest commit that changed a key result or a
        sheet; today's date with uncommitted changes or without history."""
        history = self.history
        if not history.available or history.dirty:
            return self.today
        dates = [points[-1].commit.date.date() for ref in history.kr_refs()
                 if (points := history.timeline(ref))]
        dates += [event.commit.date.date() for event in history.events()]
        return max(dates, default=self.today)

    def notices(self) -> list[Notice]:
        """Why charts are missing or incomplete: no history, a shallow clone, local edits."""
        found = []
        history = self.history
        if not history.available:
            reasons = " ".join(w.get(self.lang) or w.get("en", "") for w in history.warnings)
            found.append(Notice("info", self.s("history-notice"),
                                self.s("no-history", reason=reasons).strip()))
            return found
        if history.shallow:
            found.append(Notice("warning", self.s("history-notice"), self.s("shallow")))
        for warning in history.warnings:
            text = warning.get(self.lang) or warning.get("en", "")
            if text and not history.shallow:
                found.append(Notice("info", self.s("history-notice"), text))
        if history.dirty:
            found.append(Notice("info", self.s("history-notice"), self.s("dirty")))
        return found


# -- values ---------------------------------------------------------------------


def value_label(ctx: Context, value: object, unit: str | None, direction: str = "increase"
                ) -> str:
    if value is None:
        return "—"
    if isinstance(value, bool):
        return ctx.s("done") if value else ctx.s("not-done")
    if not is_number(value):
        return str(value)
    # NT$5,150,000 as written in Taiwan; 元 and words follow (the feeds say it the same way)
    return with_unit(fmt_number(value), unit)  # type: ignore[arg-type]


def target_label(ctx: Context, kr: KeyResult | KrState) -> str:
    label = value_label(ctx, kr.target, kr.unit)
    if kr.direction == "at_least":
        return ctx.s("at-least", value=label)
    if kr.direction == "at_most":
        return ctx.s("at-most", value=label)
    return label


@dataclass(frozen=True, slots=True)
class Initiative:
    title: str
    done: bool
    owner: str | None
    href: str | None  # None: no link, or one that is not safe to follow


@dataclass(frozen=True, slots=True)
class TimelineRow:
    date: str
    who: str
    sha: str
    commit_href: str | None
    subject: str
    kind: str  # checkin | plan | added
    kind_label: str
    changes: tuple[str, ...]  # "current: 53,000 → 57,400"
    moved: bool  # goal posts moved after the cycle started


@dataclass(frozen=True, slots=True)
class KrView:
    ref: str
    id: str
    anchor: str
    title: str
    metric: str | None
    source: str | None
    baseline: str
    current: str
    target: str
    bar: Bar
    status: str
    status_label: str
    confidence: str
    owner: str
    due: str
    contributors: tuple[Link, ...]  # teams link to their page of the cycle; people are names
    initiatives: tuple[Initiative, ...]
    notes: str | None
    score: str | None
    revisions: tuple[str, ...]
    target_moved: str | None  # "Original target 4.2, revised to 4.0"
    chart: Markup | None
    timeline: tuple[TimelineRow, ...]
    last_checkin: str | None
    stale: tuple[str, ...]  # OKR503 messages
    checkin_url: str | None = None  # the issue form on GitHub, with `okr checkin` beside it
    measured_from: str | None = None  # where `okr measure` reads it: "SQL · env:DB_URL"
    chart_rows: tuple[ChartRow, ...] = ()  # the chart's numbers, as a table beside it
    # confidence over time (site/grades.py), under the value chart, with its own table
    confidence_chart: Markup | None = None
    confidence_rows: tuple[ChartRow, ...] = ()


@dataclass(frozen=True, slots=True)
class Link:
    title: str
    href: str
    meta: str = ""


@dataclass(frozen=True, slots=True)
class ObjectiveView:
    ref: str
    id: str
    anchor: str
    title: str
    description: str | None
    owner: str
    kind: str
    strategy: tuple[Link, ...]
    parent: Link | None
    children: tuple[Link, ...]
    bar: Bar
    status: str
    status_label: str
    score: str | None
    verdict: str | None  # where the score stands for the objective's kind
    retrospective: str | None
    notes: str | None
    krs: tuple[KrView, ...]


def timeline_rows(ctx: Context, ref: str, points: Sequence[TimelinePoint]
                  ) -> list[TimelineRow]:
    """One row per commit that changed the KR; goal posts moved (history's OKR604 facts) marked."""
    moved = {move.commit.sha for move in ctx.history.goal_post_moves(ref)} if points else set()
    rows = []
    previous: KrState | None = None
    for point in points:
        state = point.state
        changes: list[str] = []
        if previous is None or "added" in point.changed:
            kind = "added"
            changes.append(f"{ctx.s('current')}: {value_label(ctx, state.current, state.unit)}")
        else:
            fields = [f for f in point.changed if f != "added"]
            kind = "checkin" if all(f in CHECKIN_FIELDS for f in fields) else "plan"
            if kind == "checkin" and ref in point.commit.measured():
                kind = "measured"
            for name in fields:
                old, new = getattr(previous, name, None), getattr(state, name, None)
                changes.append(f"{_field_label(ctx, name)}: {_plain(ctx, name, old, state)} → "
                               f"{_plain(ctx, name, new, state)}")
        rows.append(_row(ctx, point.commit, kind, changes, point.commit.sha in moved, ref))
        previous = state
    return rows


def measure_label(measure: model.Measure | None) -> str | None:
    """Where a key result's number is read, for its card; no secret (an `env:` name, a
    host) and no credential-bearing URL is shown."""
    if measure is None:
        return None
    spec = measure.spec

    def where(url: object) -> str:
        text = str(url or "")
        return text if text.startswith("env:") else (urlsplit(text).hostname or "?")

    if measure.source == "csv":
        place = spec.get("path") or where(spec.get("url"))
        return f"CSV · {place} · {spec.get('column')}"
    if measure.source == "json":
        return f"JSON · {where(spec.get('url'))} · {spec.get('pointer')}"
    if measure.source == "sql":
        url = str(spec.get("url") or "")
        return f"SQL · {url if url.startswith('env:') else url.split(':', 1)[0]}"
    if measure.source == "ga4":
        return f"Google Analytics 4 · {spec.get('metric')} · {spec.get('property')}"
    return measure.source


def _row(ctx: Context, commit: Commit, kind: str, changes: Sequence[str], moved: bool,
         ref: str = "") -> TimelineRow:
    if kind == "measured":
        label = ctx.s("measured", source=commit.measured().get(ref, "?"))
    else:
        key = _ROW_LABELS.get(kind)
        label = kind if key is None else ctx.s(key)
    return TimelineRow(commit.date.date().isoformat(), commit.author, commit.short,
                       ctx.commit_url(commit.sha), commit.subject, kind, label,
                       tuple(changes), moved)


_ROW_LABELS = {"checkin": "checkin", "plan": "plan-change", "added": "added"}


_KNOWN_FIELDS = frozenset(("current", "confidence", "target", "baseline", "due", "owner"))


def _field_label(ctx: Context, name: str) -> str:
    if name in _KNOWN_FIELDS:
        return ctx.s(name)
    return ctx.s(f"field-{name}") if f"field-{name}" in STRINGS else name


def _plain(ctx: Context, name: str, value: object, state: KrState) -> str:
    if name in ("current", "target", "baseline"):
        return value_label(ctx, value, state.unit)
    if name == "confidence":
        return "—" if value is None else fmt_number(value)  # type: ignore[arg-type]
    if name == "owner":
        return ctx.person(value)  # type: ignore[arg-type]
    if name == "direction" and f"direction-{value}" in STRINGS:
        return ctx.s(f"direction-{value}")
    return "—" if value is None else str(value)


@dataclass(frozen=True, slots=True)
class ChartRow:
    """One check-in of a chart as a table row: the numbers without the picture."""

    date: str
    value: str
    ideal: str  # where the ideal line (or the level to hold) stands that day; "" without one


@dataclass(frozen=True, slots=True)
class KrChart:
    svg: Markup
    rows: tuple[ChartRow, ...]


def kr_chart(ctx: Context, kr: KeyResult, ref: str, cycle: Cycle | None,
             points: Sequence[TimelinePoint], dom_id: str) -> KrChart | None:
    """The inline SVG and its data, or None when there is nothing to draw (no history, not
    numeric)."""
    if cycle is None or not is_number(kr.target) or kr.direction == "milestone":
        return None
    # dots at check-ins only (a confidence-only one too: the week was reported); a plan
    # change (a new target) leaves the value where it was
    numeric = [p for p in points if is_number(p.state.current)
               and ("added" in p.changed or "current" in p.changed
                    or "confidence" in p.changed)]
    # values committed while planning, before the cycle began: the last one is the start
    before = [p for p in numeric if p.commit.date.date() < cycle.start]
    checkins = [svg.ChartPoint(cycle.start, float(before[-1].state.current),  # type: ignore[arg-type]
                               value_label(ctx, before[-1].state.current, kr.unit))] \
        if before else []
    checkins += [svg.ChartPoint(p.commit.date.date(), float(p.state.current),  # type: ignore[arg-type]
                                value_label(ctx, p.state.current, kr.unit))
                 for p in numeric if p.commit.date.date() >= cycle.start]
    if not checkins:
        return None
    end = kr.due_date or cycle.end
    if end < cycle.start:
        end = cycle.end
    # a count without a baseline climbs from an implicit 0 (KeyResult.implicit_zero)
    baseline = 0 if kr.implicit_zero else kr.baseline
    ideal = kr.direction in ("increase", "decrease") and is_number(baseline)
    labels: dict[float, str] = {float(kr.target): value_label(ctx, kr.target, kr.unit)}  # type: ignore[arg-type]
    if is_number(baseline):
        labels[float(baseline)] = value_label(ctx, baseline, kr.unit)  # type: ignore[arg-type]
    base = float(baseline) if is_number(baseline) else None  # type: ignore[arg-type]
    label = ctx.s("chart-label", kr=kr.title, start=cycle.start.isoformat(), end=end.isoformat(),
                  baseline=value_label(ctx, kr.baseline, kr.unit),
                  target=target_label(ctx, kr))
    chart = svg.Chart(
        dom_id=dom_id, label=label, start=cycle.start, end=end, baseline=base,
        target=float(kr.target), ideal=ideal, points=checkins,  # type: ignore[arg-type]
        today=ctx.today if cycle.start <= ctx.today <= max(end, cycle.end) else None,
        value_label=labels, date_labels=(cycle.start.isoformat(), end.isoformat()),
        description=_chart_description(ctx, kr, cycle.start, end, checkins[-1]))
    rows = tuple(ChartRow(p.day.isoformat(), p.label, _ideal_label(ctx, kr, cycle.start, end,
                                                                    p.day))
                 for p in checkins)
    return KrChart(Markup(svg.render(chart)), rows)


def _ideal_at(kr: KeyResult, start: dt.date, end: dt.date, day: dt.date) -> float:
    """The ideal line's value on `day` (baseline at the start, target at the due date);
    the target itself where there is no line (at_least, at_most, no baseline)."""
    target = float(kr.target)  # type: ignore[arg-type]
    if kr.direction not in ("increase", "decrease") or not is_number(kr.baseline):
        return target
    base = float(kr.baseline)  # type: ignore[arg-type]
    share = model.clamp((day - start).days / max((end - start).days, 1))
    return base + (target - base) * share


def _ideal_label(ctx: Context, kr: KeyResult, start: dt.date, end: dt.date, day: dt.date
                 ) -> str:
    digits = max(_decimals(kr.baseline), _decimals(kr.target))
    return value_label(ctx, round(_ideal_at(kr, start, end, day), digits) if digits
                       else round(_ideal_at(kr, start, end, day)), kr.unit)


def _decimals(value: object) -> int:
    if not isinstance(value, float) or value.is_integer():
        return 0
    return min(len(repr(value).split(".")[-1]), 4)


def _chart_description(ctx: Context, kr: KeyResult, start: dt.date, end: dt.date,
                       latest: svg.ChartPoint) -> str:
    """What a sighted reader takes from the chart, in words: baseline, target, the latest
    value and its date, and whether it is ahead of or behind the ideal line."""
    ideal = _ideal_at(kr, start, end, latest.day)
    target = float(kr.target)  # type: ignore[arg-type]
    if kr.direction in ("increase", "decrease") and is_number(kr.baseline):
        rising = target >= float(kr.baseline)  # type: ignore[arg-type]
        ahead = latest.value >= ideal if rising else latest.value <= ideal
        where = ctx.s("chart-ahead" if ahead else "chart-behind",
                      ideal=_ideal_label(ctx, kr, start, end, latest.day))
    else:
        lower = kr.direction in ("at_most", "decrease")
        met = latest.value <= target if lower else latest.value >= target
        where = ctx.s("chart-holds" if met else "chart-misses")
    return ctx.s("chart-description", baseline=value_label(ctx, kr.baseline, kr.unit),
                 target=target_label(ctx, kr), end=end.isoformat(), value=latest.label,
                 date=latest.day.isoformat(), where=where)


def kr_view(ctx: Context, page_src: str, sheet: Sheet, objective: Objective, kr: KeyResult,
            stale: Mapping[str, list[str]]) -> KrView:
    ref = sheet.ref(objective, kr)
    cycle = ctx.tree.cycle(sheet.cycle_id)
    status = ctx.kr_status(sheet, kr)
    points = ctx.history.timeline(ref) if ctx.history.available else ()
    anchor = urls.kr_anchor(objective.id, kr.id)
    revisions = [
        ctx.s("revision-line", date=r.date, field=_field_label(ctx, r.field),
              old=_plain_any(ctx, r.old, kr.unit), new=_plain_any(ctx, r.new, kr.unit),
              reason=r.reason)
        for r in kr.revisions]
    target_moved = None
    if points:
        original = ctx.history.original_target(ref)
        if is_number(original) and original != kr.target:
            target_moved = ctx.s("original-target", old=value_label(ctx, original, kr.unit),
                                 new=value_label(ctx, kr.target, kr.unit))
        # moves recorded in `revisions:` are listed above; the others, with their reason
        for move in ctx.history.goal_post_moves(ref):
            if move.source == "revision":
                continue
            revisions.append(ctx.s(
                "revision-line", date=move.commit.date.date().isoformat(),
                field=_field_label(ctx, move.field), old=_plain_any(ctx, move.old, kr.unit),
                new=_plain_any(ctx, move.new, kr.unit),
                reason=move.reason or ctx.s("no-reason")))
    last = ctx.history.last_checkin(ref) if ctx.history.available else None
    chart = kr_chart(ctx, kr, ref, cycle, points, f"chart-{anchor}")
    return KrView(
        ref=ref, id=kr.id, anchor=anchor, title=kr.title, metric=kr.metric, source=kr.source,
        baseline=ctx.s("no-baseline") if kr.implicit_zero
        else value_label(ctx, kr.baseline, kr.unit),
        current=value_label(ctx, kr.current, kr.unit),
        target=target_label(ctx, kr),
        bar=bar(kr.progress(), None if cycle is None else cycle.expected_progress(ctx.today),
                name=progress_name(ctx.s, kr.title, kr.progress(), status)),
        status=css(status), status_label=ctx.status_label(status),
        confidence="—" if kr.confidence is None else fmt_pct(kr.confidence),
        owner=ctx.person(kr.owner or objective.owner),
        due=kr.due or (cycle.end.isoformat() if cycle is not None else "—"),
        contributors=tuple(contributor_link(ctx, page_src, sheet.cycle_id, c)
                           for c in kr.contributors),
        initiatives=tuple(Initiative(i.title, i.done, ctx.person(i.owner) if i.owner else None,
                                     safe_url(i.link)) for i in kr.initiatives),
        notes=kr.notes, score=None if kr.score is None else fmt_number(kr.score),
        revisions=tuple(revisions), target_moved=target_moved,
        chart=None if chart is None else chart.svg,
        timeline=tuple(timeline_rows(ctx, ref, points)),
        last_checkin=None if last is None else last.date.date().isoformat(),
        stale=tuple(stale.get(ref, ())),
        checkin_url=ctx.checkin_url(ref, kr.title),
        measured_from=measure_label(kr.measure),
        chart_rows=() if chart is None else chart.rows,
    )


def contributor_link(ctx: Context, page_src: str, cycle_id: str, ref: str) -> Link:
    """A contributor: a team (its page in this cycle, when it has a sheet) or a person."""
    if ref in ctx._teams:
        href = ctx.urls.href(page_src, urls.team_src(cycle_id, ref)) \
            if ctx.sheet(cycle_id, ref) is not None else ""
        return Link(ctx.team_name(ref), href)
    return Link(ctx.person(ref), "")


def _plain_any(ctx: Context, value: object, unit: str | None) -> str:
    return value_label(ctx, value, unit) if is_number(value) or isinstance(value, bool) \
        else ("—" if value is None else str(value))


def included_parent(ctx: Context, page_src: str, ref: str) -> Link | None:
    """A `parent: <include>:<cycle>/<team>/<objective>` as a link to the other site (or to
    its read-only page here when the include is a file); None when it is not found."""
    name, sep, rest = ref.partition(":")
    included = next((i for i in ctx.includes if i.name == name), None) if sep else None
    found = included.objective(rest) if included is not None else None
    if included is None or found is None:
        return None
    cycle, sheet, objective = found
    href = included.page_url(sheet, urls.objective_anchor(objective["id"])) or ctx.urls.href(
        page_src, urls.included_src(name),
        urls.included_anchor(cycle["id"], sheet["team"], objective["id"]))
    org = included.export["organisation"]["name"] or name
    return Link(objective["title"], href, f"{org} · {sheet['team_name']} · {cycle['id']}")


def objective_status(ctx: Context, sheet: Sheet, objective: Objective) -> Status:
    return model.worst_status([ctx.kr_status(sheet, kr) for kr in objective.key_results])


def objective_view(ctx: Context, page_src: str, sheet: Sheet, objective: Objective,
                   children: Mapping[str, list[tuple[Sheet, Objective]]],
                   stale: Mapping[str, list[str]]) -> ObjectiveView:
    ref = sheet.ref(objective)
    cycle = ctx.tree.cycle(sheet.cycle_id)
    status = objective_status(ctx, sheet, objective)
    themes = []
    for theme_id in objective.strategy:
        theme = ctx.tree.org.theme(theme_id) if ctx.tree.org is not None else None
        themes.append(Link(theme.title if theme is not None else theme_id,
                           ctx.urls.href(page_src, urls.alignment_src(sheet.cycle_id),
                                         f"theme-{theme_id}")))
    parent = None
    if objective.parent:
        found = ctx.tree.objective(objective.parent)
        if found is not None:
            psheet, pobj = found
            parent = Link(pobj.title, ctx.urls.href(page_src, urls.team_src(psheet.cycle_id,
                                                                              psheet.team),
                                                    urls.objective_anchor(pobj.id)),
                          f"{ctx.team_name(psheet.team)} · {psheet.cycle_id}")
        else:
            parent = included_parent(ctx, page_src, objective.parent) \
                or Link(objective.parent, "", "")
    kids = tuple(Link(o.title, ctx.urls.href(page_src, urls.team_src(s.cycle_id, s.team),
                                             urls.objective_anchor(o.id)),
                      f"{ctx.team_name(s.team)} · {s.cycle_id}")
                 for s, o in children.get(ref, ()))
    expected = None if cycle is None else cycle.expected_progress(ctx.today)
    return ObjectiveView(
        ref=ref, id=objective.id, anchor=urls.objective_anchor(objective.id),
        title=objective.title, description=objective.description,
        owner=ctx.person(objective.owner), kind=ctx.s(f"kind-{objective.kind}"),
        strategy=tuple(themes), parent=parent, children=kids,
        bar=bar(objective.progress(), expected,
                name=progress_name(ctx.s, objective.title, objective.progress(), status)),
        status=css(status),
        status_label=ctx.status_label(status),
        score=None if (sc := objective.final_score()) is None else fmt_number(sc),
        verdict=None if sc is None else VERDICT_LABELS[ctx.lang][grade_verdict(objective.kind,
                                                                                 sc)],
        retrospective=objective.retrospective, notes=objective.notes,
        krs=tuple(kr_view(ctx, page_src, sheet, objective, kr, stale)
                  for kr in objective.key_results),
    )


# -- aggregates ---------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class StatusCount:
    status: str
    label: str
    count: int


def status_counts(ctx: Context, sheets: Iterable[Sheet]) -> list[StatusCount]:
    counter: Counter[Status] = Counter()
    for sheet in sheets:
        for objective in sheet.objectives:
            for kr in objective.key_results:
                counter[ctx.kr_status(sheet, kr)] += 1
    return [StatusCount(css(s), ctx.status_label(s), counter[s]) for s in STATUS_ORDER]


def children_index(tree: Tree) -> dict[str, list[tuple[Sheet, Objective]]]:
    """Objective ref → the objectives whose `parent:` names it."""
    found: dict[str, list[tuple[Sheet, Objective]]] = defaultdict(list)
    for sheet in tree.sheets:
        for objective in sheet.objectives:
            if objective.parent:
                found[objective.parent].append((sheet, objective))
    return found


def stale_index(ctx: Context) -> dict[str, list[str]]:
    """KR ref → the messages of its OKR503 (stale) findings."""
    by_path: dict[str, list[Finding]] = defaultdict(list)
    for f in ctx.findings:
        if f.code == "OKR503":
            by_path[os.path.normpath(f.pos.path)].append(f)
    found: dict[str, list[str]] = defaultdict(list)
    if not by_path:
        return found
    for sheet in ctx.tree.sheets:
        hits = by_path.get(os.path.normpath(sheet.path))
        if not hits:
            continue
        # each key result's first line, by the sheet's bytes (a serve rebuild asks again
        # for every sheet with a stale key result: hundreds)
        starts = ctx.keep("kr-lines", "", [sheet], functools.partial(_kr_lines, sheet))
        for f in hits:
            owner = [ref for line, ref in starts if line <= f.pos.line]
            if owner:
                found[owner[-1]].append(f.message(ctx.lang))
    return found


def _kr_lines(sheet: Sheet) -> list[tuple[int, str]]:
    return sorted((kr.src.pos().line, sheet.ref(o, kr))
                  for o in sheet.objectives for kr in o.key_results)


@dataclass(frozen=True, slots=True)
class KrLine:
    """A key result in a list elsewhere (dashboard, alignment): link, team and status."""

    title: str
    href: str
    team: str
    status: str
    status_label: str
    bar: Bar
    confidence: str
    note: str = ""


def kr_line(ctx: Context, page_src: str, sheet: Sheet, objective: Objective, kr: KeyResult,
            note: str = "") -> KrLine:
    status = ctx.kr_status(sheet, kr)
    return KrLine(kr.title, ctx.urls.href(page_src, urls.team_src(sheet.cycle_id, sheet.team),
                                          urls.kr_anchor(objective.id, kr.id)),
                  ctx.team_name(sheet.team), css(status), ctx.status_label(status),
                  bar(kr.progress(), name=progress_name(ctx.s, kr.title, kr.progress(), status)),
                  "—" if kr.confidence is None else fmt_pct(kr.confidence), note)


@dataclass(frozen=True, slots=True)
class TeamRow:
    name: str
    href: str
    bar: Bar
    status: str
    status_label: str
    counts: tuple[StatusCount, ...]
    objectives: tuple[Link, ...]


def team_rows(ctx: Context, page_src: str, sheets: Sequence[Sheet], expected: float | None
              ) -> list[TeamRow]:
    return [ctx.keep("team-row", f"{page_src}\0{expected}", [sheet],
                     functools.partial(_team_row, ctx, page_src, sheet, expected))
            for sheet in sorted(sheets, key=lambda s: (ctx.team_name(s.team).casefold(), s.team))]


def _team_row(ctx: Context, page_src: str, sheet: Sheet, expected: float | None) -> TeamRow:
    statuses = [ctx.kr_status(sheet, kr) for o in sheet.objectives for kr in o.key_results]
    worst = model.worst_status(statuses)
    href = ctx.urls.href(page_src, urls.team_src(sheet.cycle_id, sheet.team))
    objectives = tuple(Link(o.title, ctx.urls.href(page_src, urls.team_src(
        sheet.cycle_id, sheet.team), urls.objective_anchor(o.id)),
        fmt_pct(o.progress())) for o in sheet.objectives)
    name = progress_name(ctx.s, ctx.team_name(sheet.team), sheet.progress(), worst)
    return TeamRow(ctx.team_name(sheet.team), href,
                   bar(sheet.progress(), expected, name=name),
                   css(worst), ctx.status_label(worst),
                   tuple(status_counts(ctx, [sheet])), objectives)


# -- changes -----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ChangeRow:
    date: str
    who: str
    sha: str
    commit_href: str | None
    subject: str
    team: str
    title: str
    href: str | None
    kind: str
    kind_label: str
    changes: tuple[str, ...]
    moved: bool
    ref: str  # the KR's cycle/team/objective/kr
    sort_key: tuple[str, str, str] = field(repr=False, compare=False, default=("", "", ""))


def cycle_changes(ctx: Context, page_src: str, cycle_id: str) -> list[ChangeRow]:
    """Every KR change of one cycle from the git log, newest first."""
    key = f"{page_src}\0{cycle_id}"  # the links are relative to the page
    if key not in ctx._changes:
        ctx._changes[key] = _cycle_changes(ctx, page_src, cycle_id)
    return ctx._changes[key]


def latest_changes(ctx: Context, page_src: str, cycle_id: str, count: int) -> list[ChangeRow]:
    """The newest rows of the cycle's changes, linked from another page."""
    rows = cycle_changes(ctx, urls.changes_src(cycle_id), cycle_id)[:count]
    return [dataclasses.replace(r, href=_kr_href(ctx, page_src, r.ref)) if r.href else r
            for r in rows]


def _kr_href(ctx: Context, page_src: str, ref: str) -> str:
    """The link from `page_src` to a KR on its team page; `ref` is cycle/team/objective/kr."""
    cycle_id, team, objective_id, kr_id = ref.split("/")
    return ctx.urls.href(page_src, urls.team_src(cycle_id, team),
                         urls.kr_anchor(objective_id, kr_id))


def _cycle_changes(ctx: Context, page_src: str, cycle_id: str) -> list[ChangeRow]:
    history = ctx.history
    if not history.available:
        return []
    refs = history.kr_refs()
    rows: list[ChangeRow] = []
    for ref in refs:
        parts = ref.split("/")
        if len(parts) != 4 or parts[0] != cycle_id:
            continue
        points = history.timeline(ref)
        if not points:
            continue
        href = None
        sheet = ctx.sheet(parts[0], parts[1])
        if sheet is not None and any(o.id == parts[2] and any(k.id == parts[3]
                                                               for k in o.key_results)
                                     for o in sheet.objectives):
            href = _kr_href(ctx, page_src, ref)
        for point, row in zip(points, timeline_rows(ctx, ref, points),
                              strict=True):
            rows.append(ChangeRow(row.date, row.who, row.sha, row.commit_href, row.subject,
                                  ctx.team_name(parts[1]), point.state.title, href, row.kind,
                                  row.kind_label, row.changes, row.moved, ref,
                                  (point.commit.date.isoformat(), point.commit.sha, ref)))
    rows.sort(key=lambda r: r.sort_key, reverse=True)
    return rows


@dataclass(frozen=True, slots=True)
class EventRow:
    date: str
    who: str
    sha: str
    commit_href: str | None
    kind_label: str
    ref: str
    detail: str


def cycle_events(ctx: Context, cycle_id: str) -> list[EventRow]:
    if not ctx.history.available:
        return []
    rows = []
    for event in ctx.history.events(cycle_id):
        detail = event.detail or {}
        if event.kind == "parse-error":
            finding = detail.get("finding")
            text = finding.message(ctx.lang) if isinstance(finding, Finding) else ""
        elif "old" in detail and "new" in detail:
            text = f"{detail['old']} → {detail['new']}"
        else:
            text = ""
        key = f"event-{event.kind}"
        rows.append(EventRow(event.commit.date.date().isoformat(), event.commit.author,
                             event.commit.short, ctx.commit_url(event.commit.sha),
                             ctx.s(key) if key in _EVENT_KEYS else event.kind, event.ref, text))
    return rows


_EVENT_KEYS = frozenset(f"event-{k}" for k in (
    "objective-added", "objective-removed", "objective-renamed", "objective-reparented",
    "kr-added", "kr-removed", "kr-renamed", "sheet-added", "sheet-removed", "sheet-renamed",
    "parse-error"))


def week_of(day: str) -> str:
    date = parse_date(day)
    if date is None:
        return day
    return (date - dt.timedelta(days=date.weekday())).isoformat()


# -- lint ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class RuleCount:
    code: str
    title: str
    href: str | None
    severity: str
    count: int


@dataclass(frozen=True, slots=True)
class TeamFindings:
    team: str
    cycle: str
    href: str | None
    counts: tuple[int, int, int]  # errors, warnings, info


@dataclass(frozen=True, slots=True)
class FindingRow:
    where: str
    href: str | None
    code: str
    code_href: str | None
    severity: str
    severity_label: str
    message: str


def severity_counts(findings: Iterable[Finding]) -> tuple[int, int, int]:
    c = Counter(f.severity for f in findings)
    return c[Severity.ERROR], c[Severity.WARNING], c[Severity.INFO]


def sheet_of_path(path: str) -> tuple[str, str] | None:
    """(cycle, team) of a finding's file: okrs/<cycle>/<team>.yaml."""
    p = Path(path)
    if p.suffix not in (".yaml", ".yml") or p.stem == "org":
        return None
    return p.parent.name, p.stem
