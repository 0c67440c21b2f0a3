"""okrkit.numbers: the one reading of a number that `okr checkin` (VALUE, --confidence,
--batch, the issue form), `okr import` and `okr measure` share."""

from __future__ import annotations

from decimal import Decimal

import pytest

from okrkit import numbers


@pytest.mark.parametrize(("text", "value", "unit"), [
    ("53000", "53000", None), ("53,000", "53000", None), ("2.6", "2.6", None),
    ("-1e3", "-1000", None), ("1.2E+10", "12000000000", None), ("１２,０００", "12000", None),
    ("−3", "-3", None), ("12%", "12", "%"), ("2.9 %", "2.9", "%"),
    ("NT$72,000", "72000", "NT$"), ("NT$7.2萬", "72000", "NT$"), ("7.2萬", "72000", None),
    ("500萬元", "5000000", "元"), ("3.2k", "3200", None), ("US$1.5M", "1500000", "US$"),
    ("２億", "200000000", None), ("2.", "2", None),
    # a negative amount as the site shows it, and as people also write it
    ("-NT$450", "-450", "NT$"), ("NT$-450", "-450", "NT$"), ("-$3", "-3", "$"),
])
def test_a_number_as_people_write_it(text: str, value: str, unit: str | None) -> None:
    number = numbers.parse(text)
    assert number is not None and (number.value, number.unit) == (Decimal(value), unit)


def test_what_the_site_shows_reads_back() -> None:
    for value, unit in (("-450", "NT$"), ("5,150,000", "NT$"), ("12", "%"), ("500", "元")):
        shown = numbers.with_unit(value, unit)
        number = numbers.parse(shown)
        assert number is not None and (number.value, number.unit) == (
            Decimal(value.replace(",", "")), unit), shown


@pytest.mark.parametrize("text", ["lots", "nan", "inf", "0,5", "55,5", "1,23,456", ",500",
                                  "1_000", "約500", "10-20", "(500)", "N/A", "NT$5%", "1e999",
                                  "500 萬 萬", "NT$500元", "", "%", ".",
                                  "- 450", "-NT$-5", "--5"])
def test_not_a_number(text: str) -> None:
    assert numbers.parse(text) is None


@pytest.mark.parametrize(("text", "expected"), [
    ("0.7", 0.7), ("70%", 0.7), ("0", 0.0), ("100%", 1.0), ("1.5", None), ("-0.1", None),
    ("NT$0.5", None), ("high", None), ("0,7", None),
])
def test_a_confidence(text: str, expected: float | None) -> None:
    assert numbers.parse_confidence(text) == expected


@pytest.mark.parametrize(("written", "unit", "expected"), [
    (None, None, True), (None, "%", True), ("%", "%", True), ("%", None, False),
    ("%", "NT$", False), ("NT$", "%", False), ("NT$", "NT$", True), ("NT$", "TWD", True),
    ("元", "NT$", True), ("$", "NT$", True), ("$", "USD", True), ("US$", "NT$", False),
    ("€", "EUR", True), ("NT$", "visitors", False),
])
def test_a_unit_given_with_the_value_must_be_the_key_results(
        written: str | None, unit: str | None, expected: bool) -> None:
    assert numbers.agrees(written, unit) is expected


def test_the_disagreement_is_said_in_both_languages() -> None:
    number = numbers.parse("NT$3,000")
    assert number is not None
    assert numbers.disagreement(" NT$3,000", number, "%") == {
        "en": "'NT$3,000' has the unit 'NT$', but the key result's unit is '%'",
        "zh-TW": "「NT$3,000」的單位是「NT$」,但關鍵結果的單位是「%」"}
    assert numbers.disagreement("NT$3,000", number, "TWD") is None


@pytest.mark.parametrize("unit", ["萬元", "萬", "k visitors", "M"])
def test_a_scale_on_a_key_result_that_counts_in_a_multiple_is_refused(unit: str) -> None:
    """520萬 on a key result in 萬元 would be 5,200,000 萬元: a wrong number written
    without a word; it is refused instead, and 520 goes in as typed."""
    scaled = numbers.parse("520萬")
    assert scaled is not None and scaled.value == 5_200_000
    said = numbers.disagreement("520萬", scaled, unit)
    assert said is not None and "520萬" in said["en"] and "倍數" in said["zh-TW"]
    plain = numbers.parse("520")
    assert plain is not None and numbers.disagreement("520", plain, unit) is None
    assert numbers.disagreement("7.2萬", scaled, "NT$") is None  # no multiple in the unit


@pytest.mark.parametrize(("value", "expected"), [("13900", 13900), ("2.50", 2.5),
                                                 ("72000.0", 72000)])
def test_to_yaml(value: str, expected: int | float) -> None:
    found = numbers.to_yaml(Decimal(value))
    assert found == expected and type(found) is type(expected)
