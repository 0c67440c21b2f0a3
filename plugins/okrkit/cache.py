"""Parsed versions kept by git blob id (DESIGN "A parse cache").

A sheet's bytes name it: git's blob id (sha1 of `blob <size>\\0` + bytes) is
computed here from the bytes, so a working-tree file equal to a committed
version is the same entry as that version. Two layers:

- **in memory, for one process**: the tree loader and the history reader ask
  the same `ParseCache`, so each distinct content is parsed once per run (and,
  under `mkdocs serve`, once per serve);
- **on disk, across runs**: under the repository's git directory
  (`<git-dir>/okrkit/cache/`; outside git, the user's cache directory), a
  file per parsed document (the tree loader's unit: the hook reads two) and
  packs of history snapshots (the history reader's unit: thousands at once).

What is kept is position-preserving: a document's values, each value's and
key's line and column, and its `# okr:` comments, only for a file that loaded
with no finding and passed its schema; anything else is parsed every time, so
findings never come from the cache. Every file starts with a header: a magic
word, the cache key (okrkit's version, the schemas, the code that parses) and
a checksum of the payload. A file that is short, corrupt, or written under
another key is ignored (and replaced when its content is next parsed). Files
are written to a temporary name and renamed (`os.replace`), so a concurrent
run reads a whole file or none. Pruned to what the history can still reach
after each whole history read. Safe to delete at any time (`okr cache clear`).
"""

from __future__ import annotations

import contextlib
import hashlib
import marshal
import os
import time
from collections.abc import Collection, Mapping
from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path
from typing import Any

from okrkit import git, resources
from okrkit.yamlload import Comment, Document

FORMAT = 1  # bump when what is stored changes shape
MAGIC = b"OKRPC\x00\x01\n"
_KEY_BYTES = 16
_SUM_BYTES = 16
_HEADER = len(MAGIC) + _KEY_BYTES + _SUM_BYTES
MAX_PACKS = 6  # more snapshot packs than this are merged into one
MAX_RESULTS = 4  # whole results kept (a history per commit read): the newest
# outside git nothing says what is still reachable: the oldest documents beyond this go
MAX_LOOSE_DOCS = 20_000
DISABLE_ENV = "OKRKIT_PARSE_CACHE"  # "0": no disk layer (benchmarks, tests, debugging)
# the modules whose code decides what a parse gives: an edited copy (an editable install)
# must not read what another copy wrote under the same version number
_CODE = ("yamlload.py", "schema.py", "history.py", "cache.py", "build.py", "model.py")


def blob_id(raw: bytes) -> str:
    """git's object id of these bytes as a blob (`git hash-object`)."""
    return hashlib.sha1(b"blob %d\0" % len(raw) + raw, usedforsecurity=False).hexdigest()


@cache
def cache_key() -> bytes:
    """What every entry is checked against: okrkit's version, the schemas, the code."""
    from okrkit import __version__

    digest = hashlib.blake2b(digest_size=_KEY_BYTES)
    digest.update(f"{FORMAT}\0{__version__}\0{marshal.version}\0".encode())
    for kind in ("okr", "org"):
        digest.update(resources.schema_file(kind).read_bytes())
    here = Path(__file__).parent
    for name in _CODE:
        try:
            stat = (here / name).stat()
        except OSError:
            continue
        digest.update(f"{name}\0{stat.st_size}\0{stat.st_mtime_ns}\0".encode())
    return digest.digest()


def _checksum(payload: bytes) -> bytes:
    return hashlib.blake2b(payload, digest_size=_SUM_BYTES).digest()


def _read(path: Path) -> Any:
    """A file's payload, unmarshalled; None when it is missing, short, corrupt or foreign."""
    try:
        data = path.read_bytes()
    except OSError:
        return None
    if len(data) < _HEADER or not data.startswith(MAGIC):
        return None
    key = data[len(MAGIC):len(MAGIC) + _KEY_BYTES]
    payload = data[_HEADER:]
    if key != cache_key() or data[len(MAGIC) + _KEY_BYTES:_HEADER] != _checksum(payload):
        return None
    try:
        return marshal.loads(payload)
    except (ValueError, EOFError, TypeError):  # pragma: no cover (the checksum matched)
        return None


def _write(path: Path, value: Any) -> None:
    """Write atomically: a temporary file in the same folder, then `os.replace`."""
    payload = marshal.dumps(value)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{os.urandom(4).hex()}.tmp")
    try:
        with open(tmp, "wb") as f:
            f.write(MAGIC + cache_key() + _checksum(payload) + payload)
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def _drop_stale_tmp(path: Path) -> None:
    """A temporary file left by a run that died (not one being written right now)."""
    try:
        if path.name.endswith(".tmp") and time.time() - path.stat().st_mtime > 600:
            path.unlink()
    except OSError:
        pass


@dataclass(frozen=True, slots=True)
class CacheInfo:
    folder: Path | None
    documents: int
    packs: int
    snapshots: int
    bytes: int
    foreign: int  # files written under another key (or unreadable): dropped by the next prune
    results: int = 0  # whole history walks kept (okrkit.history_store)


class ParseCache:
    """The documents and history snapshots of one repository (or of no repository)."""

    def __init__(self, folder: Path | None, *, in_git: bool = True) -> None:
        self.folder = folder  # None: memory only
        self.in_git = in_git  # else the user's folder, shared by every tree outside git
        self.writable = folder is not None
        self._docs: dict[tuple[str, str], Document] = {}
        self._snaps: dict[str, Any] | None = None  # the packs, read when first asked
        self._pack_names: list[str] = []
        self._new_docs: dict[tuple[str, str], Document] = {}
        self._new_snaps: dict[str, Any] = {}
        self.used: set[str] = set()  # blobs asked for or kept by this process
        self._results: dict[str, Any] = {}

    # -- documents (the tree loader) ----------------------------------------------

    def document(self, blob: str, kind: str, path: str) -> Document | None:
        """The document of a blob that loaded cleanly as `kind`, shown at `path`."""
        self.used.add(blob)
        doc = self._docs.get((blob, kind))
        if doc is None and self.folder is not None:
            found = _read(self.folder / "docs" / f"{kind}-{blob}")
            if isinstance(found, tuple) and len(found) == 4:
                data, values, keys, comments = found
                doc = Document(path, data, values, keys,
                               tuple(Comment(*c) for c in comments))
                self._docs[(blob, kind)] = doc
        if doc is None:
            return None
        return doc if doc.path == path else replace(doc, path=path)

    def keep_document(self, blob: str, kind: str, doc: Document) -> None:
        """A document that loaded with no finding and passed its `kind` schema."""
        self.used.add(blob)
        if (blob, kind) not in self._docs:
            self._docs[(blob, kind)] = doc
            self._new_docs[(blob, kind)] = doc

    # -- snapshots (the history reader) -------------------------------------------

    def snapshots(self) -> Mapping[str, Any]:
        """Every snapshot kept, by blob id (as `keep_snapshots` was given them)."""
        if self._snaps is None:
            self._snaps = {}
            if self.folder is not None:
                for name in self._packs():
                    found = _read(self.folder / "snaps" / name)
                    if isinstance(found, dict):
                        self._snaps.update(found)
                        self._pack_names.append(name)
        return self._snaps

    def keep_snapshots(self, snaps: Mapping[str, Any]) -> None:
        """Snapshots of blobs parsed by this run: values `marshal` can write. A mapping
        whose values share objects is written with them shared."""
        known = self.snapshots()
        for blob, snap in snaps.items():
            if blob not in known:
                self._new_snaps[blob] = snap
        self.used.update(snaps)

    def _packs(self) -> list[str]:
        assert self.folder is not None
        try:
            return sorted(n for n in os.listdir(self.folder / "snaps") if n.endswith(".pack"))
        except OSError:
            return []

    # -- whole results (a history read at one commit) ------------------------------

    def result(self, name: str) -> Any:
        """A value kept under `name` by `keep_result` (in this process or an earlier run);
        None when there is none (or it is corrupt, truncated or foreign)."""
        if name in self._results:
            return self._results[name]
        found = _read(self.folder / "results" / name) if self.folder is not None else None
        self._results[name] = found
        return found

    def result_names(self, prefix: str) -> list[str]:
        """The names of the results kept whose name starts with `prefix`."""
        names = {n for n, v in self._results.items() if v is not None and n.startswith(prefix)}
        if self.folder is not None:
            with contextlib.suppress(OSError):  # no folder yet: none kept
                names.update(n for n in os.listdir(self.folder / "results")
                             if n.startswith(prefix))
        return sorted(names)

    def keep_result(self, name: str, value: Any) -> None:
        """Keep a value `marshal` writes, now (a result is written once, whole); the
        oldest results of its kind (the name up to its first "-") beyond `MAX_RESULTS` go."""
        self._results[name] = value
        if self.folder is None or not self.writable:
            return
        folder = self.folder / "results"
        try:
            folder.mkdir(parents=True, exist_ok=True)
            _write(folder / name, value)
            kind = name.split("-", 1)[0] + "-"
            entries = [e for e in os.scandir(folder) if e.name.startswith(kind)]
            if len(entries) > MAX_RESULTS:
                entries.sort(key=lambda e: e.stat().st_mtime_ns)
                for entry in entries[:len(entries) - MAX_RESULTS]:
                    Path(entry.path).unlink(missing_ok=True)
            for entry in os.scandir(folder):
                if entry.name.startswith("."):
                    _drop_stale_tmp(Path(entry.path))
        except OSError:
            self.writable = False

    # -- writing ------------------------------------------------------------------

    def save(self, *, reachable: Collection[str] | None = None) -> None:
        """Write what this run parsed; with `reachable` (every blob a whole history read
        named), also drop what nothing reaches any more. Never raises: a cache that
        cannot be written (a read-only folder, a full disk) is simply not kept."""
        new_docs, self._new_docs = self._new_docs, {}
        new_snaps, self._new_snaps = self._new_snaps, {}
        if self.folder is None or not self.writable:
            return
        try:
            if new_docs:
                (self.folder / "docs").mkdir(parents=True, exist_ok=True)
                for (blob, kind), doc in new_docs.items():
                    _write(self.folder / "docs" / f"{kind}-{blob}",
                           (doc.data, dict(doc.values), dict(doc.keys),
                            tuple((c.line, c.col, c.text) for c in doc.comments)))
            if new_snaps:
                (self.folder / "snaps").mkdir(parents=True, exist_ok=True)
                name = f"{os.urandom(8).hex()}.pack"
                _write(self.folder / "snaps" / name, new_snaps)
                assert self._snaps is not None  # keep_snapshots read them
                self._snaps.update(new_snaps)
                self._pack_names.append(name)
            if reachable is not None:
                self._prune(set(reachable) | self.used)
            elif new_docs and not self.in_git:
                self._cap(self.folder / "docs")
        except OSError:
            self.writable = False  # one try a process: the run goes on without it

    def _prune(self, keep: set[str]) -> None:
        assert self.folder is not None
        docs = self.folder / "docs"
        try:
            names = os.listdir(docs)
        except OSError:
            names = []
        for name in names:
            if name.startswith("."):
                _drop_stale_tmp(docs / name)
            elif name.startswith("okr-") and name[4:] not in keep:
                # sheets only: the history names no org.yaml (nor a config), whose
                # documents stay (a few; replaced when their content is next parsed)
                (docs / name).unlink(missing_ok=True)
        snaps = self.snapshots()
        packs = self._packs()
        stale = [b for b in snaps if b not in keep]
        if len(packs) <= MAX_PACKS and not stale and set(packs) == set(self._pack_names):
            return  # nothing unreachable, and no pack of another version or a broken one
        kept = {b: s for b, s in snaps.items() if b in keep}
        name = f"{os.urandom(8).hex()}.pack"
        (self.folder / "snaps").mkdir(parents=True, exist_ok=True)
        _write(self.folder / "snaps" / name, kept)
        for old in packs:  # another run may be reading one: it then sees it gone, a miss
            (self.folder / "snaps" / old).unlink(missing_ok=True)
        self._snaps, self._pack_names = kept, [name]

    @staticmethod
    def _cap(docs: Path) -> None:
        """Outside git: keep the newest `MAX_LOOSE_DOCS // 2` documents once there are more
        than `MAX_LOOSE_DOCS` (a listing per run that wrote something: cheap)."""
        names = os.listdir(docs)
        if len(names) <= MAX_LOOSE_DOCS:
            return
        by_age = sorted(((docs / n).stat().st_mtime, n) for n in names)
        for _, name in by_age[:len(by_age) - MAX_LOOSE_DOCS // 2]:
            (docs / name).unlink(missing_ok=True)

    # -- okr cache ----------------------------------------------------------------

    def info(self) -> CacheInfo:
        if self.folder is None:
            return CacheInfo(None, 0, 0, 0, 0, 0)
        documents = packs = snapshots = size = foreign = results = 0
        for sub in ("docs", "snaps", "results"):
            try:
                entries = list(os.scandir(self.folder / sub))
            except OSError:
                continue
            for entry in entries:
                if entry.name.startswith("."):
                    continue
                size += entry.stat().st_size
                found = _read(Path(entry.path))
                if found is None:
                    foreign += 1
                elif sub == "docs":
                    documents += 1
                elif sub == "results":
                    results += 1
                else:
                    packs += 1
                    snapshots += len(found)
        return CacheInfo(self.folder, documents, packs, snapshots, size, foreign, results)

    def clear(self) -> int:
        """Delete every cached file; how many were deleted."""
        self._docs.clear()
        self._snaps = None
        self._pack_names = []
        self._results.clear()
        if self.folder is None:
            return 0
        count = 0
        for sub in ("docs", "snaps", "results"):
            try:
                names = os.listdir(self.folder / sub)
            except OSError:
                continue
            for name in names:
                (self.folder / sub / name).unlink(missing_ok=True)
                count += 1
        return count


_CACHES: dict[Path | None, ParseCache] = {}


def location(path: Path) -> tuple[Path | None, bool]:
    """Where the cache of the files under `path` lives, and whether that is in a git
    directory: `<git-dir>/okrkit/cache`, else the user's cache folder (OKRKIT_CACHE_DIR,
    XDG_CACHE_HOME or ~/.cache, then okrkit/parses); None when the disk layer is off."""
    if os.environ.get(DISABLE_ENV, "1") == "0":
        return None, False
    git_dir = git.git_dir_of(path)
    if git_dir is not None:
        return git_dir / "okrkit" / "cache", True
    from okrkit.schema import _cache_dir

    return _cache_dir() / "parses", False


_BY_PATH: dict[tuple[Path, str | None], ParseCache] = {}


def for_path(path: Path) -> ParseCache:
    """The process's one cache for the files under `path` (a folder)."""
    memo = (path, os.environ.get(DISABLE_ENV))  # asked once a file: no walk up each time
    found = _BY_PATH.get(memo)
    if found is None:
        folder, in_git = location(path)
        found = _CACHES.get(folder)
        if found is None:
            found = _CACHES[folder] = ParseCache(folder, in_git=in_git)
        _BY_PATH[memo] = found
    return found
