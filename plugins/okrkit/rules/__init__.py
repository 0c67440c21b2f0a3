"""The rule registry: every code a user can meet, its documentation and its check.

Three families share one `Rule` shape (yamllint's `rules/__init__.py` maps
ID → module; so does this):

- OKR001–009, the structural problems of `okrkit.problems`: found while
  loading, always errors by default, no check function here;
- OKR101–899, one module per rule in this package, `okrNNN_<slug>.py` (the
  interface is in `okrkit.rules.base`), discovered from the file names and
  imported only when asked for;
- OKR901–903, the inline-suppression findings of `okrkit.rules.suppress`.

Each rule module's shape is checked once, on import: a malformed module is a
bug in okrkit, so it stops the run with one line naming every problem.
"""

from __future__ import annotations

import importlib
import pkgutil
import re
import string
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import cache
from types import ModuleType
from typing import Any

from okrkit.errors import FatalError
from okrkit.findings import LANGS, Severity

MODULE_RE = re.compile(r"okr(?P<number>[0-9]{3})_(?P<slug>[a-z0-9]+(?:_[a-z0-9]+)*)\Z")
CODE_RE = re.compile(r"OKR[0-9]{3}\Z")
SCOPES = ("sheet", "tree")
DOC_SECTIONS = ("What", "Why", "Bad", "Good")
_SECTION_RE = re.compile(r"\*\*(What|Why|Bad|Good|Options)\*\*")
_HAN_RE = re.compile(r"[\u4e00-\u9fff]")


@dataclass(frozen=True, slots=True)
class Rule:
    """One code: what `okr rules`, `okr rule CODE`, SARIF and the site show about it."""

    code: str
    name: str  # the slug: not-challenging
    severity: Severity  # the default
    scope: str  # sheet | tree | structure | suppression
    options: Mapping[str, Any] = field(default_factory=dict)
    messages: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    doc: str = ""  # Markdown, English; the first line is the title
    doc_zh: str = ""  # the same in Traditional Chinese
    needs_history: bool = False
    optional_history: bool = False  # reads the history when there is one, runs without
    # what a sheet rule's hits depend on besides its options (see rules/base.py: sheet,
    # org, cycles, today, history); () when it reads more (nothing of it is kept)
    reads: tuple[str, ...] = ()
    check: Callable[..., Iterator[Any]] | None = field(default=None, compare=False)

    def doc_in(self, lang: str) -> str:
        return self.doc_zh if lang == "zh-TW" and self.doc_zh else self.doc

    def title_in(self, lang: str) -> str:
        text = self.doc_in(lang).strip()
        return text.splitlines()[0].strip().rstrip(".") if text else self.name


def codes_from_files() -> dict[str, str]:
    """Rule code → module name, from the file names alone (nothing imported)."""
    return dict(_module_names())


@cache
def _module_names() -> tuple[tuple[str, str], ...]:
    found = []
    for info in pkgutil.iter_modules(__path__):
        match = MODULE_RE.match(info.name)
        if match is not None:
            found.append((f"OKR{match['number']}", info.name))
    return tuple(sorted(found))


def placeholders(template: str) -> set[str]:
    """The names a format string fills in: "{change:.0%} of {floor}" → {change, floor}."""
    names = set()
    for _, name, _, _ in string.Formatter().parse(template):
        if name is not None:
            names.add(re.split(r"[.\[]", name, maxsplit=1)[0])
    return names


def check_messages(messages: object) -> list[str]:
    """Problems with a MESSAGES table: variants, both languages, same placeholders."""
    if not isinstance(messages, Mapping) or not messages:
        return ["MESSAGES must be a non-empty mapping of variant -> {en, zh-TW}"]
    problems = []
    if "default" not in messages:
        problems.append("MESSAGES has no 'default' variant")
    for variant, texts in messages.items():
        if not isinstance(texts, Mapping) or set(texts) != set(LANGS):
            problems.append(f"MESSAGES[{variant!r}] must have exactly the keys en and zh-TW")
            continue
        if not all(isinstance(t, str) and t.strip() for t in texts.values()):
            problems.append(f"MESSAGES[{variant!r}] has an empty message")
            continue
        try:
            en = placeholders(texts["en"])
            # `{what_zh}` in zh-TW is `{what}` translated (the structural messages do that)
            zh = {n.removesuffix("_zh") for n in placeholders(texts["zh-TW"])}
        except ValueError as err:
            problems.append(f"MESSAGES[{variant!r}] is not a valid format string: {err}")
            continue
        if en != zh:
            problems.append(f"MESSAGES[{variant!r}]: placeholders differ: en {sorted(en)}, "
                            f"zh-TW {sorted(zh)}")
    return problems


def check_doc(doc: object, doc_zh: object) -> list[str]:
    """Problems with a rule's documentation: the sections in English, a Chinese doc."""
    problems = []
    if not isinstance(doc, str) or not doc.strip():
        problems.append("no docstring")
    else:
        found = set(_SECTION_RE.findall(doc))
        missing = [s for s in DOC_SECTIONS if s not in found]
        if missing:
            problems.append("docstring lacks the section(s) "
                            + ", ".join(f"**{s}**" for s in missing))
    if not isinstance(doc_zh, str) or not _HAN_RE.search(doc_zh):
        problems.append("DOC_ZH (the documentation in Traditional Chinese) is missing")
    return problems


def check_shape(module: ModuleType, module_name: str | None = None) -> list[str]:
    """Every way a rule module departs from the interface in `okrkit.rules.base`."""
    name = module_name or module.__name__.rsplit(".", 1)[-1]
    match = MODULE_RE.match(name)
    if match is None:
        return [f"module name {name!r} is not okrNNN_<slug>"]
    problems = []
    code = getattr(module, "CODE", None)
    if code != f"OKR{match['number']}":
        problems.append(f"CODE is {code!r}, the file name says OKR{match['number']}")
    slug = match["slug"].replace("_", "-")
    if getattr(module, "NAME", None) != slug:
        problems.append(f"NAME is {getattr(module, 'NAME', None)!r}, the file name says {slug!r}")
    if not isinstance(getattr(module, "SEVERITY", None), Severity):
        problems.append("SEVERITY must be an okrkit.findings.Severity")
    if getattr(module, "SCOPE", None) not in SCOPES:
        problems.append(f"SCOPE must be one of {', '.join(SCOPES)}")
    options = getattr(module, "OPTIONS", None)
    if not isinstance(options, Mapping) or not all(isinstance(k, str) for k in options):
        problems.append("OPTIONS must be a mapping of option name -> default")
    elif "severity" in options:
        problems.append("OPTIONS must not declare 'severity' (the runner owns it)")
    problems += check_messages(getattr(module, "MESSAGES", None))
    if not callable(getattr(module, "check", None)):
        problems.append("no check(target, ctx, options) function")
    problems += check_doc(module.__doc__, getattr(module, "DOC_ZH", None))
    return problems


def _rule_from(module: ModuleType) -> Rule:
    return Rule(
        code=module.CODE, name=module.NAME, severity=module.SEVERITY, scope=module.SCOPE,
        options=dict(module.OPTIONS), messages=module.MESSAGES,
        doc=(module.__doc__ or "").strip() + "\n", doc_zh=module.DOC_ZH.strip() + "\n",
        needs_history=bool(getattr(module, "NEEDS_HISTORY", False)),
        optional_history=bool(getattr(module, "OPTIONAL_HISTORY", False)), check=module.check,
        reads=tuple(getattr(module, "READS", ())),
    )


@cache
def _load(module_name: str) -> Rule:
    try:
        module = importlib.import_module(f"{__name__}.{module_name}")
    except Exception as err:  # a broken rule module is okrkit's bug: say which one
        raise FatalError(f"rule module {module_name} cannot be imported: "
                         f"{type(err).__name__}: {err}") from err
    problems = check_shape(module, module_name)
    if problems:
        raise FatalError(f"rule module {module_name}: " + "; ".join(problems))
    return _rule_from(module)


def lint_rules() -> tuple[Rule, ...]:
    """The rules with a check function (OKR101–899), in code order."""
    return tuple(_load(name) for _, name in _module_names())


@cache
def _fixed_rules() -> dict[str, Rule]:
    from okrkit import problems
    from okrkit.rules import suppress

    structural = {
        p.code: Rule(code=p.code, name=p.name, severity=Severity.ERROR, scope="structure",
                     messages=p.messages, doc=p.doc.strip() + "\n",
                     doc_zh=p.doc_zh.strip() + "\n")
        for p in problems.ALL
    }
    return {**structural, **suppress.RULES}


def all_rules() -> tuple[Rule, ...]:
    """Every code a user can meet, in code order."""
    found = {**_fixed_rules(), **{r.code: r for r in lint_rules()}}
    return tuple(found[code] for code in sorted(found))


def all_codes() -> frozenset[str]:
    """Every known code, without importing a rule module."""
    return frozenset(_fixed_rules()) | {code for code, _ in _module_names()}


def get(code: str) -> Rule | None:
    """The rule with this code (or slug), importing only its module; None when unknown."""
    code = code.strip()
    if CODE_RE.match(code.upper()):
        code = code.upper()
        fixed = _fixed_rules()
        if code in fixed:
            return fixed[code]
        module_name = dict(_module_names()).get(code)
        return None if module_name is None else _load(module_name)
    return next((r for r in all_rules() if r.name == code.lower()), None)
