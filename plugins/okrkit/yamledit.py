"""Surgical edits of hand-written YAML: change one scalar, keep every comment and the layout.

`okr checkin` and `okr score --write` change a few values in a file people
edit by hand and review as diffs (DESIGN: "round-trip edit keeping comments
and layout"). Rather than dump a re-serialised document, each edit replaces
just the characters of one scalar, found from libyaml's marks, or inserts one
`key: value` line where a reader expects it. The result is loaded again with
the strict loader and must hold exactly the intended data, or nothing is
returned.
"""

from __future__ import annotations

import copy
import os
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from okrkit import schema, yamlload
from okrkit.errors import FatalError
from okrkit.yamlload import JPath

MESSAGES: dict[str, dict[str, str]] = {
    "en": {
        "unreadable": "cannot edit {path}: {finding}",
        "empty": "cannot edit {path}: the file is empty",
        "missing": "cannot edit {path}: nothing at {where}",
        "not-mapping": "cannot edit {path}: {where} is not a mapping",
        "not-scalar": "cannot edit {path}: the value of '{key}' at {where} is not a single value",
        "mismatch": "cannot edit {path} without changing more than asked: edit it by hand",
        "invalid": "the edited file would not be valid: {finding}",
        "changed": "{path} changed since it was read: run the command again",
        "cannot-write": "cannot write {path}: {error}",
    },
    "zh-TW": {
        "unreadable": "無法修改 {path}:{finding}",
        "empty": "無法修改 {path}:檔案是空的",
        "missing": "無法修改 {path}:{where} 不存在",
        "not-mapping": "無法修改 {path}:{where} 不是對應(mapping)",
        "not-scalar": "無法修改 {path}:{where} 的「{key}」不是單一值",
        "mismatch": "無法只修改指定的值:請手動編輯 {path}",
        "invalid": "修改後的檔案將不符合格式:{finding}",
        "changed": "{path} 在讀取後被修改過:請重新執行指令",
        "cannot-write": "無法寫入 {path}:{error}",
    },
}


@dataclass(frozen=True, slots=True)
class Edit:
    """Set `key` of the mapping at `jpath` to `value`.

    When the key is absent, its line goes after the value of the first key of
    `after` that is present, else after the mapping's last entry.
    """

    jpath: JPath
    key: str
    value: Any
    after: tuple[str, ...] = ()


def format_scalar(value: Any) -> str:
    """A YAML scalar that the strict loader reads back as exactly `value`."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            raise ValueError(f"not a finite number: {value}")
        text = repr(value)  # the shortest text that reads back as the same float
        if "e" in text:  # YAML 1.1 readers want a dot: 1e+20 → 1.0e+20
            mantissa, exponent = text.split("e")
            text = f"{mantissa}{'' if '.' in mantissa else '.0'}e{exponent}"
        return text
    if isinstance(value, str):
        return _format_string(value)
    raise TypeError(f"not a scalar: {value!r}")


def _format_string(text: str) -> str:
    """Plain when that reads back the same, else double-quoted (JSON strings are valid YAML).

    "The same" for okrkit's loader and for YAML 1.1 readers (PyYAML, and the editors and
    hooks built on them), so `no` and `2026-03-31` are quoted for the sake of the others.
    """
    if text and text == text.strip() and text.isprintable() and " #" not in text:
        line = f"k: {text}\n"
        doc, findings = yamlload.load_text("<scalar>", line)
        if not findings and doc is not None and doc.data == {"k": text}:
            try:
                if yaml.safe_load(line) == {"k": text}:
                    return text
            except yaml.YAMLError:
                pass
    return _double_quoted(text)


_ESCAPES = {'"': '\\"', "\\": "\\\\", "\n": "\\n", "\t": "\\t"}


def _double_quoted(text: str) -> str:
    """A YAML double-quoted scalar; what YAML may not hold raw (DEL, C1, U+2028) is escaped."""
    parts = []
    for char in text:
        if char in _ESCAPES:
            parts.append(_ESCAPES[char])
        elif char.isprintable():
            parts.append(char)
        else:
            code = ord(char)
            parts.append(f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}")
    return '"' + "".join(parts) + '"'


def apply_edits(text: str, edits: Sequence[Edit], *, path: str = "<text>",
                lang: str = "en") -> str:
    """`text` with every edit applied; FatalError (in `lang`) when it cannot be done exactly."""
    return _apply(text, edits, path=path, lang=lang)[0]


def _apply(text: str, edits: Sequence[Edit], *, path: str, lang: str
           ) -> tuple[str, yamlload.Document]:
    """`apply_edits`, and the edited text as loaded to check it (the schema checks it next)."""
    messages = MESSAGES.get(lang, MESSAGES["en"])
    doc, findings = yamlload.load_text(path, text)
    if findings:
        raise FatalError(messages["unreadable"].format(
            path=path, finding=f"{findings[0].pos}: {findings[0].message(lang)}"))
    root = yamlload.compose(text) if doc is not None and doc.data is not None else None
    if doc is None or root is None:
        raise FatalError(messages["empty"].format(path=path))
    newline = "\r\n" if "\r\n" in text else "\n"
    splices: list[tuple[int, int, str, int]] = []  # start, end, replacement, edit order
    expected = copy.deepcopy(doc.data)
    for order, edit in enumerate(edits):
        mapping = _node_at(root, edit.jpath, path, messages)
        splices.append((*_splice(text, mapping, edit, newline, path, messages), order))
        target = expected
        for part in edit.jpath:
            target = target[part]
        target[edit.key] = edit.value
    result = text
    # from the end, so earlier offsets stay valid; two insertions at one point keep edit order
    for start, end, replacement, _ in sorted(splices, key=lambda s: (s[0], s[3]), reverse=True):
        result = result[:start] + replacement + result[end:]
    check, findings = yamlload.load_text(path, result)
    if findings:  # a value the loader refuses, e.g. a control character in a note
        raise FatalError(messages["invalid"].format(
            finding=f"{findings[0].pos}: {findings[0].message(lang)}"))
    if check is None or not same_data(check.data, expected):
        raise FatalError(messages["mismatch"].format(path=path))  # pragma: no cover (a guard)
    return result, check


@dataclass(frozen=True, slots=True)
class PreparedEdit:
    """A file's edited text, checked and ready to replace it (`write`)."""

    path: Path
    shown: str
    text: str  # the edited text, without the byte-order mark
    bom: bool
    read: bytes  # yamlload.digest of the bytes the edit was made from
    lang: str

    def write(self) -> None:
        """Replace the file at once, only if it still holds what the edit was made from."""
        messages = MESSAGES.get(self.lang, MESSAGES["en"])

        def unchanged() -> None:
            try:
                now = self.path.read_bytes()
            except OSError:  # deleted or renamed meanwhile: also a change
                now = None
            if now is None or yamlload.digest(now) != self.read:
                raise FatalError(messages["changed"].format(path=self.shown))

        try:
            write_atomic(self.path, ("\ufeff" if self.bom else "") + self.text,
                         before_replace=unchanged)
        except OSError as err:  # a read-only folder, a full disk: one line, exit 2
            raise FatalError(messages["cannot-write"].format(
                path=self.shown, error=err.strerror or err)) from err


def prepare_edit(path: Path, edits: Sequence[Edit], *, shown: str, kind: str = "okr",
                 lang: str = "en", base_digest: bytes | None = None) -> PreparedEdit:
    """Apply `edits` to the file's text and check the result against its schema.

    `base_digest` is `yamlload.digest` of the bytes the edits were decided from
    (`Tree.digests[shown]`): when the file no longer holds them, someone saved it
    in between. Nothing is written here: a command editing several files prepares
    them all before it writes any (`PreparedEdit.write`).
    """
    messages = MESSAGES.get(lang, MESSAGES["en"])
    try:
        raw = path.read_bytes()
    except OSError as err:  # deleted or renamed since the caller read it
        raise FatalError(messages["changed"].format(path=shown)) from err
    read = yamlload.digest(raw)
    if base_digest is not None and read != base_digest:
        raise FatalError(messages["changed"].format(path=shown))
    bom = raw.startswith(b"\xef\xbb\xbf")
    text = raw[3 if bom else 0:].decode("utf-8")
    edited, doc = _apply(text, edits, path=shown, lang=lang)
    findings = schema.validate(doc, kind)
    if findings:  # e.g. a number given where the schema wants a boolean
        raise FatalError(messages["invalid"].format(
            finding=f"{findings[0].pos}: {findings[0].message(lang)}"))
    return PreparedEdit(path, shown, edited, bom, read, lang)


def edit_file(path: Path, edits: Sequence[Edit], *, shown: str, kind: str = "okr",
              lang: str = "en", base_digest: bytes | None = None) -> str:
    """Apply `edits` to the file, check the result against its schema, then replace it at once.

    Whether `base_digest` is given or not, the file must still hold what was read
    right before it is replaced, so a save made while the edit was computed is
    never overwritten. Returns the new text. A byte-order mark and CRLF line ends
    are kept. A sheet that is a symbolic link stays one: its target is replaced.
    """
    prepared = prepare_edit(path, edits, shown=shown, kind=kind, lang=lang,
                            base_digest=base_digest)
    prepared.write()
    return prepared.text


def _node_at(root: Node, jpath: JPath, path: str, messages: dict[str, str]) -> MappingNode:
    node = root
    for part in jpath:
        if isinstance(node, MappingNode) and isinstance(part, str):
            found = next((v for k, v in node.value if k.value == part), None)
        elif isinstance(node, SequenceNode) and isinstance(part, int) and part < len(node.value):
            found = node.value[part]
        else:
            found = None
        if found is None:
            raise FatalError(messages["missing"].format(path=path, where=_show(jpath)))
        node = found
    if not isinstance(node, MappingNode):
        raise FatalError(messages["not-mapping"].format(path=path, where=_show(jpath)))
    return node


def _show(jpath: JPath) -> str:
    return "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in jpath) or "."


def _splice(text: str, mapping: MappingNode, edit: Edit, newline: str, path: str,
            messages: dict[str, str]) -> tuple[int, int, str]:
    scalar = format_scalar(edit.value)
    for key_node, value_node in mapping.value:
        if key_node.value != edit.key:
            continue
        if not isinstance(value_node, ScalarNode):
            raise FatalError(messages["not-scalar"].format(path=path, key=edit.key,
                                                           where=_show(edit.jpath)))
        start, end = value_node.start_mark.index, value_node.end_mark.index
        if start == end:  # `key:` with nothing after it: the value goes after the colon
            colon = text.index(":", key_node.end_mark.index) + 1
            return colon, colon, " " + scalar
        old = text[start:end]
        tail = old[len(old.rstrip()):]  # a block scalar's span ends with its line break
        if tail and value_node.style in ("|", ">"):
            return start, end, scalar + tail
        return start, end, scalar
    if mapping.flow_style:
        close = mapping.end_mark.index - 1
        sep = ", " if mapping.value else ""
        return close, close, f"{sep}{edit.key}: {scalar}"
    present = {k.value: v for k, v in mapping.value}
    anchor = next((a for a in edit.after if a in present), None)
    last = present[anchor] if anchor is not None else mapping.value[-1][1]
    at = _line_end(text, _last_scalar_end(last))
    indent = mapping.value[0][0].start_mark.column
    return at, at, f"{newline}{' ' * indent}{edit.key}: {scalar}"


def _last_scalar_end(node: Node) -> int:
    """Where the last character of a value's text is (nested collections: their last scalar)."""
    while isinstance(node, (MappingNode, SequenceNode)) and node.value:
        last = node.value[-1]
        node = last[1] if isinstance(node, MappingNode) else last
    if isinstance(node, ScalarNode) and node.style in ("|", ">"):
        end = node.end_mark.index
        return end - 1 if end > node.start_mark.index else end
    return node.end_mark.index


def _line_end(text: str, index: int) -> int:
    """The end of the line holding `index` (before its line break), comments included."""
    ends = [at for at in (text.find("\n", index), text.find("\r", index)) if at >= 0]
    return min(ends, default=len(text))


def same_data(a: Any, b: Any) -> bool:
    """Equal, and of the same JSON type everywhere (True is not 1, 1 equals 1.0)."""
    if isinstance(a, bool) or isinstance(b, bool):
        return type(a) is type(b) and a == b
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(same_data(a[k], b[k]) for k in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(same_data(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        return a == b
    return type(a) is type(b) and a == b


def write_atomic(path: Path, data: str | bytes, *, exclusive: bool = False,
                 before_replace: Callable[[], None] | None = None) -> None:
    """Write `path` whole or not at all: a temp file beside it, then one rename.

    Text is written as UTF-8 with its line ends as given. A new file gets the mode
    `open` would give it (0o666 less the umask; mkstemp's is 0600), an existing one
    keeps its mode. `exclusive` never replaces an existing file, even in a race
    (os.link fails where os.replace would not): FileExistsError. `before_replace`
    runs last, right before the rename (the window left is that of one system call);
    when it raises, the temp file is removed and `path` kept. A symbolic link is
    followed: replacing the link itself would turn it into a copy.
    """
    path = Path(os.path.realpath(path))
    try:
        mode = path.stat().st_mode & 0o777
    except FileNotFoundError:
        mode = 0o666 & ~_umask()
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data.encode("utf-8") if isinstance(data, str) else data)
        os.chmod(tmp, mode)
        if before_replace is not None:
            before_replace()
        if exclusive:
            os.link(tmp, path)  # fails when the name exists, unlike os.replace
        else:
            os.replace(tmp, path)
    finally:
        Path(tmp).unlink(missing_ok=True)  # after os.replace: already gone


def _umask() -> int:
    """The process's umask: the only way to read it is to set it, so set it straight back.

    Read when a file is written, not at import: a caller (or a test) may change it.
    """
    mask = os.umask(0o022)
    os.umask(mask)
    return mask
