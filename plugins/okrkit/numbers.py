"""One way to read a number that a person typed or a spreadsheet holds, at every door:
`okr checkin` (VALUE, `--confidence`, `--batch`, the issue form), `okr import` and the
csv, json, sql and ga4 sources of `okr measure`.

`parse` understands what spreadsheets and people write: `12000`, `12,000` (commas
group thousands, so `12,5` is refused rather than read as 125), `1.5`, `-3`,
`1.2E+10` (as Excel saves a wide number), full-width digits, `15%` (15 with the
unit `%`), a currency prefix `NT$`, `US$`, `HK$`, `NTD`, `$`, `€`, `¥`, `£` or a
`元` suffix, and a scale suffix `千` (×1,000), `萬` (×10,000), `億` (×100,000,000),
`K`/`k` (×1,000) or `M` (×1,000,000): `NT$7.2萬` is 72,000 with the unit `NT$`.
Anything else (`約500`, `10-20`, `(500)`, `N/A`, `nan`, `1_000`) is not a number.

A unit written with the number must be the key result's (`agrees`): `12%` on a key
result in `%` is 12, on one in `NT$` or without a unit it is refused, never turned
into 0.12 or dropped. Stdlib only, and not imported by the linter or the hook.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal

CURRENCIES = ("NT$", "US$", "HK$", "NTD", "$", "€", "¥", "£", "￥")
SCALES = {"千": 1_000, "萬": 10_000, "万": 10_000, "億": 100_000_000, "亿": 100_000_000,
          "K": 1_000, "k": 1_000, "M": 1_000_000}
# units that name the same money: `NT$3,000` agrees with a key result in TWD or 元
_SAME_MONEY = (frozenset({"nt$", "ntd", "twd", "元", "新台幣"}),
               frozenset({"us$", "usd"}), frozenset({"hk$", "hkd"}), frozenset({"€", "eur"}),
               frozenset({"¥", "￥", "jpy", "cny", "rmb"}), frozenset({"£", "gbp"}))
_DOLLARS = frozenset({"nt$", "ntd", "twd", "元", "新台幣", "us$", "usd", "hk$", "hkd"})
_NUMBER_RE = re.compile(r"[+-]?(?:[0-9]{1,3}(?:,[0-9]{3})+(?:\.[0-9]*)?|[0-9]+(?:\.[0-9]*)?"
                        r"|\.[0-9]+)(?:[eE][+-]?[0-9]{1,3})?\Z")
_LIMIT = Decimal("1e300")  # beyond a float, and no KPI: `1e999` is a typo, not a value
_TRUE = frozenset(("true", "yes", "done", "是", "完成", "已完成", "達成"))
_FALSE = frozenset(("false", "no", "not done", "否", "未完成", "未達成"))


@dataclass(frozen=True, slots=True)
class Number:
    value: Decimal
    unit: str | None  # as written with the number: "%", "NT$", "元"; None: none
    scale: str | None = None  # the scale word written with it: "萬", "K"; None: none


def plain(text: str) -> str:
    """Full-width digits and signs (１２,０００) as ASCII, the minus sign U+2212 as -."""
    return unicodedata.normalize("NFKC", text).replace("\u2212", "-").strip()


def parse(text: str, *, percent_ok: bool = True) -> Number | None:
    """`text` as a number and the unit written with it; None when it is not one."""
    body = plain(text)
    # -NT$450, as the site shows a negative amount: the sign goes back on the digits
    sign, body = ("-", body[1:]) if body.startswith("-") and body[1:].upper().startswith(
        tuple(c.upper() for c in CURRENCIES)) else ("", body)
    unit = None
    for currency in CURRENCIES:
        if body.upper().startswith(currency.upper()):
            unit, body = currency, body[len(currency):].strip()
            break
    if body.endswith("元"):  # 500萬元: the dollar as written in Chinese
        if unit is not None:
            return None
        unit, body = "元", body[:-1].strip()
    scale, word = 1, None
    if body.endswith("%"):
        if unit is not None or not percent_ok:
            return None
        unit, body = "%", body[:-1].strip()
    elif body and body[-1] in SCALES:
        word = body[-1]
        scale, body = SCALES[word], body[:-1].strip()
    if sign and body.startswith(("-", "+")):
        return None
    body = sign + body
    if not _NUMBER_RE.match(body):
        return None
    value = Decimal(body.replace(",", "")) * scale
    return Number(value, unit, word) if abs(value) < _LIMIT else None


def parse_done(text: str) -> bool | None:
    """A milestone's state as people write it (true, done, 完成 / false, 否); else None."""
    folded = plain(text).casefold()
    return True if folded in _TRUE else False if folded in _FALSE else None


def parse_confidence(text: str) -> float | None:
    """`0.7` or `70%` as 0.7; None unless a number from 0 to 1."""
    number = parse(text)
    if number is None or number.unit not in (None, "%"):
        return None
    value = number.value / 100 if number.unit == "%" else number.value
    return float(value) if 0 <= value <= 1 else None


def agrees(written: str | None, unit: str | None) -> bool:
    """Whether a unit written with a number may stand for the key result's `unit`."""
    if written is None:
        return True
    if unit is None:
        return False
    a, b = written.casefold(), unit.strip().casefold()
    if a == b or any(a in group and b in group for group in _SAME_MONEY):
        return True
    return a == "$" and b in _DOLLARS  # "$" is whichever dollar the key result counts


_CURRENCY_SIGN = re.compile(r"[A-Z]{0,3}\$|[¥￥€£₩₹₫฿₱₽₺₪]")


def with_unit(number: str, unit: str | None) -> str:
    """A number as shown, with its unit where it is written: `12%`, `NT$5,150,000` (a
    currency sign: $ with an optional country prefix, or a one-character sign, as written
    in Taiwan), `-NT$450`, and `500 元` or `68,224 visitors` (words follow)."""
    if not unit:
        return number
    if unit == "%":
        return f"{number}%"
    if _CURRENCY_SIGN.fullmatch(unit):
        sign, digits = ("-", number[1:]) if number.startswith("-") else ("", number)
        return f"{sign}{unit}{digits}"
    return f"{number} {unit}"


def to_yaml(value: Decimal) -> int | float:
    """The YAML number for a Decimal: 13900, not 13900.0."""
    return int(value) if value == value.to_integral_value() else float(value)


MESSAGES = {
    "en": {"unit": "'{value}' has the unit '{unit}', but the key result's unit is '{other}'",
           "scaled": "'{value}' is scaled by '{scale}', but the key result's unit '{other}' "
                     "already counts in a multiple: give the number as the unit counts it",
           "no-unit": "'{value}' has the unit '{unit}', but the key result has none: give "
                      "the number alone"},
    "zh-TW": {"unit": "「{value}」的單位是「{unit}」,但關鍵結果的單位是「{other}」",
              "scaled": "「{value}」帶有倍數「{scale}」,但關鍵結果的單位「{other}」已經含有倍數:"
                        "請依該單位填寫數字",
              "no-unit": "「{value}」的單位是「{unit}」,但關鍵結果沒有單位:請只填數字"},
}


def disagreement(text: str, number: Number, unit: str | None) -> dict[str, str] | None:
    """Why `number`'s unit cannot be the key result's, in both languages; None if it can."""
    # 520萬 on a key result counted in 萬元 would be 5,200,000 萬元: refused, not multiplied
    scaled = number.scale is not None and unit is not None and any(w in unit for w in SCALES)
    if agrees(number.unit, unit) and not scaled:
        return None
    key = "scaled" if scaled else "unit" if unit is not None else "no-unit"
    return {lang: MESSAGES[lang][key].format(value=text.strip(), unit=number.unit, other=unit,
                                             scale=number.scale)
            for lang in MESSAGES}
