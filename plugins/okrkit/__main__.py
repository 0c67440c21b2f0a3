"""`okr` (the console script) and `python -m okrkit`."""

from __future__ import annotations

import sys
from typing import NoReturn

# commands that run MkDocs (or Zensical) in this process: its libraries' classes and
# patterns are many, compiled once per long run, and not okrkit's to keep
_NO_COMPILE_CACHE = frozenset(("build", "serve", "site"))


def run() -> NoReturn:
    """The `okr` command: okrkit's modules imported with the compile cache in place
    (okrkit.startup), which is written again at exit if the run compiled anything new."""
    if sys.argv[1:2] and sys.argv[1] in _NO_COMPILE_CACHE:
        from okrkit import cli

        cli.run()
    from okrkit import startup

    kept = startup.install()
    from okrkit import cli

    cli.run(at_exit=kept.save)


if __name__ == "__main__":
    run()
