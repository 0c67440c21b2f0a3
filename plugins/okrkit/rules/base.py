"""What every rule module shares: its hits, the context it reads, its shape.

A rule module (yamllint's `rules/*.py`) is a small module with:

- a Markdown docstring: title line, then **What** / **Why** (citing the seed
  article) / **Bad** / **Good** (each a ```yaml block of a whole sheet or of the
  part that matters) / **Options** — it is `okr rule CODE` and the site's page;
- `CODE` ("OKR301"), `NAME` ("not-challenging"), `SEVERITY` (a `Severity`);
- `OPTIONS`: option name → default value (checked once at config load);
- `MESSAGES`: variant → {"en": ..., "zh-TW": ...}, same placeholders in both;
  the variant "default" is required;
- `SCOPE`: "sheet" (called once per sheet) or "tree" (once per tree);
- `check(target, ctx, options)`: a pure generator of `Hit`s, where target is a
  `Sheet` for SCOPE "sheet" and the `Tree` for SCOPE "tree";
- optionally `NEEDS_HISTORY = True` (OKR503, OKR604): the runner then reads
  the git history of the files being linted, once, into `ctx.history`. Such a
  rule judges a sheet only once its cycle has started, and nothing before the
  start but the state then: linting some sheets reads the history from the
  earliest start of their cycles on (`read_history(since=...)`), and none at
  all when no cycle of theirs has started (`ctx.history` is then None);
- or `OPTIONAL_HISTORY = True` (OKR302): the history is read the same way,
  but the rule also runs without one (`ctx.history` None);
- `READS` (a sheet rule): what its hits depend on besides its options, from
  "sheet" (its own sheet), "org" (`ctx.tree.org`), "cycles"
  (`ctx.tree.cycle(...)`), "today" (`ctx.today`) and "history"
  (`ctx.history`); a rule that reads anything else of `ctx` (other sheets,
  the whole tree) leaves it out (`()`: nothing is kept). What a rule says it
  reads lets its hits be kept: across runs by the sheet's content when they
  depend on neither the history nor anything but sheet, org, cycles and today
  (`okrkit.rules.memo`), and under `mkdocs serve` between rebuilds.
  tests/rules/test_memo.py checks each rule's code reads only what it says.

Rules never see severity overrides, suppressions or the language: the runner
(`okrkit.rules.runner`) stamps code and severity on each hit, applies inline
suppressions and config, and renders both languages.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, NamedTuple, Protocol

from okrkit.findings import Pos, Severity

if TYPE_CHECKING:
    from okrkit.history import History
    from okrkit.tree import Tree


class Hit(NamedTuple):
    """One problem a rule found: where, the message placeholders, which message."""

    pos: Pos
    params: Mapping[str, Any]
    variant: str = "default"
    severity: Severity | None = None  # None: the rule's (configured) severity


@dataclass(frozen=True, slots=True)
class Context:
    """What a rule may read besides its target."""

    tree: Tree
    today: dt.date
    # None: no git history (not a repository), or none needed (see NEEDS_HISTORY)
    history: History | None = None


class RuleModule(Protocol):
    CODE: str
    NAME: str
    SEVERITY: Severity
    SCOPE: str
    OPTIONS: Mapping[str, Any]
    MESSAGES: Mapping[str, Mapping[str, str]]
    __doc__: str | None

    def check(self, target: Any, ctx: Context, options: Mapping[str, Any]
              ) -> Iterator[Hit]: ...
