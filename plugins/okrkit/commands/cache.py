"""`okr cache info|clear`: the parse cache of this repository (okrkit.cache)."""

from __future__ import annotations

from pathlib import Path

from okrkit import cache, i18n
from okrkit.config import find_root, load_config

STRINGS = {
    "en": {"where": "parse cache: {folder}",
           "off": "parse cache: off ({env}=0): parses are kept in memory for one run only",
           "counts": "{documents} documents, {snapshots} history snapshots in {packs} packs, "
                     "{results} history walks, {size}",
           "foreign": "{count} files of another okrkit version or damaged "
                      "(ignored; the next whole history read drops them)",
           "cleared": "removed {count} files from {folder}"},
    "zh-TW": {"where": "解析快取：{folder}",
              "off": "解析快取：已關閉（{env}=0）：解析結果只在單次執行中保留於記憶體",
              "counts": "{documents} 份文件、{snapshots} 個歷史快照（共 {packs} 個封包）、"
                        "{results} 份歷史走訪結果，{size}",
              "foreign": "{count} 個檔案屬於其他 okrkit 版本或已損壞"
                         "（已略過；下次完整讀取歷史時會刪除）",
              "cleared": "已從 {folder} 刪除 {count} 個檔案"},
}


def _size(count: int) -> str:
    for unit in ("B", "KiB", "MiB"):
        if count < 1024 or unit == "MiB":
            return f"{count:.0f} {unit}" if unit == "B" else f"{count:.1f} {unit}"
        count /= 1024  # type: ignore[assignment]
    return f"{count} B"  # pragma: no cover (the loop always returns)


def cache_command(action: str, *, lang: str | None = None) -> int:
    config, _ = load_config(find_root(Path.cwd()))
    chosen = i18n.choose(lang, config.language)
    text = STRINGS[chosen]
    parses = cache.for_path(config.okrs_dir)
    if parses.folder is None:
        print(text["off"].format(env=cache.DISABLE_ENV))
        return 0
    if action == "clear":
        print(text["cleared"].format(count=parses.clear(), folder=parses.folder))
        return 0
    info = parses.info()
    print(text["where"].format(folder=info.folder))
    print(text["counts"].format(documents=info.documents, snapshots=info.snapshots,
                                packs=info.packs, results=info.results,
                                size=_size(info.bytes)))
    if info.foreign:
        print(text["foreign"].format(count=info.foreign))
    return 0
