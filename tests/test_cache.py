"""The parse cache (okrkit.cache): what it keeps, that it changes nothing, and how it fails.

One real repository (conftest's `synth_org`: 4 teams x 2 quarters, 120 commits, plus a
sheet with an `# okr:` comment and a duplicate key so findings come from the
loader too) is built once a session and copied per test. Each "run" is a fresh `okr`
process (the disk layer is what is tested: in one process the memory layer
answers first), except where a test says otherwise.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

import synthorg
from okrkit import cache, git
from okrkit.yamlload import load_text
from synthorg import SynthOrg, copy_org

EXTRA = """\
cycle: 2026-Q2
team: team-000
owner: p000
objectives:
  - id: extra
    title: Delight customers with faster answers
    key_results:
      # okr: disable-next-line OKR203 -- measured by hand this quarter
      - id: reply-time
        title: Cut the median first reply time
        metric: hours to first reply
        baseline: 30
        target: 4
        target: 5
        direction: decrease
        current: 12
"""


@pytest.fixture
def repo(synth_org: SynthOrg, tmp_path: Path) -> Path:
    root = copy_org(synth_org(), tmp_path / "org")
    (root / "okrs" / "2026-Q2" / "team-000.yaml").write_text(EXTRA, encoding="utf-8")
    return root


def okr(root: Path, *args: str, cache_on: bool = True) -> subprocess.CompletedProcess[str]:
    return synthorg.okr(root, *args, env={cache.DISABLE_ENV: "1" if cache_on else "0"})


def lint(root: Path, *args: str, cache_on: bool = True) -> tuple[int, str, str]:
    done = okr(root, "lint", "--format", "json", *args, cache_on=cache_on)
    assert "Traceback" not in done.stderr, done.stderr
    return done.returncode, done.stdout, done.stderr


def folder(root: Path) -> Path:
    return root / ".git" / "okrkit" / "cache"


def doc_files(root: Path) -> list[Path]:
    return sorted((folder(root) / "docs").iterdir())


def doc_names(where: Path) -> set[str]:
    """The documents kept under a cache folder (`kind-blob`), whatever pack holds them."""
    names: set[str] = set()
    for path in (where / "docs").glob("*" + cache.DOCS_SUFFIX):
        pack = cache._open_doc_pack(path)
        assert pack is not None, path
        names.update(pack.index)
    return names


def test_blob_id_is_gits(tmp_path: Path) -> None:
    for raw in (b"", b"cycle: 2026-Q1\n", "團隊: 行銷\n".encode() * 300):
        (tmp_path / "f").write_bytes(raw)
        expected = subprocess.run(["git", "hash-object", str(tmp_path / "f")],
                                  capture_output=True, text=True, check=True).stdout.strip()
        assert cache.blob_id(raw) == expected


def test_cached_and_uncached_findings_are_identical(repo: Path) -> None:
    uncached = lint(repo, cache_on=False)
    assert not folder(repo).exists()
    cold = lint(repo)
    assert len(doc_names(folder(repo))) >= 9  # org + 8 sheets + the extra one, at least
    assert list((folder(repo) / "snaps").glob("*.pack"))
    warm = lint(repo)
    assert uncached == cold == warm
    codes = {f["code"] for f in json.loads(warm[1])}
    # findings of every stage: the loader (duplicate key), the rules, a suppression's reason
    assert "OKR003" in codes, codes
    # the hook on one sheet, and the history rules of a bounded read, the same too
    one = "okrs/2026-Q2/team-001.yaml"
    assert lint(repo, one, cache_on=False) == lint(repo, one) == lint(repo, one)


def test_cached_and_uncached_pages_are_identical(repo: Path, tmp_path: Path) -> None:
    outs = []
    for name, on in (("off", False), ("cold", True), ("warm", True)):
        out = tmp_path / name
        done = okr(repo, "site", "--out", str(out), cache_on=on)
        assert done.returncode == 0, done.stderr
        outs.append({p.relative_to(out).as_posix(): p.read_bytes()
                     for p in sorted(out.rglob("*")) if p.is_file()})
    assert outs[0] and outs[0] == outs[1] == outs[2]


def _damage(root: Path, how: str) -> None:
    for path in [*doc_files(root), *(folder(root) / "snaps").glob("*.pack"),
                 *(folder(root) / "results").glob("walk-*")]:
        data = path.read_bytes()
        if how == "truncated":
            path.write_bytes(data[:len(data) // 2])
        elif how == "corrupt":  # same length, a byte flipped in the payload
            middle = len(data) // 2
            path.write_bytes(data[:middle] + bytes([data[middle] ^ 0xFF]) + data[middle + 1:])
        elif how == "garbage":
            path.write_bytes(b"\x00not a cache file")
        elif how == "empty":
            path.write_bytes(b"")


def test_a_damaged_cache_is_ignored_and_rebuilt(repo: Path) -> None:
    expected = lint(repo, cache_on=False)
    assert lint(repo) == expected
    for how in ("truncated", "corrupt", "garbage", "empty"):
        _damage(repo, how)
        assert lint(repo) == expected, how
        # every damaged file was written again (or dropped): nothing unreadable is left
        info = cache.ParseCache(folder(repo)).info()
        assert info.foreign == 0 and info.documents >= 9 and info.snapshots > 0, how


def _rewrite(root: Path, name: str, change: object, *, key: bytes) -> None:
    """Write the document pack holding `name` again with that entry changed, under `key`
    (checksums and all): the only pack of it."""
    import marshal

    (path,) = [p for p in (folder(root) / "docs").glob("*" + cache.DOCS_SUFFIX)
               if name in (cache._open_doc_pack(p) or cache._DocPack(p, 0, {})).index]
    pack = cache._open_doc_pack(path)
    assert pack is not None
    payloads = pack.all_raw()
    payloads[name] = marshal.dumps(change(marshal.loads(payloads[name])))  # type: ignore[operator]
    written = cache._write_doc_pack(path.parent, payloads)
    path.unlink()
    data = bytearray(written.read_bytes())
    data[len(cache.DOCS_MAGIC):len(cache.DOCS_MAGIC) + len(key)] = key
    written.write_bytes(bytes(data))


def _retitled(value: tuple) -> tuple:  # type: ignore[type-arg]
    data, values, keys, comments = value
    data = {**data, "objectives": [{**data["objectives"][0], "title": "FROM THE CACHE"},
                                   *data["objectives"][1:]]}
    return (data, values, keys, comments)


def test_the_cache_is_read_and_another_versions_is_not(repo: Path) -> None:
    sheet = repo / "okrs" / "2026-Q1" / "team-002.yaml"
    lint(repo)
    blob = cache.blob_id(sheet.read_bytes())
    # under this version's key, a kept document is trusted as it is (so it is used) ...
    _rewrite(repo, f"okr-{blob}", _retitled, key=cache.cache_key())
    done = okr(repo, "status", "2026-Q1", "--format", "json")
    assert "FROM THE CACHE" in done.stdout
    # ... and under any other key (okrkit version, schema, code) it is not
    _rewrite(repo, f"okr-{blob}", _retitled, key=bytes(16))
    done = okr(repo, "status", "2026-Q1", "--format", "json")
    assert done.returncode == 0, done.stderr
    assert "FROM THE CACHE" not in done.stdout
    # written again under the right key
    again = cache.ParseCache(folder(repo)).document(blob, "okr", "x.yaml")
    assert again is not None and "FROM THE CACHE" not in json.dumps(again.data)


def test_a_folder_that_cannot_be_written(repo: Path) -> None:
    expected = lint(repo, cache_on=False)
    (repo / ".git" / "okrkit").mkdir()
    if os.geteuid() == 0:  # root writes through any mode: a file where the folder goes
        folder(repo).write_text("not a folder", encoding="utf-8")
    else:
        (repo / ".git" / "okrkit").chmod(0o500)
    try:
        assert lint(repo) == expected
        assert lint(repo) == expected
    finally:
        (repo / ".git" / "okrkit").chmod(0o700)


def test_two_processes_at_once(repo: Path) -> None:
    expected = lint(repo, cache_on=False)
    env = {**os.environ, "OKR_TODAY": synthorg.TODAY}
    # cold: all three write the same documents and packs, and prune, at once
    procs = [subprocess.Popen([sys.executable, "-m", "okrkit", "lint", "--format", "json"],
                              cwd=repo, env=env, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True) for _ in range(3)]
    results = [(p.wait(), *p.communicate()) for p in procs]
    assert all(r == expected for r in results), [r[2][-300:] for r in results]
    info = cache.ParseCache(folder(repo)).info()
    assert info.foreign == 0 and info.documents >= 9
    assert not [p for p in folder(repo).rglob(".*") if p.is_file()]  # no temporary left
    assert lint(repo) == expected


def test_pruned_to_what_the_history_reaches(repo: Path) -> None:
    lint(repo)
    parses = cache.ParseCache(folder(repo))
    unreachable = "f" * 40
    doc, _ = load_text("x.yaml", "cycle: 2026-Q1\n")
    assert doc is not None
    parses.keep_document(unreachable, "okr", doc)
    parses.keep_snapshots({unreachable: ("2026-Q1", "x", ())})
    parses.save()
    assert f"okr-{unreachable}" in doc_names(folder(repo))
    assert unreachable in cache.ParseCache(folder(repo)).snapshots()
    packs = len(list((folder(repo) / "snaps").glob("*.pack")))
    assert packs == 2
    org_blob = cache.blob_id((repo / "okrs" / "org.yaml").read_bytes())
    # the whole tree: the whole history walked (not the walk kept at this commit), then
    # the prune
    shutil.rmtree(folder(repo) / "results")
    lint(repo)
    assert f"okr-{unreachable}" not in doc_names(folder(repo))
    # the history names no org.yaml: its document stays
    assert f"org-{org_blob}" in doc_names(folder(repo))
    assert len(list((folder(repo) / "docs").iterdir())) == 1  # merged into one pack
    after = cache.ParseCache(folder(repo))
    assert unreachable not in after.snapshots()
    assert len(list((folder(repo) / "snaps").glob("*.pack"))) == 1
    # the hook's read of one sheet prunes nothing, and writes no pack of its few versions
    docs = doc_files(repo)
    pack = next((folder(repo) / "snaps").glob("*.pack"))
    lint(repo, "okrs/2026-Q2/team-001.yaml")
    assert doc_files(repo) == docs
    assert list((folder(repo) / "snaps").glob("*.pack")) == [pack]


def test_okr_cache_info_and_clear(repo: Path) -> None:
    lint(repo)
    info = okr(repo, "cache", "info")
    assert info.returncode == 0
    lines = info.stdout.splitlines()
    assert lines[0] == f"parse cache: {folder(repo)}"
    assert lines[1].startswith(f"{len(doc_names(folder(repo)))} documents, ")
    assert " history snapshots in 1 packs, 1 history walks, " in lines[1]
    zh = okr(repo, "cache", "info", "--lang", "zh-TW").stdout.splitlines()
    assert zh[0] == f"解析快取：{folder(repo)}"
    assert "份文件、" in zh[1]
    # the hook's remembered boundary commit and its sheet's log (beside the cache) go too
    lint(repo, "okrs/2026-Q2/team-001.yaml")
    boundaries = repo / ".git" / "okrkit" / "boundaries.json"
    logs = repo / ".git" / "okrkit" / "logs.marshal"
    assert boundaries.is_file() and logs.is_file()
    # a pack, the history walk kept at HEAD, the boundary, the log
    count = len(doc_files(repo)) + 4
    assert okr(repo, "cache", "clear").stdout == f"removed {count} files from {folder(repo)}\n"
    assert not boundaries.exists() and not logs.exists()
    assert doc_files(repo) == []
    assert okr(repo, "cache", "clear", "--lang", "zh-TW").stdout == \
        f"已從 {folder(repo)} 刪除 0 個檔案\n"
    assert okr(repo, "cache", "info", cache_on=False).stdout.startswith("parse cache: off")


def test_git_dir_found_without_git(tmp_path: Path, repo: Path) -> None:
    assert git.git_dir_of(repo / "okrs" / "2026-Q1") == (repo / ".git").resolve()
    assert git.git_dir_of(repo / "okrs" / "2026-Q1" / "team-000.yaml") == \
        (repo / ".git").resolve()
    linked = tmp_path / "linked"
    synthorg.git(repo, "worktree", "add", "-q", str(linked))
    # a linked work tree shares the main git directory: one cache for both
    assert git.git_dir_of(linked / "okrs") == (repo / ".git").resolve()
    outside = tmp_path / "plain"
    outside.mkdir()
    assert git.git_dir_of(outside) is None
    assert cache.location(linked / "okrs") == ((repo / ".git").resolve() / "okrkit" / "cache",
                                               True)


def test_outside_git_in_the_users_folder(tmp_path: Path, synth: ModuleType) -> None:
    root = tmp_path / "plain"
    root.mkdir()
    synth.write_tree(root, teams=2, cycles=("2026-Q1",))
    where, in_git = cache.location(root / "okrs")
    assert not in_git and where == Path(os.environ["XDG_CACHE_HOME"]) / "okrkit" / "parses"
    first, second = lint(root), lint(root)
    assert first == second == lint(root, cache_on=False)
    assert len(doc_names(where)) == 3  # org + 2 sheets



# -- document packs, in one process (the layout's own failure cases) ------------------


def _docs(count: int, start: int = 0) -> dict[str, object]:
    found = {}
    for n in range(start, start + count):
        doc, _ = load_text("x.yaml", f"cycle: 2026-Q1\nteam: t{n}\n")
        assert doc is not None
        found[f"{n:040x}"] = doc
    return found


def _keep(where: Path, docs: dict[str, object], *, in_git: bool = True,
          reachable: set[str] | None = None) -> None:
    parses = cache.ParseCache(where, in_git=in_git)
    for blob, doc in docs.items():
        parses.keep_document(blob, "okr", doc)  # type: ignore[arg-type]
    parses.save(reachable=reachable)


def _read_back(where: Path, blob: str) -> object:
    found = cache.ParseCache(where).document(blob, "okr", "y.yaml")
    return found.data if found is not None else None


def test_a_pack_with_one_damaged_entry_serves_the_others(tmp_path: Path) -> None:
    docs = _docs(3)
    _keep(tmp_path, docs)
    (path,) = (tmp_path / "docs").iterdir()
    pack = cache._open_doc_pack(path)
    assert pack is not None
    offset, length, _ = pack.index[f"okr-{1:040x}"]
    data = bytearray(path.read_bytes())
    data[pack.start + offset + length // 2] ^= 0xFF
    path.write_bytes(bytes(data))
    assert _read_back(tmp_path, f"{0:040x}") == {"cycle": "2026-Q1", "team": "t0"}
    assert _read_back(tmp_path, f"{2:040x}") == {"cycle": "2026-Q1", "team": "t2"}
    assert cache.ParseCache(tmp_path).info().foreign == 1
    # the run that misses it parses it again, and its save merges the pack's good entries
    # with the new one: the damaged pack is gone (and no whole history read was needed)
    run = cache.ParseCache(tmp_path)
    assert run.document(f"{1:040x}", "okr", "y.yaml") is None
    run.keep_document(f"{1:040x}", "okr", docs[f"{1:040x}"])  # type: ignore[arg-type]
    run.save()
    assert cache.ParseCache(tmp_path).info().foreign == 0
    assert len(list((tmp_path / "docs").iterdir())) == 1
    assert all(_read_back(tmp_path, blob) is not None for blob in docs)


def test_a_pack_whose_header_is_damaged_is_foreign(tmp_path: Path) -> None:
    _keep(tmp_path, _docs(2))
    (path,) = (tmp_path / "docs").iterdir()
    data = bytearray(path.read_bytes())
    data[cache._HEADER + 7] = 0x7F  # the index's length: far beyond the file
    path.write_bytes(bytes(data))
    assert cache._open_doc_pack(path) is None
    assert _read_back(tmp_path, f"{0:040x}") is None
    assert cache.ParseCache(tmp_path).info().foreign == 1
    # the next whole history read drops it
    _keep(tmp_path, _docs(2), reachable={f"{n:040x}" for n in range(2)})
    assert cache.ParseCache(tmp_path).info().foreign == 0
    assert _read_back(tmp_path, f"{1:040x}") is not None


def test_packs_are_merged_and_a_merged_away_pack_is_a_miss(tmp_path: Path) -> None:
    reader = cache.ParseCache(tmp_path)
    for n in range(cache.MAX_PACKS):
        _keep(tmp_path, _docs(2, start=2 * n))
    assert len(list((tmp_path / "docs").iterdir())) == cache.MAX_PACKS
    assert reader.document(f"{0:040x}", "okr", "y.yaml") is not None  # reads the indexes
    _keep(tmp_path, _docs(1, start=100))  # one more: all merged into one
    assert len(list((tmp_path / "docs").iterdir())) == 1
    assert len(doc_names(tmp_path)) == 2 * cache.MAX_PACKS + 1
    # the reader read the indexes of packs that are gone since: a miss, not an error
    assert reader.document(f"{1:040x}", "okr", "y.yaml") is None
    assert _read_back(tmp_path, f"{1:040x}") is not None


def test_outside_git_the_newest_half_stays(tmp_path: Path,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cache, "MAX_LOOSE_DOCS", 20)
    for n in range(cache.MAX_PACKS + 1):
        _keep(tmp_path, _docs(5, start=5 * n), in_git=False)
    names = doc_names(tmp_path)
    assert names == {f"okr-{n:040x}" for n in range(25, 35)}


def test_a_cold_run_over_a_stale_pack_replaces_it(tmp_path: Path) -> None:
    docs = _docs(4)
    _keep(tmp_path, docs)
    (first,) = (tmp_path / "docs").iterdir()
    _keep(tmp_path, docs)  # every entry written again (a run that parsed them all)
    (second,) = (tmp_path / "docs").iterdir()
    assert first != second
    # foreign files and another layout's loose documents go with a whole history read
    (tmp_path / "docs" / f"okr-{0:040x}").write_bytes(b"an old loose document")
    _keep(tmp_path, {}, reachable=set(docs))
    assert not (tmp_path / "docs" / f"okr-{0:040x}").exists()
    assert doc_names(tmp_path) == {f"okr-{b}" for b in docs}
