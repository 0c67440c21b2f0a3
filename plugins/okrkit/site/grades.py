"""Ended cycles and trends on the site: report cards, final outcomes, trend charts.

Once a cycle has ended, its pages lead with the grades (`okrkit.grading`, the rule
`okr score` uses) and the retrospectives, and a key result's live status becomes its
final outcome (met / partly / missed). A cycle that ended without grades shows the
computed grades marked provisional, and says so (OKR502). The trends are charts over
the same history: a key result's confidence, and a team's or a cycle's overall
progress at each check-in (`okrkit.trends`) against the ideal line.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from markupsafe import Markup

from okrkit import grading, trends
from okrkit.cycles import Cycle
from okrkit.model import VERDICT_LABELS, Sheet, mean_progress
from okrkit.site import svg, urls
from okrkit.site.views import (
    ChartRow,
    Context,
    KrChart,
    KrView,
    ObjectiveView,
    StatusCount,
    TeamRow,
    fmt_pct,
)

if TYPE_CHECKING:
    from okrkit.history import Commit

OUTCOMES = ("met", "partly", "missed", "unknown")


def has_ended(ctx: Context, cycle: Cycle) -> bool:
    return ctx.today > cycle.end


def fmt_grade(grade: float | None) -> str:
    return "—" if grade is None else f"{grade:.2f}"


def last_ended(ctx: Context, cycles: Sequence[Cycle], current: Cycle | None) -> Cycle | None:
    """The cycle that ended last (the shortest of those ending that day), not `current`."""
    ended = [c for c in cycles if has_ended(ctx, c) and c != current]
    return max(ended, key=lambda c: (c.end, -c.days, c.start), default=None)


def team_grades(ctx: Context, sheets: Sequence[Sheet]) -> list[grading.TeamGrade]:
    """`grading.grades(sheets)`: each team's alone (kept by sheet under serve)."""
    return [ctx.keep("grade", "", [s], functools.partial(_team_grade, s))
            for s in sorted(sheets, key=lambda s: s.team)]


def _team_grade(sheet: Sheet) -> grading.TeamGrade:
    return next(iter(grading.grades([sheet])))


def cycle_meta(ctx: Context, cycle: Cycle, sheets: Sequence[Sheet]) -> str:
    """What the dashboard says of another cycle: its grade once ended, else its progress."""
    return ctx.keep("cycle-meta", cycle.id, sheets,
                    lambda: _cycle_meta(ctx, cycle, sheets))


def _cycle_meta(ctx: Context, cycle: Cycle, sheets: Sequence[Sheet]) -> str:
    if not has_ended(ctx, cycle) or not sheets:
        return fmt_pct(mean_progress(sheets))
    teams = team_grades(ctx, sheets)
    grade = f"{ctx.s('grade')} {fmt_grade(cycle_grade(ctx, teams))}"
    if all(grading.recorded(t) for t in teams):
        return grade
    return f"{grade} ({ctx.s('provisional')})"


# -- report cards ----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class KrGradeRow:
    title: str
    href: str
    grade: str
    outcome: str  # met | partly | missed | unknown: a CSS suffix
    outcome_label: str


@dataclass(frozen=True, slots=True)
class ObjectiveGradeRow:
    title: str
    href: str
    kind: str
    grade: str
    verdict: str
    retrospective: str | None
    krs: tuple[KrGradeRow, ...]


@dataclass(frozen=True, slots=True)
class TeamGradeRow:
    name: str
    href: str
    grade: str
    objectives: tuple[ObjectiveGradeRow, ...]


@dataclass(frozen=True, slots=True)
class ReportCard:
    title: str
    href: str  # the cycle's page
    ended: str  # "Ended on 2026-03-31"
    graded: bool  # every grade recorded; else provisional (OKR502)
    notice: str  # why provisional; "" when graded
    grade: str  # the cycle's, or the team's on a team page
    outcomes: tuple[StatusCount, ...]
    teams: tuple[TeamGradeRow, ...]


def report_card(ctx: Context, page_src: str, cycle: Cycle, sheets: Sequence[Sheet], *,
                title_key: str = "report-card") -> ReportCard:
    """The grades of an ended cycle's `sheets` (one team on its page, all on the others)."""
    graded_teams = team_grades(ctx, sheets)
    graded = all(grading.recorded(t) for t in graded_teams)
    label = ctx.cycle_label(cycle)
    teams = []
    counter: Counter[str] = Counter()
    for team in sorted(graded_teams, key=lambda t: (ctx.team_name(t.sheet.team).casefold(),
                                                    t.sheet.team)):
        # a team's rows, kept by its sheet under serve (an edit remakes one team's)
        row, outcomes = ctx.keep("card-team", page_src, [team.sheet],
                                 functools.partial(_team_card_row, ctx, page_src, team))
        counter.update(outcomes)
        teams.append(row)
    grade = cycle_grade(ctx, graded_teams)
    return ReportCard(
        title=ctx.s(title_key, cycle=label),
        href=ctx.urls.href(page_src, urls.cycle_src(cycle.id)),
        ended=ctx.s("ended-on", end=cycle.end.isoformat()),
        graded=graded,
        notice="" if graded else ctx.s("provisional-body", cycle=cycle.id,
                                       end=cycle.end.isoformat()),
        grade=fmt_grade(grade),
        outcomes=tuple(StatusCount(o, ctx.s(f"outcome-{o}"), counter[o]) for o in OUTCOMES
                       if counter[o] or o != "unknown"),
        teams=tuple(teams))


def _team_card_row(ctx: Context, page_src: str, team: grading.TeamGrade
                   ) -> tuple[TeamGradeRow, tuple[str, ...]]:
    """A team's row of a report card, and its key results' outcomes."""
    sheet = team.sheet
    page = urls.team_src(sheet.cycle_id, sheet.team)
    outcomes = []
    objectives = []
    for og in team.objectives:
        krs = []
        for kg in og.key_results:
            outcome = grading.kr_outcome(kg.final) or "unknown"
            outcomes.append(outcome)
            krs.append(KrGradeRow(
                kg.kr.title, ctx.urls.href(page_src, page, urls.kr_anchor(og.objective.id,
                                                                         kg.kr.id)),
                fmt_grade(kg.final), outcome, ctx.s(f"outcome-{outcome}")))
        verdict = og.verdict
        objectives.append(ObjectiveGradeRow(
            og.objective.title,
            ctx.urls.href(page_src, page, urls.objective_anchor(og.objective.id)),
            ctx.s(f"kind-{og.objective.kind}"), fmt_grade(og.final),
            "" if verdict is None else VERDICT_LABELS[ctx.lang][verdict],
            og.objective.retrospective, tuple(krs)))
    return (TeamGradeRow(ctx.team_name(sheet.team), ctx.urls.href(page_src, page),
                         fmt_grade(team.grade), tuple(objectives)), tuple(outcomes))


def cycle_grade(ctx: Context, teams: Sequence[grading.TeamGrade]) -> float | None:
    """`grading.cycle_grade(teams)`, each team's grade kept by its sheet under serve."""
    return grading.mean_of_teams([ctx.keep("team-grade", "", [t.sheet],
                                           functools.partial(lambda t: t.grade, t))
                                  for t in teams])


def final_objectives(ctx: Context, card: ReportCard, objectives: Sequence[ObjectiveView]
                     ) -> list[ObjectiveView]:
    """A team page's objectives once the cycle has ended: each key result's status is its
    final outcome, each objective shows its grade (provisional ones marked) and verdict."""
    (team,) = card.teams
    mark = "" if card.graded else f" ({ctx.s('provisional')})"
    out = []
    for view, row in zip(objectives, team.objectives, strict=True):
        krs = tuple(dataclasses.replace(
            kr, status=g.outcome, status_label=g.outcome_label,
            score=g.grade + ("" if card.graded or kr.score else mark))
            for kr, g in zip(view.krs, row.krs, strict=True))
        worst = next((o for o in ("missed", "partly", "met") if any(k.status == o
                                                                   for k in krs)), "unknown")
        out.append(dataclasses.replace(
            view, status=worst, status_label=ctx.s(f"outcome-{worst}"),
            score=row.grade + ("" if card.graded or view.score else mark),
            verdict=row.verdict or None, krs=krs))
    return out


def final_team_rows(ctx: Context, card: ReportCard, rows: Sequence[TeamRow]
                    ) -> list[TeamRow]:
    """The cycle page's team table once the cycle has ended: outcomes, not statuses."""
    out = []
    for row, team in zip(rows, card.teams, strict=True):
        counter = Counter(k.outcome for o in team.objectives for k in o.krs)
        worst = next((o for o in ("missed", "partly", "met") if counter[o]), "unknown")
        out.append(dataclasses.replace(
            row, status=worst, status_label=ctx.s(f"outcome-{worst}"),
            counts=tuple(StatusCount(o, ctx.s(f"outcome-{o}"), counter[o]) for o in OUTCOMES)))
    return out


def render_card(ctx: Context, dirs: tuple[str, ...], card: ReportCard, *, mode: str) -> Markup:
    """The report card's HTML for the dashboard, the cycle page or a team page."""
    from okrkit.site import render as jinja

    def make() -> Markup:
        return Markup(jinja.render(dirs, "report_card.md", t=ctx.s, card=card, mode=mode))

    if ctx.cache is None:
        return make()
    # a cycle page's card lists its 200 teams: kept under serve while the card is equal
    found: Markup = ctx.cache.latest(("card", mode, card.href, card.title), card, make)
    return found


# -- trends ------------------------------------------------------------------------------


def confidence_chart(ctx: Context, ref: str, title: str, cycle: Cycle | None, dom_id: str
                     ) -> KrChart | None:
    """A key result's confidence at each check-in that set it, against the on-track band,
    with its numbers as table rows (issue 18: the data reachable without the picture)."""
    if cycle is None or not ctx.history.available:
        return None
    points = trends.confidence_series(ctx.history.timeline(ref))
    if len(points) < 2:  # one value is already on the page
        return None
    before = [p for p in points if p.day < cycle.start]
    shown = ([dataclasses.replace(before[-1], day=cycle.start)] if before else []) + \
        [p for p in points if p.day >= cycle.start]
    on_track = ctx.tree.config.bands.on_track
    latest = shown[-1]
    description = ctx.s(
        "confidence-chart-description", on_track=fmt_pct(on_track), value=fmt_pct(latest.value),
        date=latest.day.isoformat(),
        where=ctx.s("confidence-above" if latest.value >= on_track else "confidence-below"))
    chart = svg.Chart(
        dom_id=dom_id, start=cycle.start, end=cycle.end, baseline=None, target=on_track,
        ideal=False, today=ctx.today if cycle.contains_date(ctx.today) else None,
        label=ctx.s("confidence-chart-label", kr=title, start=cycle.start.isoformat(),
                    end=cycle.end.isoformat(), count=len(points)),
        points=[svg.ChartPoint(p.day, p.value, fmt_pct(p.value)) for p in shown],
        value_label={on_track: fmt_pct(on_track)},
        date_labels=(cycle.start.isoformat(), cycle.end.isoformat()), description=description)
    rows = tuple(ChartRow(p.day.isoformat(), fmt_pct(p.value), fmt_pct(on_track))
                 for p in shown)
    return KrChart(Markup(svg.render(chart).replace('class="okr-chart"',
                                                    'class="okr-chart okr-chart-confidence"', 1)),
                   rows)


def with_confidence(ctx: Context, sheet: Sheet, views: Sequence[ObjectiveView]
                    ) -> list[ObjectiveView]:
    """Each key result's chart box with its confidence chart under the value chart."""
    cycle = ctx.tree.cycle(sheet.cycle_id)
    out = []
    for view in views:
        krs: list[KrView] = []
        for kr in view.krs:
            extra = confidence_chart(ctx, kr.ref, kr.title, cycle, f"confidence-{kr.anchor}")
            krs.append(kr if extra is None else dataclasses.replace(
                kr, confidence_chart=extra.svg, confidence_rows=extra.rows))
        # copied only when a key result gained a chart (most have one confidence value)
        changed = any(new is not old for new, old in zip(krs, view.krs, strict=True))
        out.append(dataclasses.replace(view, krs=tuple(krs)) if changed else view)
    return out


def _steps(ctx: Context, sheet: Sheet) -> list[tuple[Commit, float | None]]:
    """A team's progress steps, worked out once for its page, its cycle and the dashboard."""
    if sheet.path not in ctx._trend_steps:
        ctx._trend_steps[sheet.path] = ctx.keep(
            "steps", "", [sheet], lambda: trends.sheet_steps(sheet, ctx.history))
    return ctx._trend_steps[sheet.path]


@dataclass(frozen=True, slots=True)
class TrendChart:
    """A trend chart, its numbers as table rows, and what it is of (a team, a cycle)."""

    svg: Markup
    rows: tuple[ChartRow, ...]
    name: str


def progress_chart(ctx: Context, name: str, cycle: Cycle, sheets: Sequence[Sheet], dom_id: str
                   ) -> TrendChart | None:
    """Overall progress (the weighted mean at each check-in) against the ideal line, with
    its numbers as table rows (issue 18: the data reachable without the picture)."""
    if not ctx.history.available or not sheets:
        return None
    if ctx.cache is None:
        return _progress_chart(ctx, name, cycle, sheets, dom_id)
    # all it reads of the sheets is their steps: an edit that moves no progress (a
    # confidence, a title) keeps the cycle's chart (BuildCache.latest)
    return ctx.cache.latest(
        ("trend", dom_id), (name, cycle, [_steps(ctx, s) for s in sheets]),
        lambda: _progress_chart(ctx, name, cycle, sheets, dom_id))


def _progress_chart(ctx: Context, name: str, cycle: Cycle, sheets: Sequence[Sheet],
                    dom_id: str) -> TrendChart | None:
    series = trends.progress_series(sheets, ctx.history, steps=lambda s: _steps(ctx, s))
    before = [p for p in series if p.day < cycle.start]
    shown = ([dataclasses.replace(before[-1], day=cycle.start)] if before else []) + \
        [p for p in series if cycle.start <= p.day]
    if not shown:
        return None
    chart = svg.Chart(
        dom_id=dom_id, start=cycle.start, end=cycle.end, baseline=0.0, target=1.0, ideal=True,
        today=ctx.today if cycle.contains_date(ctx.today) else None,
        label=ctx.s("progress-chart-label", name=name, start=cycle.start.isoformat(),
                    end=cycle.end.isoformat()),
        points=[svg.ChartPoint(p.day, p.value, fmt_pct(p.value)) for p in shown],
        value_label={0.0: "0%", 1.0: "100%"},
        date_labels=(cycle.start.isoformat(), cycle.end.isoformat()),
        description=_progress_description(ctx, cycle, shown[-1]))
    rows = tuple(ChartRow(p.day.isoformat(), fmt_pct(p.value), fmt_pct(_ideal(cycle, p.day)))
                 for p in shown)
    return TrendChart(Markup(svg.render(chart)), rows, name)


def _ideal(cycle: Cycle, day: dt.date) -> float:
    """The ideal line of overall progress on `day`: the share of the cycle gone."""
    return min(max(cycle.elapsed(day), 0.0), 1.0)


def _progress_description(ctx: Context, cycle: Cycle, latest: trends.TrendPoint) -> str:
    """What the trend shows, for a screen reader: the latest overall progress, its date,
    and where it stands against the ideal line that day (issue 18)."""
    ideal = _ideal(cycle, latest.day)
    where = ctx.s("chart-ahead" if latest.value >= ideal else "chart-behind",
                  ideal=fmt_pct(ideal))
    return ctx.s("progress-chart-description", value=fmt_pct(latest.value),
                 date=latest.day.isoformat(), where=where)
