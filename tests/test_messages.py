"""Every message table of okrkit has English and Traditional Chinese with the same
placeholders (house rule; DESIGN: every user-visible string in both languages).

The tables are found, not listed: every module-level mapping of okrkit's modules
that is bilingual, either language → key → text (`MESSAGES` of the commands) or
key → language → text (`site.strings.STRINGS`). A rule's own MESSAGES (variant →
language → text) is checked by tests/rules/test_registry.py, which also allows the
structural `{what_zh}` form.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import re
from collections.abc import Mapping
from types import ModuleType

import pytest

import okrkit
from okrkit.findings import LANGS
from okrkit.rules import placeholders

# imports mkdocs, which `okr` must run without (checked by its own tests)
_SKIPPED_MODULES = {"okrkit.mkdocs_plugin"}


def _modules() -> list[ModuleType]:
    names = [info.name for info in pkgutil.walk_packages(okrkit.__path__, "okrkit.")]
    return [importlib.import_module(name) for name in sorted(names)
            if name not in _SKIPPED_MODULES and not name.startswith("okrkit.rules.okr")]


def _by_key(table: object) -> dict[str, Mapping[str, object]] | None:
    """`table` as key → language → text when it is a bilingual table, else None."""
    if not isinstance(table, Mapping) or not table:
        return None
    if set(table) == set(LANGS) and all(isinstance(v, Mapping) for v in table.values()):
        keys = {k for by_lang in table.values() for k in by_lang}
        return {k: {lang: table[lang].get(k) for lang in LANGS} for k in sorted(keys)}
    if all(isinstance(v, Mapping) for v in table.values()) and any(
            "zh-TW" in v for v in table.values()):
        return {str(k): v for k, v in table.items()}
    return None


def _tables() -> dict[str, dict[str, Mapping[str, object]]]:
    """Each table once, under the name of the module that defines it (not one importing it)."""
    found: dict[int, tuple[str, dict[str, Mapping[str, object]]]] = {}
    for module in _modules():
        source = inspect.getsource(module)
        for attr, value in vars(module).items():
            table = _by_key(value)
            named = attr.lstrip("_").endswith(("MESSAGES", "STRINGS"))
            if table is None and not named:
                continue
            assert table is not None, f"{module.__name__}.{attr} is not a bilingual table"
            if re.search(rf"^{attr}\b[^\n]*=", source, re.MULTILINE):
                found[id(value)] = (f"{module.__name__}.{attr}", table)
    return dict(found.values())


TABLES = _tables()


def test_the_tables_are_found() -> None:
    # a sample that must be among them, so that discovery cannot quietly find nothing
    assert {"okrkit.yamledit.MESSAGES", "okrkit.prompt.MESSAGES",
            "okrkit.site.strings.STRINGS", "okrkit.commands.init.MESSAGES",
            "okrkit.commands.init._STRINGS", "okrkit.commands.new.MESSAGES",
            "okrkit.commands.diff.MESSAGES", "okrkit.commands.log.MESSAGES",
            "okrkit.commands.review.MESSAGES", "okrkit.engines.files.MESSAGES",
            "okrkit.commands.status.MESSAGES", "okrkit.commands.checkin.MESSAGES",
            "okrkit.commands.score.MESSAGES", "okrkit.commands.rules.STRINGS"} <= set(TABLES)


def _texts(value: object) -> tuple[str, ...]:
    """A message, or the forms of one (a singular and plural pair)."""
    if isinstance(value, str):
        return (value,)
    assert isinstance(value, tuple) and all(isinstance(v, str) for v in value), value
    return value


@pytest.mark.parametrize("name", sorted(TABLES))
def test_both_languages_with_the_same_placeholders(name: str) -> None:
    for key, by_lang in TABLES[name].items():
        assert set(by_lang) == set(LANGS), (key, sorted(by_lang))
        en, zh = (_texts(by_lang[lang]) for lang in LANGS)
        assert len(en) == len(zh), key
        for en_text, zh_text in zip(en, zh, strict=True):
            assert en_text.strip() and zh_text.strip(), key
            assert placeholders(en_text) == placeholders(zh_text), key
