"""okrkit.startup: what `okr` compiled at its start, kept across runs (real `okr`
processes on the repository's own OKR tree, each with its own user cache folder)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from paths import REPO_ROOT

SHEET = "okrs/2026-Q1/marketing.yaml"

# the `okr` command's own start (okrkit.__main__.run), then what was compiled in it
PROBE = """
import json, re, sys, dataclasses
from okrkit import startup
kept = startup.install()
seeded = {k: v for k, v in re._cache.items()}
from okrkit import cli
code = cli.main(sys.argv[1:])
from okrkit.history import KrState
fresh = [re._compiler.compile(k[1], k[2]) == p for k, p in seeded.items()]
try:
    KrState(*[None] * 9).title = "x"
    frozen = False
except dataclasses.FrozenInstanceError:
    frozen = True
print(json.dumps({"exit": code, "new_codes": kept.new_codes, "codes": len(kept.codes),
                  "new_patterns": len(startup._patterns_from_re(kept.patterns)),
                  "seeded": len(seeded), "same_code": all(fresh),
                  "fields": [f.name for f in dataclasses.fields(KrState)],
                  "frozen": frozen, "equal": KrState(*[1] * 9) == KrState(*[1] * 9)}))
kept.save()
"""


def okr(cache: Path, *argv: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "okrkit", *argv], cwd=REPO_ROOT,
                          capture_output=True, text=True, check=False,
                          env={**os.environ, "OKR_TODAY": "2026-02-15", "LANG": "C.UTF-8",
                               "OKRKIT_CACHE_DIR": str(cache), **env})


def probe(cache: Path) -> dict[str, object]:
    proc = subprocess.run([sys.executable, "-c", PROBE, "lint", SHEET], cwd=REPO_ROOT,
                          capture_output=True, text=True, check=False,
                          env={**os.environ, "OKR_TODAY": "2026-02-15", "LANG": "C.UTF-8",
                               "OKRKIT_CACHE_DIR": str(cache)})
    assert proc.returncode == 0, proc.stderr
    found: dict[str, object] = json.loads(proc.stdout.strip().splitlines()[-1])
    return found


def kept_files(cache: Path) -> list[Path]:
    return sorted(cache.glob("startup-*.marshal"))


@pytest.fixture(scope="module")
def uncached(tmp_path_factory: pytest.TempPathFactory) -> subprocess.CompletedProcess[str]:
    cache = tmp_path_factory.mktemp("uncached")
    proc = okr(cache, "lint", SHEET, "--format", "json", OKRKIT_COMPILE_CACHE="0")
    assert kept_files(cache) == []
    return proc


def test_the_second_run_compiles_nothing_and_finds_the_same(
        tmp_path: Path, uncached: subprocess.CompletedProcess[str]) -> None:
    first = okr(tmp_path, "lint", SHEET, "--format", "json")
    (written,) = kept_files(tmp_path)
    before = written.read_bytes()
    second = okr(tmp_path, "lint", SHEET, "--format", "json")
    assert (first.returncode, first.stdout) == (second.returncode, second.stdout) \
        == (uncached.returncode, uncached.stdout)
    assert written.read_bytes() == before  # nothing new: not written again
    found = probe(tmp_path)
    assert found["exit"] in (0, 1)
    # every dataclass method and pattern came from the file, and each pattern's compiled
    # code equals what `re` compiles now
    assert found["new_codes"] == 0 and found["new_patterns"] == 0
    assert found["codes"] and found["seeded"] and found["same_code"] is True
    # the classes are dataclasses as before: fields, frozen, equality
    assert found["fields"] == ["title", "current", "confidence", "target", "baseline", "due",
                               "owner", "direction", "unit"]
    assert found["frozen"] is True and found["equal"] is True


@pytest.mark.parametrize("damage", [b"", b"not marshal", None])
def test_a_damaged_or_foreign_file_is_compiled_again(
        tmp_path: Path, damage: bytes | None, uncached: subprocess.CompletedProcess[str]
        ) -> None:
    okr(tmp_path, "lint", SHEET)
    (written,) = kept_files(tmp_path)
    if damage is None:  # another interpreter's file under this name: its key differs
        import marshal

        written.write_bytes(marshal.dumps(("another python", {}, [])))
    else:
        written.write_bytes(damage)
    again = okr(tmp_path, "lint", SHEET, "--format", "json")
    assert (again.returncode, again.stdout) == (uncached.returncode, uncached.stdout)
    assert probe(tmp_path)["new_codes"] == 0  # written again whole


def test_a_cache_folder_it_cannot_write_is_no_error(
        tmp_path: Path, uncached: subprocess.CompletedProcess[str]) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("a file where the folder should be", encoding="utf-8")
    proc = okr(blocker / "sub", "lint", SHEET, "--format", "json")
    assert (proc.returncode, proc.stdout, proc.stderr) == (
        uncached.returncode, uncached.stdout, uncached.stderr)


def test_okrkit_as_a_library_leaves_dataclasses_alone() -> None:
    code = ("import dataclasses, json, okrkit.cli, okrkit.history; "
            "print(json.dumps('exec' in vars(dataclasses)))")
    proc = subprocess.run([sys.executable, "-c", code], cwd=REPO_ROOT, capture_output=True,
                          text=True, check=True)
    assert json.loads(proc.stdout) is False
