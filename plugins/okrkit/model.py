"""The OKR model: frozen values with their source positions, and the arithmetic.

No I/O here: no files, no git, no clock (`today` is always an argument).
"""

from __future__ import annotations

import datetime as dt
import decimal
import enum
import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from okrkit.cycles import Cycle, parse_date
from okrkit.findings import Pos
from okrkit.yamlload import Document, JPath

Number = int | float
Value = int | float | bool | None

KINDS = ("committed", "aspirational")
# ids are ASCII slugs: they become URLs and anchors (DESIGN); the schemas hold the same pattern
_ID_RE = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*\Z")


def is_id(text: str) -> bool:
    """`marketing`, `unique-visitors`: lowercase letters and digits joined by single hyphens."""
    return _ID_RE.match(text) is not None


@dataclass(frozen=True, slots=True)
class Source:
    """Where a model node came from: its document and JSON path."""

    doc: Document = field(repr=False, compare=False)
    jpath: JPath = ()

    @property
    def path(self) -> str:
        return self.doc.path

    def pos(self, *keys: str | int, key: bool = False) -> Pos:
        """Position of this node, or of one of its fields (the field's key if `key`)."""
        return self.doc.pos((*self.jpath, *keys), key=key)


# -- the organisation -------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Theme:
    id: str
    title: str
    description: str
    src: Source


@dataclass(frozen=True, slots=True)
class Team:
    id: str
    name: str
    parent: str | None
    lead: str | None
    members: tuple[str, ...]
    src: Source


@dataclass(frozen=True, slots=True)
class Person:
    id: str
    name: str
    src: Source
    email: str = ""
    github: str = ""  # the GitHub login: check-ins from issues are committed as this person


def _folded(text: str) -> str:
    """For comparing names as typed: full-width forms as ASCII, case and spaces ignored."""
    return "".join(unicodedata.normalize("NFKC", text).casefold().split())


@dataclass(frozen=True, slots=True)
class Org:
    name: str
    description: str
    themes: tuple[Theme, ...]
    teams: tuple[Team, ...]
    people: tuple[Person, ...]  # empty: owners are not checked against a list
    src: Source

    def team(self, team_id: str) -> Team | None:
        return next((t for t in self.teams if t.id == team_id), None)

    def team_named(self, text: str) -> Team | None:
        """The team `text` names: its id, else its name as org.yaml writes it (行銷部,
        Marketing), ignoring case and full-width forms: people type the name they see."""
        found = self.team(text)
        if found is not None:
            return found
        wanted = _folded(text)
        return next((t for t in self.teams if t.name and _folded(t.name) == wanted), None)

    def theme(self, theme_id: str) -> Theme | None:
        return next((t for t in self.themes if t.id == theme_id), None)

    def person_name(self, person_id: str) -> str:
        person = next((p for p in self.people if p.id == person_id), None)
        return person.name if person is not None and person.name else person_id

    def person_names(self) -> dict[str, str]:
        """`person_name` of every person, by id, in one pass (the first of an id wins)."""
        names: dict[str, str] = {}
        for person in self.people:
            names.setdefault(person.id, person.name or person.id)
        return names


# -- sheets -------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Initiative:
    title: str
    done: bool
    owner: str | None
    link: str | None
    src: Source


@dataclass(frozen=True, slots=True)
class Revision:
    """A goal post moved openly: recorded in the KR's `revisions:` list."""

    date: str
    field: str
    old: Value | str
    new: Value | str
    reason: str
    src: Source


# a unit, metric or title holding one of these measures a rate or a relative change
RATE_MARKERS = ("%", "％", "‰", "/", " per ", "rate", "ratio", "percent", "率", "比例", "比率",
                "百分")


@dataclass(frozen=True, slots=True)
class Measure:
    """Where a key result's number is read (`measure:`, read by `okr measure`)."""

    source: str  # csv | json | sql | ga4: the `from:` key
    spec: Mapping[str, Any] = field(compare=False)  # the mapping as written, `from` included
    src: Source


@dataclass(frozen=True, slots=True)
class KeyResult:
    id: str
    title: str
    metric: str | None
    source: str | None
    unit: str | None
    direction: str
    baseline: Value
    target: Value
    current: Value
    confidence: float | None
    due: str | None
    owner: str | None
    contributors: tuple[str, ...]
    initiatives: tuple[Initiative, ...]
    weight: float
    score: float | None
    notes: str | None
    revisions: tuple[Revision, ...]
    src: Source
    measure: Measure | None = field(default=None, compare=False)

    @property
    def due_date(self) -> dt.date | None:
        return parse_date(self.due)

    def progress(self) -> float | None:
        """Raw progress (1.0 = target met; over-achievement kept above 1.0)."""
        baseline = 0 if self.implicit_zero else self.baseline
        return progress(self.direction, baseline, self.target, self.current)

    @property
    def implicit_zero(self) -> bool:
        """A count without a baseline starts from zero ("7 of 75 posts"): an `increase`
        with no numeric baseline, a positive numeric target, and no rate or percentage in
        its unit, metric or title (a rate, or "+20%", has no meaningful zero; a decrease
        never). OKR202 still asks for the baseline."""
        if self.direction != "increase" or is_number(self.baseline):
            return False
        if not is_number(self.target) or float(self.target) <= 0:  # type: ignore[arg-type]
            return False
        words = " ".join(t for t in (self.unit, self.metric, self.title) if t).casefold()
        return not any(marker in words for marker in RATE_MARKERS)


@dataclass(frozen=True, slots=True)
class Objective:
    id: str
    title: str
    description: str | None
    owner: str | None
    kind: str
    strategy: tuple[str, ...]
    parent: str | None
    weight: float
    key_results: tuple[KeyResult, ...]
    score: float | None
    retrospective: str | None
    notes: str | None
    src: Source

    def progress(self) -> float | None:
        """Weighted mean of the KRs' clamped progress; KRs without progress are skipped."""
        pairs = [(clamp(p), kr.weight) for kr in self.key_results
                 if (p := kr.progress()) is not None]
        return weighted_mean(pairs)

    def final_score(self) -> float | None:
        """The objective's recorded score, else the weighted mean of its KRs' recorded scores."""
        if self.score is not None:
            return self.score
        pairs = [(kr.score, kr.weight) for kr in self.key_results if kr.score is not None]
        if len(pairs) != len(self.key_results):
            return None
        return mean_grade(pairs)  # as `okr score` grades it: decimal, half up


@dataclass(frozen=True, slots=True)
class Sheet:
    """One team's OKRs for one cycle: `okrs/<cycle>/<team>.yaml`."""

    cycle_id: str
    team: str
    owner: str | None
    objectives: tuple[Objective, ...]
    notes: str | None
    src: Source

    @property
    def path(self) -> str:
        return self.src.path

    def ref(self, objective: Objective, kr: KeyResult | None = None) -> str:
        """The stable reference `cycle/team/objective[/kr]` used by `parent:` and `okr log`."""
        base = f"{self.cycle_id}/{self.team}/{objective.id}"
        return base if kr is None else f"{base}/{kr.id}"

    def progress(self) -> float | None:
        return weighted_mean([(p, o.weight) for o in self.objectives
                               if (p := o.progress()) is not None])


# -- arithmetic -----------------------------------------------------------------


def is_number(value: object) -> bool:
    if type(value) in _NUMBER_TYPES:  # what the loader gives: one look-up
        return True
    return isinstance(value, (int, float)) and not isinstance(value, bool)


_NUMBER_TYPES = frozenset((int, float))


def progress(direction: str, baseline: Value, target: Value, current: Value) -> float | None:
    """Raw progress for one KR; None when it cannot be computed.

    increase/decrease: (current − baseline) / (target − baseline), unclamped, so
    over-achievement shows above 1.0 and a move the wrong way below 0.0. When
    baseline == target the KR is met (1.0) or not (0.0). at_least/at_most hold
    (1.0) or not (0.0); a milestone is done or not.
    """
    if direction == "milestone":
        if isinstance(current, bool):
            return 1.0 if current else 0.0
        if is_number(current) and is_number(target) and target:
            return float(current) / float(target)  # type: ignore[arg-type]
        return None
    if not (is_number(current) and is_number(target)):
        return None
    cur, tgt = float(current), float(target)  # type: ignore[arg-type]
    if direction == "at_least":
        return 1.0 if cur >= tgt else 0.0
    if direction == "at_most":
        return 1.0 if cur <= tgt else 0.0
    if not is_number(baseline):
        return None
    base = float(baseline)  # type: ignore[arg-type]
    if base == tgt:
        met = cur >= tgt if direction == "increase" else cur <= tgt
        return 1.0 if met else 0.0
    return (cur - base) / (tgt - base)


def relative_change(baseline: Value, target: Value) -> float | None:
    """(target − baseline) / |baseline|: how much a KR asks for; None without a baseline."""
    if not (is_number(baseline) and is_number(target)) or baseline == 0:
        return None
    return (float(target) - float(baseline)) / abs(float(baseline))  # type: ignore[arg-type]


def clamp(value: float, low: float = 0.0, high: float = 1.0) -> float:
    return max(low, min(high, value))


GRADE_STEP = decimal.Decimal("0.01")  # grades have two decimals


def round_grade(value: float) -> float:
    """Rounded half up to 0.01, via the shortest decimal repr, so 0.745 gives 0.75 as a
    person working it out on paper would (a float's binary value may be just below)."""
    return float(decimal.Decimal(repr(value)).quantize(GRADE_STEP, rounding=decimal.ROUND_HALF_UP))


def suggest_score(raw_progress: float | None) -> float | None:
    """End-of-cycle grade on Google's 0.0–1.0 scale: progress clamped to 0..1, rounded half
    up to 0.01 (two decimals keep the arithmetic visible: 7400 / 10000 = 0.74)."""
    if raw_progress is None:
        return None
    return round_grade(clamp(raw_progress))


def mean_grade(pairs: Sequence[tuple[float, float]]) -> float | None:
    """Weighted mean of (grade, weight) pairs, rounded half up to 0.01; None when empty.

    An objective's grade from its key results', a team's from its objectives'. Worked in
    decimal, so the mean of 0.74, 0.81 and 1.0 is 2.55 / 3 = 0.85 exactly.
    """
    values = [(decimal.Decimal(repr(float(g))), decimal.Decimal(repr(float(w))))
              for g, w in pairs]
    total = sum((w for _, w in values), decimal.Decimal(0))
    if not values or total <= 0:
        return None
    mean = sum((g * w for g, w in values), decimal.Decimal(0)) / total
    return float(mean.quantize(GRADE_STEP, rounding=decimal.ROUND_HALF_UP))


def grade_verdict(kind: str, grade: float) -> str:
    """Where an objective's grade stands for its kind, by Google's guidance: 0.6–0.7 is
    the sweet spot of an aspirational objective, 1.0 what a committed one expects.

    One of "met", "missed" (committed); "full", "above", "sweet", "short", "low"."""
    if kind == "committed":
        return "met" if grade >= 1.0 else "missed"
    if grade >= 1.0:
        return "full"
    if grade > 0.7:
        return "above"
    if grade >= 0.6:
        return "sweet"
    return "short" if grade >= 0.4 else "low"


# what each grade_verdict means, for `okr score` and the site alike
VERDICT_LABELS: dict[str, dict[str, str]] = {
    "en": {
        "met": "met", "missed": "below 1.0: what blocked it?",
        "full": "1.0: ambitious enough?", "above": "above the sweet spot",
        "sweet": "the sweet spot (0.6–0.7)", "short": "below the sweet spot",
        "low": "below 0.4: what got in the way?",
    },
    "zh-TW": {
        "met": "達成", "missed": "未達 1.0:是什麼阻礙了它?",
        "full": "1.0:目標夠有挑戰性嗎?", "above": "高於最佳區間",
        "sweet": "最佳區間(0.6–0.7)", "short": "低於最佳區間",
        "low": "低於 0.4:是什麼阻礙了進展?",
    },
}


def mean_progress(sheets: Iterable[Sheet], *,
                  progress_of: Callable[[Sheet], float | None] | None = None) -> float | None:
    """Overall progress of some sheets: the plain mean of the sheets' progress, each team
    counting once (the dashboard's and `okr status`'s); None when none has progress.
    `progress_of(sheet)`: its `progress()` as worked out already (the site keeps it)."""
    import statistics  # here: the linter (the hook) never asks, and it imports random

    of = progress_of or Sheet.progress
    values = [p for s in sheets if (p := of(s)) is not None]
    return statistics.fmean(values) if values else None


def weighted_mean(pairs: list[tuple[float, float]]) -> float | None:
    """Σ value·weight / Σ weight; None without pairs or without positive weight."""
    total = sum(w for _, w in pairs)
    if not pairs or total <= 0:
        return None
    return sum(v * w for v, w in pairs) / total


class Status(str, enum.Enum):
    ON_TRACK = "on_track"
    AT_RISK = "at_risk"
    OFF_TRACK = "off_track"
    UNKNOWN = "unknown"


@dataclass(frozen=True, slots=True)
class StatusBands:
    """Thresholds from config `status:`; confidence bands and progress gaps."""

    on_track: float = 0.7
    at_risk: float = 0.4
    progress_at_risk_gap: float = 0.1
    progress_off_track_gap: float = 0.25


def kr_status(kr: KeyResult, cycle: Cycle, today: dt.date,
              bands: StatusBands = StatusBands()) -> Status:
    """From confidence when given, else from progress against the share of the cycle gone."""
    raw = kr.progress()
    if raw is not None and raw >= 1.0 and kr.direction in ("increase", "decrease", "milestone"):
        return Status.ON_TRACK
    if kr.confidence is not None:
        if kr.confidence >= bands.on_track:
            return Status.ON_TRACK
        return Status.AT_RISK if kr.confidence >= bands.at_risk else Status.OFF_TRACK
    if raw is None:
        return Status.UNKNOWN
    gap = cycle.elapsed(today) - clamp(raw)
    if gap <= bands.progress_at_risk_gap:
        return Status.ON_TRACK
    return Status.AT_RISK if gap <= bands.progress_off_track_gap else Status.OFF_TRACK


def worst_status(statuses: list[Status]) -> Status:
    order = [Status.OFF_TRACK, Status.AT_RISK, Status.ON_TRACK]
    for status in order:
        if status in statuses:
            return status
    return Status.UNKNOWN
