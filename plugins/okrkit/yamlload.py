"""The strict YAML loader: bytes → plain values, each node's position kept.

libyaml (PyYAML's C extension) parses and composes the node graph; the
strictness is applied while walking that graph in Python, so the C speed stays
(PyYAML's pure-Python parser is about 7x slower). Rules, after DESIGN's "The
file format":

- no anchors or aliases (found from the C scanner's tokens before anything is
  composed, so an alias bomb costs nothing);
- duplicate keys are an error naming both lines;
- plain scalars follow the YAML 1.2 core schema, minus its surprises: only
  `true`/`false` are booleans (`no`, `on` stay strings), dates and times stay
  strings, `.nan`/`.inf` stay strings (NaN passes every range check);
- explicit tags are refused; size is capped; input must be UTF-8.

Every problem is a `Finding` with a position; no input raises.
"""

from __future__ import annotations

import bisect
import hashlib
import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode
from yaml.resolver import BaseResolver

from okrkit import problems
from okrkit.findings import Finding, Pos

try:  # the C extension; the pure-Python parser is the fallback, same behaviour
    from yaml.cyaml import CParser as _Parser  # type: ignore[attr-defined]

    HAS_LIBYAML = True
except ImportError:  # pragma: no cover (depends on how PyYAML was built)
    from yaml.composer import Composer
    from yaml.parser import Parser
    from yaml.reader import Reader
    from yaml.scanner import Scanner

    class _Parser(Reader, Scanner, Parser, Composer):  # type: ignore[no-redef]
        def __init__(self, stream: str) -> None:
            Reader.__init__(self, stream)
            Scanner.__init__(self)
            Parser.__init__(self)
            Composer.__init__(self)

    HAS_LIBYAML = False

DEFAULT_MAX_BYTES = 1024 * 1024
MAX_DEPTH = 32  # an OKR sheet is at most 6 levels deep
MAX_ALIAS_FINDINGS = 10

JPath = tuple[str | int, ...]

_STR_TAG = "tag:yaml.org,2002:str"
_SEQ_TAG = "tag:yaml.org,2002:seq"
_MAP_TAG = "tag:yaml.org,2002:map"
_NULLS = frozenset(("", "~", "null", "Null", "NULL"))
_BOOLS = {"true": True, "True": True, "TRUE": True,
          "false": False, "False": False, "FALSE": False}
_INT_RE = re.compile(r"[-+]?[0-9]+\Z")
_FLOAT_RE = re.compile(r"[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?\Z")
# libyaml (YAML 1.1) breaks lines on these too; positions must agree with it
_LINE_BREAK_RE = re.compile(r"\r\n|[\r\n\x85\u2028\u2029]")
# ... but editors, git and GitHub break lines only on these: positions shown to
# users count lines their way (a U+2028 inside a title must not shift them)
_EDITOR_BREAK_RE = re.compile(r"\r\n|[\r\n]")
_ODD_BREAK_RE = re.compile(r"[\x85\u2028\u2029]")
_DIRECTIVE_RE = re.compile(r"#\s*okr:")
# libyaml's scanner is quadratic in nesting depth ("[" * 2000 takes a second,
# "[" * 100000 minutes), so deep input is refused before libyaml sees it
MAX_FLOW_DEPTH = 64
MAX_INDENT = 256
_FLOW_RE = re.compile(r"\"(?:[^\"\\\n]|\\.)*\"|'(?:[^'\n]|'')*'|(?<!\S)#[^\n]*|[\[\]{}]")
_DEEP_INDENT_RE = re.compile(rf"^[ ]{{{MAX_INDENT + 1},}}", re.MULTILINE)
# git's conflict markers (diff3's `|||||||` too): seven characters at column 1, then
# a space or the line's end
# what the YAML reader refuses in the text itself, written as escapes in a double-quoted
# scalar; a carriage return ("\r\n" in a note pasted from Windows) is a line break there
# too, and the terminal renderers show it as a space (i18n.one_line)
_ESCAPED_CONTROL_RE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff\ud800-\udfff]")
_CONFLICT_RE = re.compile(r"^(<{7}|={7}|\|{7}|>{7})(?= |\r|\n|\Z)", re.MULTILINE)


_DEFAULT_TAGS = {ScalarNode: _STR_TAG, SequenceNode: _SEQ_TAG, MappingNode: _MAP_TAG}


class _Loader(_Parser, BaseResolver):
    """Composes nodes only; every untagged node gets its kind's default tag.

    What BaseResolver would answer (it has no implicit resolvers), without its
    per-node bookkeeping: libyaml calls `resolve` and the two path hooks once
    per node, and BaseResolver's versions were a third of all composing time.
    The walker decides each plain scalar's type by the loader's own rules.
    """

    def __init__(self, stream: str) -> None:
        _Parser.__init__(self, stream)
        BaseResolver.__init__(self)

    def resolve(self, kind: type[Node], value: Any, implicit: Any) -> str:
        return _DEFAULT_TAGS[kind]

    def descend_resolver(self, current_node: Any, current_index: Any) -> None:
        pass

    def ascend_resolver(self) -> None:
        pass


@dataclass(frozen=True, slots=True)
class Comment:
    """A `# okr: ...` comment, found outside every scalar."""

    line: int
    col: int
    text: str  # after the '#', stripped


@dataclass(frozen=True, slots=True)
class Document:
    """One parsed file: plain values and where each came from."""

    path: str
    data: Any
    # JSON path → (line, col) of the value; of the key, for mapping entries
    values: Mapping[JPath, tuple[int, int]] = field(repr=False, default_factory=dict)
    keys: Mapping[JPath, tuple[int, int]] = field(repr=False, default_factory=dict)
    comments: tuple[Comment, ...] = ()

    def pos(self, jpath: JPath = (), *, key: bool = False) -> Pos:
        """Position of a value (or its key), else of the nearest ancestor."""
        table = self.keys if key else self.values
        if jpath in table:
            return Pos(self.path, *table[jpath])
        while jpath:
            jpath = jpath[:-1]
            if jpath in self.values:
                return Pos(self.path, *self.values[jpath])
        return Pos(self.path, 1, 1)


def load_bytes(path: str, raw: bytes, *, max_bytes: int = DEFAULT_MAX_BYTES
               ) -> tuple[Document | None, list[Finding]]:
    """Load one file's bytes. `None` when nothing trustworthy could be read."""
    if len(raw) > max_bytes:
        return None, [problems.FILE_TOO_LARGE.finding(Pos(path), size=len(raw), limit=max_bytes)]
    text, finding = _decode(path, raw)
    if finding is not None:
        return None, [finding]
    return load_text(path, text)


def digest(raw: bytes) -> bytes:
    """A short fingerprint of a file's bytes: "has it changed since it was read?"."""
    return hashlib.blake2b(raw, digest_size=16).digest()


def load_text(path: str, text: str) -> tuple[Document | None, list[Finding]]:
    conflict = _conflict(path, text)
    if conflict is not None:
        return None, [conflict]
    too_deep = _too_deep(path, text)
    if too_deep is not None:
        return None, [too_deep]
    findings: list[Finding] = []
    comments: tuple[Comment, ...] = ()
    at = _mark_converter(text)
    needs_tokens = "&" in text or "*" in text
    has_directives = _DIRECTIVE_RE.search(text) is not None
    if needs_tokens or has_directives:
        tokens = _scan(text)
        if tokens is not None:
            findings = list(_alias_findings(path, tokens, at))
            if findings:
                return None, findings
            if has_directives:
                comments = tuple(_find_comments(text, tokens, at))
    try:
        node = _Loader(text).get_single_node()
    except yaml.MarkedYAMLError as err:
        return None, [_syntax_finding(path, text, err, at)]
    except yaml.reader.ReaderError as err:
        # libyaml reports a byte offset into the UTF-8 text, PyYAML a character index
        index = (len(text.encode("utf-8")[:err.position].decode("utf-8", "ignore"))
                 if HAS_LIBYAML else err.position)
        line, col = _line_col(text, index)
        return None, [problems.YAML_SYNTAX.finding(
            Pos(path, line, col), "control-char", char=f"U+{err.character:04X}")]
    except (yaml.YAMLError, RecursionError, ValueError) as err:
        return None, [problems.YAML_SYNTAX.finding(Pos(path), problem=_one_line(str(err)))]
    if node is None:
        return Document(path, None, {(): (1, 1)}, {}, comments), []
    walker = _Walker(path, at)
    data = walker.value(node, (), 0)
    if walker.fatal:
        return None, walker.findings
    return Document(path, data, walker.values, walker.keys, comments), walker.findings


def _conflict(path: str, text: str) -> Finding | None:
    """The first merge conflict marker, found before libyaml reports it as a puzzling syntax
    error. The substring test keeps the regex off every file without one (the hook's speed)."""
    if "<<<<<<<" not in text and ">>>>>>>" not in text:
        return None
    match = _CONFLICT_RE.search(text)
    if match is None:
        return None
    line, _ = _line_col(text, match.start())
    return problems.YAML_SYNTAX.finding(Pos(path, line, 1), "conflict", marker=match.group(1))


def _too_deep(path: str, text: str) -> Finding | None:
    """Refuse nesting no OKR file needs, cheaply and before libyaml runs."""
    match = _DEEP_INDENT_RE.search(text)
    if match is not None:
        line, col = _line_col(text, match.end())
        return problems.YAML_SYNTAX.finding(Pos(path, line, col), "too-deep", limit=MAX_INDENT)
    if text.count("[") + text.count("{") <= MAX_FLOW_DEPTH:
        return None
    depth = 0
    for match in _FLOW_RE.finditer(text):
        char = match.group()
        if char in "[{":
            depth += 1
            if depth > MAX_FLOW_DEPTH:
                line, col = _line_col(text, match.start())
                return problems.YAML_SYNTAX.finding(Pos(path, line, col), "too-deep",
                                                    limit=MAX_FLOW_DEPTH)
        elif char in "]}":
            depth = max(0, depth - 1)
    return None


def _line_col(text: str, index: int) -> tuple[int, int]:
    """1-based line and column of a character index, breaking lines as editors do."""
    lines = _EDITOR_BREAK_RE.split(text[:index])
    return len(lines), len(lines[-1]) + 1


MarkConverter = Callable[[int, int], tuple[int, int]]


def _plain_mark(line: int, col: int) -> tuple[int, int]:
    return line + 1, col + 1


def _mark_converter(text: str) -> MarkConverter:
    """libyaml's 0-based (line, column) → the 1-based position an editor shows.

    libyaml (YAML 1.1) also breaks lines on NEL, U+2028 and U+2029; editors do
    not. Only a text holding one of those needs the table.
    """
    if _ODD_BREAK_RE.search(text) is None:
        return _plain_mark
    editor_starts = [0, *(m.end() for m in _EDITOR_BREAK_RE.finditer(text))]
    table: list[tuple[int, int]] = []  # per libyaml line: editor line, column offset
    for start in (0, *(m.end() for m in _LINE_BREAK_RE.finditer(text))):
        index = bisect.bisect_right(editor_starts, start) - 1
        table.append((index + 1, start - editor_starts[index]))

    def convert(line: int, col: int) -> tuple[int, int]:
        if 0 <= line < len(table):
            editor_line, offset = table[line]
            return editor_line, offset + col + 1
        return line + 1, col + 1

    return convert


def _decode(path: str, raw: bytes) -> tuple[str, Finding | None]:
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        return raw.decode("utf-8"), None
    except UnicodeDecodeError as err:
        line_start = raw.rfind(b"\n", 0, err.start) + 1
        line = raw.count(b"\n", 0, err.start) + 1
        col = len(raw[line_start:err.start].decode("utf-8", "replace")) + 1
        return "", problems.ENCODING.finding(Pos(path, line, col),
                                             byte=f"{raw[err.start]:02x}")


# PyYAML's common problems (libyaml's wording and the pure-Python one), said in words a
# sheet's author knows: (context and problem pattern, message variant, whether the context
# mark, where the quote, bracket or key opened, is the better place to point at)
_SYNTAX_PROBLEMS: tuple[tuple[re.Pattern[str], str, bool], ...] = (
    (re.compile(r"quoted scalar.*end of stream", re.S), "unclosed-quote", True),
    (re.compile(r"simple key.*could not find expected ':'", re.S), "missing-colon", True),
    (re.compile(r"flow sequence.*expected ',' or '\]'", re.S), "unclosed-list", True),
    (re.compile(r"flow mapping.*expected ',' or '\}'", re.S), "unclosed-map", True),
    (re.compile(r"mapping values are not allowed"), "colon-in-value", False),
    (re.compile(r"block (?:mapping|collection).*(?:expected key|'-' indicator|<block end>)",
                re.S), "indentation", False),
    (re.compile(r"cannot start any token"), "reserved-char", False),
    (re.compile(r"unknown escape character"), "unknown-escape", False),
)
# an IME slip: a full-width colon after a key (before any ':'), or U+3000 (the
# full-width space) indenting a line or following a ':'
_FULLWIDTH_COLON_RE = re.compile(r"^[ \u3000]*(?:-[ \u3000]+)?[^\s:#'\"][^:]*?(：)")
_FULLWIDTH_SPACE_RE = re.compile(r"^[ -]*(\u3000)|:(\u3000)")


def _syntax_finding(path: str, text: str, err: yaml.MarkedYAMLError,
                    at: MarkConverter) -> Finding:
    problem = err.problem or ""
    said = f"{err.context or ''} {problem}"
    variant, at_context = next(((v, c) for pattern, v, c in _SYNTAX_PROBLEMS
                                if pattern.search(said)), ("default", False))
    mark = ((err.context_mark or err.problem_mark) if at_context
            else (err.problem_mark or err.context_mark))
    line, col = (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)
    pos = Pos(path, *at(line - 1, col - 1))
    if "expected a single document" in f"{problem} {err.context}":
        return problems.YAML_SYNTAX.finding(pos, "multiple-documents")
    odd = _odd_break_at_fault(text)
    if odd is not None:  # a U+2028 in a plain title: editors show one line, YAML two
        return problems.YAML_SYNTAX.finding(Pos(path, *_line_col(text, odd.start())),
                                            "line-separator", char=f"U+{ord(odd.group()):04X}")
    if "\t" in problem or "tab" in problem or _char_at(text, line, col) == "\t":
        return problems.YAML_SYNTAX.finding(pos, "tab")
    problem_line = err.problem_mark.line if err.problem_mark is not None else line - 1
    slip = _fullwidth_slip(text, (line - 1, problem_line, problem_line - 1))
    if slip is not None:
        slip_variant, slip_line, slip_col = slip
        return problems.YAML_SYNTAX.finding(Pos(path, *at(slip_line, slip_col)), slip_variant)
    if variant != "default":
        return problems.YAML_SYNTAX.finding(pos, variant, char=_char_at(text, line, col))
    detail = problem
    if err.context:
        detail = f"{problem} ({err.context})"
    return problems.YAML_SYNTAX.finding(pos, problem=_one_line(detail))


def _fullwidth_slip(text: str, lines: Sequence[int]) -> tuple[str, int, int] | None:
    """A full-width colon or space on one of these 0-based lines, where YAML wants ASCII:
    its variant and 0-based position. The error often surfaces a line after the slip, so
    the last line given is the one before; there a list item's `：` is ordinary Chinese
    text (`- 重點：提升`), not a key, and is not blamed."""
    split = _LINE_BREAK_RE.split(text)
    for index in lines:
        if not 0 <= index < len(split):
            continue
        before = index == lines[-1] and index not in lines[:-1]
        item = split[index].lstrip(" \u3000").startswith("-")
        for variant, pattern in (("fullwidth-colon", _FULLWIDTH_COLON_RE),
                                 ("fullwidth-space", _FULLWIDTH_SPACE_RE)):
            if before and item and variant == "fullwidth-colon":
                continue
            match = pattern.search(split[index])
            if match is not None:
                group = 1 if match.group(1) is not None else 2
                return variant, index, match.start(group)
    return None


def _odd_break_at_fault(text: str) -> re.Match[str] | None:
    """The first U+2028/U+2029/NEL outside quoted and block scalars, when the text
    parses with those characters made spaces (so they caused the error)."""
    if _ODD_BREAK_RE.search(text) is None:
        return None
    tokens = _scan(_ODD_BREAK_RE.sub(" ", text))  # same length: same indices
    if tokens is None:
        return None
    quoted = [(t.start_mark.index, t.end_mark.index) for t in tokens
              if isinstance(t, yaml.ScalarToken) and not t.plain]
    for odd in _ODD_BREAK_RE.finditer(text):
        if not any(start <= odd.start() < end for start, end in quoted):
            return odd
    return None


def _char_at(text: str, line: int, col: int) -> str:
    lines = _LINE_BREAK_RE.split(text)
    if 0 < line <= len(lines) and 0 < col <= len(lines[line - 1]):
        return lines[line - 1][col - 1]
    return ""


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _scan(text: str) -> list[yaml.Token] | None:
    """All tokens, or None when the scanner fails (the parse reports that)."""
    try:
        return list(yaml.scan(text, Loader=_Loader))  # type: ignore[arg-type]
    except (yaml.YAMLError, RecursionError, ValueError):
        return None


def _alias_findings(path: str, tokens: list[yaml.Token], at: MarkConverter
                    ) -> Iterator[Finding]:
    count = 0
    for token in tokens:
        if isinstance(token, (yaml.AnchorToken, yaml.AliasToken)):
            kind, kind_zh = (("anchor", "錨點") if isinstance(token, yaml.AnchorToken)
                             else ("alias", "別名"))
            mark = token.start_mark
            yield problems.ALIAS.finding(Pos(path, *at(mark.line, mark.column)),
                                         kind=kind, kind_zh=kind_zh, name=token.value)
            count += 1
            if count >= MAX_ALIAS_FINDINGS:
                return


def _find_comments(text: str, tokens: list[yaml.Token], at: MarkConverter
                   ) -> Iterator[Comment]:
    """`# okr:` comments: a '#' after whitespace, outside every scalar token.

    PyYAML drops comments, so scalar spans from the tokens tell a comment from
    a '#' inside a quoted or block string.
    """
    spans = [(t.start_mark.line, t.start_mark.column, t.end_mark.line, t.end_mark.column)
             for t in tokens if isinstance(t, yaml.ScalarToken)]
    for index, line_text in enumerate(_LINE_BREAK_RE.split(text)):
        for match in _DIRECTIVE_RE.finditer(line_text):
            col = match.start()
            if col > 0 and not line_text[col - 1].isspace():
                continue
            if any((sl, sc) <= (index, col) < (el, ec) for sl, sc, el, ec in spans):
                continue
            yield Comment(*at(index, col), line_text[col + 1:].strip())


class _Walker:
    """Turns composed nodes into plain values, recording positions.

    The hot loop of every parse (a sheet has hundreds of nodes): the common
    case of plain line numbers skips the converter, and a mapping's scalar
    values (most nodes) are handled in its own loop, told apart by exact type.
    """

    def __init__(self, path: str, at: MarkConverter = _plain_mark) -> None:
        self.path = path
        self.at = at
        self.plain = at is _plain_mark
        self.values: dict[JPath, tuple[int, int]] = {}
        self.keys: dict[JPath, tuple[int, int]] = {}
        self.findings: list[Finding] = []
        self.fatal = False

    def _pos(self, node: Node) -> Pos:
        return Pos(self.path, *self.at(node.start_mark.line, node.start_mark.column))

    def _where(self, node: Node) -> tuple[int, int]:
        mark = node.start_mark
        if self.plain:
            return mark.line + 1, mark.column + 1
        return self.at(mark.line, mark.column)

    def value(self, node: Node, jpath: JPath, depth: int) -> Any:
        self.values[jpath] = self._where(node)
        if depth > MAX_DEPTH:
            self.findings.append(problems.YAML_SYNTAX.finding(self._pos(node), "too-deep",
                                                              limit=MAX_DEPTH))
            self.fatal = True
            return None
        if isinstance(node, ScalarNode):
            return self._scalar(node)
        if isinstance(node, SequenceNode):
            if node.tag != _SEQ_TAG:
                return self._bad_tag(node)
            return [self.value(item, (*jpath, index), depth + 1)
                    for index, item in enumerate(node.value)]
        if isinstance(node, MappingNode):
            if node.tag != _MAP_TAG:
                return self._bad_tag(node)
            return self._mapping(node, jpath, depth)
        raise AssertionError(f"unknown node {node!r}")  # pragma: no cover (closed set)

    def _scalar(self, node: ScalarNode) -> Any:
        if node.tag != _STR_TAG:
            return self._bad_tag(node)
        style = node.style
        if not style:
            return _resolve_scalar(node.value)
        if style == '"':  # escapes such as \e or \x07 get past the reader's check
            odd = _ESCAPED_CONTROL_RE.search(node.value)
            if odd is not None:
                self.findings.append(problems.YAML_SYNTAX.finding(
                    self._pos(node), "control-char", char=f"U+{ord(odd.group()):04X}"))
                self.fatal = True
                return None
        return node.value

    def _bad_tag(self, node: Node) -> None:
        self.findings.append(problems.YAML_SYNTAX.finding(self._pos(node), "tag", tag=node.tag))
        self.fatal = True
        return None

    def _mapping(self, node: MappingNode, jpath: JPath, depth: int) -> dict[str, Any]:
        result: dict[str, Any] = {}
        first_lines: dict[str, int] = {}
        values, keys, plain = self.values, self.keys, self.plain
        child_depth = depth + 1
        scalar_ok = child_depth <= MAX_DEPTH
        for key_node, value_node in node.value:
            if type(key_node) is not ScalarNode:
                self.findings.append(problems.YAML_SYNTAX.finding(self._pos(key_node),
                                                                  "complex-key"))
                self.fatal = True
                continue
            key = key_node.value
            mark = key_node.start_mark
            key_line, key_col = ((mark.line + 1, mark.column + 1) if plain
                                 else self.at(mark.line, mark.column))
            if key in first_lines:
                self.findings.append(problems.DUPLICATE_KEY.finding(
                    self._pos(key_node), key=printable(key), first_line=first_lines[key]))
                continue  # the first value stands: the one a reader sees first
            first_lines[key] = key_line
            child = (*jpath, key)
            keys[child] = (key_line, key_col)
            if scalar_ok and type(value_node) is ScalarNode:
                mark = value_node.start_mark
                values[child] = ((mark.line + 1, mark.column + 1) if plain
                                 else self.at(mark.line, mark.column))
                result[key] = self._scalar(value_node)
            else:
                result[key] = self.value(value_node, child, child_depth)
        return result


# what a plain scalar may start with to be anything but a string (null, bool, number)
_NOT_STR_START = frozenset("0123456789+-.~nNtTfF")


def _resolve_scalar(text: str) -> Any:
    if not text:
        return None
    if text[0] not in _NOT_STR_START:  # most scalars (titles, ids, names): no regex
        return text
    if text in _NULLS:
        return None
    if text in _BOOLS:
        return _BOOLS[text]
    if _INT_RE.match(text):
        return int(text)
    if _FLOAT_RE.match(text):
        number = float(text)
        if number not in (float("inf"), float("-inf")):
            return number
    return text


def printable(text: str) -> str:
    """User text made safe inside a one-line message: controls and line breaks escaped."""
    if text.isprintable():
        return text
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in text)


def compose(text: str) -> Node | None:
    """The node graph of a text that `load_text` accepted, with libyaml's marks (for yamledit)."""
    node: Node | None = _Loader(text).get_single_node()
    return node
