"""Text analysis for the wording rules, in Chinese and English, without a tokenizer.

The word lists are data, one JSON file per language in `lexicons/`; every
function applies all of them at once, because OKR text mixes languages
("將Facebook粉絲專頁的互動率提升15%").

Matching follows DESIGN's note on CJK: a Han run is all `\\w`, so `\\b` never
falls between two Han characters (nor between a Han character and a Latin
letter: 將Facebook粉絲). Chinese terms therefore match as plain substrings
("提升品牌" contains 提升), and English terms match whole ASCII words (maximal
runs of a-z and 0-9), which needs no `\\b` either. Text is NFKC-normalised and
lower-cased first: full-width digits (０-９), ％ and letters become ASCII.

Speed: the pre-commit hook runs this on every key result title, and a tree
of 800 sheets has some 10,000 titles. A regex alternation of words behind
lookarounds tries every word at every position (~40 µs a title); a literal
alternation lets `re` skip to the possible first characters, so Chinese terms
are one literal regex, English terms are set lookups per word, and each
text's analysis is cached (a title is read by several rules). Titles are
mostly unique (their numbers differ) but their Han runs repeat (將, 提升到,
平均貼文觸及人數): the significant terms of a run are worked out once.
"""

from __future__ import annotations

import functools
import json
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from okrkit.findings import LANGS

LEXICON_DIR = Path(__file__).resolve().parent / "lexicons"

_NUMERALS = "零〇一二兩三四五六七八九十百千萬億"
_HAN_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
_ASCII_WORD = re.compile(r"[a-z0-9]+")
# the words English terms can match: a run of digits alone never does
_MATCHABLE_WORD = re.compile(r"[0-9]*[a-z][a-z0-9]*")
_SEPARATOR = frozenset(" \t\n\r-")
_YEAR = r"(?:19|20)[0-9]{2}"
_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_MONTH = rf"(?:{'|'.join(_MONTHS)})[a-z]*\.?"
_LETTERS = "abcdefghijklmnopqrstuvwxyz"
_DIGITS = "0123456789"
# Dates, cycle names and deadlines are not amounts: "在3月31日前改善參與度" is as
# vague as "改善參與度" (Time-bound is another letter of SMART). Each pattern
# starts with a literal or a character class (fast to search for), names the
# characters that must not come before it (a lookbehind would make `re` try it
# at every position), the substrings without which it cannot match (one
# literal search for them all skips most titles), and a hint: a short pattern
# that every match contains, picked so that everyday words do not hit it (每月
# and "monthly" name no date), a cheap test before the pattern itself.
_MONTH_NAME = f"(?:{'|'.join(_MONTHS)})"
_NOT_AMOUNT_SPECS: tuple[tuple[str, str, tuple[str, ...], str], ...] = (
    (rf"{_YEAR}(?:\s*[-/.年]\s*[0-9]{{1,2}}(?:\s*[-/.月]\s*[0-9]{{1,2}}\s*[日號]?)?|\s*年度?)",
     _DIGITS, ("19", "20"), _YEAR),
    (r"[0-9]{1,2}\s*月(?:\s*[0-9]{1,2}\s*[日號])?", _DIGITS + ".", ("月",), r"[0-9]\s*月"),
    (r"第\s*[0-9一二三四]\s*季度?", "", ("第",), "第"),
    (rf"(?:fy\s*)?(?:{_YEAR}\s*-?\s*)?(?:q[1-4]|h[12])(?![0-9])(?:\s*{_YEAR})?",
     _LETTERS + _DIGITS, ("q1", "q2", "q3", "q4", "h1", "h2"), "q[1-4]|h[12]"),
    (rf"fy\s*(?:{_YEAR}|[0-9]{{2}})(?![0-9])", _LETTERS + _DIGITS, ("fy",), "fy"),
    (rf"{_MONTH}\s+[0-9]{{1,2}}(?:st|nd|rd|th)?(?![0-9])(?:,?\s*{_YEAR})?", _LETTERS,
     _MONTHS, rf"{_MONTH}\s+[0-9]"),
    (rf"[0-9]{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTH}(?:,?\s*{_YEAR})?", _DIGITS, _MONTHS,
     rf"[0-9](?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTH_NAME}"),
    (rf"(?:in|by|before|until|till|during|since|of)\s+{_YEAR}(?![0-9])", _LETTERS,
     ("19", "20"), rf"\s{_YEAR}"),
    (r"(?:by|before|on|until|due)\s+[0-9]{1,2}/[0-9]{1,2}(?:/[0-9]{2,4})?", _LETTERS, ("/",),
     "[0-9]/[0-9]"),
    (rf"[0-9{_NUMERALS}]+\s*個?\s*(?:月|週|周|星期|天|日|年|季度?)\s*(?:之內|以內|內)", "",
     ("內",), "內"),
    (r"(?:with)?in\s+(?:the\s+(?:next|first)\s+)?(?:[0-9]+|one|two|three|four|five|six|nine"
     r"|twelve)\s+(?:days?|weeks?|months?|quarters?|years?)(?![a-z])", _LETTERS,
     ("day", "week", "month", "quarter", "year"),
     r"\s(?:days?|weeks?|months?|quarters?|years?)(?![a-z])"),
)

Span = tuple[int, int, str]  # start, end, the lexicon term that matched
_UNKNOWN = "\0"


@functools.cache
def lexicon(lang: str) -> dict[str, tuple[str, ...]]:
    """One language's word lists (list name → terms)."""
    with (LEXICON_DIR / f"{lang}.json").open(encoding="utf-8") as fh:
        data = json.load(fh)
    return {name: tuple(terms) for name, terms in data.items() if not name.startswith("_")}


def terms(kind: str) -> tuple[str, ...]:
    """The terms of one list in every language."""
    return tuple(t for lang in LANGS for t in lexicon(lang).get(kind, ()))


def normalize(text: str) -> str:
    """NFKC (full-width → ASCII forms) and lower case."""
    return unicodedata.normalize("NFKC", text).lower()


@dataclass(frozen=True, slots=True)
class _Text:
    """A normalised text and its words: ASCII runs with a letter (start, end, word)."""

    norm: str
    words: tuple[tuple[int, int, str], ...]


@functools.lru_cache(maxsize=16384)
def _prepared(text: str) -> _Text:
    norm = normalize(text)
    return _Text(norm, tuple([(m.start(), m.end(), m.group())
                              for m in _MATCHABLE_WORD.finditer(norm)]))


# per-run and per-word memos are dropped when they grow this big (a long `mkdocs serve`)
_MEMO_LIMIT = 65536


class _WordList:
    """Terms compiled for matching: Chinese as one literal regex, English per word.

    English conventions: a term is one or more words ("roll out"; a space
    matches spaces or a hyphen), a trailing `*` matches any ending of letters
    (improv* = improve, improvement).
    """

    def __init__(self, words: Iterable[str]) -> None:
        found = {normalize(t).strip() for t in words}
        found.discard("")
        # longest first; then by text, so the pattern is the same in every process (a set's
        # order is not) and its compiled form is kept across runs (okrkit.startup)
        cjk = sorted((t for t in found if not t.isascii()), key=lambda t: (-len(t), t))
        self._cjk = re.compile("|".join(map(re.escape, cjk))) if cjk else None
        # terms of Han characters only match inside one Han run, and titles share their
        # runs (將, 提升到, 平均貼文觸及人數) while their numbers differ: a caller may
        # match each run once (`run_matches`)
        self.per_run = all(_HAN_RUN.fullmatch(t) for t in cjk)
        self._runs: dict[str, tuple[Span, ...]] = {}
        self._exact: set[str] = set()
        self._prefixes: dict[str, list[str]] = {}
        self._phrases: dict[str, list[tuple[str, ...]]] = {}
        for term in (t for t in found if t.isascii()):
            parts = tuple(term.replace("-", " ").split())
            if len(parts) > 1:
                self._phrases.setdefault(parts[0], []).append(parts)
            elif term.endswith("*"):
                self._prefixes.setdefault(term[0], []).append(term[:-1])
            else:
                self._exact.add(term)
        for phrases in self._phrases.values():
            phrases.sort(key=len, reverse=True)
        self._words: dict[str, str | None] = {}

    def find(self, text: _Text) -> list[Span]:
        """Non-overlapping matches, in text order, each with the term it matched."""
        spans = ([(m.start(), m.end(), m.group()) for m in self._cjk.finditer(text.norm)]
                 if self._cjk is not None else [])
        if text.words:  # each part is in text order already
            words = self.find_words(text)
            if not spans:
                return words
            if words:
                spans += words
                spans.sort()
        return spans

    def run_matches(self, run: str) -> tuple[Span, ...]:
        """The non-ASCII terms in one Han run (positions within the run; `per_run` lists)."""
        if self._cjk is None:
            return ()
        found = self._runs.get(run)
        if found is None:
            if len(self._runs) >= _MEMO_LIMIT:
                self._runs.clear()
            found = self._runs[run] = tuple([(m.start(), m.end(), m.group())
                                             for m in self._cjk.finditer(run)])
        return found

    def find_words(self, text: _Text) -> list[Span]:
        """The matches of the English terms (whole words and phrases), in text order."""
        spans: list[Span] = []
        words = text.words
        phrases, known = self._phrases, self._words  # a loop over every word of every title
        k, count = 0, len(words)
        while k < count:
            start, end, word = words[k]
            phrase = self._phrase_at(text, k) if word in phrases else None
            if phrase is not None:
                spans.append((start, words[k + len(phrase) - 1][1], " ".join(phrase)))
                k += len(phrase)
                continue
            term = known.get(word, _UNKNOWN)
            if term is _UNKNOWN:  # words repeat across titles: decide each one once
                term = known[word] = self._word_term(word)
            if term is not None:
                spans.append((start, end, term))
            k += 1
        return spans

    def _phrase_at(self, text: _Text, k: int) -> tuple[str, ...] | None:
        return next((p for p in self._phrases[text.words[k][2]] if _phrase_at(text, k, p)),
                    None)

    def _word_term(self, word: str) -> str | None:
        if word in self._exact:
            return word
        return next((f"{p}*" for p in self._prefixes.get(word[0], ())
                     if _has_prefix(word, p)), None)


def _has_prefix(word: str, prefix: str) -> bool:
    """`improv*`: the prefix, then letters only (improve, improvement; not improv2)."""
    rest = word[len(prefix):]
    return word.startswith(prefix) and (not rest or rest.isalpha())


def _word_matches(word: str, term: str) -> bool:
    return _has_prefix(word, term[:-1]) if term.endswith("*") else word == term


def _phrase_at(text: _Text, k: int, phrase: tuple[str, ...]) -> bool:
    words = text.words
    if k + len(phrase) > len(words):
        return False
    for i, part in enumerate(phrase):
        if not _word_matches(words[k + i][2], part):
            return False
        if i and not _SEPARATOR.issuperset(text.norm[words[k + i - 1][1]:words[k + i][0]]):
            return False
    return True


@functools.cache
def _list(*kinds: str) -> _WordList:
    return _WordList(t for kind in kinds for t in terms(kind))


def _overlaps(span: tuple[int, int, str], others: list[Span]) -> bool:
    return any(s < span[1] and span[0] < e for s, e, _ in others)


def _texts(text: _Text, spans: Iterable[Span]) -> list[str]:
    return list(dict.fromkeys(text.norm[s:e] for s, e, _ in spans))


# -- amounts --------------------------------------------------------------------------


@functools.cache
def _amount_patterns() -> tuple[re.Pattern[str], ...]:
    counters = sorted(lexicon("zh-TW").get("counters", ()), key=len, reverse=True)
    counter = "|".join(re.escape(c) for c in counters)
    return (
        re.compile(rf"[0-9]+(?:[.,][0-9]+)*(?:\s*(?:{counter}|[{_NUMERALS}]))*"),
        re.compile(rf"百分之[{_NUMERALS}]+"),
        re.compile(rf"[{_NUMERALS}]+\s*(?:{counter})"),
    )


@functools.cache
def _not_amount_patterns() -> tuple[tuple[re.Pattern[str], str, re.Pattern[str]], ...]:
    return tuple((re.compile(pattern), before, re.compile(hint))
                 for pattern, before, _, hint in _NOT_AMOUNT_SPECS)


@functools.cache
def _date_hint() -> re.Pattern[str]:
    """One cheap search first (a literal alternation: `re` skips to its first
    characters): most titles hold none of the substrings, and skip every date pattern."""
    literals = {hint for _, _, found, _ in _NOT_AMOUNT_SPECS for hint in found}
    return re.compile("|".join(sorted(literals, key=lambda t: (-len(t), t))))


def _search(pattern: re.Pattern[str], norm: str, not_after: str) -> list[Span]:
    return [(m.start(), m.end(), m.group()) for m in pattern.finditer(norm)
            if not (not_after and m.start() and norm[m.start() - 1] in not_after)]


def _candidates(prepared: _Text) -> tuple[list[Span], list[Span]]:
    """What may be an amount, and what is not (dates, cycle names); the latter is only
    looked for when there is something of the former."""
    norm = prepared.norm
    digits, percent_of, numerals = _amount_patterns()
    # not "GA4" or "web3": a digit glued to letters is a name, not an amount
    found = _search(digits, norm, _LETTERS)
    if "百分之" in norm:
        found += _search(percent_of, norm, "")
    found += _search(numerals, norm, "")
    found += _list("number_words").find(prepared)
    if not found:
        return found, []
    excluded = _list("not_amounts").find(prepared)
    if _date_hint().search(norm) is not None:
        for pattern, not_after, hint in _not_amount_patterns():
            if hint.search(norm) is not None:
                excluded += _search(pattern, norm, not_after)
    return found, excluded


@functools.lru_cache(maxsize=16384)
def _amounts(text: str) -> tuple[str, ...]:
    prepared = _prepared(text)
    norm = prepared.norm
    found, excluded = _candidates(prepared)
    kept: list[Span] = []
    for span in sorted(found, key=lambda s: (s[0], -s[1])):  # "500萬元", not also "萬元"
        if not _overlaps(span, excluded) and not _overlaps(span, kept):
            kept.append(span)
    return tuple(norm[s:e].strip() for s, e, _ in kept)


def amounts(text: str) -> list[str]:
    """The amounts a text states: 15%, 500萬元, 兩成, 一倍, 5個百分點, twice, ..."""
    return list(_amounts(text))


@functools.lru_cache(maxsize=16384)
def has_number(text: str) -> bool:
    """Whether the text states an amount (dates and cycle names do not count)."""
    found, excluded = _candidates(_prepared(text))
    # `amounts` keeps the first candidate clear of every exclusion, whatever follows
    return any(not _overlaps(span, excluded) for span in found)


# -- word lists --------------------------------------------------------------------


@functools.lru_cache(maxsize=16384)
def _terms_in(text: str, kinds: tuple[str, ...], mask: tuple[str, ...] = ()) -> tuple[str, ...]:
    prepared = _prepared(text)
    spans = _list(*kinds).find(prepared)
    if mask and spans:
        masked = _list(*mask).find(prepared)
        spans = [s for s in spans if not _overlaps(s, masked)]
    return tuple(_texts(prepared, spans))


def vague_terms(text: str) -> list[str]:
    """Direction-without-amount words (提升, 改善, improve, ...), each once, in order."""
    return list(_terms_in(text, ("vague",)))


def outcome_terms(text: str) -> list[str]:
    """Words that state a result to reach: the change verbs and 達到, reach, ..."""
    return list(_terms_in(text, ("vague", "outcome")))


def activity_terms(text: str) -> list[str]:
    """Task words (上線, 舉辦, launch, write, ...), each once, in order."""
    return list(_terms_in(text, ("activity",), ("activity_except",)))


def find_terms(text: str, extra: Iterable[str]) -> list[str]:
    """Which of `extra` (terms from config, same conventions as the lexicons) the text holds."""
    wanted = tuple(sorted(set(extra)))
    if not wanted:
        return []
    prepared = _prepared(text)
    return _texts(prepared, _extra_list(wanted).find(prepared))


@functools.lru_cache(maxsize=64)
def _extra_list(words: tuple[str, ...]) -> _WordList:
    return _WordList(words)


# -- significant terms (OKR402) ---------------------------------------------------------


@functools.cache
def _concepts() -> tuple[_WordList, dict[str, str]]:
    with (LEXICON_DIR / "related.json").open(encoding="utf-8") as fh:
        groups: dict[str, list[str]] = json.load(fh)["concepts"]
    concept_of = {normalize(word): name
                  for name, words in groups.items() for word in words}
    return _WordList(concept_of), concept_of


def concepts(text: str) -> frozenset[str]:
    """The concepts of `lexicons/related.json` a text names (參與 and 互動: engagement)."""
    words, concept_of = _concepts()
    return frozenset(concept_of[term] for _, _, term in words.find(_prepared(text)))


def _stem(word: str) -> str:
    if len(word) > 5 and word.endswith(("ing", "ed")):
        word = word[:-3] if word.endswith("ing") else word[:-2]
    elif len(word) > 4 and word.endswith("ies"):
        word = word[:-3] + "y"
    elif len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
        word = word[:-1]
    return word


@functools.lru_cache(maxsize=16384)
def significant_terms(text: str) -> frozenset[str]:
    """Content words: English stems, the character bigrams of Chinese runs, and concepts.

    Without a tokenizer, Chinese words are approximated by the bigrams of each
    Han run once the lexicons' words (generic, vague, activity, outcome) are
    cut out: 提升品牌知名度 → 品牌, 牌知, 知名, 名度. Concepts from
    `lexicons/related.json` are added as `=name` (`=awareness`), so 知名度 and
    訪客 relate although they share no character.
    """
    prepared = _prepared(text)
    cut = _list(*_FILLER)
    named, concept_of = _concepts()
    if not (cut.per_run and named.per_run):  # a lexicon with a term that is not all Han
        return _significant_terms(text)
    # the Chinese part is a union over Han runs, which repeat from title to title
    found: set[str] = set()
    for run in _HAN_RUN.findall(prepared.norm):
        found |= _run_terms(run)
    cut_words = cut.find_words(prepared)
    for start, _, word in prepared.words:  # a word has a letter: never all digits
        if len(word) >= 3 and not any(s <= start < e for s, e, _ in cut_words):
            found.add(_stem(word))
    found.update(f"={concept_of[term]}" for _, _, term in named.find_words(prepared))
    return frozenset(found)


_FILLER = ("generic", "vague", "outcome", "activity", "number_words")


@functools.lru_cache(maxsize=_MEMO_LIMIT)
def _run_terms(run: str) -> frozenset[str]:
    """One Han run's significant terms: the bigrams of what is left once the filler
    words are cut out, and the concepts it names."""
    found: set[str] = set()
    last = 0
    for start, end, _ in (*_list(*_FILLER).run_matches(run), (len(run), len(run), "")):
        found.update(run[i:i + 2] for i in range(last, start - 1))
        last = end
    named, concept_of = _concepts()
    found.update(f"={concept_of[term]}" for _, _, term in named.run_matches(run))
    return frozenset(found)


def _significant_terms(text: str) -> frozenset[str]:
    """`significant_terms` on the whole text at once (whatever the lexicons hold)."""
    prepared = _prepared(text)
    norm = prepared.norm
    cut = _list(*_FILLER).find(prepared)
    pieces, last = [], 0
    for start, end, _ in cut:
        pieces.append(norm[last:start])
        last = end
    pieces.append(norm[last:])
    kept = " ".join(pieces)
    found: set[str] = set()
    for run in _HAN_RUN.findall(kept):
        found.update(run[i:i + 2] for i in range(len(run) - 1))
    for word in _ASCII_WORD.findall(kept):
        if len(word) >= 3 and not word.isdigit():
            found.add(_stem(word))
    found.update(f"={name}" for name in concepts(text))
    return frozenset(found)


# -- numbers in messages ---------------------------------------------------------------


def percent(share: float, *, decimals: int | None = 1) -> str:
    """0.03 → '+3.0%', -0.1 → '-10.0%'; decimals None: as short as exact (0.05 → '+5%')."""
    if decimals is None:
        return f"{round(share * 100, 6):+g}%"
    return f"{share * 100:+.{decimals}f}%"


def number(value: object) -> str:
    """A YAML number as written: 4.0 → '4.0', 1380000 → '1380000', 0.1 + 0.2 → '0.3'."""
    if isinstance(value, float):
        return repr(round(value, 6))
    return str(value)


# -- documentation -----------------------------------------------------------------------


def yaml_blocks(doc: str | None) -> list[str]:
    """The ```yaml blocks of a rule's docstring, fences included (DOC_ZH reuses them)."""
    return re.findall(r"```yaml\n.*?\n```", doc or "", flags=re.DOTALL)
