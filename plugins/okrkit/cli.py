"""The `okr` command. Only the stdlib is imported up front: each command's
module is imported in its own branch, so `okr lint` (the pre-commit hook) never
pays for mkdocs or jinja2."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence

from okrkit import __version__
from okrkit.errors import FatalError

EXIT_CLEAN, EXIT_FINDINGS, EXIT_FATAL = 0, 1, 2


def _add_lang(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--lang", choices=("en", "zh-TW"),
                        help="language of messages (default: config, then the locale)")


def _build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="okr",
        description="OKRs as code: validate and lint OKR YAML files, review changes as a "
                    "semantic diff, and build a progress site from the git history.",
        epilog="exit codes: 0 clean, 1 findings, 2 usage or I/O error",
    )
    parser.add_argument("--version", action="version", version=f"okrkit {__version__}")
    parser.add_argument("--debug", action="store_true", help="show tracebacks of internal errors")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    validate = sub.add_parser("validate", help="check YAML syntax, schema and references",
                              description="Check YAML syntax, the JSON Schema, ids, file paths "
                                          "and references (parent, strategy, team, owners).")
    validate.add_argument("paths", nargs="*", metavar="PATH",
                          help="files or folders (default: the whole OKR tree)")
    validate.add_argument("--format", choices=("text", "json"), default="text",
                          dest="output_format")
    validate.add_argument("--schema", choices=("okr", "org", "config"), dest="kind",
                          help="check the files against this schema alone, wherever they are "
                               "(no references)")
    _add_lang(validate)
    return parser


def _dispatch(args: argparse.Namespace) -> int:
    if args.command == "validate":
        from okrkit.commands.validate import validate

        return validate(args.paths, lang=args.lang, output_format=args.output_format,
                        kind=args.kind)
    raise AssertionError(f"unhandled command {args.command}")  # pragma: no cover


def main(argv: Sequence[str] | None = None) -> int:
    parser = _build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse: --help/--version exit 0, usage errors exit 2
        return int(exc.code or 0)
    if args.command is None:
        parser.print_help()
        return EXIT_FATAL
    try:
        return _dispatch(args)
    except FatalError as err:
        print(f"okr: error: {err}", file=sys.stderr)
        return EXIT_FATAL
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # `okr lint | head`
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_FINDINGS
    except Exception as err:  # a bug: one line, the traceback only with --debug
        if args.debug:
            raise
        print(f"okr: internal error: {type(err).__name__}: {err} (run with --debug for the "
              "traceback)", file=sys.stderr)
        return EXIT_FATAL
