"""Comparing two versions of OKRs: matching items, equal values, easier goal posts.

Stateless helpers shared by the semantic diff (`diff.py`), the history
(`history.py`) and OKR604. A leaf module (it imports only the model), so the
pre-commit hook, which needs the history but never renders a diff, does not
import the diff's renderers and message tables.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from typing import Any, TypeVar

from okrkit.model import Value, is_number

# a check-in moves these; a plan change any of the others (in the diff's order)
CHECKIN_FIELDS = ("current", "confidence")
PLAN_FIELDS = ("title", "target", "baseline", "due", "owner", "direction", "unit")

T = TypeVar("T")


def same_value(a: Any, b: Any) -> bool:
    """Equal as YAML values: numbers by value (1 == 1.0), anything else of the same type
    (true is not 1, "1" is not 1)."""
    if is_number(a) and is_number(b):
        return bool(a == b)
    return type(a) is type(b) and a == b


def relative_change(old: Any, new: Any) -> float | None:
    """(new − old) / |old| for two numbers; None otherwise (or from zero)."""
    if not (is_number(old) and is_number(new)) or old == 0:
        return None
    return (float(new) - float(old)) / abs(float(old))


# -- goal posts ------------------------------------------------------------------------


def easier_moves(old: Any, new: Any) -> list[tuple[str, Value, Value]]:
    """(field, old, new) for each goal post `new` made easier than `old`.

    `old` and `new` are anything with direction, target and baseline (a
    KeyResult or a history KrState). Easier: a target lowered (raised for a
    decrease KR; for at_least lowered, at_most raised), or a baseline moved
    toward the target so less change is asked for (raised for an increase KR,
    lowered for a decrease KR). A milestone has no goal post to move.
    """
    if old.target == new.target and old.baseline == new.baseline:
        return []  # most versions move neither (a check-in): no test below can hold
    direction = new.direction
    if direction != old.direction or direction == "milestone":
        return []
    moves: list[tuple[str, Value, Value]] = []
    if is_number(old.target) and is_number(new.target) and old.target != new.target:
        lowered = new.target < old.target
        if (direction in ("increase", "at_least") and lowered) or \
                (direction in ("decrease", "at_most") and not lowered):
            moves.append(("target", old.target, new.target))
    if direction in ("increase", "decrease") and is_number(old.baseline) \
            and is_number(new.baseline) and old.baseline != new.baseline:
        raised = new.baseline > old.baseline
        if (direction == "increase") == raised:
            moves.append(("baseline", old.baseline, new.baseline))
    return moves


def find_revision(revisions: Iterable[Any], field_name: str, new: Value) -> str | None:
    """The reason of a `revisions:` entry for this field whose `to` is the new value.

    Entries are model Revisions or (field, to, reason) tuples.
    """
    for revision in revisions:
        if isinstance(revision, tuple):
            name, to, reason = revision
        else:
            name, to, reason = revision.field, revision.new, revision.reason
        if name == field_name and same_value(to, new):
            return str(reason)
    return None


# -- pairing ---------------------------------------------------------------------------


def pair_by(lost: Mapping[str, T], gained: Mapping[str, T], key: Callable[[T], Any]
            ) -> list[tuple[str, str]]:
    """Pairs of an unmatched old and new item with the same non-empty `key(item)`."""
    pairs = []
    taken: set[str] = set()
    for old_id, old_item in lost.items():
        k = key(old_item)
        if not k:
            continue
        match = next((n for n, item in gained.items() if n not in taken and key(item) == k),
                     None)
        if match is not None:
            taken.add(match)
            pairs.append((old_id, match))
    return pairs


def pair_by_overlap(lost: Mapping[str, Collection[str]], gained: Mapping[str, Collection[str]]
                    ) -> list[tuple[str, str]]:
    """Pairs whose new item keeps at least half of the old one's member ids."""
    pairs = []
    taken: set[str] = set()
    for old_id, old_members in lost.items():
        if not old_members:
            continue
        best = max(((len(set(old_members) & set(members)), new_id)
                    for new_id, members in gained.items() if new_id not in taken),
                   default=None)
        if best is not None and best[0] and best[0] * 2 >= len(old_members):
            taken.add(best[1])
            pairs.append((old_id, best[1]))
    return pairs


# an objective as the matching sees it: (id, title, its KRs as (id, title, metric))
Outline = Sequence[tuple[str, str, Sequence[tuple[str, str, Any]]]]


class Matched:
    """How two versions' objectives and KRs correspond. KRs are "objective/kr" keys.

    A plain class: the pre-commit hook imports this module, and a NamedTuple here
    made that import take about twice as long (0.4 → 0.9 ms).
    """

    __slots__ = (
        "gained",
        "gained_krs",
        "krs",
        "lost",
        "lost_krs",
        "objectives",
        "renamed",
        "renamed_krs",
    )

    def __init__(self, objectives: list[tuple[str, str]], renamed: list[tuple[str, str]],
                 lost: list[str], gained: list[str], krs: list[tuple[str, str]],
                 renamed_krs: list[tuple[str, str]], lost_krs: list[str],
                 gained_krs: list[str]) -> None:
        self.objectives = objectives  # (old id, new id): the same id first, then renamed
        self.renamed = renamed  # the objectives paired by title or by the KRs they keep
        self.lost = lost  # old objectives with no new one
        self.gained = gained
        self.krs = krs  # (old key, new key), in the paired objective first, then renamed
        self.renamed_krs = renamed_krs  # the KRs paired by id, title or metric elsewhere
        self.lost_krs = lost_krs
        self.gained_krs = gained_krs


def match(old: Outline, new: Outline) -> Matched:
    """Pair two versions' objectives (by id, then title, then the KRs they keep) and
    KRs (in the paired objective by id, then across the sheet by id, title, metric).

    The one matching of the semantic diff and the history, so a rename reads the
    same on the site's timeline and in `okr diff`. An id given twice counts once
    (its last item), as in a dict.
    """
    old_objs = {oid: (title, [k[0] for k in krs]) for oid, title, krs in old}
    new_objs = {oid: (title, [k[0] for k in krs]) for oid, title, krs in new}
    same = [(i, i) for i in old_objs if i in new_objs]
    lost = {i: v for i, v in old_objs.items() if i not in new_objs}
    gained = {i: v for i, v in new_objs.items() if i not in old_objs}
    renamed = pair_by(lost, gained, key=lambda v: v[0])
    for a, b in renamed:
        lost.pop(a)
        gained.pop(b)
    more = pair_by_overlap({i: v[1] for i, v in lost.items()},
                           {i: v[1] for i, v in gained.items()})
    for a, b in more:
        lost.pop(a)
        gained.pop(b)
    renamed += more
    obj_of = dict([*same, *renamed])
    old_krs = {f"{oid}/{k[0]}": (oid, k) for oid, _, krs in old for k in krs}
    new_krs = {f"{oid}/{k[0]}": k for oid, _, krs in new for k in krs}
    kr_pairs: list[tuple[str, str]] = []
    kr_lost: dict[str, tuple[str, str, Any]] = {}
    for key, (oid, k) in old_krs.items():
        target = obj_of.get(oid)
        new_key = f"{target}/{k[0]}" if target is not None else None
        if new_key is not None and new_key in new_krs:
            kr_pairs.append((key, new_key))
        else:
            kr_lost[key] = k
    taken = {b for _, b in kr_pairs}
    kr_gained = {key: k for key, k in new_krs.items() if key not in taken}
    kr_renamed: list[tuple[str, str]] = []
    for field in range(3):  # id, title, metric
        found = pair_by(kr_lost, kr_gained, key=lambda k, f=field: k[f])  # type: ignore[misc]
        for a, b in found:
            kr_lost.pop(a)
            kr_gained.pop(b)
        kr_renamed += found
    return Matched([*same, *renamed], renamed, list(lost), list(gained), kr_pairs, kr_renamed,
                   list(kr_lost), list(kr_gained))


# -- showing a change ------------------------------------------------------------------


def show(value: Any) -> str:
    """A value as the YAML would show it."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return repr(value)  # as written: 3.0 stays 3.0, 0.1 + 0.2 is not 0.30000000000000004
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(show(v) for v in value) + "]"
    return str(value)


def change_text(field: str, old: Any, new: Any) -> str:
    """"+8.3%" for numbers (points for confidence: "+0.1"), "" otherwise."""
    if field == "confidence":
        if is_number(old) and is_number(new):
            delta = float(new) - float(old)
            return f"{delta:+.2f}".rstrip("0").rstrip(".").replace("-", "−")
        return ""
    rel = relative_change(old, new)
    if rel is None:
        return ""
    return f"{rel:+.1%}".replace("-", "−")
