"""site/render.py: the template environment's helpers written in Python for speed give
the bytes the template loops and macros gave (the goldens cover whole pages)."""

from __future__ import annotations

import re

import pytest

from okrkit.site import render
from okrkit.site.strings import Strings
from okrkit.site.views import Bar, ChartRow, TimelineRow


@pytest.mark.parametrize("raw", [
    "", "a", "\n", "\n\n", "\n\n\n", "a\n\n\n\nb", "a\n\n\n\n\n\n\n\nb\n\n\nc\n", "\n\n\n\n\n",
    "x\n\ny\n\n\n", "\n\n\n\n\n\n\n\n\n\n\nz",
])
def test_collapse_leaves_at_most_one_blank_line_as_the_regex_did(raw: str) -> None:
    assert render.collapse(raw) == re.sub(r"\n{3,}", "\n\n", raw)


def _rows() -> tuple[TimelineRow, ...]:
    return (
        TimelineRow("2026-01-01", "Ann <a>", "abc1234", None, "okrs: add *all*", "added",
                    "added", ("Current: 7.3%",), False),
        TimelineRow("2026-02-13", "吳佳穎", "def5678", "https://github.com/o/r/commit/def5678",
                    "挑戰 {{ 7*7 }}", "plan", "plan change", ("Target: 6.2% → 6.5%", "x_y"),
                    True),
        TimelineRow("2026-03-01", "Bo", "0123456", None, "", "checkin", "check-in",
                    ("Current: 1 → 2",), False),
    )


def test_timeline_body_is_the_rows_newest_first_as_the_macros_write_them() -> None:
    env = render.environment(render.template_dirs())
    out = env.from_string("{{ timeline_body(rows) }}").render(rows=_rows(), t=Strings("en"))
    assert out == (
        '<tr><td>2026-03-01</td><td>Bo</td><td>Current&#58; 1 → 2</td><td>'
        '<span class="okr-sha">0123456</span> <span class="okr-subject" title=""></span>'
        "</td></tr>\n"
        '<tr class="okr-row-moved"><td>2026-02-13</td><td>吳佳穎</td><td>'
        '<span class="okr-kind okr-kind-plan">plan change</span> '
        '<span class="okr-kind okr-kind-moved">goal posts moved</span> '
        "Target&#58; 6.2% → 6.5%; x&#95;y</td><td>"
        '<a class="okr-sha" href="https&#58;//github.com/o/r/commit/def5678">def5678</a> '
        '<span class="okr-subject" title="挑戰 &#123;&#123; 7&#42;7 &#125;&#125;">'
        '<span lang="zh-TW">挑戰 &#123;&#123; 7&#42;7 &#125;&#125;</span></span></td></tr>\n'
        '<tr><td>2026-01-01</td><td>Ann &#60;a&#62;</td><td>'
        '<span class="okr-kind okr-kind-added">added</span> Current&#58; 7.3%</td><td>'
        '<span class="okr-sha">abc1234</span> <span class="okr-subject" '
        'title="okrs&#58; add &#42;all&#42;">okrs&#58; add &#42;all&#42;</span></td></tr>\n')


def test_the_macros_call_the_python_pieces() -> None:
    env = render.environment(render.template_dirs())
    bar = Bar("57.0", "57%", "0.5700", "40.0", "KR <1>: 57%")
    via_macro = env.from_string(
        '{% import "okrkit/macros.md" as m with context %}'
        '{{ m.progress(b, "q/t/o/k")|safe }}|{{ m.status("at-risk", "At risk")|safe }}|'
        "{{ m.change(row)|safe }}|{{ m.commit(row)|safe }}"
    ).render(b=bar, row=_rows()[1], t=Strings("en"))
    assert via_macro == (
        '<span class="okr-progress" role="progressbar" aria-label="KR &#60;1&#62;&#58; 57%" '
        'aria-valuemin="0" aria-valuemax="100" aria-valuenow="57.0" aria-valuetext="57%" '
        'data-ref="q/t/o/k"><span class="okr-progress-fill" style="width:57.0%"></span>'
        '<span class="okr-progress-expected" style="left:40.0%"></span></span> '
        '<span class="okr-progress-label">57%</span>|'
        '<span class="okr-status okr-status-at-risk">At risk</span>|'
        '<span class="okr-kind okr-kind-plan">plan change</span> '
        '<span class="okr-kind okr-kind-moved">goal posts moved</span> '
        "Target&#58; 6.2% → 6.5%; x&#95;y|"
        '<a class="okr-sha" href="https&#58;//github.com/o/r/commit/def5678">def5678</a>')
    plain = Bar("0.0", "—", "0")
    assert str(render.progress_bar(plain)) == (
        '<span class="okr-progress" role="progressbar" aria-valuemin="0" aria-valuemax="100" '
        'aria-valuenow="0.0" aria-valuetext="—"><span class="okr-progress-fill" '
        'style="width:0.0%"></span></span> <span class="okr-progress-label">—</span>')


def test_chart_rows_body_is_the_rows_escaped_one_a_line() -> None:
    rows = (ChartRow("2026-01-01", "1,200 users", "1,000 users"),
            ChartRow("2026-02-01", "≥ 5 *", ""))
    assert str(render.chart_rows_body(rows)) == (
        "<tr><td>2026-01-01</td><td>1,200 users</td><td>1,000 users</td></tr>\n"
        "<tr><td>2026-02-01</td><td>≥ 5 &#42;</td><td></td></tr>\n")
    assert render.chart_rows_body(()) == ""
