"""Hand-written inline SVG charts: a key result's value over time against its ideal line.

Deterministic (same input, same bytes: coordinates rounded, no random ids),
offline (no script, no CDN) and themed: colours are CSS variables of Material
with a fallback, so the chart follows dark mode (DESIGN "The site").
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from okrkit.site.markup import text

WIDTH, HEIGHT = 640, 220
LEFT, RIGHT, TOP, BOTTOM = 12, 12, 24, 30

# Colours and strokes are classes (site_templates/assets/okrkit/okrkit.css) over Material's
# variables: one short attribute per element keeps 800 team pages small, and dark mode
# changes the variables, not the SVG.

@dataclass(frozen=True, slots=True)
class ChartPoint:
    day: dt.date
    value: float
    label: str  # the value as shown, with its unit


@dataclass(frozen=True, slots=True)
class Chart:
    """What one KR chart shows; every label already formatted in the page's language."""

    dom_id: str  # unique on the page: ids of <title>/<desc>
    label: str  # the accessible name
    start: dt.date  # left edge: the cycle's start
    end: dt.date  # right edge: the due date (or the cycle's end)
    baseline: float | None
    target: float
    ideal: bool  # a line from baseline at start to target at the due date (else a level)
    points: Sequence[ChartPoint]  # check-ins, oldest first
    today: dt.date | None
    value_label: dict[float, str]  # y-axis labels for baseline and target
    date_labels: tuple[str, str]
    # read by screen readers after the name: baseline, target, the latest value against the
    # ideal line (the numbers themselves are in the page's table beside the chart)
    description: str = ""


def render(chart: Chart) -> str:
    """The chart as one `<svg>` element (no newlines inside: it sits in a raw HTML block)."""
    left = min([chart.start, *(p.day for p in chart.points)])
    right = max([chart.end, *(p.day for p in chart.points)])
    span = max((right - left).days, 1)
    values = [chart.target, *(p.value for p in chart.points)]
    if chart.baseline is not None:
        values.append(chart.baseline)
    low, high = min(values), max(values)
    pad = (high - low) * 0.08 or max(abs(high) * 0.1, 1.0)
    low, high = low - pad, high + pad
    plot_w = WIDTH - LEFT - RIGHT
    plot_h = HEIGHT - TOP - BOTTOM

    def x(day: dt.date) -> float:
        return LEFT + plot_w * (day - left).days / span

    def y(value: float) -> float:
        return TOP + plot_h * (high - value) / (high - low)

    parts = [
        f'<svg class="okr-chart" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
        f'aria-labelledby="{chart.dom_id}-t"'
        + (f' aria-describedby="{chart.dom_id}-d"' if chart.description else "")
        + ' xmlns="http://www.w3.org/2000/svg">',
        f'<title id="{chart.dom_id}-t">{text(chart.label)}</title>',
        *([f'<desc id="{chart.dom_id}-d">{text(chart.description)}</desc>']
          if chart.description else []),
        _line("g", LEFT, TOP + plot_h, WIDTH - RIGHT, TOP + plot_h),
    ]
    for value, label in sorted(chart.value_label.items()):
        if low <= value <= high:
            parts.append(_line("g", LEFT, y(value), WIDTH - RIGHT, y(value)))
            # inside the plot, above its grid line: long labels are never cut off
            parts.append(_text(LEFT + 2, y(value) - 4, label))
    parts.append(_text(x(chart.start), HEIGHT - 10, chart.date_labels[0]))
    parts.append(_text(x(chart.end), HEIGHT - 10, chart.date_labels[1], end=True))
    # the ideal line, or the level to hold for at_least / at_most
    if chart.ideal and chart.baseline is not None:
        parts.append(_line("i", x(chart.start), y(chart.baseline), x(chart.end),
                           y(chart.target)))
    else:
        parts.append(_line("i", LEFT, y(chart.target), WIDTH - RIGHT, y(chart.target)))
    if chart.today is not None and left <= chart.today <= right:
        tx = x(chart.today)
        parts.append(_line("t", tx, TOP, tx, TOP + plot_h))
    # the actual values: a step line (a value holds until the next check-in), dots at check-ins
    if chart.points:
        first = chart.points[0]
        path = [f"M{_n(x(first.day))} {_n(y(first.value))}"]
        for point in chart.points[1:]:
            path.append(f"H{_n(x(point.day))}V{_n(y(point.value))}")
        last_x = x(chart.points[-1].day)
        hold = x(min(chart.today, right)) if chart.today is not None else last_x
        if hold > last_x:
            path.append(f"H{_n(hold)}")
        parts.append(f'<path class="a" d="{"".join(path)}"/>')
        parts += [f'<circle class="p" cx="{_n(x(p.day))}" cy="{_n(y(p.value))}" r="3.5"/>'
                  for p in chart.points]
    parts.append("</svg>")
    return "".join(parts)


def _n(value: float) -> str:
    """A coordinate with one decimal, no trailing zeros: same bytes on every platform."""
    out = f"{value:.1f}"
    return out[:-2] if out.endswith(".0") else out


def _line(cls: str, x1: float, y1: float, x2: float, y2: float) -> str:
    return f'<line class="{cls}" x1="{_n(x1)}" y1="{_n(y1)}" x2="{_n(x2)}" y2="{_n(y2)}"/>'


def _text(px: float, py: float, label: str, *, end: bool = False) -> str:
    anchor = ' text-anchor="end"' if end else ""
    return f'<text x="{_n(px)}" y="{_n(py)}"{anchor}>{text(label)}</text>'
