"""Parsed versions kept by git blob id (DESIGN "A parse cache").

A sheet's bytes name it: git's blob id (sha1 of `blob <size>\\0` + bytes) is
computed here from the bytes, so a working-tree file equal to a committed
version is the same entry as that version. Two layers:

- **in memory, for one process**: the tree loader and the history reader ask
  the same `ParseCache`, so each distinct content is parsed once per run (and,
  under `mkdocs serve`, once per serve);
- **on disk, across runs**: under the repository's git directory
  (`<git-dir>/okrkit/cache/`; outside git, the user's cache directory),
  packs of documents (the tree loader's unit: the hook reads two, so each
  document is its own checksummed entry behind an index, read alone) and
  packs of history snapshots (the history reader's unit: thousands at once).

What is kept is position-preserving: a document's values, each value's and
key's line and column, and its `# okr:` comments, only for a file that loaded
with no finding and passed its schema; anything else is parsed every time, so
findings never come from the cache. Every file starts with a header: a magic
word, the cache key (okrkit's version, the schemas, the code that parses) and
a checksum of the payload (of a document pack: of its index, and the index
holds each entry's own checksum). A file or entry that is short, corrupt, or
written under another key is ignored (and replaced when its content is next
parsed). Files are written to a temporary name and renamed (`os.replace`), so
a concurrent run reads a whole file or none; a pack is never changed in place,
only replaced by a merged one. Pruned to what the history can still reach
after each whole history read. Safe to delete at any time (`okr cache clear`).
"""

from __future__ import annotations

import atexit
import contextlib
import hashlib
import marshal
import os
import time
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path
from typing import Any

from okrkit import git, resources
from okrkit.yamlload import Comment, Document

FORMAT = 2  # bump when what is stored changes shape
MAGIC = b"OKRPC\x00\x01\n"
DOCS_MAGIC = b"OKRPD\x00\x01\n"  # a document pack
_KEY_BYTES = 16
_SUM_BYTES = 16
_HEADER = len(MAGIC) + _KEY_BYTES + _SUM_BYTES
_DOCS_HEADER = _HEADER + 8  # ... and the index's length (8 bytes, little-endian)
DOCS_SUFFIX = ".docs"
MAX_PACKS = 6  # more snapshot (or document) packs than this are merged into one
MAX_RESULTS = 4  # results kept of each kind (history walks: okrkit.history_store): the newest
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


# -- document packs ---------------------------------------------------------------
#
# One file holds many documents: the header (DOCS_MAGIC, the key, the index's checksum,
# the index's length), the index (marshal: name -> (offset, length, checksum), offsets
# from the end of the index), then each document's marshalled payload. The hook reads
# the header and index, then seeks to its two documents; a whole-tree run reads them
# all. 800 documents as 800 files cost 800 creates and renames (0.6 s on this overlay
# filesystem), as one pack a single write.


@dataclass(slots=True, eq=False)
class _DocPack:
    path: Path
    start: int  # where the entries begin
    index: Mapping[str, tuple[int, int, bytes]]  # name -> (offset, length, checksum)
    damaged: bool = False  # an entry read did not match its checksum

    def raw(self, name: str) -> bytes | None:
        """One entry's payload, checked against its checksum; None when it is not
        there, unreadable or damaged."""
        found = self.index.get(name)
        if found is None:
            return None
        offset, length, checksum = found
        try:
            with open(self.path, "rb") as f:
                f.seek(self.start + offset)
                payload = f.read(length)
        except OSError:  # merged away by another run since its index was read: a miss
            return None
        if len(payload) != length or _checksum(payload) != checksum:
            self.damaged = True
            return None
        return payload

    def all_raw(self) -> dict[str, bytes]:
        """Every entry that is whole (one read of the file: a merge)."""
        try:
            data = self.path.read_bytes()
        except OSError:
            return {}
        found = {}
        for name, (offset, length, checksum) in self.index.items():
            payload = data[self.start + offset:self.start + offset + length]
            if len(payload) == length and _checksum(payload) == checksum:
                found[name] = payload
        return found


def _open_doc_pack(path: Path) -> _DocPack | None:
    """A pack's index; None when the file is missing, short, corrupt or foreign."""
    try:
        with open(path, "rb") as f:
            head = f.read(_DOCS_HEADER)
            if len(head) < _DOCS_HEADER or not head.startswith(DOCS_MAGIC) or \
                    head[len(DOCS_MAGIC):len(DOCS_MAGIC) + _KEY_BYTES] != cache_key():
                return None
            length = int.from_bytes(head[_HEADER:], "little")
            if length > os.fstat(f.fileno()).st_size - _DOCS_HEADER:  # cut short, or a
                return None  # damaged length (never read that much)
            packed = f.read(length)
    except OSError:
        return None
    if len(packed) != length or _checksum(packed) != head[_HEADER - _SUM_BYTES:_HEADER]:
        return None
    try:
        index = marshal.loads(packed)
    except (ValueError, EOFError, TypeError):  # pragma: no cover (the checksum matched)
        return None
    if not isinstance(index, dict):  # pragma: no cover (only this module writes one)
        return None
    return _DocPack(path, _DOCS_HEADER + length, index)


def _write_doc_pack(folder: Path, payloads: Mapping[str, bytes]) -> Path:
    """A new pack of these (already marshalled) entries, written atomically."""
    index: dict[str, tuple[int, int, bytes]] = {}
    offset = 0
    for name, payload in payloads.items():
        index[name] = (offset, len(payload), _checksum(payload))
        offset += len(payload)
    packed = marshal.dumps(index)
    path = folder / f"{os.urandom(8).hex()}{DOCS_SUFFIX}"
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        with open(tmp, "wb") as f:
            f.write(DOCS_MAGIC + cache_key() + _checksum(packed)
                    + len(packed).to_bytes(8, "little") + packed)
            f.writelines(payloads.values())
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return path


def _unreachable(name: str, keep: set[str]) -> bool:
    # sheets only: the history names no org.yaml (nor a config), whose documents stay (a
    # few; replaced when their content is next parsed)
    return name.startswith("okr-") and name[4:] not in keep


def document_payload(doc: Document) -> bytes:
    """A document as a pack holds it (`ParseCache.keep_payload` takes it back)."""
    return marshal.dumps((doc.data, dict(doc.values), dict(doc.keys),
                          tuple((c.line, c.col, c.text) for c in doc.comments)))


def _doc_from(payload: bytes, path: str) -> Document | None:
    try:
        found = marshal.loads(payload)
    except (ValueError, EOFError, TypeError):  # pragma: no cover (the checksum matched)
        return None
    if not (isinstance(found, tuple) and len(found) == 4):  # pragma: no cover
        return None
    data, values, keys, comments = found
    return Document(path, data, values, keys, tuple(Comment(*c) for c in comments))


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
        self._doc_packs: list[_DocPack] | None = None  # the document packs, oldest first
        self._doc_others: list[str] = []  # other files in docs/: broken, foreign, temporary
        self._snaps: dict[str, Any] | None = None  # the packs, read when first asked
        self._pack_names: list[str] = []
        self._new_docs: dict[tuple[str, str], Document] = {}
        # documents handed over already marshalled (by the history's second process):
        # unmarshalled only when asked for, written as they are
        self._payloads: dict[tuple[str, str], bytes] = {}
        self._new_payloads: dict[tuple[str, str], bytes] = {}
        self._new_snaps: dict[str, Any] = {}
        self.used: set[str] = set()  # blobs asked for or kept by this process
        self._results: dict[str, Any] = {}
        self._settled = folder is None  # a writer of another run waited for (in_background)

    def _dir(self) -> Path | None:
        """The folder, for reading or writing it (None: memory only). The first time, a
        writer of an earlier run still writing into it is waited for, so what it writes
        is read whole: every look at the folder goes through here."""
        if not self._settled:
            self._settled = True
            if self.folder is not None:
                _await_writer(self.folder)
        return self.folder

    # -- documents (the tree loader) ----------------------------------------------

    def document(self, blob: str, kind: str, path: str) -> Document | None:
        """The document of a blob that loaded cleanly as `kind`, shown at `path`."""
        self.used.add(blob)
        doc = self._docs.get((blob, kind))
        if doc is None and (blob, kind) in self._payloads:
            doc = _doc_from(self._payloads[(blob, kind)], path)
            if doc is not None:
                self._docs[(blob, kind)] = doc
        if doc is None and self.folder is not None:
            name = f"{kind}-{blob}"
            for pack in reversed(self._read_doc_packs()):
                payload = pack.raw(name)
                if payload is not None and (doc := _doc_from(payload, path)) is not None:
                    self._docs[(blob, kind)] = doc
                    break
        if doc is None:
            return None
        return doc if doc.path == path else replace(doc, path=path)

    def keep_document(self, blob: str, kind: str, doc: Document) -> None:
        """A document that loaded with no finding and passed its `kind` schema."""
        self.used.add(blob)
        if (blob, kind) not in self._docs and (blob, kind) not in self._payloads:
            self._docs[(blob, kind)] = doc
            self._new_docs[(blob, kind)] = doc

    def keep_payload(self, blob: str, kind: str, payload: bytes) -> None:
        """`keep_document` of a document already marshalled (`document_payload`)."""
        self.used.add(blob)
        if (blob, kind) not in self._docs and (blob, kind) not in self._payloads:
            self._payloads[(blob, kind)] = self._new_payloads[(blob, kind)] = payload

    # -- snapshots (the history reader) -------------------------------------------

    def snapshots(self) -> Mapping[str, Any]:
        """Every snapshot kept, by blob id (as `keep_snapshots` was given them)."""
        if self._snaps is None:
            self._snaps = {}
            if (folder := self._dir()) is not None:
                for name in self._packs():
                    found = _read(folder / "snaps" / name)
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

    def _read_doc_packs(self) -> list[_DocPack]:
        """The indexes of the document packs (read once a process), oldest first."""
        if self._doc_packs is None:
            self._doc_packs, self._doc_others = [], []
            if (folder := self._dir()) is not None:
                try:
                    entries = list(os.scandir(folder / "docs"))
                except OSError:
                    entries = []
                dated = []
                for entry in entries:
                    try:
                        dated.append((entry.stat().st_mtime_ns, entry.name))
                    except OSError:  # merged away just now
                        continue
                for _, name in sorted(dated):
                    found = _open_doc_pack(folder / "docs" / name) \
                        if name.endswith(DOCS_SUFFIX) and not name.startswith(".") else None
                    if found is not None:
                        self._doc_packs.append(found)
                    else:
                        self._doc_others.append(name)
        return self._doc_packs

    def _packs(self) -> list[str]:
        folder = self._dir()
        assert folder is not None
        try:
            return sorted(n for n in os.listdir(folder / "snaps") if n.endswith(".pack"))
        except OSError:
            return []

    # -- whole results (a history read at one commit) ------------------------------

    def result(self, name: str) -> Any:
        """A value kept under `name` by `keep_result` (in this process or an earlier run);
        None when there is none (or it is corrupt, truncated or foreign)."""
        if name in self._results:
            return self._results[name]
        folder = self._dir()
        found = _read(folder / "results" / name) if folder is not None else None
        self._results[name] = found
        return found

    def result_names(self, prefix: str) -> list[str]:
        """The names of the results kept whose name starts with `prefix`."""
        names = {n for n, v in self._results.items() if v is not None and n.startswith(prefix)}
        if (folder := self._dir()) is not None:
            with contextlib.suppress(OSError):  # no folder yet: none kept
                names.update(n for n in os.listdir(folder / "results")
                             if n.startswith(prefix))
        return sorted(names)

    def keep_result(self, name: str, value: Any) -> None:
        """Keep a value `marshal` writes, now (a result is written once, whole); the
        oldest results of its kind (the name up to its first "-") beyond `MAX_RESULTS` go."""
        self._results[name] = value
        if not self.writable or (top := self._dir()) is None:
            return
        folder = top / "results"
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

    def settle(self) -> None:
        """What is kept so far is being written by another process (`in_background`):
        not this one's to write. Its snapshots are not read back by this process."""
        self._new_docs, self._new_payloads, self._new_snaps = {}, {}, {}
        self._snaps = None
        self._pack_names = []

    # -- writing ------------------------------------------------------------------

    def save(self, *, reachable: Collection[str] | None = None) -> None:
        """Write what this run parsed; with `reachable` (every blob a whole history read
        named), also drop what nothing reaches any more. Never raises: a cache that
        cannot be written (a read-only folder, a full disk) is simply not kept."""
        new_docs, self._new_docs = self._new_docs, {}
        new_payloads, self._new_payloads = self._new_payloads, {}
        new_snaps, self._new_snaps = self._new_snaps, {}
        if not self.writable or (folder := self._dir()) is None:
            return
        try:
            if new_docs or new_payloads or reachable is not None:
                keep = set(reachable) | self.used if reachable is not None else None
                self._save_docs({**{f"{kind}-{blob}": payload
                                    for (blob, kind), payload in new_payloads.items()},
                                 **{f"{kind}-{blob}": document_payload(doc)
                                    for (blob, kind), doc in new_docs.items()}}, keep)
            if new_snaps:
                (folder / "snaps").mkdir(parents=True, exist_ok=True)
                name = f"{os.urandom(8).hex()}.pack"
                _write(folder / "snaps" / name, new_snaps)
                assert self._snaps is not None  # keep_snapshots read them
                self._snaps.update(new_snaps)
                self._pack_names.append(name)
            if reachable is not None:
                self._prune(set(reachable) | self.used)
        except OSError:
            self.writable = False  # one try a process: the run goes on without it

    def _prune(self, keep: set[str]) -> None:
        folder = self._dir()
        assert folder is not None
        snaps = self.snapshots()
        packs = self._packs()
        stale = [b for b in snaps if b not in keep]
        if len(packs) <= MAX_PACKS and not stale and set(packs) == set(self._pack_names):
            return  # nothing unreachable, and no pack of another version or a broken one
        kept = {b: s for b, s in snaps.items() if b in keep}
        name = f"{os.urandom(8).hex()}.pack"
        (folder / "snaps").mkdir(parents=True, exist_ok=True)
        _write(folder / "snaps" / name, kept)
        for old in packs:  # another run may be reading one: it then sees it gone, a miss
            (folder / "snaps" / old).unlink(missing_ok=True)
        self._snaps, self._pack_names = kept, [name]

    def _save_docs(self, payloads: dict[str, bytes], keep: set[str] | None) -> None:
        """Write this run's documents as one pack. Packs are never changed, only merged:
        with `keep` (a whole history read), when some entry is unreachable or some file
        broken or foreign; always, when there are more than `MAX_PACKS`, an entry this
        run read was damaged, or this run wrote again part of a pack. A pack whose every
        entry the new one holds again goes (a cold run over a kept cache)."""
        folder = self._dir()
        assert folder is not None
        docs = folder / "docs"
        packs = self._read_doc_packs()
        for name in [n for n in self._doc_others if n.startswith(".")]:
            _drop_stale_tmp(docs / name)
        others = [n for n in self._doc_others if not n.startswith(".")]
        stale = keep is not None and any(
            _unreachable(name, keep) for pack in packs for name in pack.index)
        # what this run parsed again although a pack holds it: that pack's entry may be
        # damaged (nothing read it to know): the pack goes whole, or is merged
        again = [p for p in packs if payloads and not p.index.keys().isdisjoint(payloads)]
        superseded = [p for p in again if p.index.keys() <= payloads.keys()]
        if (keep is not None and (stale or others)) or any(p.damaged for p in packs) or \
                len(again) > len(superseded) or len(packs) + bool(payloads) > MAX_PACKS:
            merged: dict[str, bytes] = {}
            for pack in packs:
                if pack in superseded:
                    continue
                merged.update({name: payload for name, payload in pack.all_raw().items()
                               if keep is None or not _unreachable(name, keep)})
            merged.update(payloads)
            if not self.in_git and len(merged) > MAX_LOOSE_DOCS:
                # outside git nothing says what is reachable: the newest half stays
                merged = dict(list(merged.items())[len(merged) - MAX_LOOSE_DOCS // 2:])
            gone, self._doc_packs = packs, []
            self._doc_others = []
            payloads = merged
        else:
            gone, others = superseded, []
        if payloads:
            docs.mkdir(parents=True, exist_ok=True)
            written = _open_doc_pack(_write_doc_pack(docs, payloads))
            if written is not None:
                self._doc_packs = [p for p in self._doc_packs or [] if p not in gone]
                self._doc_packs.append(written)
        # another run may be reading one: its entries are in the new pack, or were unwanted
        for pack in gone:
            pack.path.unlink(missing_ok=True)
        for name in others:
            (docs / name).unlink(missing_ok=True)

    # -- okr cache ----------------------------------------------------------------

    def info(self) -> CacheInfo:
        if (folder := self._dir()) is None:
            return CacheInfo(None, 0, 0, 0, 0, 0)
        packs = snapshots = size = foreign = results = 0
        documents: set[str] = set()  # a document in two packs (two runs at once) is one
        for sub in ("docs", "snaps", "results"):
            try:
                entries = list(os.scandir(folder / sub))
            except OSError:
                continue
            for entry in entries:
                if entry.name.startswith("."):
                    continue
                size += entry.stat().st_size
                if sub == "docs":
                    pack = _open_doc_pack(Path(entry.path)) \
                        if entry.name.endswith(DOCS_SUFFIX) else None
                    # every entry checked: a pack with a damaged one counts as damaged
                    if pack is None or len(pack.all_raw()) != len(pack.index):
                        foreign += 1
                    else:
                        documents.update(pack.index)
                    continue
                found = _read(Path(entry.path))
                if found is None:
                    foreign += 1
                elif sub == "results":
                    results += 1
                else:
                    packs += 1
                    snapshots += len(found)
        return CacheInfo(folder, len(documents), packs, snapshots, size, foreign,
                         results)

    def clear(self) -> int:
        """Delete every cached file; how many were deleted."""
        self._docs.clear()
        self._payloads.clear()
        self._doc_packs = None
        self._snaps = None
        self._pack_names = []
        self._results.clear()
        if (folder := self._dir()) is None:
            return 0
        count = 0
        for sub in ("docs", "snaps", "results"):
            try:
                names = os.listdir(folder / sub)
            except OSError:
                continue
            for name in names:
                (folder / sub / name).unlink(missing_ok=True)
                count += 1
        for name in (BOUNDARIES, LOGS):
            beside = folder.parent / name
            if self.in_git and beside.is_file():
                beside.unlink(missing_ok=True)
                count += 1
        return count


_WRITERS: list[int] = []  # forked writers not waited for yet
# the folders whose lock a writer of this process holds: this process never waits for them
_OWN_LOCKS: set[Path] = set()
# in a cache folder: held (flock, exclusive) by the writer writing into it, from before it
# is forked until it exits; a process that reads the folder waits for it first
LOCK_NAME = "writer.lock"
WAIT_ENV = "OKRKIT_CACHE_WAIT"  # "1": the `okr` command waits for its writer before it exits
_WRITER_NICE = 10  # how much lower the writer's priority is than the command's
_WAIT_LIMIT = 120.0  # seconds a reader waits for a writer at most (a writer stuck on a
# dead disk): after that it reads what is there, which atomic files keep whole


def in_background(write: Callable[[], None], folder: Path | None = None) -> bool:
    """Run `write` (a `save`) in a forked process; False when it cannot be (the caller then
    writes). The child never raises: what it cannot write is simply not kept, as `save`
    does. It is waited for when this process exits (or by `wait_for_writers`), unless
    `detach_writers` said not to (the `okr` command: see there).

    `folder`: the cache folder it writes into. Its lock is taken here, before the fork,
    and held by the child until it exits, so a process started any time after this one
    (the next command, `okr cache info`) finds it held and waits (`_await_writer`);
    when another writer holds it, False (the caller writes, as two runs at once do)."""
    lock = _take_lock(folder) if folder is not None else None
    if folder is not None and lock is None:
        return False
    try:
        pid = os.fork()
    except OSError:
        if lock is not None:
            os.close(lock)
        return False
    if pid == 0:
        try:
            _leave()
            write()
        finally:
            os._exit(0)  # no cleanup of the parent's state (its buffers, its atexit)
    if lock is not None:
        os.close(lock)  # the child's copy holds the lock
        assert folder is not None
        _OWN_LOCKS.add(folder)
    if not _WRITERS:
        atexit.register(wait_for_writers)
    _WRITERS.append(pid)
    return True


def _take_lock(folder: Path) -> int | None:
    """The folder's writer lock, taken (an open descriptor); None when another holds it
    or it cannot be made (a read-only folder: nothing would be written anyway)."""
    try:
        import fcntl

        folder.mkdir(parents=True, exist_ok=True)
        fd = os.open(folder / LOCK_NAME, os.O_RDWR | os.O_CREAT, 0o644)
    except (ImportError, OSError):
        return None
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        os.close(fd)
        return None
    return fd


def _leave() -> None:
    """In a forked writer: its own session
    (no signal to the command's process group reaches it), no terminal or pipe of the
    command's open (whoever reads the command's output sees its end when it exits; the
    command opens nothing else a caller could wait on: subprocesses' pipes are closed),
    and a lower priority: it starts while the linter walks the history and its forked
    rules run (two processes on a machine of two cores); what they print is awaited,
    the cache is not."""
    with contextlib.suppress(OSError):
        os.setsid()
    with contextlib.suppress(OSError):
        os.nice(_WRITER_NICE)
    null = os.open(os.devnull, os.O_RDWR)
    for fd in (0, 1, 2):
        os.dup2(null, fd)
    os.close(null)


def _await_writer(folder: Path) -> None:
    """Wait until no writer of another process holds `folder`'s lock (see in_background)."""
    if folder in _OWN_LOCKS:
        return
    try:
        import fcntl

        fd = os.open(folder / LOCK_NAME, os.O_RDONLY)
    except (ImportError, OSError):  # no lock file: no writer ever wrote here
        return
    try:
        deadline = time.monotonic() + _WAIT_LIMIT
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
                return
            except OSError:
                if time.monotonic() > deadline:
                    return
                time.sleep(0.005)
    finally:
        os.close(fd)  # and with it the shared lock


def wait_for_writers() -> None:
    """Reap every writer `in_background` started (no zombie outlives a run)."""
    while _WRITERS:
        pid = _WRITERS.pop()
        with contextlib.suppress(ChildProcessError):
            os.waitpid(pid, 0)
    _OWN_LOCKS.clear()  # released with their writers


def detach_writers() -> None:
    """This process is about to exit (the `okr` command): its writers go on by themselves,
    as git's automatic gc does, and finish the cache while the user reads the output. A
    command started before one has finished waits for it (their lock), so it finds the
    cache whole. With OKRKIT_CACHE_WAIT=1 the command waits for them itself."""
    if os.environ.get(WAIT_ENV) == "1":
        wait_for_writers()
    else:
        _WRITERS.clear()  # not reaped here: the process ends, and init reaps them
        _OWN_LOCKS.clear()


_CACHES: dict[Path | None, ParseCache] = {}


# beside the cache in the git directory: the hook's remembered boundary commit and its
# sheets' logs (history)
BOUNDARIES = "boundaries.json"
LOGS = "logs.marshal"


def boundaries_file(path: Path) -> Path | None:
    """Where the boundary commit of the files under `path` is remembered; None outside
    git or with the disk layer off (then it is found each time)."""
    folder, in_git = location(path)
    return folder.parent / BOUNDARIES if folder is not None and in_git else None


def logs_file(path: Path) -> Path | None:
    """Where the log of a few sheets under `path` is remembered by HEAD (the hook's); None
    outside git or with the disk layer off (then it is read each time)."""
    boundaries = boundaries_file(path)
    return boundaries.with_name(LOGS) if boundaries is not None else None


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
