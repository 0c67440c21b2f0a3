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

    lint = sub.add_parser("lint", help="check the SMART rules and common OKR pitfalls",
                          description="Lint OKR sheets: structure, the SMART rules and the "
                                      "common pitfalls (see `okr rules`). Set OKR_TODAY="
                                      "YYYY-MM-DD to fix the date the rules compare against.")
    lint.add_argument("paths", nargs="*", metavar="PATH",
                      help="sheets or folders (default: the whole OKR tree); references are "
                           "resolved against the whole tree")
    lint.add_argument("--format", choices=("text", "json", "github", "sarif"), default="text",
                      dest="output_format")
    lint.add_argument("--strict", action="store_true", help="warnings fail too (exit 1)")
    lint.add_argument("--select", action="append", metavar="CODES",
                      help="only these rules: codes or prefixes, comma-separated (OKR1,OKR301)")
    lint.add_argument("--ignore", action="append", metavar="CODES",
                      help="not these rules: codes or prefixes, comma-separated")
    _add_lang(lint)

    rules = sub.add_parser("rules", help="list the rules: code, name, severity, title")
    _add_lang(rules)
    rule = sub.add_parser("rule", help="show one rule's documentation")
    rule.add_argument("code", metavar="CODE", help="a rule code (OKR301) or name")
    _add_lang(rule)

    init = sub.add_parser(
        "init", help="scaffold a new OKR repository",
        description="Scaffold a new OKR repository in DIR: okrs/org.yaml, a first sheet for "
                    "the current quarter, the schemas, .okrkit.yaml, mkdocs.yml, "
                    ".pre-commit-config.yaml, GitHub workflows (review, Pages, weekly "
                    "check-ins), a README and editor settings. Existing files are never "
                    "overwritten without --force: then nothing is written at all.",
        epilog="exit codes: 0 written (or would be, with --dry-run), 1 nothing written "
               "because files exist, 2 usage or I/O error")
    init.add_argument("directory", metavar="DIR", help="the new repository's folder")
    init.add_argument("--lang", choices=("en", "zh-TW"),
                      help="language of the files and messages (default: the locale)")
    init.add_argument("--team", help="the first team's id (default: marketing)")
    init.add_argument("--force", action="store_true", help="overwrite existing files")
    init.add_argument("--dry-run", action="store_true",
                      help="list what would be written, write nothing")
    init.add_argument("--hooks-repo", metavar="URL",
                      help="the git repository of okrkit's pre-commit hooks (default: "
                           "okrkit's public repository)")
    init.add_argument("--hooks-rev", metavar="REV",
                      help="the tag or commit of that repository (default: this version's tag)")
    init.add_argument("--package", metavar="SPEC",
                      help="the pip requirement CI installs (default: okrkit==this version)")

    review = sub.add_parser(
        "review", help="the pull-request comment or the weekly check-in report, as Markdown",
        description="Print what the workflows of `okr init` post. With BASE [HEAD]: the "
                    "pull-request comment (a hidden marker, the semantic diff of `okr diff "
                    "--format markdown` and the lint findings of the changed files). With "
                    "--stale: who owes a check-in (OKR503), grouped by owner.")
    review.add_argument("base", nargs="?", metavar="BASE",
                        help="a revision (default: the merge base with the main branch)")
    review.add_argument("head", nargs="?", metavar="HEAD",
                        help="a revision (default: the working tree)")
    review.add_argument("--stale", action="store_true",
                        help="the weekly report of stale check-ins instead")
    _add_lang(review)

    status = sub.add_parser(
        "status", help="a table of one cycle's key results: progress, status, confidence",
        description="Show the key results of CYCLE (default: the current cycle: config "
                    "current_cycle, else the shortest cycle with sheets that contains today, "
                    "else the latest one). Set OKR_TODAY=YYYY-MM-DD to fix today.")
    status.add_argument("cycle", nargs="?", metavar="CYCLE", help="e.g. 2026-Q1")
    status.add_argument("--format", choices=("text", "json"), default="text",
                        dest="output_format")
    _add_lang(status)

    checkin = sub.add_parser(
        "checkin", help="update a key result's current value (and confidence) in place",
        description="Set `current:` (and `confidence:`, `notes:`) of one key result in its "
                    "sheet, keeping comments and layout. It does not commit: the check-in "
                    "becomes history when you commit the file.",
        epilog="KR: cycle/team/objective/kr, or a short form such as team/kr or kr when it "
               "is unambiguous (the current cycle wins)")
    checkin.add_argument("kr", metavar="KR", help="e.g. 2026-Q1/marketing/brand-awareness/"
                                                  "unique-visitors, or unique-visitors")
    checkin.add_argument("value", metavar="VALUE",
                         help="the new current value: a number, or true/false for a milestone")
    checkin.add_argument("--confidence", metavar="C", help="confidence from 0 to 1")
    checkin.add_argument("-m", "--message", dest="note", metavar="NOTE",
                         help="a note, stored as the key result's `notes:`")
    _add_lang(checkin)

    new = sub.add_parser(
        "new", help="scaffold a sheet for a team and cycle from the seed's template",
        description="Write okrs/CYCLE/TEAM.yaml from the seed article's brand-awareness "
                    "example (one objective, three key results), in zh-TW or English. "
                    "An existing sheet is never overwritten.")
    new.add_argument("cycle", metavar="CYCLE", help="e.g. 2026-Q2")
    new.add_argument("team", metavar="TEAM", help="a team id from org.yaml, e.g. marketing")
    new.add_argument("--lang", choices=("en", "zh-TW"),
                     help="language of the template and messages (default: config, then the "
                          "locale)")

    score = sub.add_parser(
        "score", help="end-of-cycle grading: suggested scores from progress",
        description="Print each key result's suggested score (progress clamped to 0-1, "
                    "rounded to 0.1) and each objective's (their weighted mean).")
    score.add_argument("cycle", metavar="CYCLE", help="e.g. 2026-Q1")
    score.add_argument("--write", action="store_true",
                       help="fill in missing `score:` values in the sheets (recorded scores "
                            "stay)")
    _add_lang(score)

    site = sub.add_parser(
        "site", help="write the site's pages as Markdown files",
        description="Write the pages the MkDocs plugin `okrs` generates (dashboard, cycles, "
                    "teams, alignment, what changed, lint health, rules) as Markdown files "
                    "under DIR, with the CSS, for a plain MkDocs build or another generator. "
                    "Set OKR_TODAY=YYYY-MM-DD to fix today.")
    site.add_argument("--out", required=True, metavar="DIR", help="the folder to write into")
    site.add_argument("--repo-url", metavar="URL",
                      help="the repository's web address, for edit and commit links")
    site.add_argument("--edit-uri", metavar="PATH",
                      help="the edit path from the repository root (default with --repo-url: "
                           "edit/<main branch>/)")
    site.add_argument("--nav", dest="nav_file", metavar="FILE",
                      help="also write the nav, not_in_nav and extra_css as YAML to FILE "
                           "(INHERIT it from a mkdocs.yml)")
    site.add_argument("--no-directory-urls", dest="directory_urls", action="store_false",
                      help="links as page.html (MkDocs' use_directory_urls: false)")
    _add_lang(site)

    log = sub.add_parser(
        "log", help="the timeline of one key result or objective, from the git history",
        description="Show every commit that changed a key result (or each key result of an "
                    "objective): date, author, commit, subject, and each field old → new.",
        epilog="REF: cycle/team/objective/kr or cycle/team/objective, or a short form such "
               "as team/kr or kr when it is unambiguous (the current cycle wins)")
    log.add_argument("ref", metavar="REF", help="e.g. 2026-Q1/marketing/brand-awareness/"
                                                "unique-visitors, or unique-visitors")
    log.add_argument("--format", choices=("text", "json"), default="text",
                     dest="output_format")
    _add_lang(log)

    diff = sub.add_parser(
        "diff", help="what changed in the OKRs between two revisions (a pull request's view)",
        description="The semantic diff between revision A and revision B: per team and "
                    "objective, key results added, removed or renamed, check-ins (current, "
                    "confidence) apart from plan changes (target, baseline, due, owner, "
                    "title), and goal posts moved after the cycle started. A defaults to the "
                    "merge base of HEAD with the main branch, B to the working tree.")
    diff.add_argument("old", nargs="?", metavar="A", help="a revision (default: the merge "
                                                          "base with the main branch)")
    diff.add_argument("new", nargs="?", metavar="B",
                      help="a revision (default: the working tree)")
    diff.add_argument("--format", choices=("text", "markdown", "json"), default="text",
                      dest="output_format", help="markdown: a pull-request comment")
    diff.add_argument("--color", choices=("auto", "always", "never"), default="auto",
                      help="colour the text format (default: when a terminal)")
    _add_lang(diff)
    return parser


def _dispatch(args: argparse.Namespace) -> int:
    if args.command == "validate":
        from okrkit.commands.validate import validate

        return validate(args.paths, lang=args.lang, output_format=args.output_format,
                        kind=args.kind)
    if args.command == "lint":
        from okrkit.commands.lint import lint_command

        return lint_command(args.paths, output_format=args.output_format, lang=args.lang,
                            strict=args.strict, select=args.select, ignore=args.ignore)
    if args.command == "rules":
        from okrkit.commands.rules import rules_command

        return rules_command(lang=args.lang)
    if args.command == "rule":
        from okrkit.commands.rules import rule_command

        return rule_command(args.code, lang=args.lang)
    if args.command == "review":
        from okrkit.commands.review import review

        return review(args.base, args.head, stale=args.stale, lang=args.lang)
    if args.command == "init":
        from okrkit.commands.init import init

        return init(args.directory, lang=args.lang, team=args.team, force=args.force,
                    dry_run=args.dry_run, hooks_repo=args.hooks_repo,
                    hooks_rev=args.hooks_rev, package=args.package)
    if args.command == "status":
        from okrkit.commands.status import status

        return status(args.cycle, output_format=args.output_format, lang=args.lang)
    if args.command == "checkin":
        from okrkit.commands.checkin import checkin

        return checkin(args.kr, args.value, confidence=args.confidence, note=args.note,
                       lang=args.lang)
    if args.command == "new":
        from okrkit.commands.new import new

        return new(args.cycle, args.team, lang=args.lang)
    if args.command == "score":
        from okrkit.commands.score import score

        return score(args.cycle, write=args.write, lang=args.lang)
    if args.command == "site":
        from okrkit.commands.site import site

        return site(args.out, lang=args.lang, repo_url=args.repo_url, edit_uri=args.edit_uri,
                    nav_file=args.nav_file, directory_urls=args.directory_urls)
    if args.command == "log":
        from okrkit.commands.log import log

        return log(args.ref, lang=args.lang, output_format=args.output_format)
    if args.command == "diff":
        from okrkit.commands.diff import diff

        return diff(args.old, args.new, lang=args.lang, output_format=args.output_format,
                    color=args.color)
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
