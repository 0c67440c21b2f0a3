"""Site engines: the static site generators `okr build` and `okr serve` drive (DESIGN
"Beyond the first release: Engines").

One module per engine, each with the same two module-level functions (the `Engine`
protocol), as pre-commit's `languages/<name>.py`: `mkdocs` runs MkDocs with the `okrs`
plugin; `zensical` generates the pages itself through `okrkit.site` (Zensical loads no
MkDocs plugins) with a Zensical config derived from the user's; `files` writes the pages
as files for it and for `okr site --out`. Imported only by `okr build`, `okr serve` and
`okr site`.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol, cast

ENGINES = ("mkdocs", "zensical")


@dataclass(frozen=True, slots=True)
class Project:
    """The OKR repository a site is built from, and the language of messages."""

    root: Path
    lang: str


class Engine(Protocol):
    def build(self, project: Project, *, site_dir: Path | None, strict: bool) -> int:
        """Build the site into `site_dir` (default: the config's); the exit code."""

    def serve(self, project: Project, *, dev_addr: str | None) -> int:
        """Serve the site, rebuilding it when okrs/ or .okrkit.yaml change."""


def get(name: str) -> Engine:
    if name not in ENGINES:
        raise ValueError(f"unknown engine {name!r}")
    return cast(Engine, importlib.import_module(f"okrkit.engines.{name}"))


def run_click(command: Callable[..., Any], args: Sequence[str], prog_name: str) -> int:
    """A click command line in this process, as its console script runs it: the exit code.

    In-process rather than a subprocess: one interpreter start less, and the engine's
    output and errors reach the terminal as its own command prints them."""
    try:
        command.main(args=list(args), prog_name=prog_name,  # type: ignore[attr-defined]
                     standalone_mode=True)
    except SystemExit as exc:
        code = exc.code
        if code is None:
            return 0
        return code if isinstance(code, int) else 1
    return 0
