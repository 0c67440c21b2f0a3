"""Synthetic OKR trees and git histories for benchmarks and tests (a shared API: keep it stable).

- `write_tree(root, teams=..., cycles=[...])` writes `root/okrs/org.yaml` and one
  sheet per team and cycle, `root/okrs/<cycle>/<team>.yaml`, that validate
  cleanly and lint reasonably (measurable key results with metric, source,
  baseline, target, current, confidence, due and owner; zh-TW and English
  titles mixed), and returns the sheet paths.
- `make_history(root, commits=...)` turns `root` into a git repository whose
  linear history has `commits` commits, built by one `git fast-import`: the
  first commit adds every file, each later one is a check-in that moves
  `current:`/`confidence:` of a few key results (some move a target), by
  people of the org on dates spread over the cycles. The work tree is then
  checked out, so it shows the files with every edit applied.

Deterministic for a given seed. 200 teams x 4 quarters (800 sheets) with
5,000 commits builds in a few seconds.
"""

from __future__ import annotations

import datetime as dt
import os
import random
import subprocess
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from okrkit import yamlload
from okrkit.cycles import Cycle, CycleCalendar

TZ = dt.timezone(dt.timedelta(hours=8))

THEMES = (
    ("brand", "品牌知名度", "Brand awareness"),
    ("online-growth", "線上營收成長", "Online growth"),
    ("market-expansion", "市場拓展", "Market expansion"),
    ("efficiency", "營運效率", "Operational efficiency"),
    ("customer-experience", "使用者體驗", "Customer experience"),
)

# (slug, zh-TW title, English title, theme): qualitative, no numbers (OKR102)
OBJECTIVES = (
    ("brand-awareness", "提升品牌知名度", "Make the brand known to our audience", "brand"),
    ("online-revenue", "擴大線上營收", "Grow online revenue", "online-growth"),
    ("customer-delight", "讓顧客更滿意", "Delight our customers", "customer-experience"),
    ("lean-operations", "提高營運效率", "Run leaner operations", "efficiency"),
    ("new-markets", "開拓海外市場", "Open new overseas markets", "market-expansion"),
    ("loyal-customers", "培養忠實顧客", "Keep customers coming back", "online-growth"),
)


@dataclass(frozen=True, slots=True)
class _Metric:
    slug: str
    zh: str
    en: str
    unit: str
    source: str
    low: float  # baseline range
    high: float
    decimals: int
    direction: str  # increase | decrease


METRICS = (
    _Metric("unique-visitors", "網站每月不重複訪客數", "monthly unique visitors", "visitors",
            "Google Analytics", 20000, 90000, 0, "increase"),
    _Metric("conversion-rate", "網站整體轉換率", "website conversion rate", "%",
            "Google Analytics", 1.5, 4.0, 1, "increase"),
    _Metric("social-followers", "社群媒體粉絲數", "social media followers", "人",
            "Meta Business Suite", 5000, 60000, 0, "increase"),
    _Metric("email-ctr", "電子報平均點擊率", "newsletter click-through rate", "%",
            "Mailchimp", 2.0, 6.0, 1, "increase"),
    _Metric("monthly-revenue", "每月線上營收", "monthly online revenue", "NT$",
            "ERP 月報", 800000, 5000000, 0, "increase"),
    _Metric("csat", "顧客滿意度平均分數", "average customer satisfaction score", "分",
            "SurveyCake", 70, 85, 0, "increase"),
    _Metric("days-to-ship", "平均出貨天數", "average days to ship", "天",
            "倉儲管理系統", 3.0, 6.0, 1, "decrease"),
    _Metric("cost-per-lead", "潛在客戶獲取成本", "cost per lead", "NT$",
            "Google Ads", 300, 900, 0, "decrease"),
    _Metric("recurring-customers", "經常性收入客戶數", "recurring-revenue customers", "家",
            "CRM", 40, 400, 0, "increase"),
    _Metric("return-rate", "退貨率", "return rate", "%", "Shopify 後台", 3.0, 9.0, 1,
            "decrease"),
)

# the metrics that serve each theme: an objective's key results come from its theme, and the
# theme's description names them (so OKR402 sees how each key result relates)
THEME_METRICS = {
    "brand": ("unique-visitors", "social-followers", "email-ctr"),
    "online-growth": ("conversion-rate", "monthly-revenue", "recurring-customers"),
    "market-expansion": ("recurring-customers", "monthly-revenue", "unique-visitors"),
    "efficiency": ("days-to-ship", "cost-per-lead", "return-rate"),
    "customer-experience": ("csat", "return-rate", "days-to-ship"),
}
_METRIC = {m.slug: m for m in METRICS}

SURNAMES = "王李張劉陳楊黃趙吳周徐孫馬朱胡郭何林高羅"
GIVEN = ("美玲", "凱文", "芳瑜", "雨婷", "俊傑", "子豪", "安琪", "佳穎", "承威", "宜庭",
         "睿哲", "志明", "宇翔", "怡君", "家豪", "淑芬", "建宏", "雅婷")
PEOPLE_PER_TEAM = 3


@dataclass(frozen=True, slots=True)
class _Person:
    id: str
    name: str
    email: str


def _people(teams: int) -> list[_Person]:
    result = []
    for n in range(teams * PEOPLE_PER_TEAM):
        name = SURNAMES[n % len(SURNAMES)] + GIVEN[(n // len(SURNAMES)) % len(GIVEN)]
        result.append(_Person(f"p{n:04d}", name, f"p{n:04d}@example.com"))
    return result


def _team_id(index: int) -> str:
    return f"team-{index:03d}"


def _cycles(cycle_ids: Sequence[str]) -> list[Cycle]:
    calendar = CycleCalendar()
    found = []
    for cycle_id in cycle_ids:
        cycle = calendar.get(cycle_id)
        if cycle is None:
            raise ValueError(f"not a standard cycle id: {cycle_id!r} (use 2026, 2026-H1, 2026-Q1)")
        found.append(cycle)
    return found


def _round(value: float, decimals: int) -> int | float:
    return round(value) if decimals == 0 else round(value, decimals)


def _number(value: int | float) -> str:
    return str(value)


def _org_text(teams: int, people: list[_Person]) -> str:
    lines = [
        "# yaml-language-server: $schema=../schema/org.schema.json",
        "name: 合成資料公司 Synthetic Co.",
        "description: 由 bench/synth.py 產生的測試資料。Generated by bench/synth.py.",
        "",
        "strategy:",
    ]
    for theme_id, zh, en in THEMES:
        names = "、".join(_METRIC[slug].zh for slug in THEME_METRICS[theme_id])
        lines += [f"  - id: {theme_id}", f"    title: {zh} {en}",
                  f"    description: {names}"]
    lines += ["", "teams:"]
    for t in range(teams):
        members = [p.id for p in people[t * PEOPLE_PER_TEAM:(t + 1) * PEOPLE_PER_TEAM]]
        lines += [f"  - id: {_team_id(t)}", f"    name: 第 {t} 組 Team {t}",
                  f"    lead: {members[0]}", f"    members: [{', '.join(members)}]"]
    lines += ["", "people:"]
    for p in people:
        lines += [f"  - id: {p.id}", f"    name: {p.name}", f"    email: {p.email}"]
    return "\n".join(lines) + "\n"


def _sheet_text(rng: random.Random, cycle: Cycle, team: int, people: list[_Person], *,
                objectives: int, krs: int) -> str:
    members = [p.id for p in people[team * PEOPLE_PER_TEAM:(team + 1) * PEOPLE_PER_TEAM]]
    cycle_text = f'"{cycle.id}"' if cycle.kind == "year" else cycle.id
    lines = [
        "# yaml-language-server: $schema=../../schema/okr.schema.json",
        f"cycle: {cycle_text}",
        f"team: {_team_id(team)}",
        f"owner: {members[0]}",
        "",
        "objectives:",
    ]
    first = rng.randrange(len(OBJECTIVES))
    for o in range(objectives):
        slug, zh, en, theme = OBJECTIVES[(first + o) % len(OBJECTIVES)]
        if o >= len(OBJECTIVES):
            slug = f"{slug}-{o // len(OBJECTIVES) + 1}"
        english = rng.random() < 0.4
        kind = "committed" if rng.random() < 0.4 else "aspirational"
        lines += [
            f"  - id: {slug}",
            f"    title: {en if english else zh}",
            f"    owner: {rng.choice(members)}",
            f"    kind: {kind}",
            f"    strategy: [{theme}]",
            "    key_results:",
        ]
        pool = THEME_METRICS[theme]
        kr_first = rng.randrange(len(pool))
        for k in range(krs):
            metric = _METRIC[pool[(kr_first + k) % len(pool)]]
            kr_id = metric.slug if k < len(pool) else f"{metric.slug}-{k // len(pool) + 1}"
            lines += _kr_lines(rng, metric, kr_id, cycle, rng.choice(members),
                               english=rng.random() < 0.4)
    return "\n".join(lines) + "\n"


def _kr_lines(rng: random.Random, metric: _Metric, kr_id: str, cycle: Cycle, owner: str, *,
              english: bool) -> list[str]:
    baseline = _round(rng.uniform(metric.low, metric.high), metric.decimals)
    change = rng.uniform(0.12, 0.35)  # between OKR301's floor (0.1) and OKR302's ceiling
    sign = 1 if metric.direction == "increase" else -1
    target = _round(baseline * (1 + sign * change), metric.decimals)
    while abs(target - baseline) < 0.12 * baseline:  # rounding may have eaten the change
        target = _round(target + sign * 10 ** -metric.decimals, metric.decimals)
    current = _round(baseline + (target - baseline) * rng.uniform(0.0, 0.6), metric.decimals)
    confidence = round(rng.uniform(0.5, 0.8), 1)
    if english:
        verb = "Raise" if sign > 0 else "Cut"
        title = f"{verb} {metric.en} from {_number(baseline)} to {_number(target)}"
    else:
        verb = "提升到" if sign > 0 else "降低到"
        title = f"將{metric.zh}從{_number(baseline)}{verb}{_number(target)}"
    unit = f'"{metric.unit}"' if metric.unit == "%" else metric.unit
    return [
        f"      - id: {kr_id}",
        f"        title: {title}",
        f"        metric: {metric.zh}",
        f"        source: {metric.source}",
        f"        unit: {unit}",
        f"        direction: {metric.direction}",
        f"        baseline: {_number(baseline)}",
        f"        target: {_number(target)}",
        f"        current: {_number(current)}",
        f"        confidence: {confidence}",
        f"        due: {cycle.end.isoformat()}",
        f"        owner: {owner}",
    ]


def write_tree(root: Path, *, teams: int, cycles: Sequence[str], objectives: int = 3,
               krs: int = 3, seed: int = 0) -> list[Path]:
    """Write root/okrs/org.yaml and root/okrs/<cycle>/<team>.yaml; return the sheet paths."""
    rng = random.Random(seed)
    okrs = Path(root) / "okrs"
    okrs.mkdir(parents=True, exist_ok=True)
    people = _people(teams)
    (okrs / "org.yaml").write_text(_org_text(teams, people), encoding="utf-8")
    paths = []
    for cycle in _cycles(cycles):
        folder = okrs / cycle.id
        folder.mkdir(exist_ok=True)
        for team in range(teams):
            path = folder / f"{_team_id(team)}.yaml"
            path.write_text(_sheet_text(rng, cycle, team, people, objectives=objectives,
                                        krs=krs), encoding="utf-8")
            paths.append(path)
    return paths


# -- history ---------------------------------------------------------------------


@dataclass(slots=True)
class _KrLines:
    """Where one key result's editable values sit in its sheet (0-based line numbers)."""

    direction: str
    decimals: int
    baseline: float
    target: float
    current: float
    target_line: int
    current_line: int
    confidence_line: int | None


@dataclass(slots=True)
class _SheetState:
    relpath: str
    cycle: Cycle | None
    lines: list[str]
    krs: list[_KrLines]


def _git(root: Path, *args: str, stdin: bytes | None = None,
         env: dict[str, str] | None = None) -> str:
    result = subprocess.run(["git", *args], cwd=root, input=stdin, capture_output=True,
                            env=env, check=False)
    if result.returncode != 0:
        raise RuntimeError(f"git {' '.join(args)} failed: {result.stderr.decode(errors='replace')}")
    return result.stdout.decode()


def _decimals(text: str) -> int:
    return len(text.split(".")[1]) if "." in text else 0


def _sheet_state(root: Path, path: Path, calendar: CycleCalendar) -> _SheetState:
    text = path.read_text(encoding="utf-8")
    relpath = path.relative_to(root).as_posix()
    doc, _ = yamlload.load_text(relpath, text)
    lines = text.split("\n")
    krs: list[_KrLines] = []
    data = doc.data if doc is not None and isinstance(doc.data, dict) else {}
    for o, objective in enumerate(data.get("objectives") or ()):
        for k, kr in enumerate(objective.get("key_results") or ()):
            jpath = ("objectives", o, "key_results", k)
            values = [kr.get(name) for name in ("baseline", "target", "current")]
            if not all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in values):
                continue  # only numeric key results get check-ins
            target_line = doc.values[(*jpath, "target")][0] - 1  # type: ignore[union-attr]
            current_line = doc.values[(*jpath, "current")][0] - 1  # type: ignore[union-attr]
            conf = doc.values.get((*jpath, "confidence"))  # type: ignore[union-attr]
            krs.append(_KrLines(kr.get("direction", "increase"),
                                max(_decimals(lines[target_line]), _decimals(lines[current_line])),
                                float(values[0]), float(values[1]), float(values[2]),
                                target_line, current_line, None if conf is None else conf[0] - 1))
    cycle = calendar.get(str(data.get("cycle", "")))
    return _SheetState(relpath, cycle, lines, krs)


def _set_value(lines: list[str], index: int, value: str) -> None:
    key, _, _ = lines[index].partition(":")
    lines[index] = f"{key}: {value}"


def _files(root: Path) -> list[Path]:
    found = []
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if d != ".git")
        found += [Path(dirpath) / name for name in sorted(filenames)]
    return found


def _blob(path: str, content: bytes) -> bytes:
    return b"M 100644 inline " + path.encode() + b"\ndata %d\n" % len(content) + content + b"\n"


def _person_line(kind: str, person: tuple[str, str], when: dt.datetime) -> bytes:
    name, email = person
    return f"{kind} {name} <{email}> {int(when.timestamp())} +0800\n".encode()


def make_history(root: Path, *, commits: int, seed: int = 0) -> None:
    """`git init` root if needed; commit its files, then `commits - 1` check-ins, in one import."""
    root = Path(root)
    rng = random.Random(seed)
    env = {**os.environ, "GIT_CONFIG_NOSYSTEM": "1"}
    if not (root / ".git").exists():
        _git(root, "init", "-q", "-b", "main", env=env)
    branch = _git(root, "symbolic-ref", "HEAD", env=env).strip()
    parent = subprocess.run(["git", "rev-parse", "-q", "--verify", "HEAD"], cwd=root,
                            capture_output=True, text=True, check=False, env=env).stdout.strip()
    calendar = CycleCalendar()
    okrs = root / "okrs"
    sheets = [_sheet_state(root, p, calendar) for p in sorted(okrs.glob("*/*.yaml"))]
    sheets = [s for s in sheets if s.krs]
    by_cycle: dict[Cycle, list[_SheetState]] = {}
    for sheet in sheets:
        if sheet.cycle is not None:
            by_cycle.setdefault(sheet.cycle, []).append(sheet)
    people = _authors(root)
    cycles = [s.cycle for s in sheets if s.cycle is not None]
    start = min((c.start for c in cycles), default=dt.date(2026, 1, 1))
    end = max((c.end for c in cycles), default=dt.date(2026, 3, 31))
    first = dt.datetime.combine(start, dt.time(9, 0), TZ)
    span = dt.datetime.combine(end, dt.time(18, 0), TZ) - first

    out = bytearray()
    # commit 1: every file as written
    out += b"commit " + branch.encode() + b"\n"
    out += _person_line("author", people[0], first) + _person_line("committer", people[0], first)
    message = b"okrs: add the synthetic OKR tree\n"
    out += b"data %d\n" % len(message) + message
    if parent:
        out += f"from {parent}\n".encode()
    for path in _files(root):
        out += _blob(path.relative_to(root).as_posix(), path.read_bytes())
    out += b"\n"
    for n in range(1, commits):
        when = first + span * (n / max(commits - 1, 1))
        day = when.date()
        active = [s for c in by_cycle if c.contains_date(day) for s in by_cycle[c]]
        chosen = rng.sample(active or sheets, min(len(active or sheets), rng.randint(1, 3)))
        person = rng.choice(people)
        edits: list[str] = []
        for sheet in chosen:
            for kr in rng.sample(sheet.krs, min(len(sheet.krs), rng.randint(1, 2))):
                edits.append(_edit_kr(rng, sheet, kr))
        out += b"commit " + branch.encode() + b"\n"
        out += _person_line("author", person, when) + _person_line("committer", person, when)
        subject = f"checkin: {chosen[0].relpath.removeprefix('okrs/')} ({', '.join(edits)})\n"
        out += b"data %d\n" % len(subject.encode()) + subject.encode()
        for sheet in chosen:
            out += _blob(sheet.relpath, "\n".join(sheet.lines).encode())
        out += b"\n"
    _git(root, "fast-import", "--quiet", "--done", stdin=bytes(out) + b"done\n", env=env)
    _git(root, "checkout", "-q", "-f", env=env)


def _edit_kr(rng: random.Random, sheet: _SheetState, kr: _KrLines) -> str:
    """One check-in on one key result; rarely, a moved target instead. Returns a summary."""
    if rng.random() < 0.03:
        factor = rng.uniform(-0.05, 0.05)
        kr.target = float(_round(kr.target * (1 + factor), kr.decimals))
        _set_value(sheet.lines, kr.target_line, _number(_round(kr.target, kr.decimals)))
        return "target"
    step = (kr.target - kr.baseline) * rng.uniform(-0.02, 0.08)
    kr.current = float(_round(kr.current + step, kr.decimals))
    _set_value(sheet.lines, kr.current_line, _number(_round(kr.current, kr.decimals)))
    if kr.confidence_line is not None:
        _set_value(sheet.lines, kr.confidence_line, str(round(rng.uniform(0.3, 0.9), 1)))
    return "current"


def _authors(root: Path) -> list[tuple[str, str]]:
    """(name, email) of the org's people; one default author when there are none."""
    org = root / "okrs" / "org.yaml"
    people: list[tuple[str, str]] = []
    if org.is_file():
        doc, _ = yamlload.load_text("org.yaml", org.read_text(encoding="utf-8"))
        if doc is not None and isinstance(doc.data, dict):
            for p in doc.data.get("people") or ():
                if isinstance(p, dict) and p.get("email"):
                    people.append((str(p.get("name") or p["id"]), str(p["email"])))
    return people or [("Mei", "mei@example.com")]
