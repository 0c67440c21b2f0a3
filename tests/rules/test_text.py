"""okrkit.rules.text: amounts, vague and task words, significant terms, in Chinese and English.

No tokenizer and no `\\b` around CJK: a Han run is all `\\w`, so 提升品牌 must
give 提升 as a substring; English words are delimited by lookarounds on ASCII,
so a Latin word glued to Han characters (將Facebook粉絲) is still a word.
"""

from __future__ import annotations

import json
import unicodedata

import pytest

from okrkit.findings import LANGS
from okrkit.rules import text


@pytest.mark.parametrize("sentence", [
    "提升兩成",
    "增加一倍",
    "提高5個百分點",
    "本季銷售額達到500萬元",
    "本季銷售額達到500 萬元",
    "將每月留言數提升１５％",  # full-width digits and percent sign
    "百分之二十的用戶回購",
    "營收翻倍",
    "降低三成",
    "舉辦三場研討會",
    "在第一季度,將Facebook粉絲專頁的平均貼文互動率提升15%,並在3月31日前達成",
    "Double weekly signups",
    "grow revenue by 20% in 2026",
    "reach 1,200,000 users",
    "cut the bounce rate in half",
])
def test_amounts_are_numbers(sentence: str) -> None:
    assert text.has_number(sentence), text.amounts(sentence)


@pytest.mark.parametrize("sentence", [
    "改善社群媒體參與度",
    "在3月31日前改善社群媒體參與度",  # a deadline is not an amount
    "在第一季度改善社群媒體參與度",
    "2026年3月31日前提升品牌知名度",
    "2026-03-31 前上線新官網",
    "在三個月內提升品牌知名度",
    "將GA4 的追蹤設定改善",  # a product name, not an amount
    "建立一個更好的社群",  # 一個 is an article here
    "這件事十分重要",
    "Improve social media engagement by March 31",
    "In Q1 2026, improve retention",
    "Improve retention by 3/31",
    "Improve retention within 3 months",
    "Make FY2026 H1 our best season yet",
])
def test_dates_cycles_and_names_are_not_amounts(sentence: str) -> None:
    assert not text.has_number(sentence), text.amounts(sentence)


def test_amounts_keep_their_units() -> None:
    assert text.amounts("本季銷售額達到500萬元") == ["500萬元"]
    assert text.amounts("提高5個百分點") == ["5個百分點"]
    assert text.amounts("將品牌知名度從15%提升至25%") == ["15%", "25%"]
    assert text.amounts("營收成長１５％") == ["15%"]


@pytest.mark.parametrize(("sentence", "expected"), [
    ("提升品牌知名度", ["提升"]),  # no word boundary inside a Han run
    ("改善社群媒體參與度", ["改善"]),
    ("將Facebook粉絲專頁的互動率優化", ["優化"]),
    ("Improvement of engagement", ["improvement"]),
    ("We want BETTER engagement", ["better"]),
    ("提升better服務", ["提升", "better"]),  # an English word between Han characters
    ("unimproved engagement", []),  # improv* is a word start, not a substring
    ("將網站每月不重複訪客數", []),
])
def test_vague_terms(sentence: str, expected: list[str]) -> None:
    assert text.vague_terms(sentence) == expected


@pytest.mark.parametrize(("sentence", "expected"), [
    ("上線新官網", ["上線"]),
    ("新版官網於3月31日前上線", ["上線"]),
    ("舉辦3場線上研討會並撰寫報告", ["舉辦", "撰寫"]),
    ("將結帳完成率從62%提升到70%", []),  # 完成率 names a metric
    ("Launched the new website", ["launched"]),
    ("Write 24 blog posts", ["write"]),
    ("Lift the checkout completion rate to 70%", []),
    ("Grow monthly blog reads by 30%", []),
])
def test_activity_terms(sentence: str, expected: list[str]) -> None:
    assert text.activity_terms(sentence) == expected


def test_outcome_terms_include_the_change_verbs() -> None:
    assert text.outcome_terms("本季銷售額達到500萬元") == ["達到"]
    assert text.outcome_terms("將潛在客戶數增加20%") == ["增加"]
    assert text.outcome_terms("reach 3% conversion") == ["reach"]


def test_significant_terms_are_bigrams_stems_and_concepts() -> None:
    assert text.significant_terms("提升品牌知名度") == {"品牌", "牌知", "知名", "名度",
                                                        "=awareness"}
    assert text.significant_terms("Raise brand awareness") == {"brand", "awareness",
                                                               "=awareness"}
    # filler words are cut before the bigrams are taken: no 的平 or 每月
    terms = text.significant_terms("將網站的每月平均訪客數")
    assert {"網站", "訪客"} <= terms and not {"的平", "每月", "平均"} & terms


def test_synonyms_relate_through_a_concept() -> None:
    objective = text.significant_terms("提高社群媒體參與度")
    key_result = text.significant_terms("Facebook 粉絲專頁平均貼文互動率")
    assert objective & key_result == {"=engagement"}


@pytest.mark.parametrize("sentence", [
    "提升品牌知名度",
    "將網站的每月平均訪客數提升20%",
    "Roll out the 提升品牌 campaign, then grow signups 3x",  # a phrase and a Han run
    "在第一季度,將Facebook粉絲專頁的平均貼文互動率提升15%\nFacebook 粉絲專頁平均貼文互動率",
    "Improve NPS for enterprise customers\nnet promoter score",
    "提升ga4追蹤、改善web3品牌123 ab",
])
def test_significant_terms_by_run_equal_the_whole_text(sentence: str) -> None:
    # the Han runs are analysed one at a time (and remembered); the whole-text
    # analysis is what a lexicon with a term that is not all Han falls back to
    assert text.significant_terms(sentence) == text._significant_terms(sentence)


def test_find_terms_follows_the_lexicon_conventions() -> None:
    assert text.find_terms("讓粉絲更有感", ["有感"]) == ["有感"]
    assert text.find_terms("Streamlined onboarding", ["streamlin*"]) == ["streamlined"]
    assert text.find_terms("mainstream", ["stream"]) == []


def test_message_numbers() -> None:
    assert text.percent(0.03) == "+3.0%"
    assert text.percent(-10 / 48) == "-20.8%"
    assert text.percent(0.05, decimals=None) == "+5%"
    assert text.percent(0.025, decimals=None) == "+2.5%"
    assert text.number(4.0) == "4.0" and text.number(1380000) == "1380000"
    assert text.number(0.1 + 0.2) == "0.3"


# -- the lexicons are data: well-formed and shipped inside the package -------------


@pytest.mark.parametrize("lang", LANGS)
def test_lexicon_lists_are_clean(lang: str) -> None:
    path = text.LEXICON_DIR / f"{lang}.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    assert "_about" in data
    for name, terms in data.items():
        if name.startswith("_"):
            continue
        assert terms and all(isinstance(t, str) and t.strip() == t and t for t in terms), name
        assert len(terms) == len(set(terms)), f"{lang}.{name} has duplicates"
        # NFKC-normalised already, so a term matches what normalize() makes of the text
        assert all(unicodedata.normalize("NFKC", t) == t for t in terms), name


def test_both_languages_have_the_same_lists() -> None:
    names = [{k for k in text.lexicon(lang)} for lang in LANGS]
    assert names[0] - {"counters", "not_amounts"} == names[1] - {"counters", "not_amounts"}
    assert {"vague", "outcome", "activity", "activity_except", "number_words",
            "generic"} <= names[0]


def test_english_terms_are_ascii_and_chinese_terms_are_not() -> None:
    assert all(t.isascii() for kind in text.lexicon("en").values() for t in kind)
    assert all(not t.isascii() for t in text.lexicon("zh-TW")["vague"])


def test_concepts_are_well_formed() -> None:
    data = json.loads((text.LEXICON_DIR / "related.json").read_text(encoding="utf-8"))
    words = [w for group in data["concepts"].values() for w in group]
    assert len(words) == len(set(words)), "a word in two concepts relates them all"


def test_lexicons_live_inside_the_package() -> None:
    # hatch ships every file under plugins/okrkit/ in the wheel
    package = text.LEXICON_DIR.parent.parent
    assert package.name == "okrkit" and (package / "__init__.py").is_file()
    assert {p.name for p in text.LEXICON_DIR.glob("*.json")} == {"en.json", "zh-TW.json",
                                                                "related.json"}
