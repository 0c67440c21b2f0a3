"""Replay the demo's story (demo/story.yaml) into a git repository with real dates.

    python demo/replay.py [DEST]          # default build/demo-repo (`make demo`)

The story is data: who changed what in okrs/, when, and with which message.
Each commit names the files it adds, the fields it `set`s on key results or
objectives (by their ref, `cycle/team/objective[/kr]`, as they are named at
the end) and the keys it `reveal`s (a score, a retrospective, `revisions:`).
The text of every version comes from okrs/ itself, walked backwards: the
end is the story's last values applied to okrs/ (so okrs/ itself when the
two agree, as tests/test_demo_story.py checks), and each earlier version undoes
one commit with okrkit's surgical YAML edit, so every commit's diff is just
what the story says it changed. One `git fast-import` writes the history
(one process, deterministic shas); the work tree is then checked out.
"""

from __future__ import annotations

import argparse
import datetime as dt
import itertools
import os
import shutil
import subprocess
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, SequenceNode

from okrkit.errors import FatalError
from okrkit.yamledit import Edit, apply_edits
from okrkit.yamlload import JPath

ROOT = Path(__file__).resolve().parent.parent
STORY = ROOT / "demo" / "story.yaml"
DEFAULT_DEST = ROOT / "build" / "demo-repo"
TZ = dt.timezone(dt.timedelta(hours=8))  # the demo company is in Taipei


@dataclass
class Commit:
    index: int
    date: dt.datetime
    author: str
    message: str
    add: tuple[str, ...] = ()
    sets: dict[str, dict[str, Any]] = field(default_factory=dict)
    reveals: dict[str, tuple[str, ...]] = field(default_factory=dict)


def load_story(path: Path) -> list[Commit]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    commits = []
    for i, raw in enumerate(data.get("commits") or []):
        where = f"{path.name}: commit {i + 1}"
        try:
            date = dt.datetime.strptime(str(raw["date"]), "%Y-%m-%d %H:%M").replace(tzinfo=TZ)
            commits.append(Commit(
                i, date, str(raw["author"]), str(raw["message"]).rstrip("\n"),
                tuple(raw.get("add") or ()),
                {str(k): dict(v) for k, v in (raw.get("set") or {}).items()},
                {str(k): tuple(v) for k, v in (raw.get("reveal") or {}).items()}))
        except (KeyError, TypeError, ValueError) as err:
            raise FatalError(f"{where}: {err!r} (date, author and message are required)") from err
    for earlier, later in itertools.pairwise(commits):
        if later.date < earlier.date:
            raise FatalError(f"{path.name}: commit {later.index + 1} ({later.date:%Y-%m-%d %H:%M})"
                             " is dated before the one above it")
    return commits


def sheet_of(ref: str) -> str:
    """The file of a ref: `2026-Q1/marketing/...` is okrs/2026-Q1/marketing.yaml."""
    parts = ref.split("/")
    if len(parts) < 3:
        raise FatalError(f"story: {ref!r} is not cycle/team/objective[/kr]")
    return f"okrs/{parts[0]}/{parts[1]}.yaml"


def jpath_of(ref: str, data: Any, path: str) -> JPath:
    """Where a ref's objective or key result is in the sheet (positions do not move in
    the story: it adds and renames, never reorders)."""
    parts = ref.split("/")[2:]
    objectives = data.get("objectives") or []
    o = next((i for i, obj in enumerate(objectives) if obj.get("id") == parts[0]), None)
    if o is None:
        raise FatalError(f"story: {ref}: no objective {parts[0]!r} in {path}")
    if len(parts) == 1:
        return ("objectives", o)
    krs = objectives[o].get("key_results") or []
    k = next((i for i, kr in enumerate(krs) if kr.get("id") == parts[1]), None)
    if k is None:
        raise FatalError(f"story: {ref}: no key result {parts[1]!r} in {path}")
    return ("objectives", o, "key_results", k)


def _node(root: Node, jpath: JPath) -> Node:
    node = root
    for part in jpath:
        if isinstance(node, MappingNode):
            node = next(v for k, v in node.value if k.value == part)
        elif isinstance(node, SequenceNode):
            node = node.value[int(part)]
    return node


def remove_key(text: str, jpath: JPath, key: str) -> str:
    """`text` without `key` (and its value's lines) in the mapping at `jpath`."""
    root = yaml.compose(text)
    assert root is not None
    mapping = _node(root, jpath)
    assert isinstance(mapping, MappingNode)
    for k, v in mapping.value:
        if k.value == key:
            start = text.rfind("\n", 0, k.start_mark.index) + 1
            end = v.end_mark.index
            line_start = text.rfind("\n", 0, end) + 1
            if text[line_start:end].strip() == "":
                end = line_start  # a block value ends at the next key's indentation
            else:
                nl = text.find("\n", end)
                end = len(text) if nl < 0 else nl + 1
            return text[:start] + text[end:]
    return text


def _value_at(data: Any, jpath: JPath, key: str) -> Any:
    for part in jpath:
        data = data[part]
    return data.get(key, _ABSENT)


_ABSENT = object()


def versions(commits: Sequence[Commit], files: Mapping[str, str]) -> dict[int, dict[str, str]]:
    """Per commit index, the text of every file it changes."""
    added: dict[str, Commit] = {}
    for commit in commits:
        for path in commit.add:
            if path in added:
                raise FatalError(f"story: {path} is added twice")
            if path not in files:
                raise FatalError(f"story: {path} is added but is not in okrs/")
            added[path] = commit
    missing = sorted(set(files) - set(added))
    if missing:
        raise FatalError(f"story: {', '.join(missing)} never added: "
                         "add each file of okrs/ in a commit of demo/story.yaml")
    # per file, the commits that touch it, and every (ref, field) -> [(commit, value)]
    touching: dict[str, list[Commit]] = {p: [c] for p, c in added.items()}
    values: dict[tuple[str, str], list[tuple[int, Any]]] = {}
    for commit in commits:
        refs = set(commit.sets) | set(commit.reveals)
        for path in {sheet_of(r) for r in refs}:
            if path not in added or added[path].index > commit.index:
                raise FatalError(f"story: commit {commit.index + 1} changes {path} "
                                 "before it is added")
            if commit not in touching[path]:
                touching[path].append(commit)
        for ref, fields in commit.sets.items():
            for name, value in fields.items():
                values.setdefault((ref, name), []).append((commit.index, value))
    out: dict[int, dict[str, str]] = {c.index: {} for c in commits}
    for path, chain in touching.items():
        text = files[path]
        data = yaml.safe_load(text)
        jpaths = {ref: jpath_of(ref, data, path)
                  for c in chain for ref in (*c.sets, *c.reveals) if sheet_of(ref) == path}
        # the end: the story's last value of every field (okrs/ when the two agree)
        ends = [Edit(jpaths[ref], name, vals[-1][1]) for (ref, name), vals in values.items()
                if sheet_of(ref) == path and _value_at(data, jpaths[ref], name) != vals[-1][1]]
        if ends:
            text = apply_edits(text, ends, path=path)
        chain.sort(key=lambda c: c.index)
        for commit in reversed(chain[1:]):
            out[commit.index][path] = text
            undo = []
            for ref, fields in commit.sets.items():
                if sheet_of(ref) != path:
                    continue
                for name in fields:
                    before = [v for i, v in values[(ref, name)] if i < commit.index]
                    if not before:
                        raise FatalError(
                            f"story: commit {commit.index + 1} sets {name} of {ref}, which has "
                            f"no earlier value: give it in the commit that adds {path}")
                    undo.append(Edit(jpaths[ref], name, before[-1]))
            if undo:
                text = apply_edits(text, undo, path=path)
            for ref, keys in commit.reveals.items():
                if sheet_of(ref) == path:
                    for key in keys:
                        text = remove_key(text, jpaths[ref], key)
        out[chain[0].index][path] = text
    return out


def _people(org_text: str) -> dict[str, tuple[str, str]]:
    org = yaml.safe_load(org_text)
    return {p["id"]: (p.get("name") or p["id"], p.get("email") or f"{p['id']}@example.com")
            for p in org.get("people") or []}


def fast_import_stream(commits: Sequence[Commit], texts: Mapping[int, Mapping[str, str]],
                       people: Mapping[str, tuple[str, str]]) -> bytes:
    chunks: list[bytes] = []
    for commit in commits:
        if commit.author not in people:
            raise FatalError(f"story: commit {commit.index + 1}: author {commit.author!r} "
                             "is not a person of okrs/org.yaml")
        name, email = people[commit.author]
        when = f"{int(commit.date.timestamp())} +0800"
        message = (commit.message + "\n").encode()
        head = (f"commit refs/heads/main\n"
                f"author {name} <{email}> {when}\ncommitter {name} <{email}> {when}\n"
                f"data {len(message)}\n").encode() + message
        chunks.append(head)
        for path, text in sorted(texts[commit.index].items()):
            data = text.encode()
            chunks.append(f"M 100644 inline {path}\ndata {len(data)}\n".encode() + data + b"\n")
        chunks.append(b"\n")
    return b"".join(chunks)


def read_files(root: Path) -> dict[str, str]:
    files = {p.relative_to(root).as_posix(): p.read_text(encoding="utf-8")
             for p in sorted((root / "okrs").rglob("*.yaml"))}
    # the demo repository's config (language: zh-TW) lives in demo/: at this repository's
    # root it would switch every command run here, tests included, to zh-TW
    config = root / "demo" / "okrkit.yaml"
    if config.is_file():
        files[".okrkit.yaml"] = config.read_text(encoding="utf-8")
    # its own site, as `okr init` writes one (the guide's `okr build` runs there)
    site = root / "demo" / "mkdocs.yml"
    if site.is_file():
        files["mkdocs.yml"] = site.read_text(encoding="utf-8")
        files["docs/.gitkeep"] = ""
    return files


def replay(dest: Path, *, root: Path = ROOT, story: Path | None = None) -> Path:
    """Write the story's repository at `dest` (replacing it, all at once); returns `dest`."""
    commits = load_story(story or root / "demo" / "story.yaml")
    files = read_files(root)
    texts = versions(commits, files)
    stream = fast_import_stream(commits, texts, _people(files["okrs/org.yaml"]))
    dest = dest.resolve()
    dest.parent.mkdir(parents=True, exist_ok=True)
    tmp = dest.with_name(f"{dest.name}.tmp-{os.getpid()}")
    shutil.rmtree(tmp, ignore_errors=True)
    env = {**os.environ, "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1"}

    def git(*args: str, data: bytes | None = None) -> None:
        done = subprocess.run(["git", *args], cwd=tmp, input=data, capture_output=True,
                              env=env, check=False)
        if done.returncode != 0:
            raise FatalError(f"git {args[0]} failed: {done.stderr.decode(errors='replace')}")

    try:
        tmp.mkdir()
        git("init", "-q", "-b", "main")
        git("fast-import", "--quiet", data=stream)
        git("checkout", "-q", "-f", "main")
        # commits in a scratch copy (the guide's examples) need an identity
        git("config", "user.name", "Demo User")
        git("config", "user.email", "demo@example.com")
        if dest.exists():
            shutil.rmtree(dest)
        os.replace(tmp, dest)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return dest


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("dest", nargs="?", type=Path, default=DEFAULT_DEST)
    args = parser.parse_args(argv)
    try:
        dest = replay(args.dest)
    except FatalError as err:
        print(f"demo/replay.py: {err}", file=sys.stderr)
        return 2
    print(f"demo: {len(load_story(STORY))} commits replayed into {os.path.relpath(dest)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
