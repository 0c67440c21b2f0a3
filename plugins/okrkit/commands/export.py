"""`okr export [CYCLE...] --format json|csv|xlsx [-o FILE]`: the OKRs for other tools.

JSON follows `schema/export.schema.json` (`"okrkit_export": 1`); CSV has one
row per key result; XLSX one worksheet per cycle and a summary. All three come
from `okrkit.export.build_export`, the same model the site's api/v1 files use.
"""

from __future__ import annotations

import sys
from pathlib import Path

from okrkit import i18n
from okrkit.config import find_root, load_config, today_from_env
from okrkit.errors import FatalError
from okrkit.export import build_export, writers
from okrkit.findings import Severity
from okrkit.history import read_history
from okrkit.tree import load_tree
from okrkit.yamledit import write_atomic

MESSAGES: dict[str, dict[str, str]] = {
    "en": {
        "written": "okr export: {krs} key results in {cycles} cycle(s) written to {path}",
        "unknown-cycle": "no sheets for cycle '{cycle}' (cycles with sheets: {known})",
        "not-exported": "{path} does not load and is not exported: {finding}",
        "binary": "XLSX is binary: give a file with -o FILE",
        "cannot-write": "cannot write {path}: {error}",
    },
    "zh-TW": {
        "written": "okr export:已將 {cycles} 個週期的 {krs} 個關鍵結果寫入 {path}",
        "unknown-cycle": "週期「{cycle}」沒有任何 OKR 表(有表單的週期:{known})",
        "not-exported": "{path} 無法載入,未匯出:{finding}",
        "binary": "XLSX 是二進位檔:請用 -o FILE 指定檔案",
        "cannot-write": "無法寫入 {path}:{error}",
    },
}


def _fatal(key: str, **values: str) -> FatalError:
    return FatalError(MESSAGES["en"][key].format(**values),
                      zh=MESSAGES["zh-TW"][key].format(**values))


def export(cycles: list[str], *, output_format: str, output: str | None,
           lang: str | None = None) -> int:
    root = find_root(Path.cwd())
    config, _ = load_config(root)
    chosen = i18n.choose(lang, config.language)
    text = MESSAGES[chosen]
    if output_format == "xlsx" and output in (None, "-"):
        raise _fatal("binary")
    tree, findings = load_tree(config)
    known = [c.id for c in tree.cycles()]
    for cycle_id in cycles:
        if cycle_id not in known:
            raise _fatal("unknown-cycle", cycle=cycle_id, known=", ".join(known) or "—")
    # the sheets left out of what is exported (a broken sheet of another cycle is not)
    unloaded = {path: finding for path, finding in tree.unloaded.items()
                if not cycles or Path(path).parent.name in cycles}
    for path, finding in unloaded.items():
        print(text["not-exported"].format(path=path, finding=f"{finding.pos}: "
                                          f"{finding.code} {finding.message(chosen)}"),
              file=sys.stderr)
    for finding in findings:
        # an org.yaml that did not load: the export goes on without it, loudly (lint
        # findings are `okr lint`'s business, not the export's)
        if tree.org is None and finding.severity >= Severity.ERROR \
                and Path(finding.pos.path).name in ("org.yaml", "org.yml"):
            print(f"{finding.pos}: {finding.code} {finding.message(chosen)}", file=sys.stderr)
    # a sheet left out: the export is written (every sheet that loads), but it is not
    # the whole tree, so the exit code says findings (1), for a script to notice
    done = 1 if unloaded else 0
    history = read_history(config)
    for warning in history.warnings:
        print(f"okr export: {warning.get(chosen) or warning.get('en', '')}", file=sys.stderr)
    data = build_export(tree, history, today=today_from_env(), cycles=cycles)
    if output_format == "json":
        payload = writers.to_json(data)
    elif output_format == "csv":
        payload = writers.to_csv(data, lang=chosen)
    else:
        payload = writers.to_xlsx(data, lang=chosen)
    if output in (None, "-"):
        sys.stdout.buffer.write(payload)
        sys.stdout.flush()
        return done
    target = Path(output)
    try:
        write_atomic(target, payload)
    except OSError as err:
        raise _fatal("cannot-write", path=str(target), error=err.strerror or str(err)) from err
    krs = sum(1 for _ in writers.kr_rows(data))
    print(text["written"].format(krs=krs, cycles=len(data["cycles"]), path=target),
          file=sys.stderr)
    return done
