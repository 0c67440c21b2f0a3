"""The small pieces behind the accessible pages: text languages, progress bar names, chart
descriptions, the footer's CSS string (the browser checks are in test_accessibility.py)."""

from __future__ import annotations

import datetime as dt
import re
import xml.etree.ElementTree as ET

import markdown
import pytest

from okrkit.model import Status
from okrkit.site import svg
from okrkit.site.lang import text_lang
from okrkit.site.markup import css_string
from okrkit.site.render import heading_id
from okrkit.site.strings import Strings
from okrkit.site.views import bar, progress_name

NS = "{http://www.w3.org/2000/svg}"


@pytest.mark.parametrize(("value", "page", "expected"), [
    ("將網站每月不重複訪客數提升20%", "en", "zh-TW"),
    ("將網站每月不重複訪客數提升20%", "zh-TW", None),
    ("提升 SEO 流量", "en", "zh-TW"),  # Han decides: the sentence is Chinese
    ("Reach 5M in sales", "zh-TW", "en"),
    ("Reach 5M in sales", "en", None),
    ("2026-Q1", "zh-TW", None),  # no word in either language
    ("Q1 · 42%", "en", None),
    ("", "en", None),
])
def test_text_lang_names_the_other_language_only(value: str, page: str,
                                                 expected: str | None) -> None:
    assert text_lang(value, page) == expected


def test_heading_id_carries_lang_for_attr_list() -> None:
    assert heading_id("kr-1", "en") == '{#kr-1 lang="en"}'
    assert heading_id("kr-1") == "{#kr-1}"
    assert heading_id("kr-1", 'x" onclick="y') == "{#kr-1}"  # only the two languages
    html = markdown.markdown(f"## 提升品牌知名度 {heading_id('brand', 'zh-TW')}",
                             extensions=["attr_list"])
    assert html == '<h2 id="brand" lang="zh-TW">提升品牌知名度</h2>'


@pytest.mark.parametrize(("lang", "status", "expected"), [
    ("en", Status.ON_TRACK, "將網站每月不重複訪客數提升20%: 65%, On track"),
    ("zh-TW", Status.AT_RISK, "將網站每月不重複訪客數提升20%:65%,有風險"),
    ("en", None, "將網站每月不重複訪客數提升20%: 65%"),
])
def test_progress_name_says_title_value_and_status(lang: str, status: Status | None,
                                                   expected: str) -> None:
    name = progress_name(Strings(lang), "將網站每月不重複訪客數提升20%", 0.65, status)
    assert name == expected
    assert bar(0.65, name=name).name == expected


def test_progress_name_without_progress_says_no_data() -> None:
    assert progress_name(Strings("en"), "Launch", None, Status.UNKNOWN) == \
        "Launch: No data, No data"
    assert progress_name(Strings("zh-TW"), "上線", None) == "上線:無資料"


@pytest.mark.parametrize("value", [
    '</style><script>alert(1)</script>', 'a"b\\c\nd', "{{ 7*7 }} {% raw %}", "雲祥 · 2026-03-20",
])
def test_css_string_cannot_leave_the_string_or_the_style_element(value: str) -> None:
    out = css_string(value)
    assert out.startswith('"') and out.endswith('"')
    inner = out[1:-1]
    assert not re.search(r'[<>"{}\n\r]', inner)
    # decoding the CSS escapes gives the text back (newlines dropped)
    decoded = re.sub(r"\\([0-9a-f]+) ", lambda m: chr(int(m.group(1), 16)), inner)
    assert decoded == value.replace("\n", "")


def test_chart_has_a_description_when_given() -> None:
    chart = svg.Chart(
        dom_id="chart-x", label="Visitors", start=dt.date(2026, 1, 1),
        end=dt.date(2026, 3, 31), baseline=50000.0, target=60000.0, ideal=True,
        points=[svg.ChartPoint(dt.date(2026, 3, 1), 57400.0, "57,400")], today=None,
        value_label={}, date_labels=("2026-01-01", "2026-03-31"),
        description="Latest value <57,400> on 2026-03-01")
    root = ET.fromstring(svg.render(chart).replace("&#", "&amp;#"))
    assert root.get("aria-describedby") == "chart-x-d"
    desc = root.find(f"{NS}desc")
    assert desc is not None and desc.get("id") == "chart-x-d"
    assert "<" not in svg.render(chart).split("<desc", 1)[1].split("</desc>")[0][1:]
