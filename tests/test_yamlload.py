"""The strict loader on its own: values, positions, `# okr:` comments and every refusal."""

from __future__ import annotations

import pytest

from okrkit import problems, yamlload
from okrkit.yamlload import Comment, Document, load_bytes, load_text


def load(text: str) -> Document:
    doc, findings = load_text("f.yaml", text)
    assert findings == [], [str(f.pos) + " " + f.message() for f in findings]
    assert doc is not None
    return doc


def problems_of(text: str | bytes, **kwargs: int) -> list[str]:
    if isinstance(text, bytes):
        _, findings = load_bytes("f.yaml", text, **kwargs)
    else:
        _, findings = load_text("f.yaml", text)
    return [f"{f.pos}: {f.code} {f.message()}" for f in findings]


def test_uses_libyaml_when_pyyaml_has_it() -> None:
    import yaml

    # the C parser is what makes the hook fast (DESIGN: under half a second)
    assert yaml.__with_libyaml__ == yamlload.HAS_LIBYAML


# -- scalars ---------------------------------------------------------------------


@pytest.mark.parametrize(("text", "value"), [
    ("true", True), ("false", False), ("True", True), ("FALSE", False),
])
def test_only_true_and_false_are_booleans(text: str, value: bool) -> None:
    assert load(f"k: {text}\n").data == {"k": value}


@pytest.mark.parametrize("text", ["no", "No", "NO", "yes", "on", "off", "y", "n", "Y", "N"])
def test_yaml_11_booleans_stay_strings(text: str) -> None:
    assert load(f"k: {text}\n").data == {"k": text}


@pytest.mark.parametrize("text", ["2026-03-31", "2026-03-31T10:00:00+08:00", "2025-13-45",
                                  "2026-3-1", "12:30:00"])
def test_dates_and_times_stay_strings(text: str) -> None:
    assert load(f"due: {text}\n").data == {"due": text}


@pytest.mark.parametrize("text", [".nan", ".NaN", ".NAN", ".inf", "-.inf", "+.Inf", ".INF"])
def test_nan_and_inf_stay_strings(text: str) -> None:
    assert load(f"k: {text}\n").data == {"k": text}


@pytest.mark.parametrize(("text", "value"), [
    ("0", 0), ("-12", -12), ("+7", 7), ("012", 12), ("3.5", 3.5), ("-0.25", -0.25),
    (".5", 0.5), ("1e3", 1000.0), ("2.5E-1", 0.25), ("5.", 5.0),
])
def test_numbers(text: str, value: float) -> None:
    data = load(f"k: {text}\n").data
    assert data == {"k": value}
    assert type(data["k"]) is type(value)


@pytest.mark.parametrize("text", ["0x1F", "0o17", "1_000", "1,000", "12%", "NT$450", "1e", "--1"])
def test_other_number_lookalikes_stay_strings(text: str) -> None:
    assert load(f"k: {text}\n").data == {"k": text}


@pytest.mark.parametrize("text", ["", "~", "null", "Null", "NULL"])
def test_nulls(text: str) -> None:
    assert load(f"k: {text}\n").data == {"k": None}


@pytest.mark.parametrize("text", ["'true'", '"no"', "'123'", '"2026-03-31"', "'null'", '""'])
def test_quoted_scalars_are_always_strings(text: str) -> None:
    assert load(f"k: {text}\n").data == {"k": text[1:-1]}


def test_block_scalars_are_strings() -> None:
    assert load("k: |\n  123\nj: >-\n  true\n  and more\n").data == {"k": "123\n",
                                                                      "j": "true and more"}


@pytest.mark.parametrize(("text", "key"), [
    ("1: a\n", "1"), ("true: a\n", "true"), ("null: a\n", "null"), ("2026-01-01: a\n",
                                                                     "2026-01-01"),
    ("~: a\n", "~"), ("3.5: a\n", "3.5"), ("'q': a\n", "q"),
])
def test_keys_are_always_strings(text: str, key: str) -> None:
    assert load(text).data == {key: "a"}


# -- positions -------------------------------------------------------------------

SHEET = """\
# a comment
cycle: 2026-Q1
objectives:
  - id: grow
    title: 提升品牌知名度
    key_results:
      - {id: kr-1, target: 10}
      - id: kr-2
        target:   60000
"""


def test_positions_of_values_and_keys() -> None:
    doc = load(SHEET)
    assert doc.values[()] == (2, 1)
    assert doc.values[("cycle",)] == (2, 8)
    assert doc.keys[("cycle",)] == (2, 1)
    assert doc.values[("objectives",)] == (4, 3)
    assert doc.values[("objectives", 0)] == (4, 5)
    assert doc.keys[("objectives", 0, "title")] == (5, 5)
    assert doc.values[("objectives", 0, "title")] == (5, 12)
    assert doc.values[("objectives", 0, "key_results", 0)] == (7, 9)
    assert doc.values[("objectives", 0, "key_results", 0, "target")] == (7, 28)
    assert doc.keys[("objectives", 0, "key_results", 1, "target")] == (9, 9)
    assert doc.values[("objectives", 0, "key_results", 1, "target")] == (9, 19)


def test_pos_falls_back_to_the_nearest_ancestor() -> None:
    doc = load(SHEET)
    assert str(doc.pos(("objectives", 0, "owner"))) == "f.yaml:4:5"
    assert str(doc.pos(("objectives", 0, "title"), key=True)) == "f.yaml:5:5"
    assert str(doc.pos(("nothing", 3))) == "f.yaml:2:1"


def test_columns_count_code_points_after_cjk_emoji_and_joiners() -> None:
    text = "t: 👩\u200d👩\u200d👧 家庭 \u202eabc\u202c\nk: [一, 二]\n"
    doc = load(text)
    assert doc.data["t"] == "👩\u200d👩\u200d👧 家庭 \u202eabc\u202c"
    assert doc.values[("k", 1)] == (2, 8)


@pytest.mark.parametrize(("sep", "folded"), [
    ("\u2028", "\u2028"), ("\u2029", "\u2029"),
    ("\x85", " "),  # a NEL inside quotes folds to a space, as any YAML 1.1 line break
])
def test_unicode_line_separators_inside_quotes_do_not_shift_lines(sep: str, folded: str) -> None:
    # libyaml counts U+2028/U+2029/NEL as line breaks; editors, git and GitHub do not
    text = f'title: "上{sep}下"\nowner: mei\nk: [a, b]\n'
    doc = load(text)
    assert doc.data["title"] == f"上{folded}下"
    assert doc.values[("owner",)] == (2, 8)
    assert doc.values[("k", 1)] == (3, 8)


def test_unicode_line_separator_unquoted_is_reported_where_it_is() -> None:
    assert problems_of("a: 1\ntitle: 上\u2028下\nowner: mei\n") == [
        "f.yaml:2:9: OKR001 unusual line break U+2028 ends the line for YAML: quote the text "
        "or remove it"]


def test_a_quoted_line_separator_is_not_blamed_for_a_later_error() -> None:
    assert problems_of('title: "上\u2028下"\nk: [1\n') == [
        "f.yaml:2:4: OKR001 the list opened with '[' here is not closed with ']' (or a ',' "
        "is missing)"]


def test_crlf_line_ends() -> None:
    doc = load("a: 1\r\nb:\r\n  - x\r\n")
    assert doc.data == {"a": 1, "b": ["x"]}
    assert doc.values[("b", 0)] == (3, 5)


# -- `# okr:` comments -----------------------------------------------------------------


def test_okr_comments_come_from_tokens_not_strings() -> None:
    text = """\
# okr: disable-next-line OKR301 -- 與財務確認過的保守目標
title: "# okr: not a comment"
other: 'x # okr: not one either'
notes: |
  # okr: inside a block scalar
  still the block
plain: a#okr:no-space-before-it
target: 5  # okr: disable-line OKR302 -- reason
"""
    doc = load(text)
    assert doc.comments == (
        Comment(1, 1, "okr: disable-next-line OKR301 -- 與財務確認過的保守目標"),
        Comment(8, 12, "okr: disable-line OKR302 -- reason"),
    )
    assert doc.data["notes"] == "# okr: inside a block scalar\nstill the block\n"


def test_no_comments_without_the_marker() -> None:
    assert load("a: 1  # just a comment\n").comments == ()


# -- refusals -------------------------------------------------------------------------


def test_duplicate_key_names_both_lines_and_keeps_the_first() -> None:
    text = "target: 60000\nowner: mei\ntarget: 55000\n"
    doc, findings = load_text("f.yaml", text)
    assert [f"{f.pos}: {f.code} {f.message()}" for f in findings] == [
        "f.yaml:3:1: OKR003 duplicate key 'target' (first on line 1)"]
    assert findings[0].message("zh-TW") == "重複的鍵「target」(第 1 行已出現)"
    assert doc is not None and doc.data["target"] == 60000


def test_quoted_and_plain_keys_of_the_same_text_are_duplicates() -> None:
    assert problems_of("1: a\n'1': b\n") == [
        "f.yaml:2:1: OKR003 duplicate key '1' (first on line 1)"]


def test_anchor_and_alias() -> None:
    assert problems_of("owner: &lead mei\nother: *lead\n") == [
        "f.yaml:1:8: OKR004 YAML anchor 'lead' is not allowed: write the value out",
        "f.yaml:2:8: OKR004 YAML alias 'lead' is not allowed: write the value out",
    ]


def test_alias_bomb_is_refused_from_tokens_with_few_findings() -> None:
    text = "a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n" + "".join(
        f"a{n}: &a{n} [{', '.join([f'*a{n - 1}'] * 9)}]\n" for n in range(1, 10))
    found = problems_of(text)
    assert len(found) == yamlload.MAX_ALIAS_FINDINGS
    assert found[0] == "f.yaml:1:5: OKR004 YAML anchor 'a0' is not allowed: write the value out"


@pytest.mark.parametrize(("text", "expected"), [
    ("a: !!int 3\n", "f.yaml:1:4: OKR001 explicit YAML tag tag:yaml.org,2002:int is not allowed"),
    ("a: !foo x\n", "f.yaml:1:4: OKR001 explicit YAML tag !foo is not allowed"),
    ("? [a]\n: 1\n", "f.yaml:1:3: OKR001 mapping keys must be plain scalars"),
    ("a: 1\n---\nb: 2\n", "f.yaml:2:1: OKR001 more than one YAML document in the file"),
    ("a:\n\t- b\n", "f.yaml:2:1: OKR001 tab character: indent with spaces"),
    ("a: [1, 2\nb: 3\n", "f.yaml:1:4: OKR001 the list opened with '[' here is not closed with "
                         "']' (or a ',' is missing)"),
    ("a: {x: 1\nb: 3\n", "f.yaml:1:4: OKR001 the mapping opened with '{' here is not closed "
                         "with '}' (or a ',' is missing)"),
    # an unclosed quote is reported where it opens, not at the end of the file
    ('a: 1\nb: "open\nc: 2\nd: 3\n', "f.yaml:2:4: OKR001 the quote opened here is never "
                                     "closed: add the closing quote"),
    ("a: 1\nb: 'open\nc: 2\n", "f.yaml:2:4: OKR001 the quote opened here is never closed: "
                            "add the closing quote"),
    ("a: 1\nb\nc: 2\n", "f.yaml:2:1: OKR001 expected 'key: value' on this line: a ':' and a "
                     "space are missing"),
    ("a: b: c\n", "f.yaml:1:5: OKR001 ': ' is not allowed here: quote a text that holds ': ', "
                  "or check the indentation"),
    ("a:\n  b: 1\n c: 2\n", "f.yaml:3:2: OKR001 this line's indentation does not line up "
                          "with the lines above"),
    ("a:\n  - 1\n  b: 2\n", "f.yaml:3:3: OKR001 this line's indentation does not line up "
                          "with the lines above"),
    ("a: @kai\n", "f.yaml:1:4: OKR001 a value cannot start with '@': put it in quotes"),
    ('a: "C:\\q"\n', "f.yaml:1:7: OKR001 unknown escape after '\\' in double quotes: use "
                     "single quotes, or write '\\\\'"),
    # IME slips: the hint points at the full-width character, also a line before the error
    ("a:\n  b: 1\n  current：5\n  c: 2\n", "f.yaml:3:10: OKR001 full-width colon '：' after a "
                                         "key: type ':' and a space"),
    ("a:\n  b: 1\n  c:\u30005\n", "f.yaml:3:5: OKR001 full-width space (U+3000) where YAML "
                                "needs ordinary spaces: indent and separate with ' '"),
    ("a:\n  b: x\n\u3000\u3000c: 2\n  d: 1\n", "f.yaml:3:1: OKR001 full-width space (U+3000) "
                                          "where YAML needs ordinary spaces: indent and "
                                          "separate with ' '"),
    # a full-width colon inside a title's text is no slip: the real problem is reported
    ("title: 目標：提升\nb: [1\n", "f.yaml:2:4: OKR001 the list opened with '[' here is not "
                                "closed with ']' (or a ',' is missing)"),
    # nor in a list item's text on the line before the error
    ("items:\n  - 重點：提升\n  - a: b: c\n", "f.yaml:3:9: OKR001 ': ' is not allowed here: "
                                          "quote a text that holds ': ', or check the indentation"),
    ("a: &\n", "f.yaml:1:5: OKR001 invalid YAML: did not find expected alphabetic or numeric "
               "character (while scanning an anchor)"),
    ("標題: 中文\nb: x\x07y\n", "f.yaml:2:5: OKR001 control character U+0007 is not allowed"),
    ("a: \x1b[31m\n", "f.yaml:1:4: OKR001 control character U+001B is not allowed"),
    # written as escapes, they get past the reader: the walker refuses them
    ('t: "Raise \\e[2Jbrand"\n', "f.yaml:1:4: OKR001 control character U+001B is not allowed"),
    ('t:\n  - "\\x07"\n', "f.yaml:2:5: OKR001 control character U+0007 is not allowed"),
    ('t: "a\\fb"\n', "f.yaml:1:4: OKR001 control character U+000C is not allowed"),
])
def test_syntax_problems(text: str, expected: str) -> None:
    assert problems_of(text) == [expected]


def test_every_syntax_message_reads_in_traditional_chinese() -> None:
    _, findings = load_text("f.yaml", "a:\n  b: 1\n  current：5\n")
    assert [f.message("zh-TW") for f in findings] == [
        "鍵後面是全形冒號「：」:請改用半形冒號「:」加一個空白"]
    for variant, texts in problems.YAML_SYNTAX.messages.items():
        assert texts["zh-TW"] and texts["zh-TW"] != texts["en"], variant


def test_escaped_tabs_and_line_breaks_are_text() -> None:
    assert load('t: "a\\tb\\nc \\u4e2d\\r\\n"\n').data == {"t": "a\tb\nc 中\r\n"}


def test_deep_flow_nesting_is_refused_before_libyaml_sees_it() -> None:
    text = "a: " + "[" * 100_000
    assert problems_of(text) == [
        f"f.yaml:1:{4 + yamlload.MAX_FLOW_DEPTH}: OKR001 nesting deeper than "
        f"{yamlload.MAX_FLOW_DEPTH} levels"]


def test_brackets_inside_strings_and_comments_do_not_count_as_nesting() -> None:
    text = "a: '" + "[" * 100 + "'\nb: \"" + "{" * 100 + "\"  # " + "[" * 100 + "\n"
    assert load(text).data == {"a": "[" * 100, "b": "{" * 100}


def test_deep_indentation_is_refused() -> None:
    text = "a:\n" + " " * 300 + "b: 1\n"
    assert problems_of(text) == [
        f"f.yaml:2:301: OKR001 nesting deeper than {yamlload.MAX_INDENT} levels"]


def test_deep_block_nesting_is_refused() -> None:
    text = "".join(f"{'  ' * n}k{n}:\n" for n in range(40)) + "  " * 40 + "v\n"
    # the first node too deep: the mapping under k32, which starts with k33
    depth = yamlload.MAX_DEPTH
    assert problems_of(text) == [
        f"f.yaml:{depth + 2}:{2 * (depth + 1) + 1}: OKR001 nesting deeper than {depth} levels"]


def test_size_cap() -> None:
    assert problems_of(b"a: 1\n" * 10, max_bytes=20) == [
        "f.yaml:1:1: OKR008 file is 50 bytes, over the limit of 20"]


def test_invalid_utf8_position() -> None:
    raw = "a: 1\ntitle: 中文".encode() + b"\xff\n"
    assert problems_of(raw) == [
        "f.yaml:2:10: OKR009 not valid UTF-8: byte 0xff cannot be decoded"]


def test_big5_is_not_utf8() -> None:
    raw = "title: 品牌\n".encode("big5")
    assert problems_of(raw) == ["f.yaml:1:8: OKR009 not valid UTF-8: byte 0xab cannot be decoded"]


def test_bom_is_accepted_and_positions_ignore_it() -> None:
    doc, findings = load_bytes("f.yaml", "\ufeffa: 1\nb: 2\n".encode())
    assert findings == [] and doc is not None
    assert doc.data == {"a": 1, "b": 2}
    assert doc.values[("a",)] == (1, 4)


@pytest.mark.parametrize("text", ["", "\n\n", "# only a comment\n", "---\n", "~\n"])
def test_empty_documents_load_as_none(text: str) -> None:
    doc = load(text)
    assert doc.data is None


# -- merge conflict markers ------------------------------------------------------------------

CONFLICTED = """\
key_results:
  - id: visitors
<<<<<<< HEAD
    current: 55000
=======
    current: 56000
>>>>>>> their-branch
"""
CONFLICT = "OKR001 unresolved merge conflict marker '{}': resolve the conflict first"


@pytest.mark.parametrize(("text", "expected"), [
    (CONFLICTED, "f.yaml:3:1: " + CONFLICT.format("<<<<<<<")),
    (CONFLICTED.replace("\n", "\r\n"), "f.yaml:3:1: " + CONFLICT.format("<<<<<<<")),
    # diff3 style, the base section shown between `|||||||` and `=======`
    ("a: 1\n<<<<<<< ours\nb: 2\n||||||| base\nb: 1\n=======\nb: 3\n>>>>>>> theirs\n",
     "f.yaml:2:1: " + CONFLICT.format("<<<<<<<")),
    # the file's start cut off: the first marker left is the one reported
    ("a: 1\n=======\na: 2\n>>>>>>> theirs\n", "f.yaml:2:1: " + CONFLICT.format("=======")),
    ("a: 1\n>>>>>>>\n", "f.yaml:2:1: " + CONFLICT.format(">>>>>>>")),
    ("a: 1\n>>>>>>>", "f.yaml:2:1: " + CONFLICT.format(">>>>>>>")),
    ("title: 新目標\n<<<<<<< HEAD\n", "f.yaml:2:1: " + CONFLICT.format("<<<<<<<")),
])
def test_conflict_markers_are_named_before_parsing(text: str, expected: str) -> None:
    assert problems_of(text) == [expected]
    assert problems_of(("\ufeff" + text).encode()) == [expected]


def test_conflict_markers_in_traditional_chinese() -> None:
    _, findings = load_text("f.yaml", CONFLICTED)
    assert [f.message("zh-TW") for f in findings] == [
        "未解決的合併衝突標記「<<<<<<<」:請先解決衝突"]


@pytest.mark.parametrize("text", [
    'title: "<<<<<<< HEAD"\n',  # inside a value: not at column 1
    "a: |\n  <<<<<<< HEAD\n  =======\n",  # indented, in a block scalar
    "a: 1\n=======\n",  # a lone `=======` (no `<<<<<<<`, no `>>>>>>>`): libyaml's own error
])
def test_marker_like_text_is_not_a_conflict(text: str) -> None:
    assert not any("conflict" in p for p in problems_of(text))


def test_a_marker_needs_seven_characters_then_a_space_or_the_end() -> None:
    # `<<<<<<<<` and `<<<<<<<x` are not git's; libyaml then reports what it finds
    for text in ("a: 1\n<<<<<<<< x\n", "a: 1\n<<<<<<<x\n", "a: 1\n<<<<<< x\n"):
        found = problems_of(text)
        assert found and not any("conflict" in p for p in found), text


# -- the fast paths agree with what they replace -----------------------------------

import re  # noqa: E402

import yaml  # noqa: E402
from hypothesis import given  # noqa: E402
from hypothesis import strategies as st  # noqa: E402
from yaml.resolver import BaseResolver  # noqa: E402

_INT = re.compile(r"[-+]?[0-9]+\Z")
_FLOAT = re.compile(r"[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?\Z")


def _reference_scalar(text: str) -> object:
    """The plain-scalar rules as written before the first-character shortcut."""
    if text in ("", "~", "null", "Null", "NULL"):
        return None
    if text in ("true", "True", "TRUE"):
        return True
    if text in ("false", "False", "FALSE"):
        return False
    if _INT.match(text):
        return int(text)
    if _FLOAT.match(text):
        number = float(text)
        if number not in (float("inf"), float("-inf")):
            return number
    return text


@given(st.text(st.sampled_from("0123456789+-.eE~nNtTfFrulsaxo_ 中"), max_size=8)
       | st.text(max_size=8))
def test_plain_scalar_shortcut_agrees_with_the_rules(text: str) -> None:
    got, want = yamlload._resolve_scalar(text), _reference_scalar(text)
    assert type(got) is type(want) and (got == want or got != got)


class _ReferenceLoader(yamlload._Parser, BaseResolver):  # type: ignore[misc,valid-type]
    def __init__(self, stream: str) -> None:
        yamlload._Parser.__init__(self, stream)
        BaseResolver.__init__(self)


def _tags(node: yaml.Node) -> list[str]:
    if isinstance(node, yaml.ScalarNode):
        return [node.tag]
    if isinstance(node, yaml.SequenceNode):
        return [node.tag, *(t for item in node.value for t in _tags(item))]
    return [node.tag, *(t for k, v in node.value for t in (*_tags(k), *_tags(v)))]


@pytest.mark.parametrize("text", [
    "a: 1\nb: [x, 'y', \"z\"]\nc: {d: ~, e: 2026-01-01}\nf: |\n  text\n",
    "- !!str 12\n- !custom x\n- ! y\n- !!map {a: 1}\n- !!seq [1]\n- !!int '3'\n",
    "? [complex]\n: key\n",
])
def test_default_tags_are_base_resolvers(text: str) -> None:
    # the loader answers libyaml's resolve() itself: the same tags, explicit ones kept
    assert _tags(yamlload._Loader(text).get_single_node()) == _tags(
        _ReferenceLoader(text).get_single_node())
