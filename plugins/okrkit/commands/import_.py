"""`okr import FILE.csv|FILE.xlsx [--cycle C] [--team T] [--map COLUMN=FIELD ...] [--dry-run]`.

One row per key result; objectives grouped by their title (or id). The file is
read and mapped whole first (`okrkit.importer`); only when nothing is wrong are
the sheets written, each new (an existing sheet is never overwritten), and
linted: lint findings are reported, not fatal. Exit codes: 0 written (or would
be, with --dry-run), 1 problems in the file (nothing written), 2 usage or I/O.
"""

from __future__ import annotations

import sys
from pathlib import Path

from okrkit import i18n, importer
from okrkit.config import find_root, load_config, today_from_env
from okrkit.errors import FatalError
from okrkit.tree import load_tree
from okrkit.yamledit import write_atomic

MESSAGES: dict[str, dict[str, str]] = {
    "en": {
        "would-write": "would write {path}: {objectives} objective(s), {krs} key result(s)",
        "written": "created {path}: {objectives} objective(s), {krs} key result(s)",
        "nothing": "{count} problem(s): nothing written",
        "no-rows": "no key results in {path}: nothing written",
        "lint": "okr lint on the new sheets: {count} finding(s) to look at (not fatal):",
        "missing": "{path}: no such file",
        "format": "{path}: okr import reads .csv and .xlsx files",
        "cannot-write": "cannot write {path}: {error}",
    },
    "zh-TW": {
        "would-write": "將寫入 {path}:{objectives} 個目標、{krs} 個關鍵結果",
        "written": "已建立 {path}:{objectives} 個目標、{krs} 個關鍵結果",
        "nothing": "{count} 個問題:未寫入任何檔案",
        "no-rows": "{path} 中沒有關鍵結果:未寫入任何檔案",
        "lint": "對新表單執行 okr lint:有 {count} 項發現值得一看(不影響匯入):",
        "missing": "{path}:檔案不存在",
        "format": "{path}:okr import 只讀取 .csv 與 .xlsx 檔案",
        "cannot-write": "無法寫入 {path}:{error}",
    },
}


def _fatal(key: str, **values: str) -> FatalError:
    return FatalError(MESSAGES["en"][key].format(**values),
                      zh=MESSAGES["zh-TW"][key].format(**values))


def import_command(file: str, *, cycle: str | None, team: str | None, maps: list[str],
                   dry_run: bool, lang: str | None = None) -> int:
    root = find_root(Path.cwd())
    config, _ = load_config(root)
    chosen = i18n.choose(lang, config.language)
    text = MESSAGES[chosen]
    path = Path(file)
    if path.suffix.lower() not in (".csv", ".xlsx", ".xlsm", ".tsv", ".txt"):
        raise _fatal("format", path=file)
    if not path.is_file():
        raise _fatal("missing", path=file)
    mapping, problems = importer.parse_map(maps)
    tree, _ = load_tree(config, [])  # the org only: teams, people and themes
    if not problems and cycle is not None and config.calendar.get(cycle) is None:
        problems.append(importer.Problem("--cycle", "", 0, 0, "", "IMP204", {"value": cycle}))
    planned: list[importer.Planned] = []
    if not problems:
        try:
            tables = importer.read_tables(path, file)
        except importer.ReadError as err:
            problems = [err.problem]
        else:
            planned, problems = importer.plan(tables, shown=file, config=config, org=tree.org,
                                              cycle=cycle, team=team, mapping=mapping,
                                              lang=chosen)
    if problems:
        for problem in problems:
            print(problem.line(chosen), file=sys.stderr)
        print(text["nothing"].format(count=len(problems)), file=sys.stderr)
        return 1
    if not planned:
        print(text["no-rows"].format(path=file), file=sys.stderr)
        return 1
    key = "would-write" if dry_run else "written"
    if not dry_run:
        _write_all(planned, config.display_path, text)
    for sheet in planned:
        print(text[key].format(path=config.display_path(sheet.path),
                               objectives=sheet.objectives, krs=sheet.krs))
    if not dry_run:
        _report_lint(config, [p.path for p in planned], text, chosen)
    return 0


def _write_all(planned: list[importer.Planned], shown: object, text: dict[str, str]) -> None:
    """Every sheet or none: a sheet that cannot be written removes those written before."""
    written: list[Path] = []
    try:
        for sheet in planned:
            sheet.path.parent.mkdir(parents=True, exist_ok=True)
            write_atomic(sheet.path, sheet.text, exclusive=True)
            written.append(sheet.path)
    except OSError as err:
        for path in written:
            path.unlink(missing_ok=True)
        name = getattr(err, "filename", None) or planned[len(written)].path
        raise _fatal("cannot-write", path=str(name),
                     error=err.strerror or str(err)) from err


def _report_lint(config: object, paths: list[Path], text: dict[str, str], lang: str) -> None:
    from okrkit.config import Config
    from okrkit.rules.runner import lint

    assert isinstance(config, Config)
    result = lint(config, paths, today=today_from_env())
    findings = list(result.findings)
    if not findings:
        return
    print(text["lint"].format(count=len(findings)), file=sys.stderr)
    for f in findings:
        print(f"  {f.pos}: {f.severity.name_in(lang)} {f.code} {f.message(lang)}", file=sys.stderr)
