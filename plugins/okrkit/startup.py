"""What every `okr` process compiled again at its start, kept across runs.

The pre-commit hook is a short process, and a third of its time was Python compiling
the same things on every start:

- the methods `dataclasses` writes for each of okrkit's ~50 frozen classes: source
  text run through `exec` (about 1 ms a class);
- about 100 regular expressions (yaml's reader, the rules' word lists): Python's `re`
  compiler is pure Python, up to 6 ms a pattern.

Both are pure functions of their text and of the interpreter. So the `okr` command
(`okrkit.__main__.run`, never okrkit imported as a library: MkDocs, the tests' `main()`)
keeps them in one `marshal` file in the user's cache folder, beside the schema
validators, named by the interpreter's exact build:

- `dataclasses` runs its text through its module's `exec`: while installed, that name
  is ours, and a text seen before runs as its kept code object (what `exec` of the
  same text would compile; the classes are real dataclasses, built by `dataclasses`);
- a pattern seen before goes into `re`'s own cache as a pattern object made by
  `_sre.compile` from its kept compiled form (what `re` hands it), so `re.compile`
  finds it there.

A miss compiles as before, and what was new is written when the command ends (a temp
file and `os.replace`). A file that cannot be read is a miss; an interpreter whose
`re` or `dataclasses` is laid out otherwise just compiles. `OKRKIT_COMPILE_CACHE=0`
turns it off.
"""

from __future__ import annotations

import marshal
import os
import re
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

FORMAT = 1
# the file holds what one or two commands use; beyond this it starts again from what the
# run that finds it too big used
_MAX_CODES = 600
_MAX_PATTERNS = 300


def _key() -> str:
    import _sre

    return "|".join((f"okrkit-startup-{FORMAT}", sys.version, sys.implementation.cache_tag or "",
                     str(_sre.MAGIC), str(_sre.CODESIZE)))


def _cache_file(key: str) -> Path:
    import zlib

    tag = sys.implementation.cache_tag or "python"
    return user_cache_dir() / f"startup-{tag}-{zlib.crc32(key.encode()):08x}.marshal"


def user_cache_dir() -> Path:
    """okrkit's folder in the user's cache: OKRKIT_CACHE_DIR, else XDG_CACHE_HOME or
    ~/.cache, then okrkit."""
    configured = os.environ.get("OKRKIT_CACHE_DIR")
    if configured:
        return Path(configured)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "okrkit"


class Kept:
    """The compiled forms read at start, and what this run adds to them."""

    def __init__(self, path: Path | None, key: str, codes: dict[str, Any],
                 patterns: dict[tuple[Any, ...], tuple[Any, ...]]) -> None:
        self.path = path
        self.key = key
        self.codes = codes  # dataclasses' source text -> its code object
        self.patterns = patterns  # (str or bytes, pattern, flags) -> _sre.compile's arguments
        self.used: set[str] = set()
        self.new_codes = 0
        self._exec: Callable[..., Any] | None = None

    def exec_text(self, source: Any, globals_: Any = None, locals_: Any = None) -> None:
        """`exec` as `dataclasses` calls it, with the text's code kept."""
        if isinstance(source, str):
            code = self.codes.get(source)
            if code is None:
                code = self.codes[source] = compile(source, "<string>", "exec")
                self.new_codes += 1
            self.used.add(source)
            source = code
        exec(source, globals_, locals_)

    def save(self) -> None:
        """Write the file again if this run compiled something it did not hold."""
        if self.path is None:
            return
        self._uninstall()
        new_patterns = _patterns_from_re(self.patterns)
        if not self.new_codes and not new_patterns:
            return
        codes, patterns = self.codes, {**self.patterns, **new_patterns}
        if len(codes) > _MAX_CODES:
            codes = {text: code for text, code in codes.items() if text in self.used}
        if len(patterns) > _MAX_PATTERNS:
            patterns = new_patterns
        try:
            data = marshal.dumps((self.key, codes, list(patterns.items())))
            self.path.parent.mkdir(parents=True, exist_ok=True)
            tmp = self.path.with_name(f".{self.path.name}.{os.getpid()}.tmp")
            tmp.write_bytes(data)
            os.replace(tmp, self.path)  # a concurrent run reads the old file or this one
        except (OSError, ValueError):  # read-only, full, a value marshal cannot write
            return

    def _uninstall(self) -> None:
        import dataclasses

        if self._exec is not None and vars(dataclasses).get("exec") is self._exec:
            del dataclasses.exec  # type: ignore[attr-defined]
        self._exec = None


class _Off(Kept):
    def __init__(self) -> None:
        super().__init__(None, "", {}, {})


def install() -> Kept:
    """Read the kept compiled forms and put them where Python looks first: call it before
    okrkit's modules are imported."""
    if os.environ.get("OKRKIT_COMPILE_CACHE") == "0":
        return _Off()
    key = _key()
    path = _cache_file(key)
    codes: dict[str, Any] = {}
    patterns: dict[tuple[Any, ...], tuple[Any, ...]] = {}
    try:
        found_key, codes, rows = marshal.loads(path.read_bytes())
        if found_key != key or not isinstance(codes, dict):
            raise ValueError("another interpreter's file")
        patterns = {tuple(k): tuple(v) for k, v in rows}
    except (OSError, ValueError, EOFError, TypeError):
        codes, patterns = {}, {}
    kept = Kept(path, key, codes, patterns)
    _seed_re(patterns)
    import dataclasses

    if "exec" not in vars(dataclasses):  # its `exec` is the builtin, looked up as a global
        kept._exec = kept.exec_text
        dataclasses.exec = kept._exec  # type: ignore[attr-defined]
    return kept


def _seed_re(patterns: dict[tuple[Any, ...], tuple[Any, ...]]) -> None:
    """Put the kept patterns in `re`'s cache, keyed as `re._compile` looks them up."""
    import _sre

    cache = getattr(re, "_cache", None)
    if not isinstance(cache, dict):
        return
    kinds = {"str": str, "bytes": bytes}
    for (kind, pattern, flags), args in patterns.items():
        if len(cache) >= _MAX_PATTERNS:
            break
        try:
            cache[kinds[kind], pattern, flags] = _sre.compile(pattern, *args)
        except (KeyError, TypeError, ValueError, RuntimeError):
            continue  # then `re` compiles it


def _patterns_from_re(kept: dict[tuple[Any, ...], tuple[Any, ...]]
                      ) -> dict[tuple[Any, ...], tuple[Any, ...]]:
    """`_sre.compile`'s arguments for the patterns in `re`'s cache that `kept` lacks,
    worked out as `re._compiler.compile` does (once: what is written is not asked again)."""
    compiler = getattr(re, "_compiler", None)
    parser = getattr(re, "_parser", None)
    cache = getattr(re, "_cache", None)
    if compiler is None or parser is None or not isinstance(cache, dict):
        return {}
    found: dict[tuple[Any, ...], tuple[Any, ...]] = {}
    for kind, pattern, flags in list(cache):
        key = (kind.__name__, pattern, flags)
        if key in kept or kind not in (str, bytes) or not isinstance(flags, int) \
                or flags & (re.DEBUG | re.TEMPLATE):
            continue
        try:
            parsed = parser.parse(pattern, flags)
            code = compiler._code(parsed, flags)
            groupindex = dict(parsed.state.groupdict)
            indexgroup: list[str | None] = [None] * parsed.state.groups
            for name, index in groupindex.items():
                indexgroup[index] = name
            found[key] = (int(flags | parsed.state.flags), [int(c) for c in code],
                          int(parsed.state.groups - 1),
                          groupindex, tuple(indexgroup))
        except Exception:  # another interpreter's internals: just not kept
            continue
    return found
