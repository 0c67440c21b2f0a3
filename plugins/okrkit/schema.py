"""JSON Schema validation with positions and bilingual messages.

Valid files, the common case, go through a fastjsonschema validator generated
once and cached (about 30x faster than jsonschema); only an invalid file is
validated again with jsonschema, which lists every error with its JSON path.
Both get the same format checks, so they agree on every verdict. A validator
read from the cache raises `Invalid` (its code names no fastjsonschema), so the
hook does not import fastjsonschema at all.
"""

from __future__ import annotations

import functools
import json
import os
import re
from collections.abc import Callable, Iterator
from functools import cache
from pathlib import Path
from typing import Any

from okrkit import problems, resources
from okrkit.cycles import parse_date
from okrkit.findings import Finding, unique_sorted
from okrkit.yamlload import Document, JPath, printable

KINDS = ("okr", "org", "config")

_REQUIRED_RE = re.compile(r"'(.*)' is a required property")
# fastjsonschema writes a property's `default` into the data it checks: the document
# would change by being validated (build.py and config.py supply the same defaults)
_USE_DEFAULT = False

_TYPE_ZH = {"object": "對應(mapping)", "array": "清單", "string": "文字", "number": "數字",
            "integer": "整數", "boolean": "布林值(true/false)", "null": "空值"}
_FORMAT_ZH = {"date": "日期(YYYY-MM-DD)", "email": "電子郵件地址"}


def _is_date(value: object) -> bool:
    return not isinstance(value, str) or parse_date(value) is not None


def _is_email(value: object) -> bool:
    return not isinstance(value, str) or "@" in value


_FORMATS: dict[str, Callable[[object], bool]] = {"date": _is_date, "email": _is_email}


class Invalid(ValueError):
    """What a validator of this module raises for a document its schema refuses."""

    def __init__(self, message: str = "", *args: Any, **details: Any) -> None:
        # the cached code calls it as fastjsonschema's JsonSchemaValueException
        super().__init__(message)


def compile_validator(definition: dict[str, Any], **options: Any) -> Callable[[Any], Any]:
    """fastjsonschema's validator of `definition`, compiled in memory, raising `Invalid`."""
    import fastjsonschema

    validator = fastjsonschema.compile(definition, **options)

    def check(data: Any) -> Any:
        try:
            return validator(data)
        except fastjsonschema.JsonSchemaException as err:
            raise Invalid(str(err)) from err

    return check


@cache
def load_schema(kind: str) -> dict[str, Any]:
    schema: dict[str, Any] = json.loads(schema_bytes(kind).decode("utf-8"))
    return schema


@cache
def _fast_validator(kind: str) -> Callable[[Any], Any]:
    return validator(kind, load_schema(kind), source=schema_bytes(kind))


@cache
def schema_bytes(kind: str) -> bytes:
    """The schema file as it is on disk: what a cached validator's key hashes (cheaper than
    writing the parsed schema out again)."""
    return resources.schema_file(kind).read_bytes()


def validator(name: str, definition: dict[str, Any], *, use_default: bool = _USE_DEFAULT,
              source: bytes | None = None) -> Callable[[Any], Any]:
    """The validator of `definition` with the loader's formats, raising `Invalid`: from the
    user's cache (`name` names its file) or else compiled in memory. Every `$ref` in
    `definition` must be local: none is fetched. `source`: bytes that, with `name`,
    determine `definition` (the schema file it comes from), hashed in its place."""
    cached = _cached_validator(name, definition, use_default=use_default, source=source)
    if cached is not None:
        return cached
    return compile_validator(definition, formats=_FORMATS, use_default=use_default,
                             handlers={"http": _no_fetch, "https": _no_fetch})


def _no_fetch(uri: str) -> Any:
    raise Invalid(f"{uri}: a remote $ref is not followed")


def _cache_dir() -> Path:
    from okrkit.startup import user_cache_dir

    return user_cache_dir()


# the one import of fastjsonschema in the generated code: its exceptions, here ours
_IMPORT_RE = re.compile(r"^from fastjsonschema import ([\w, ]+)$", re.MULTILINE)


@cache
def _fastjsonschema_version() -> bytes:
    """The installed fastjsonschema's version file, found without importing it."""
    import importlib.util

    spec = importlib.util.find_spec("fastjsonschema")
    if spec is None or not spec.submodule_search_locations:
        raise OSError("fastjsonschema is not installed")
    return (Path(next(iter(spec.submodule_search_locations))) / "version.py").read_bytes()


def _own_exceptions(source: str) -> str | None:
    """The generated code with its fastjsonschema import replaced by `Invalid`; None when
    it names fastjsonschema anywhere else (another version's code: compile in memory)."""
    def ours(match: re.Match[str]) -> str:
        names = [n.strip() for n in match.group(1).split(",") if n.strip()]
        return "from okrkit.schema import " + ", ".join(f"Invalid as {n}" for n in names)

    changed = _IMPORT_RE.sub(ours, source)
    return None if "fastjsonschema" in changed else changed


def _cached_validator(kind: str, schema: dict[str, Any], *, use_default: bool = _USE_DEFAULT,
                      source: bytes | None = None) -> Callable[[Any], Any] | None:
    """The validator's generated code, compiled once and kept in the user's cache.

    Generating and compiling the sheet schema's validator took 45-80 ms of each
    ~0.3 s `okr lint` hook run; unmarshalled from the cache it takes a few. The
    code object is stored with marshal (not left to Python's .pyc, which
    PYTHONDONTWRITEBYTECODE turns off); the file name hashes the schema,
    fastjsonschema's version and the bytecode version, so any change gets a new
    file. None when the cache cannot be used: the caller compiles in memory.
    The code raises `Invalid` (`_own_exceptions`): reading it imports no fastjsonschema,
    whose version is read from its file.
    """
    import hashlib
    import importlib.util
    import marshal

    try:
        version = _fastjsonschema_version().decode("utf-8", "replace")
    except OSError:
        return None
    meta = [version, importlib.util.MAGIC_NUMBER.hex(), sorted(_FORMATS), use_default,
            "own-exceptions"]
    if source is None:
        key_bytes = json.dumps([*meta, schema], sort_keys=True).encode()
    else:
        key_bytes = json.dumps([*meta, kind]).encode() + b"\0" + source
    key = hashlib.sha256(key_bytes).hexdigest()[:20]
    path = _cache_dir() / f"validator_{kind}_{key}.marshal"
    try:
        if path.is_file():
            code = marshal.loads(path.read_bytes())
        else:
            import fastjsonschema

            generated = _own_exceptions(fastjsonschema.compile_to_code(
                schema, formats=_FORMATS, use_default=use_default,
                handlers={"http": _no_fetch, "https": _no_fetch}))
            root = re.search(r"^def (\w+)\(", generated or "", re.MULTILINE)
            if generated is None or root is None:  # another fastjsonschema's code
                return None
            code = compile(f"{generated}\n\nROOT = {root.group(1)}\n", str(path), "exec")
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_name(f"{path.stem}.{os.getpid()}.tmp")
            tmp.write_bytes(marshal.dumps(code))
            os.replace(tmp, path)  # atomic: a concurrent run reads a whole file or none
        namespace: dict[str, Any] = {"__name__": f"_okrkit_validator_{kind}"}
        exec(code, namespace)
        return functools.partial(namespace["ROOT"], custom_formats=_FORMATS)
    except (OSError, ValueError, EOFError, TypeError, KeyError, SyntaxError):
        return None


def validate(doc: Document, kind: str) -> list[Finding]:
    """Schema findings for one document (empty when valid)."""
    if doc.data is None:
        return [problems.SCHEMA.finding(doc.pos(()), where="",
                                        problem="the file is empty",
                                        problem_zh="檔案是空的")]
    try:
        _fast_validator(kind)(doc.data)
    except Invalid:
        return unique_sorted(list(_detailed_findings(doc, kind)))
    return []


def _detailed_findings(doc: Document, kind: str) -> Iterator[Finding]:
    import jsonschema  # only for invalid files: it costs ~0.1 s to import

    checker = jsonschema.FormatChecker(formats=())
    for name, func in _FORMATS.items():
        checker.checks(name)(func)
    validator = jsonschema.Draft7Validator(load_schema(kind), format_checker=checker)
    errors = list(validator.iter_errors(doc.data))
    # `due: 2027/03/31` fails the date's pattern and its format: say it once, by the pattern
    patterned = {tuple(e.absolute_path) for e in errors if e.validator == "pattern"}
    for error in errors:
        if error.validator == "format" and tuple(error.absolute_path) in patterned:
            continue
        # report the innermost errors of anyOf/oneOf branches only through their parent
        yield from _error_findings(doc, error)


def _where(jpath: JPath) -> str:
    text = ""
    for part in jpath:
        name = printable(part) if isinstance(part, str) else part
        text += f"[{part}]" if isinstance(part, int) else (f".{name}" if text else str(name))
    return f"{text}: " if text else ""


def _error_findings(doc: Document, error: Any) -> Iterator[Finding]:
    jpath: JPath = tuple(error.absolute_path)
    keyword = error.validator
    value = error.instance
    where = _where(jpath)
    if keyword == "additionalProperties":
        allowed = set(error.schema.get("properties", {}))
        for key in sorted(k for k in value if k not in allowed):
            hint = _closest(key, allowed)
            shown = printable(key)
            extra_en = f" (did you mean '{hint}'?)" if hint else ""
            extra_zh = f"(是否指「{hint}」?)" if hint else ""
            yield problems.SCHEMA.finding(
                doc.pos((*jpath, key), key=True), where=where,
                problem=f"unknown key '{shown}'{extra_en}",
                problem_zh=f"未知的欄位「{shown}」{extra_zh}")
        return
    if keyword == "required":  # one error per missing key; its message names it
        match = _REQUIRED_RE.match(error.message)
        key = match.group(1) if match else error.message
        yield problems.SCHEMA.finding(doc.pos(jpath), where=where,
                                      problem=f"missing required key '{key}'",
                                      problem_zh=f"缺少必要欄位「{key}」")
        return
    en, zh = _describe(keyword, error.validator_value, value, error.message)
    yield problems.SCHEMA.finding(doc.pos(jpath), where=where, problem=en, problem_zh=zh)


def _describe(keyword: str, expected: Any, value: Any, fallback: str) -> tuple[str, str]:
    shown = _show(value)
    if keyword == "type":
        types = [expected] if isinstance(expected, str) else list(expected)
        actual = _json_type(value)
        # a mapping or list has no short form: "got array", not "got array (array)"
        shown = "" if isinstance(value, (dict, list)) else f" {shown}"
        return (f"expected {' or '.join(types)}, got {actual}{shown}",
                f"應為{'或'.join(_TYPE_ZH.get(t, t) for t in types)},"
                f"實際為{_TYPE_ZH.get(actual, actual)}{shown}")
    if keyword == "enum":
        options = ", ".join(_show(v) for v in expected)
        return (f"{shown} is not one of {options}", f"{shown} 不是允許的值({options})")
    if keyword == "pattern":
        words = _PATTERN_WORDS.get(_pattern_names().get(expected, ""))
        if words is not None:
            return (f"{shown} {words[0]}", f"{shown} {words[1]}")
        return (f"{shown} does not match {expected}", f"{shown} 不符合格式 {expected}")
    if keyword == "format":
        return (f"{shown} is not a valid {expected}",
                f"{shown} 不是有效的{_FORMAT_ZH.get(expected, expected)}")
    if keyword in ("minimum", "exclusiveMinimum"):
        op = ">=" if keyword == "minimum" else ">"
        return (f"{shown} must be {op} {expected}", f"{shown} 必須 {op} {expected}")
    if keyword in ("maximum", "exclusiveMaximum"):
        op = "<=" if keyword == "maximum" else "<"
        return (f"{shown} must be {op} {expected}", f"{shown} 必須 {op} {expected}")
    if keyword == "minLength":
        return ("must not be empty", "不可為空") if expected == 1 else (
            f"shorter than {expected} characters", f"少於 {expected} 個字元")
    if keyword == "maxLength":
        return (f"longer than {expected} characters", f"超過 {expected} 個字元")
    if keyword == "uniqueItems":
        return ("has duplicate items", "有重複的項目")
    if keyword == "oneOf" and all(set(b) == {"required"} for b in expected):
        # alternatives such as `measure:`'s path or url: name them, not the branches
        keys = ", ".join(f"'{k}'" for b in expected for k in b["required"])
        return (f"give exactly one of {keys}", f"{keys} 必須剛好指定其中一個")
    if keyword in ("minItems", "maxItems"):
        return (fallback, f"項目數量不符({keyword} {expected})")
    return (fallback, f"不符合結構定義:{fallback}")


# what a pattern asks for, in words: a regex is no message for a user (keyed by the name of
# the definition or property holding the pattern, see _pattern_names)
_PATTERN_WORDS: dict[str, tuple[str, str]] = {
    "slug": ("is not a slug (lowercase ASCII letters, digits and hyphens)",
             "不是有效的 id(只能用小寫英文字母、數字與連字號)"),
    "date": ("is not a date written as YYYY-MM-DD (such as 2026-03-31)",
             "不是 YYYY-MM-DD 格式的日期(例如 2026-03-31)"),
    "cycleId": ("is not a cycle id (a year such as 2026, 2026-H1 or 2026-Q1 with a capital H "
                "or Q, or a name starting with a letter)",
                "不是有效的週期 id(年份如 2026、2026-H1 或 2026-Q1,H 與 Q 須大寫;"
                "或以英文字母開頭的名稱)"),
    "personId": ("is not a person id (letters, digits and . _ @ + -, starting with a letter "
                 "or digit)",
                 "不是有效的人員 id(英文字母、數字與 . _ @ + -,以字母或數字開頭)"),
    "objectiveRef": ("is not an objective reference (cycle/team/objective, such as "
                     "2026-Q1/marketing/grow-brand)",
                     "不是有效的目標參照(週期/團隊/目標,例如 2026-Q1/marketing/grow-brand)"),
    "ruleSelector": ("is not a rule code (OKR and up to three digits, such as OKR301 or OKR3)",
                     "不是有效的規則代碼(OKR 加最多三位數字,例如 OKR301 或 OKR3)"),
    "github": ("is not a GitHub user name", "不是有效的 GitHub 使用者名稱"),
    "allow": ("is not a GitHub user name or team:<team id>",
              "不是有效的 GitHub 使用者名稱或 team:<團隊 id>"),
    "pointer": ("is not a JSON pointer (empty, or starting with /)",
                "不是有效的 JSON pointer(空白,或以 / 開頭)"),
    "property": ("is not a GA4 property id (digits, or env:NAME)",
                 "不是有效的 GA4 property id(數字,或 env:名稱)"),
}


@cache
def _pattern_names() -> dict[str, str]:
    """Each pattern of the schemas → the name of the definition or property that holds it
    (`items` and `properties` skipped), for _PATTERN_WORDS."""
    names: dict[str, str] = {}

    def walk(node: Any, name: str) -> None:
        if isinstance(node, dict):
            if isinstance(node.get("pattern"), str):
                names.setdefault(node["pattern"], name)
            for key, child in node.items():
                walk(child, name if key in ("items", "properties", "definitions") else key)
        elif isinstance(node, list):
            for child in node:
                walk(child, name)

    for kind in KINDS:
        walk(load_schema(kind), "")
    return names


def _json_type(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    return "object"


def _show(value: Any) -> str:
    if isinstance(value, (dict, list)):
        return "(" + _json_type(value) + ")"
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= 60 else text[:57] + "..."


def _closest(word: str, options: set[str]) -> str | None:
    import difflib

    matches = difflib.get_close_matches(word, sorted(options), n=1, cutoff=0.7)
    return matches[0] if matches else None


