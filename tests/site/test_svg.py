"""The inline SVG chart: deterministic, accessible, themed through CSS variables."""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET

from okrkit.site import svg

NS = "{http://www.w3.org/2000/svg}"


def _chart(**changes: object) -> svg.Chart:
    values = {
        "dom_id": "chart-x", "label": "Visitors <b>&</b> {{ 7*7 }}",
        "start": dt.date(2026, 1, 1), "end": dt.date(2026, 3, 31), "baseline": 50000.0,
        "target": 60000.0, "ideal": True,
        "points": [svg.ChartPoint(dt.date(2026, 1, 1), 50000.0, "50,000"),
                   svg.ChartPoint(dt.date(2026, 2, 1), 53000.0, "53,000"),
                   svg.ChartPoint(dt.date(2026, 3, 1), 57400.0, "57,400")],
        "today": dt.date(2026, 3, 10), "value_label": {50000.0: "50,000", 60000.0: "60,000"},
        "date_labels": ("2026-01-01", "2026-03-31"),
    }
    values.update(changes)
    return svg.Chart(**values)  # type: ignore[arg-type]


def test_chart_is_well_formed_accessible_and_deterministic() -> None:
    out = svg.render(_chart())
    assert out == svg.render(_chart())
    root = ET.fromstring(out.replace("&#", "&amp;#"))  # references are HTML's, not XML's
    assert root.get("role") == "img" and root.get("aria-labelledby") == "chart-x-t"
    assert root.find(f"{NS}title") is not None
    assert len(root.findall(f"{NS}circle")) == 3
    assert "\n" not in out  # it sits inside a raw HTML block
    assert "style=" not in out and "fill=" not in out  # colours from the CSS: dark mode too


def test_ideal_line_runs_from_baseline_at_start_to_target_at_due_date() -> None:
    root = ET.fromstring(svg.render(_chart()).replace("&#", "&amp;#"))
    ideal = next(e for e in root.iter(f"{NS}line") if e.get("class") == "i")
    x1, y1, x2, y2 = (float(ideal.get(k, "nan")) for k in ("x1", "y1", "x2", "y2"))
    assert x1 == svg.LEFT and x2 == svg.WIDTH - svg.RIGHT
    assert y1 > y2  # baseline below target for an increase


def test_the_value_holds_until_today_and_labels_are_escaped() -> None:
    out = svg.render(_chart())
    path = out.split('class="a" d="', 1)[1].split('"', 1)[0]
    assert path.startswith("M") and path.count("V") == 2 and path.endswith(
        svg._n(svg.LEFT + (svg.WIDTH - svg.LEFT - svg.RIGHT) * 68 / 89))
    assert "<b>" not in out and "{{" not in out


def test_level_instead_of_ideal_line_for_at_least() -> None:
    out = svg.render(_chart(ideal=False, baseline=None))
    root = ET.fromstring(out.replace("&#", "&amp;#"))
    level = next(e for e in root.iter(f"{NS}line") if e.get("class") == "i")
    assert level.get("y1") == level.get("y2")
