"""The `okr` command. Only the stdlib is imported up front: each command's
module is imported in its own branch, so `okr lint` (the pre-commit hook) never
pays for mkdocs or jinja2."""

from __future__ import annotations

import argparse
import contextlib
import gc
import os
import re
import sys
from collections.abc import Callable, Iterator, Sequence
from typing import Any, NoReturn, cast

from okrkit import __version__
from okrkit.errors import FatalError
from okrkit.i18n import choose, display_width

EXIT_CLEAN, EXIT_FINDINGS, EXIT_FATAL = 0, 1, 2


def _t(lang: str, en: str, zh: str) -> str:
    """The English or the zh-TW text of a help string."""
    return zh if lang == "zh-TW" else en


_CJK = "\u2e80-\u9fff\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef"  # two columns each
_WIDE_TOKEN = re.compile(rf"\s+|[{_CJK}]|[^\s{_CJK}]+")
_NO_LINE_START = frozenset("，。、：；！？）」』")


def _wrap(text: str, width: int) -> list[str]:
    """Greedy wrapping by display width: a CJK character takes two columns and a line may
    break between two of them, but not before closing punctuation."""
    lines: list[str] = []
    line, used, space = "", 0, False
    for token in _WIDE_TOKEN.findall(" ".join(text.split())):
        if token.isspace():
            space = True
            continue
        gap = " " if space and line else ""
        size = display_width(token)
        if line and used + len(gap) + size > width and token not in _NO_LINE_START:
            lines.append(line)
            line, used = token, size
        else:
            line, used = line + gap + token, used + len(gap) + size
        space = False
    if line:
        lines.append(line)
    return lines


class _WideFormatter(argparse.HelpFormatter):
    """The zh-TW help: textwrap counts characters and breaks at spaces only, so long
    Chinese lines would overflow the terminal."""

    def _split_lines(self, text: str, width: int) -> list[str]:
        return _wrap(text, width)

    def _fill_text(self, text: str, width: int, indent: str) -> str:
        return "\n".join(indent + line for line in _wrap(text, width - len(indent)))


# the arguments that are lists, where [] is a value ("okr lint" with no PATH)
_LIST_ARGS = frozenset(("paths", "select", "ignore", "teams", "refs", "cycles", "maps",
                        "includes"))


def _error_lang(args: argparse.Namespace) -> str:
    """--lang, then the config's `language` (read only now, on the error path), then the locale."""
    explicit = getattr(args, "lang", None)
    if explicit is None:
        try:
            from pathlib import Path

            from okrkit.config import find_root, load_config

            explicit = load_config(find_root(Path.cwd()))[0].language
        except Exception:  # the error being reported may be the config itself
            explicit = None
    return choose(explicit, None)


# argparse's own words, which it looks up through its module's gettext `_` when a parser
# is built (section titles, -h) and when it prints usage or an error
_ARGPARSE_ZH = {
    "usage: ": "用法:",
    "positional arguments": "位置引數",
    "options": "選項",
    "optional arguments": "選項",
    "show this help message and exit": "顯示這份說明後結束",
    "%(prog)s: error: %(message)s\n": "%(prog)s:錯誤:%(message)s\n",
    "unrecognized arguments: %s": "無法辨識的引數:%s",
    "the following arguments are required: %s": "缺少必要的引數:%s",
    "invalid choice: %(value)r (choose from %(choices)s)":
        "無效的選擇:%(value)r(可選:%(choices)s)",
    "argument %(argument_name)s: %(message)s": "引數 %(argument_name)s:%(message)s",
    "expected one argument": "需要一個值",
    "expected at most one argument": "最多需要一個值",
    "expected at least one argument": "至少需要一個值",
    "ambiguous option: %(option)s could match %(matches)s":
        "選項 %(option)s 不明確:可能是 %(matches)s",
    "invalid %(type)s value: %(value)r": "無效的 %(type)s 值:%(value)r",
    "not allowed with argument %s": "不能與引數 %s 同時使用",
    "one of the arguments %s is required": "必須指定其中一個引數:%s",
}


@contextlib.contextmanager
def _argparse_words(lang: str) -> Iterator[None]:
    """argparse in `lang`: its words come from the module's `_` at the time of use."""
    # a private name (not in the type stubs), there from 3.10 to 3.13; if it goes,
    # argparse's words stay English and nothing else changes
    english = getattr(argparse, "_", None)
    if lang != "zh-TW" or english is None:
        yield
        return
    argparse._ = lambda text: _ARGPARSE_ZH.get(text) or english(text)  # type: ignore[attr-defined]
    try:
        yield
    finally:
        argparse._ = english  # type: ignore[attr-defined]


def _help_lang(argv: Sequence[str]) -> str:
    """The language of the help texts, chosen before parsing: the last `--lang X` or
    `--lang=X` anywhere in argv; else, when help is asked for (`-h`, `--help`, no
    command), the repository's `language:`, as for every other message; else the locale.
    A command that runs never reads the config here (the hook's start-up stays lean)."""
    explicit: str | None = None
    asked = not argv
    for i, arg in enumerate(argv):
        if arg == "--":
            break
        if arg == "--lang" and i + 1 < len(argv):
            explicit = argv[i + 1]
        elif arg.startswith("--lang="):
            explicit = arg.partition("=")[2]
        elif arg in ("-h", "--help"):
            asked = True
    if explicit is None and asked:
        return _error_lang(argparse.Namespace())
    return choose(explicit, None)


def _add_lang(parser: argparse.ArgumentParser, lang: str) -> None:
    parser.add_argument("--lang", choices=("en", "zh-TW"),
                        help=_t(lang, "language of messages (default: config, then the locale)",
                                "訊息的語言（預設：先看設定檔，再看系統語系）"))


class _NotBuilt:
    """The parser of a command other than the one run: its arguments are not added (the
    hook runs `okr lint` on every commit; adding every command's cost a tenth of it)."""

    def __getattr__(self, name: str) -> Any:
        return lambda *args, **kwargs: self


def _build_parser(lang: str = "en", only: str | None = None) -> argparse.ArgumentParser:
    """The parser of every command; with `only`, of that command alone (or of every one
    when there is no such command: argparse's error then lists them)."""
    formatter = _WideFormatter if lang == "zh-TW" else argparse.HelpFormatter
    parser = argparse.ArgumentParser(
        prog="okr", formatter_class=formatter,
        description=_t(lang, "OKRs as code: validate and lint OKR YAML files, review changes "
                             "as a semantic diff, and build a progress site from the git "
                             "history.",
                       "以程式碼管理 OKR：驗證並檢查 OKR YAML 檔案、以語意差異審查變更，"
                       "並從 git 歷史建立進度網站。"),
        epilog=_t(lang, "exit codes: 0 clean, 1 findings, 2 usage or I/O error",
                  "結束代碼：0 沒有問題，1 有檢查結果，2 用法或 I/O 錯誤"),
    )
    parser.add_argument("--version", action="version", version=f"okrkit {__version__}",
                        help=_t(lang, "show the version and exit", "顯示版本後結束"))
    parser.add_argument("--debug", action="store_true",
                        help=_t(lang, "show tracebacks of internal errors",
                                "顯示內部錯誤的追蹤記錄（traceback）"))
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    built: list[str] = []

    def add_command(name: str, **kwargs: Any) -> argparse.ArgumentParser:
        if only is not None and name != only:
            return cast(argparse.ArgumentParser, _NotBuilt())
        built.append(name)
        return sub.add_parser(name, formatter_class=formatter, **kwargs)

    # in the order of the workflow: check, follow up, grade, look back, publish, start
    revision_base = _t(lang, "a revision (default: the merge base with the main branch)",
                       "一個版本（預設：與主要分支的合併基準）")
    revision_head = _t(lang, "a revision (default: the working tree)",
                       "一個版本（預設：工作目錄）")

    validate = add_command(
        "validate",
        help=_t(lang, "check YAML syntax, schema and references",
                "檢查 YAML 語法、schema 與參照"),
        description=_t(lang, "Check YAML syntax, the JSON Schema, ids, file paths and "
                             "references (parent, strategy, team, owners).",
                       "檢查 YAML 語法、JSON Schema、id、檔案路徑與參照（parent、strategy、"
                       "team、owners）。"))
    validate.add_argument("paths", nargs="*", metavar="PATH",
                          help=_t(lang, "files or folders (default: the whole OKR tree)",
                                  "檔案或資料夾（預設：整個 OKR 目錄樹）"))
    validate.add_argument("--format", choices=("text", "json"), default="text",
                          dest="output_format",
                          help=_t(lang, "json: each finding's position, code and message in "
                                        "both languages, for scripts",
                                  "json:每項發現的位置、代碼與兩種語言的訊息,供程式使用"))
    validate.add_argument("--schema", choices=("okr", "org", "config"), dest="kind",
                          help=_t(lang, "check the files against this schema alone, wherever "
                                        "they are (no references)",
                                  "只依這個 schema 檢查檔案，不論檔案放在哪裡（不檢查參照）"))
    validate.add_argument("-q", "--quiet", action="store_true",
                          help=_t(lang, "no summary line on success (in a terminal, "
                                        "'801 files valid')",
                                  "成功時不顯示摘要（在終端機中顯示「801 個檔案格式正確」）"))
    _add_lang(validate, lang)

    lint = add_command(
        "lint",
        help=_t(lang, "check the SMART rules and common OKR pitfalls",
                "檢查 SMART 原則與常見的 OKR 陷阱"),
        description=_t(lang, "Lint OKR sheets: structure, the SMART rules and the common "
                             "pitfalls (see `okr rules`). Set OKR_TODAY=YYYY-MM-DD to fix the "
                             "date the rules compare against.",
                       "檢查 OKR 表單：結構、SMART 原則與常見陷阱（見 `okr rules`）。設定 "
                       "OKR_TODAY=YYYY-MM-DD 可固定規則比對的日期。"))
    lint.add_argument("paths", nargs="*", metavar="PATH",
                      help=_t(lang, "sheets or folders (default: the whole OKR tree); "
                                    "references are resolved against the whole tree",
                              "表單或資料夾（預設：整個 OKR 目錄樹）；參照一律對照整個目錄樹"
                              "解析"))
    lint.add_argument("--format", choices=("text", "json", "github", "sarif"), default="text",
                      dest="output_format",
                      help=_t(lang, "text for people (default), json with both languages of "
                                    "each message, github annotations for a pull request, "
                                    "sarif for code scanning",
                              "text 給人看(預設)、json 含每則訊息的兩種語言、github 在 pull "
                              "request 上標註、sarif 供 code scanning 使用"))
    lint.add_argument("--strict", action="store_true",
                      help=_t(lang, "warnings fail too (exit 1)",
                              "警告也視為失敗（結束代碼 1）"))
    lint.add_argument("--select", action="append", metavar="CODES",
                      help=_t(lang, "only these rules: codes or prefixes, comma-separated "
                                    "(OKR1,OKR301)",
                              "只執行這些規則：代碼或前綴，以逗號分隔（OKR1,OKR301）"))
    lint.add_argument("--ignore", action="append", metavar="CODES",
                      help=_t(lang, "not these rules: codes or prefixes, comma-separated",
                              "略過這些規則：代碼或前綴，以逗號分隔"))
    _add_lang(lint, lang)

    rules = add_command("rules", help=_t(lang, "list the rules: code, name, severity, title",
                                            "列出規則：代碼、名稱、嚴重程度、標題"))
    _add_lang(rules, lang)
    rule = add_command("rule", help=_t(lang, "show one rule's documentation",
                                          "顯示單一規則的說明文件"))
    rule.add_argument("code", metavar="CODE", help=_t(lang, "a rule code (OKR301) or name",
                                                      "規則代碼（OKR301）或名稱"))
    rule.add_argument("--format", choices=("text", "markdown"), default="text",
                      dest="output_format",
                      help=_t(lang, "text for the terminal (default) or the Markdown source",
                              "終端機文字（預設）或 Markdown 原文"))
    _add_lang(rule, lang)

    status = add_command(
        "status",
        help=_t(lang, "a table of one cycle's objectives and key results: progress bars, "
                      "status, confidence",
                "一個週期的目標與關鍵結果表格：進度條、狀態、信心度"),
        description=_t(lang, "Show the objectives of CYCLE per team, each with its key results "
                             "under it: title, progress bar and percent ('+' marks "
                             "over-achievement), status, confidence, owner and the id that "
                             "`okr checkin TEAM/ID` takes; then the key results counted by "
                             "status and the overall progress. CYCLE defaults to the current "
                             "cycle: config current_cycle, else the shortest cycle with sheets "
                             "that contains today, else the latest one. Titles are cut to the "
                             "terminal's width (120 columns when piped); statuses are coloured "
                             "on a terminal unless NO_COLOR is set. Once CYCLE has ended: "
                             "final outcomes (met, partly met, missed) and grades instead of "
                             "status and confidence, as the site's report card. A sheet "
                             "that does not load is named on stderr and left out of the "
                             "table and its totals, and the exit code is 1. Set "
                             "OKR_TODAY=YYYY-MM-DD to fix today.",
                       "依團隊列出 CYCLE 的目標，各目標底下列出其關鍵結果：標題、進度條與百分比"
                       "（「+」表示超標）、狀態、信心度、負責人，以及 `okr checkin 團隊/ID` 所用"
                       "的 id；最後依狀態統計關鍵結果數並列出整體進度。CYCLE 預設為目前週期，即"
                       "設定檔的 current_cycle；沒有的話，取包含今天且有表單的最短週期；再沒有"
                       "的話，取最新的週期。標題會依終端機寬度截斷（輸出到管線時為 120 欄）；"
                       "在終端機上狀態會上色，除非設定了 NO_COLOR。週期結束後，改列最終結果"
                       "（達成、部分達成、未達成）與評分，取代狀態與信心度，與網站的成績單一致。"
                       "無法載入的 OKR 表會在 stderr 列出，不列入表格與合計，結束代碼為 1。"
                       "設定 OKR_TODAY=YYYY-MM-DD 可固定今天的日期。"))
    status.add_argument("cycle", nargs="?", metavar="CYCLE",
                        help=_t(lang, "e.g. 2026-Q1", "例如 2026-Q1"))
    status.add_argument("--team", action="append", dest="teams", metavar="TEAM",
                        help=_t(lang, "only this team's sheet: its id or its name in "
                                      "org.yaml (repeat for more teams)",
                                "只列出這個團隊的表單：org.yaml 中的團隊 id 或名稱"
                                "（可重複指定多個團隊）"))
    status.add_argument("--format", choices=("text", "json"), default="text",
                        dest="output_format",
                        help=_t(lang, "json: every key result and objective with progress, "
                                      "status and owner, the teams' progress and the counts "
                                      "(once the cycle has ended, outcomes and grades too)",
                                "json：所有關鍵結果與目標的進度、狀態與負責人，以及各團隊的進度"
                                "與狀態統計（週期結束後另含最終結果與評分）"))
    _add_lang(status, lang)

    checkin = add_command(
        "checkin",
        help=_t(lang, "update a key result's current value (and confidence) in place",
                "直接在表單中更新關鍵結果的目前值（與信心度）"),
        description=_t(lang, "Set `current:` (and `confidence:`, `notes:`) of one key result "
                             "in its sheet, keeping comments and layout. It does not commit "
                             "unless --commit is given: without it, the check-in becomes "
                             "history when you commit the file. A sheet with a merge conflict "
                             "is refused.",
                       "在表單中設定單一關鍵結果的 `current:`（以及 `confidence:`、`notes:`），"
                       "保留註解與排版。除非加上 --commit，它不會 commit：等你 commit 該檔案後，"
                       "這次進度回報才會成為歷史紀錄。有合併衝突的表單會被拒絕。"),
        epilog=_t(lang, "KR: cycle/team/objective/kr, or a short form such as team/kr or kr "
                        "when it is unambiguous (the current cycle wins)",
                  "KR：cycle/team/objective/kr，或在不會混淆時使用簡寫，例如 team/kr 或 kr"
                  "（以目前週期優先）"))
    checkin.add_argument("kr", metavar="KR", nargs="?",
                         help=_t(lang, "e.g. 2026-Q1/marketing/brand-awareness/"
                                       "unique-visitors, or unique-visitors",
                                 "例如 2026-Q1/marketing/brand-awareness/unique-visitors，"
                                 "或 unique-visitors"))
    checkin.add_argument("value", metavar="VALUE", nargs="?",
                         help=_t(lang, "the new current value: a number, or true/false for a "
                                       "milestone",
                                 "新的目前值：數字；里程碑則為 true/false"))
    checkin.add_argument("--confidence", metavar="C",
                         help=_t(lang, "confidence from 0 to 1", "信心度，介於 0 到 1"))
    checkin.add_argument("-m", "--message", dest="note", metavar="NOTE",
                         help=_t(lang, "a note, stored as the key result's `notes:`",
                                 "備註，存為該關鍵結果的 `notes:`"))
    checkin.add_argument("--commit", action="store_true",
                         help=_t(lang, "also commit the sheet, and only it, with a subject such "
                                       "as 'checkin(marketing/unique-visitors): 53000 → 55500' "
                                       "(the note goes in the body); refused when the sheet "
                                       "already has uncommitted changes",
                                 "同時 commit 這份表單（只有它），標題寫明關鍵結果與數值變化，"
                                 "例如 checkin(marketing/unique-visitors): 53000 → 55500；"
                                 "備註寫在內文；表單已有尚未提交的變更時會拒絕"))
    checkin.add_argument("--from-issue", metavar="EVENT.json",
                         help=_t(lang, "check in what a GitHub issue form says, as the issue's "
                                       "author, from an `issues` event payload "
                                       "($GITHUB_EVENT_PATH); commits with an "
                                       "OKR-Checkin-Issue trailer; exit 1 when refused",
                                 "依 GitHub issue 表單的內容、以 issue 作者的身分更新進度，讀取 "
                                 "`issues` 事件內容（$GITHUB_EVENT_PATH）；commit 附上 "
                                 "OKR-Checkin-Issue 標記；被拒絕時結束碼為 1"))
    checkin.add_argument("--push", action="store_true",
                         help=_t(lang, "with --from-issue: push to the default branch (or a "
                                       "pull-request branch, `checkin.via`), fetching and "
                                       "re-applying when someone pushed in between; never forced",
                                 "搭配 --from-issue：推送到預設分支（或 pull request 分支，見 "
                                 "`checkin.via`）；期間有人推送時先取回再重新套用；絕不強制推送"))
    checkin.add_argument("--dry-run", action="store_true",
                         help=_t(lang, "with --from-issue: check everything, write nothing",
                                 "搭配 --from-issue：檢查所有內容，但不寫入"))
    checkin.add_argument("--format", choices=("text", "json"), default="text",
                         dest="output_format",
                         help=_t(lang, "with --from-issue, json: the outcome (ok, refused or "
                                       "failed), its message in en and zh-TW, the commit, the "
                                       "new progress and status, and the issue comment",
                                 "搭配 --from-issue，json：結果（ok、refused 或 failed）、中英文"
                                 "訊息、commit、新的進度與狀態，以及 issue 留言"))
    checkin.add_argument("--batch", metavar="FILE.csv",
                         help=_t(lang, "check in every row of a CSV file (columns kr, value, "
                                       "confidence, note, or their zh-TW names): all rows are "
                                       "checked before any file is written",
                                 "依 CSV 檔的每一列更新進度（欄位 kr、value、confidence、note，"
                                 "或 關鍵結果、數值、信心指數、備註）：寫入任何檔案前先檢查所有列"))
    checkin.add_argument("--allow-backwards", action="store_true",
                         help=_t(lang, "commit a value that moves against the key result's "
                                       "direction (asked in a terminal, refused otherwise)",
                                 "提交與關鍵結果方向相反的數值（在終端機中會詢問，否則拒絕）"))
    _add_lang(checkin, lang)

    measure = add_command(
        "measure",
        help=_t(lang, "read the key results' numbers from their sources (measure:) and record "
                      "them",
                "從關鍵結果的資料來源(measure:)讀取數字並記錄下來"),
        description=_t(lang, "Measure every key result that has `measure:` in the active "
                             "cycles (or those REFS name) from its source: a CSV file or "
                             "download, a JSON API, a SQL database or Google Analytics 4, a "
                             "few at a time. Changed values are written as `current:`, "
                             "keeping comments and layout (confidence stays yours). A source "
                             "that fails is reported at its key result's `measure:` and the "
                             "others are still measured and written (exit 1). Secrets come "
                             "from the environment (`env:NAME`, `${NAME}`).",
                       "從資料來源量測進行中週期裡每個設定了 `measure:` 的關鍵結果(或 REFS 指定"
                       "的關鍵結果):CSV 檔案或下載、JSON API、SQL 資料庫或 Google Analytics 4,"
                       "一次同時量測數個。變更的數值會寫入 `current:`,保留註解與排版(信心指數"
                       "仍由你判斷)。某個來源失敗時,會在該關鍵結果的 `measure:` 處回報,其他"
                       "關鍵結果照常量測與寫入(結束代碼 1)。機密來自環境變數(`env:NAME`、"
                       "`${NAME}`)。"),
        epilog=_t(lang, "REF: ids of cycle/team/objective/kr in that order, any of them: "
                        "2026-Q1/marketing/brand/visitors, 2026-Q1/marketing, marketing/visitors, "
                        "visitors",
                  "REF:依 cycle/team/objective/kr 順序寫出的 id,可省略任何一層:"
                  "2026-Q1/marketing/brand/visitors、2026-Q1/marketing、marketing/visitors、"
                  "visitors"))
    measure.add_argument("refs", nargs="*", metavar="REF",
                         help=_t(lang, "key results to measure (default: every measured key "
                                       "result of the active cycles)",
                                 "要量測的關鍵結果(預設:進行中週期裡所有設定了 measure: 的"
                                 "關鍵結果)"))
    measure.add_argument("--dry-run", action="store_true",
                         help=_t(lang, "show old → new, write nothing",
                                 "只顯示舊值 → 新值,不寫入任何檔案"))
    measure.add_argument("--commit", action="store_true",
                         help=_t(lang, "commit the changed sheets, and only them, as one "
                                       "commit 'measure: N key results' with an OKR-Measured "
                                       "trailer per key result",
                                 "把變更的表單(只有這些)提交成一個 commit「measure: N key "
                                 "results」,每個關鍵結果一行 OKR-Measured trailer"))
    measure.add_argument("--push", action="store_true",
                         help=_t(lang, "with --commit: push the commit to origin; when someone "
                                       "pushed in between, write the values again on their "
                                       "commits and retry (bounded, never forced)",
                                 "搭配 --commit:把 commit 推送到 origin;期間有人推送時,在對方的 "
                                 "commit 上重新寫入數值再試(次數有限,絕不強制推送)"))
    measure.add_argument("--format", choices=("text", "json"), default="text",
                         dest="output_format",
                         help=_t(lang, "json: each key result's source, old and new value or "
                                       "its error, the files written and the commit, for "
                                       "scripts",
                                 "json:每個關鍵結果的資料來源、舊值與新值或錯誤,以及寫入的檔案與 "
                                 "commit,供程式使用"))
    measure.add_argument("--jobs", type=int, default=8, metavar="N",
                         help=_t(lang, "sources read at the same time (default: 8)",
                                 "同時讀取的來源數(預設:8)"))
    _add_lang(measure, lang)

    new = add_command(
        "new",
        help=_t(lang, "scaffold a sheet for a team and cycle from one of the seed's examples",
                "依種子文章的範例為某團隊與週期建立新表單"),
        description=_t(lang, "Write okrs/CYCLE/TEAM.yaml from one of the seed article's "
                             "example OKRs (--list shows them; default brand-awareness), in "
                             "zh-TW or English: due at the cycle's end, owned by the team's "
                             "lead, aligned to the org's strategy themes. In a terminal, what "
                             "is missing is asked for; otherwise CYCLE and TEAM are required. "
                             "An existing sheet is never overwritten.",
                       "依種子文章的 OKR 範例（--list 列出全部；預設 brand-awareness）寫出 "
                       "okrs/CYCLE/TEAM.yaml，可選 zh-TW 或英文：期限為週期結束日，負責人為"
                       "團隊主管，並對齊組織的策略主題。在終端機中執行時會詢問缺少的項目；"
                       "否則必須指定 CYCLE 與 TEAM。絕不覆寫既有的表單。"))
    new.add_argument("cycle", metavar="CYCLE", nargs="?",
                     help=_t(lang, "e.g. 2026-Q2 (asked in a terminal: default the current "
                                   "cycle)",
                             "例如 2026-Q2（在終端機中會詢問，預設為目前週期）"))
    new.add_argument("team", metavar="TEAM", nargs="?",
                     help=_t(lang, "a team of org.yaml by its id or its name, e.g. "
                                   "marketing",
                             "org.yaml 中的團隊 id 或名稱，例如 marketing 或 行銷部"))
    new.add_argument("--template", metavar="NAME",
                     help=_t(lang, "the example to start from (default: brand-awareness)",
                             "要採用的範例（預設：brand-awareness）"))
    new.add_argument("--list", dest="list_templates", action="store_true",
                     help=_t(lang, "list the templates and what each holds, then exit",
                             "列出所有範本及其內容，然後結束"))
    new.add_argument("--lang", choices=("en", "zh-TW"),
                     help=_t(lang, "language of the template and messages (default: config, "
                                   "then the locale)",
                             "範本與訊息的語言（預設：先看設定檔，再看系統語系）"))

    score = add_command(
        "score",
        help=_t(lang, "end-of-cycle grading: 0.0-1.0 per key result, objective and team",
                "週期結束的評分：每個關鍵結果、目標與團隊 0.0-1.0"),
        description=_t(lang, "Grade CYCLE on Google's 0.0-1.0 scale, to two decimals so the "
                             "arithmetic stays visible: a key result's grade is its progress "
                             "clamped to 0-1 and rounded half up to 0.01 (an at_least, at_most "
                             "or milestone key result held or done is 1.0, else 0.0); an "
                             "objective's is the weighted mean of its key results' grades, a "
                             "team's the weighted mean of its objectives' (recorded scores "
                             "count first). Each objective gets a verdict by its kind: 0.6-0.7 "
                             "is the sweet spot of an aspirational objective (1.0 asks whether "
                             "it was ambitious enough, below 0.4 what got in the way); a "
                             "committed one expects 1.0.",
                       "以 Google 的 0.0-1.0 尺度為 CYCLE 評分，取到小數第二位，讓計算過程一目"
                       "了然：關鍵結果的評分是其進度限制在 0-1 之間後四捨五入到 0.01（at_least、"
                       "at_most 或 milestone 類型的關鍵結果，達成為 1.0，否則為 0.0）；目標的"
                       "評分是其關鍵結果評分的加權平均，團隊的評分是其目標評分的加權平均（已記錄"
                       "的分數優先）。每個目標依類型給出評語：挑戰型目標的最佳區間是 0.6-0.7（"
                       "1.0 要問目標是否夠有挑戰性，低於 0.4 要問是什麼阻礙了進展）；承諾型目標"
                       "預期達到 1.0。"))
    score.add_argument("cycle", metavar="CYCLE", help=_t(lang, "e.g. 2026-Q1", "例如 2026-Q1"))
    score.add_argument("--write", action="store_true",
                       help=_t(lang, "fill in missing `score:` values in the sheets (recorded "
                                     "scores stay) and, in a terminal, ask for each missing "
                                     "`retrospective:` (an empty answer skips it)",
                               "在表單中填入缺少的 `score:` 值（已記錄的分數保持不變），並在終端機"
                               "中逐一詢問缺少的 `retrospective:`（留空則略過）"))
    score.add_argument("--format", choices=("text", "json"), default="text",
                       dest="output_format",
                       help=_t(lang, "json: every grade, computed and recorded, with the "
                                     "verdicts and team grades",
                               "json：所有評分（計算值與已記錄值），含評語與團隊評分"))
    _add_lang(score, lang)

    log = add_command(
        "log",
        help=_t(lang, "the timeline of one key result or objective, from the git history",
                "從 git 歷史列出單一關鍵結果或目標的時間軸"),
        description=_t(lang, "Show every commit that changed a key result (or each key result "
                             "of an objective): date, author, commit, subject, and each field "
                             "old → new.",
                       "顯示每個變更過某關鍵結果（或某目標底下各關鍵結果）的 commit：日期、"
                       "作者、commit、主旨，以及每個欄位的舊值 → 新值。"),
        epilog=_t(lang, "REF: cycle/team/objective/kr or cycle/team/objective, or a short form "
                        "such as team/kr or kr when it is unambiguous (the current cycle wins)",
                  "REF：cycle/team/objective/kr 或 cycle/team/objective，或在不會混淆時使用"
                  "簡寫，例如 team/kr 或 kr（以目前週期優先）"))
    log.add_argument("ref", metavar="REF",
                     help=_t(lang, "e.g. 2026-Q1/marketing/brand-awareness/unique-visitors, or "
                                   "unique-visitors",
                             "例如 2026-Q1/marketing/brand-awareness/unique-visitors，"
                             "或 unique-visitors"))
    log.add_argument("--format", choices=("text", "json"), default="text",
                     dest="output_format",
                     help=_t(lang, "json: each key result's commits with the fields they "
                                   "changed, for scripts",
                             "json:每個關鍵結果的各個 commit 及其變更的欄位,供程式使用"))
    _add_lang(log, lang)

    diff = add_command(
        "diff",
        help=_t(lang, "what changed in the OKRs between two revisions (a pull request's view)",
                "兩個版本之間 OKR 的變更（pull request 的視角）"),
        description=_t(lang, "The semantic diff between revision A and revision B: per team "
                             "and objective, key results added, removed or renamed, check-ins "
                             "(current, confidence) apart from plan changes (target, baseline, "
                             "due, owner, title), and goal posts moved after the cycle "
                             "started. A defaults to the merge base of HEAD with the main "
                             "branch, B to the working tree.",
                       "版本 A 與版本 B 之間的語意差異：依團隊與目標列出新增、移除或更名的"
                       "關鍵結果，將進度回報（current、confidence）與計畫變更（target、"
                       "baseline、due、owner、title）分開列出，並標出週期開始後才移動的目標"
                       "門檻。A 預設為 HEAD 與主要分支的合併基準，B 預設為工作目錄。"))
    diff.add_argument("old", nargs="?", metavar="A", help=revision_base)
    diff.add_argument("new", nargs="?", metavar="B", help=revision_head)
    diff.add_argument("--format", choices=("text", "markdown", "json"), default="text",
                      dest="output_format",
                      help=_t(lang, "markdown: a pull-request comment",
                              "markdown：pull request 留言"))
    diff.add_argument("--color", choices=("auto", "always", "never"), default="auto",
                      help=_t(lang, "colour the text format (default: when a terminal)",
                              "為文字格式上色（預設：輸出到終端機時）"))
    _add_lang(diff, lang)

    review = add_command(
        "review",
        help=_t(lang, "the pull-request comment or the weekly check-in report, as Markdown",
                "以 Markdown 輸出 pull request 留言或每週進度回報報告"),
        description=_t(lang, "Print what the workflows of `okr init` post. With BASE [HEAD]: "
                             "the pull-request comment (a hidden marker, the semantic diff of "
                             "`okr diff --format markdown` and the lint findings of the "
                             "changed files). With --stale: who owes a check-in (OKR503), "
                             "grouped by owner.",
                       "輸出 `okr init` 建立的工作流程所張貼的內容。指定 BASE [HEAD] 時："
                       "pull request 留言（一個隱藏標記、`okr diff --format markdown` 的語意"
                       "差異，以及變更檔案的檢查結果）。指定 --stale 時：誰還沒回報進度"
                       "（OKR503），依負責人分組。"))
    review.add_argument("base", nargs="?", metavar="BASE", help=revision_base)
    review.add_argument("head", nargs="?", metavar="HEAD", help=revision_head)
    review.add_argument("--stale", action="store_true",
                        help=_t(lang, "the weekly report of stale check-ins instead",
                                "改為輸出逾期未回報進度的每週報告"))
    _add_lang(review, lang)

    site = add_command(
        "site",
        help=_t(lang, "write the site's pages as Markdown files",
                "將網站的頁面寫成 Markdown 檔案"),
        description=_t(lang, "Write the pages the MkDocs plugin `okrs` generates (dashboard, "
                             "cycles, teams, alignment, what changed, lint health, rules) as "
                             "Markdown files under DIR, with the CSS, for a plain MkDocs build "
                             "or another generator. Set OKR_TODAY=YYYY-MM-DD to fix today.",
                       "將 MkDocs 外掛 `okrs` 產生的頁面（儀表板、週期、團隊、對齊、變更紀錄、"
                       "檢查健康度、規則）連同 CSS 寫成 DIR 底下的 Markdown 檔案，供一般的 "
                       "MkDocs 建置或其他產生器使用。設定 OKR_TODAY=YYYY-MM-DD 可固定今天的"
                       "日期。"))
    site.add_argument("--out", required=True, metavar="DIR",
                      help=_t(lang, "the folder to write into", "要寫入的資料夾"))
    site.add_argument("--repo-url", metavar="URL",
                      help=_t(lang, "the repository's web address, for edit and commit links",
                              "儲存庫的網址，用於編輯與 commit 連結"))
    site.add_argument("--edit-uri", metavar="PATH",
                      help=_t(lang, "the edit path from the repository root (default with "
                                    "--repo-url: edit/<main branch>/)",
                              "從儲存庫根目錄起算的編輯路徑（搭配 --repo-url 時預設為 "
                              "edit/<主要分支>/）"))
    site.add_argument("--nav", dest="nav_file", metavar="FILE",
                      help=_t(lang, "also write the nav, not_in_nav and extra_css as YAML to "
                                    "FILE (INHERIT it from a mkdocs.yml)",
                              "另外將 nav、not_in_nav 與 extra_css 以 YAML 寫入 FILE（可在 "
                              "mkdocs.yml 中以 INHERIT 引用）"))
    site.add_argument("--no-directory-urls", dest="directory_urls", action="store_false",
                      help=_t(lang, "links as page.html (MkDocs' use_directory_urls: false)",
                              "連結採用 page.html 形式（MkDocs 的 use_directory_urls: false）"))
    site.add_argument("--site-url", metavar="URL",
                      help=_t(lang, "the site's address, for absolute links in the feeds",
                              "網站的網址，用於動態消息中的絕對連結"))
    site.add_argument("--include", dest="includes", action="append", default=[],
                      metavar="NAME=URL",
                      help=_t(lang, "another okrkit site's api/v1/okrs.json (URL or path) to "
                                    "show read-only beside these OKRs, as the plugin's include:",
                              "另一個 okrkit 網站的 api/v1/okrs.json（網址或路徑），以唯讀方式"
                              "與本儲存庫的 OKR 並列，如同外掛的 include:"))
    _add_lang(site, lang)

    for name in ("build", "serve"):
        engine_cmd = add_command(
            name,
            help=_t(lang, "build the OKR site with MkDocs or Zensical" if name == "build"
                    else "serve the OKR site, rebuilt when okrs/ changes",
                    "用 MkDocs 或 Zensical 建置 OKR 網站" if name == "build"
                    else "預覽 OKR 網站,okrs/ 變更時自動重建"),
            description=_t(lang, "--engine mkdocs (the default) runs MkDocs with the okrs "
                                 "plugin of mkdocs.yml; --engine zensical generates the pages "
                                 "and a Zensical config derived from zensical.toml or "
                                 "mkdocs.yml, then runs Zensical (the successor of Material "
                                 "for MkDocs). Set OKR_TODAY=YYYY-MM-DD to fix today.",
                           "--engine mkdocs(預設)以 mkdocs.yml 中的 okrs 外掛執行 MkDocs;"
                           "--engine zensical 會自行產生頁面,並由 zensical.toml 或 mkdocs.yml "
                           "推導出 Zensical 設定,再執行 Zensical(Material for MkDocs 的後繼者)。"
                           "設定 OKR_TODAY=YYYY-MM-DD 可固定今天的日期。"))
        engine_cmd.add_argument("--engine", choices=("mkdocs", "zensical"), default="mkdocs",
                                help=_t(lang, "the site generator (default: mkdocs)",
                                        "網站產生器(預設:mkdocs)"))
        if name == "build":
            engine_cmd.add_argument("-d", "--site-dir", metavar="SITE_DIR",
                                    help=_t(lang, "where the site goes (default: the config's "
                                                  "site_dir, site/)",
                                            "網站的輸出位置(預設:設定檔的 site_dir,即 site/)"))
            engine_cmd.add_argument("--strict", action="store_true",
                                    help=_t(lang, "fail on warnings", "有警告即失敗"))
        else:
            engine_cmd.add_argument("-a", "--dev-addr", metavar="IP:PORT",
                                    help=_t(lang, "the address to serve at (default: "
                                                  "localhost:8000)",
                                            "預覽伺服器的位址(預設:localhost:8000)"))
        _add_lang(engine_cmd, lang)
    export = add_command(
        "export",
        help=_t(lang, "export the OKRs as JSON, CSV or XLSX", "將 OKR 匯出為 JSON、CSV 或 XLSX"),
        description=_t(lang, "Export the OKRs with computed progress, status and grades: JSON "
                             "per schema/export.schema.json (with each key result's check-ins "
                             "from git), CSV with one row per key result, or an XLSX workbook "
                             "with a worksheet per cycle and a summary. A sheet that does "
                             "not load is named on stderr and left out, and the exit code "
                             "is 1. Set OKR_TODAY=YYYY-MM-DD to fix today.",
                       "匯出 OKR 與計算出的進度、狀態與評分：依 schema/export.schema.json 的 "
                       "JSON（含每個關鍵結果來自 git 的進度回報）、每個關鍵結果一列的 CSV，或"
                       "每個週期一個工作表並附摘要的 XLSX 活頁簿。無法載入的 OKR 表會在 stderr "
                       "列出並略過，結束代碼為 1。設定 OKR_TODAY=YYYY-MM-DD 可固定今天的日期。"))
    export.add_argument("cycles", nargs="*", metavar="CYCLE",
                        help=_t(lang, "cycles to export (default: every cycle with sheets)",
                                "要匯出的週期（預設：所有有表單的週期）"))
    export.add_argument("--format", dest="output_format", choices=("json", "csv", "xlsx"),
                        default="json", help=_t(lang, "output format (default: json)",
                                                "輸出格式（預設：json）"))
    export.add_argument("-o", "--output", metavar="FILE",
                        help=_t(lang, "write to FILE (default: standard output; XLSX needs a "
                                      "file)", "寫入 FILE（預設：標準輸出；XLSX 必須指定檔案）"))
    _add_lang(export, lang)

    imp = add_command(
        "import",
        help=_t(lang, "create sheets from a CSV or XLSX spreadsheet",
                "從 CSV 或 XLSX 試算表建立 OKR 表單"),
        description=_t(lang, "Read one key result per row (headers: team, cycle, objective, "
                             "key result, metric, baseline, target, current, unit, owner, due, "
                             "confidence, source, or their Traditional Chinese names), group "
                             "objectives by title and write one new "
                             "sheet per team and cycle. Every problem names its sheet, row and "
                             "column; nothing is written unless every row maps.",
                       "每列讀取一個關鍵結果（欄名可用英文或繁體中文：team/團隊、cycle/週期、"
                       "objective/目標、key result/關鍵結果、metric/指標、baseline/基準值、"
                       "target/目標值、current/目前值、unit/單位、owner/負責人、due/截止日、"
                       "confidence/信心指數、source/資料來源），依標題將目標分組，為每個團隊"
                       "與週期寫入一份新表單。每個問題都會指出工作表、列與欄；只要有一列無法"
                       "對應，就不寫入任何檔案。"),
        epilog=_t(lang, "exit codes: 0 written (or would be, with --dry-run), 1 problems in "
                        "the file (nothing written), 2 usage or I/O error",
                  "結束代碼：0 已寫入（使用 --dry-run 時為將會寫入），1 檔案有問題（未寫入"
                  "任何檔案），2 用法或 I/O 錯誤"))
    imp.add_argument("file", metavar="FILE", help=_t(lang, "a .csv or .xlsx file",
                                                     ".csv 或 .xlsx 檔案"))
    imp.add_argument("--cycle", metavar="CYCLE",
                     help=_t(lang, "the cycle of rows without a cycle column",
                             "沒有週期欄時各列所屬的週期"))
    imp.add_argument("--team", metavar="TEAM",
                     help=_t(lang, "the team of rows without a team column",
                             "沒有團隊欄時各列所屬的團隊"))
    imp.add_argument("--map", dest="maps", action="append", default=[],
                     metavar="COLUMN=FIELD",
                     help=_t(lang, "read the column COLUMN as FIELD (e.g. 'KPI=metric'); "
                                   "FIELD - ignores the column",
                             "將 COLUMN 欄視為 FIELD（例如 'KPI=metric'）；FIELD 為 - 時忽略該欄"))
    imp.add_argument("--dry-run", action="store_true",
                     help=_t(lang, "check and list what would be written, write nothing",
                             "檢查並列出將會寫入的檔案，但不實際寫入"))
    _add_lang(imp, lang)

    init = add_command(
        "init",
        help=_t(lang, "scaffold a new OKR repository", "建立新的 OKR 儲存庫骨架"),
        description=_t(lang, "Scaffold a new OKR repository in DIR: okrs/org.yaml, a first "
                             "sheet for the current quarter, the schemas, .okrkit.yaml, "
                             "mkdocs.yml, .pre-commit-config.yaml, GitHub workflows (review, "
                             "Pages, weekly check-ins), a README and editor settings. Existing "
                             "files are never overwritten without --force: then nothing is "
                             "written at all.",
                       "在 DIR 建立新的 OKR 儲存庫骨架：okrs/org.yaml、本季的第一份表單、"
                       "schema、.okrkit.yaml、mkdocs.yml、.pre-commit-config.yaml、GitHub "
                       "工作流程（審查、Pages、每週進度回報）、README 與編輯器設定。沒有 "
                       "--force 時絕不覆寫既有檔案：此時完全不會寫入任何檔案。"),
        epilog=_t(lang, "exit codes: 0 written (or would be, with --dry-run), 1 nothing "
                        "written because files exist, 2 usage or I/O error",
                  "結束代碼：0 已寫入（使用 --dry-run 時為將會寫入），1 因檔案已存在而未寫入"
                  "任何檔案，2 用法或 I/O 錯誤"))
    init.add_argument("directory", metavar="DIR",
                      help=_t(lang, "the new repository's folder", "新儲存庫的資料夾"))
    init.add_argument("--lang", choices=("en", "zh-TW"),
                      help=_t(lang, "language of the files and messages (default: the locale)",
                              "檔案與訊息的語言（預設：系統語系）"))
    init.add_argument("--team", help=_t(lang, "the first team's id (default: marketing)",
                                        "第一個團隊的 id（預設：marketing）"))
    init.add_argument("--force", action="store_true",
                      help=_t(lang, "overwrite existing files", "覆寫既有檔案"))
    init.add_argument("--dry-run", action="store_true",
                      help=_t(lang, "list what would be written, write nothing",
                              "列出將會寫入的檔案，但不實際寫入"))
    init.add_argument("--hooks-repo", metavar="URL",
                      help=_t(lang, "the git repository of okrkit's pre-commit hooks (default: "
                                    "okrkit's public repository)",
                              "okrkit 的 pre-commit hook 所在的 git 儲存庫（預設：okrkit 的公開"
                              "儲存庫）"))
    init.add_argument("--hooks-rev", metavar="REV",
                      help=_t(lang, "the tag or commit of that repository (default: this "
                                    "version's tag)",
                              "該儲存庫的標籤或 commit（預設：此版本的標籤）"))
    init.add_argument("--package", metavar="SPEC",
                      help=_t(lang, "the pip requirement CI installs (default: okrkit==this "
                                    "version)",
                              "CI 要安裝的 pip 套件需求（預設：okrkit==此版本）"))
    init.add_argument("--engine", choices=("mkdocs", "zensical"), default="mkdocs",
                      help=_t(lang, "the site generator: mkdocs.yml for MkDocs (the default) "
                                    "or zensical.toml for Zensical",
                              "網站產生器:MkDocs 用 mkdocs.yml(預設),Zensical 用 "
                              "zensical.toml"))
    init.add_argument("--cycle", metavar="CYCLE",
                      help=_t(lang, "the first sheet's cycle (default: the current quarter, "
                                    "or the next one once half of it is gone)",
                              "第一份 OKR 表的週期（預設：本季；本季過半時為下一季）"))

    cache = add_command(
        "cache",
        help=_t(lang, "show or clear the parse cache", "顯示或清除解析快取"),
        description=_t(lang, "Parsed versions of the sheets are kept under the repository's "
                             "git directory, by git blob id, so a second run parses only what "
                             "is new. It is safe to clear at any time.",
                       "表單解析後的版本依 git blob id 保存在儲存庫的 git 目錄下，"
                       "第二次執行時只需解析新的內容。隨時都可以安全地清除。"))
    cache.add_argument("action", choices=("info", "clear"),
                       help=_t(lang, "info: where it is and what it holds; clear: delete it",
                               "info：位置與內容；clear：刪除"))
    _add_lang(cache, lang)
    if only is not None and not built:
        return _build_parser(lang)
    return parser


def today_for_init() -> Any:
    """OKR_TODAY, as every command reads it (a FatalError when it is not a date)."""
    from okrkit.config import today_from_env

    return today_from_env()


def _dispatch(args: argparse.Namespace) -> int:
    if args.command == "validate":
        from okrkit.commands.validate import validate

        return validate(args.paths, lang=args.lang, output_format=args.output_format,
                        kind=args.kind, quiet=args.quiet)
    if args.command == "lint":
        from okrkit.commands.lint import lint_command

        return lint_command(args.paths, output_format=args.output_format, lang=args.lang,
                            strict=args.strict, select=args.select, ignore=args.ignore)
    if args.command == "rules":
        from okrkit.commands.rules import rules_command

        return rules_command(lang=args.lang)
    if args.command == "rule":
        from okrkit.commands.rules import rule_command

        return rule_command(args.code, lang=args.lang, output_format=args.output_format)
    if args.command == "review":
        from okrkit.commands.review import review

        return review(args.base, args.head, stale=args.stale, lang=args.lang)
    if args.command == "init":
        from okrkit.commands.init import init

        return init(args.directory, lang=args.lang, team=args.team, force=args.force,
                    dry_run=args.dry_run, hooks_repo=args.hooks_repo,
                    hooks_rev=args.hooks_rev, package=args.package, engine=args.engine,
                    cycle=args.cycle, today=today_for_init())
    if args.command == "status":
        from okrkit.commands.status import status

        return status(args.cycle, teams=args.teams or (), output_format=args.output_format,
                      lang=args.lang)
    if args.command == "checkin":
        from okrkit.commands.checkin import batch, checkin, from_issue, usage_error

        if args.from_issue is not None or args.batch is not None:
            usage_error(args)
        if args.from_issue is not None:
            return from_issue(args.from_issue, push=args.push, dry_run=args.dry_run,
                              output_format=args.output_format, lang=args.lang)
        if args.batch is not None:
            return batch(args.batch, commit=args.commit, lang=args.lang,
                         allow_backwards=args.allow_backwards)
        if args.kr is None or args.value is None:  # argparse's words: KR and VALUE are optional
            missing = ", ".join(n for n, v in (("KR", args.kr), ("VALUE", args.value)) if v is None)
            print(_t(_error_lang(args),
                     f"okr checkin: error: the following arguments are required: {missing}",
                     f"okr checkin:錯誤:缺少必要的引數:{missing}"), file=sys.stderr)
            return EXIT_FATAL
        usage_error(args)
        return checkin(args.kr, args.value, confidence=args.confidence, note=args.note,
                       commit=args.commit, lang=args.lang, allow_backwards=args.allow_backwards)
    if args.command == "measure":
        from okrkit.commands.measure import measure

        return measure(args.refs, dry_run=args.dry_run, commit=args.commit, push=args.push,
                       output_format=args.output_format, jobs=args.jobs, lang=args.lang)
    if args.command == "new":
        from okrkit.commands.new import new

        return new(args.cycle, args.team, template=args.template, lang=args.lang,
                   list_templates=args.list_templates)
    if args.command == "score":
        from okrkit.commands.score import score

        return score(args.cycle, write=args.write, lang=args.lang,
                     output_format=args.output_format)
    if args.command == "site":
        from okrkit.commands.site import site

        return site(args.out, lang=args.lang, repo_url=args.repo_url, edit_uri=args.edit_uri,
                    nav_file=args.nav_file, directory_urls=args.directory_urls,
                    includes=args.includes, site_url=args.site_url)
    if args.command == "build":
        from okrkit.commands.build import build

        return build(engine=args.engine, site_dir=args.site_dir, strict=args.strict,
                     lang=args.lang)
    if args.command == "serve":
        from okrkit.commands.build import serve

        return serve(engine=args.engine, dev_addr=args.dev_addr, lang=args.lang)
    if args.command == "export":
        from okrkit.commands.export import export

        return export(args.cycles, output_format=args.output_format, output=args.output,
                      lang=args.lang)
    if args.command == "import":
        from okrkit.commands.import_ import import_command

        return import_command(args.file, cycle=args.cycle, team=args.team, maps=args.maps,
                              dry_run=args.dry_run, lang=args.lang)
    if args.command == "log":
        from okrkit.commands.log import log

        return log(args.ref, lang=args.lang, output_format=args.output_format)
    if args.command == "diff":
        from okrkit.commands.diff import diff

        return diff(args.old, args.new, lang=args.lang, output_format=args.output_format,
                    color=args.color)
    if args.command == "cache":
        from okrkit.commands.cache import cache_command

        return cache_command(args.action, lang=args.lang)
    raise AssertionError(f"unhandled command {args.command}")  # pragma: no cover


# commands that run once over a bounded tree and exit: the cyclic collector stays off for
# them (the loaders turn it off anyway); every other command turns it back on
_NO_COLLECTOR = frozenset(("lint", "validate"))


def run(at_exit: Callable[[], None] | None = None) -> NoReturn:
    """The `okr` command (okrkit.__main__.run); `at_exit` runs once main() has returned."""
    code = main()
    if at_exit is not None:
        at_exit()
    # the cache's forked writer (cache.in_background) finishes by itself: the command's
    # output is whole, and a command started before it has finished waits for it (a
    # command that never loaded the cache started none)
    cache = sys.modules.get("okrkit.cache")
    if cache is not None:
        cache.detach_writers()
    # what the run built lives until the process ends: frozen, it is not walked again by
    # the collections of the interpreter's shutdown (a tenth of a warm whole-tree lint).
    # Not in main(): the tests call it in one process, whose heap must stay collectable
    gc.freeze()
    raise SystemExit(code)


def main(argv: Sequence[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    # the modules, the parser and the model are objects that live until exit: the cyclic
    # collector walked them again and again during the imports (4% of the hook) for nothing
    collecting = gc.isenabled()
    gc.disable()
    try:
        return _main(argv)
    finally:
        if collecting:
            gc.enable()


def _main(argv: list[str]) -> int:
    help_lang = _help_lang(argv)
    with _argparse_words(help_lang):
        # the command is argv's first word (`okr lint FILE`, the hook), else build them all
        parser = _build_parser(help_lang, argv[0] if argv and argv[0][:1] != "-" else None)
        try:
            args = parser.parse_args(argv)
        except SystemExit as exc:  # argparse: --help/--version exit 0, usage errors exit 2
            return int(exc.code or 0)
        if args.command is None:
            parser.print_help()
            return EXIT_FATAL
    # Python 3.11's argparse gives [] for a positional that a "--" left without a value
    missing = sorted(k for k, v in vars(args).items() if v == [] and k not in _LIST_ARGS)
    if missing:
        lang = _help_lang(argv)
        print(_t(lang, f"okr {args.command}: missing {', '.join(m.upper() for m in missing)}",
                 f"okr {args.command}:缺少 {', '.join(m.upper() for m in missing)}"),
              file=sys.stderr)
        return EXIT_FATAL
    if args.command not in _NO_COLLECTOR:
        gc.enable()
    try:
        return _dispatch(args)
    except FatalError as err:
        lang = _error_lang(args)
        print(_t(lang, "okr: error: ", "okr:錯誤:") + err.message(lang), file=sys.stderr)
        return EXIT_FATAL
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # `okr lint | head`
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_FINDINGS
    except Exception as err:  # a bug: one line, the traceback only with --debug
        if args.debug:
            raise
        lang = _error_lang(args)
        print(_t(lang, f"okr: internal error: {type(err).__name__}: {err} (run with --debug "
                       "for the traceback)",
                 f"okr:內部錯誤:{type(err).__name__}:{err}(加上 --debug 可看到追蹤記錄)"),
              file=sys.stderr)
        return EXIT_FATAL
