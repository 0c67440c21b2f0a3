"""`okr` (the console script) and `python -m okrkit`."""

from __future__ import annotations

from typing import NoReturn


def run() -> NoReturn:
    """The `okr` command: okrkit's modules imported with the compile cache in place
    (okrkit.startup), which is written again at exit if the run compiled anything new."""
    from okrkit import startup

    kept = startup.install()
    from okrkit import cli

    cli.run(at_exit=kept.save)


if __name__ == "__main__":
    run()
