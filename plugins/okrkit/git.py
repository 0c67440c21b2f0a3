"""Every git call of okrkit, in one module (as pre-commit's `git.py`).

git runs with a fixed environment: `LC_ALL=C` (messages we parse stay English),
no pager, no prompts, and none of the caller's `GIT_*` variables except the
few that say how to reach git or a remote: a pre-commit hook runs with
`GIT_INDEX_FILE` and friends set, which would point our reads at the wrong
index or repository (pre-commit's `no_git_env`).
"""

from __future__ import annotations

import itertools
import os
import subprocess
import threading
from collections.abc import Callable, Generator, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from okrkit.errors import FatalError

NULL_SHA = "0" * 40

# GIT_* variables a caller may legitimately set for git itself (pre-commit's list)
_KEEP = frozenset((
    "GIT_EXEC_PATH", "GIT_SSH", "GIT_SSH_COMMAND", "GIT_SSL_CAINFO", "GIT_SSL_NO_VERIFY",
    "GIT_CONFIG_COUNT", "GIT_HTTP_PROXY_AUTHMETHOD", "GIT_ALLOW_PROTOCOL", "GIT_ASKPASS",
    "GIT_CONFIG_GLOBAL", "GIT_CONFIG_NOSYSTEM", "GIT_CONFIG_SYSTEM", "GIT_CEILING_DIRECTORIES",
))


def git_env() -> dict[str, str]:
    """The caller's environment without its GIT_* (but `_KEEP`), in the C locale."""
    env = {k: v for k, v in os.environ.items()
           if not k.startswith("GIT_") or k in _KEEP
           or k.startswith(("GIT_CONFIG_KEY_", "GIT_CONFIG_VALUE_"))}
    env.update(LC_ALL="C", LANGUAGE="C", GIT_PAGER="cat", PAGER="cat",
               GIT_TERMINAL_PROMPT="0", GIT_OPTIONAL_LOCKS="0")
    return env


def _one_line(data: bytes) -> str:
    text = data.decode("utf-8", "replace").strip()
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    # git puts the real reason in its first "fatal:" line; hints follow it
    fatal = next((line for line in lines if line.startswith(("fatal:", "error:"))), None)
    return (fatal or (lines[0] if lines else "")).removeprefix("fatal: ")


def run(root: Path, *args: str, stdin: bytes | None = None, check: bool = True
        ) -> subprocess.CompletedProcess[bytes]:
    """Run `git -C root ARGS`; a failure (with `check`) is a FatalError with git's reason."""
    try:
        result = subprocess.run(["git", "-C", str(root), *args], input=stdin,
                                capture_output=True, env=git_env(), check=False)
    except FileNotFoundError as err:
        raise FatalError("git is not installed (or not on PATH)",
                         zh="找不到 git(未安裝或不在 PATH 中)") from err
    except OSError as err:
        raise FatalError(f"cannot run git: {err.strerror or err}",
                         zh=f"無法執行 git:{err.strerror or err}") from err
    if check and result.returncode != 0:
        raise FatalError(f"git {args[0]} failed: {_one_line(result.stderr)}",
                         zh=f"git {args[0]} 失敗:{_one_line(result.stderr)}")
    return result


def output(root: Path, *args: str) -> str:
    return run(root, *args).stdout.decode("utf-8", "replace")


@dataclass(frozen=True, slots=True)
class RepoProbe:
    """Where the repository is, or why there is none (git's one-line reason); with, from
    the same process, HEAD's commit (None before the first) and whether it is shallow."""

    root: Path | None
    reason: str = ""
    head: str | None = None
    shallow: bool = False


def probe(path: Path) -> RepoProbe:
    """The work tree containing `path`, or the reason there is none.

    ONE git process answers the three questions every history read asks first (the
    hook paid four: `git --version`, then a rev-parse for each): `--show-toplevel`,
    `--is-shallow-repository` and HEAD's commit, printed in that order; HEAD's line
    is missing (exit status 1) before the first commit.
    """
    folder = path if path.is_dir() else path.parent
    while not folder.exists() and folder != folder.parent:
        folder = folder.parent
    try:
        result = subprocess.run(
            ["git", "-C", str(folder), "rev-parse", "--show-toplevel",
             "--is-shallow-repository", "-q", "--verify", "--end-of-options", "HEAD^{commit}"],
            capture_output=True, env=git_env(), check=False)
    except OSError:
        return RepoProbe(None, "git is not installed")
    lines = result.stdout.decode("utf-8", "surrogateescape").split("\n")
    tail = 3 if result.returncode == 0 else 2  # shallow, [head], "" after the last newline
    if result.returncode not in (0, 1) or len(lines) <= tail:
        return RepoProbe(None, _one_line(result.stderr) or "not inside a work tree")
    top = "\n".join(lines[:-tail])  # from the end: a work tree's path may hold a newline
    if not top:  # inside .git itself
        return RepoProbe(None, "not inside a work tree")
    head = lines[-2] if result.returncode == 0 else None
    return RepoProbe(Path(top), head=head or None, shallow=lines[-tail] == "true")


def git_dir_of(path: Path) -> Path | None:
    """The git directory shared by every work tree of the repository holding `path`
    (`git rev-parse --git-common-dir`), found as git finds it but without a process:
    the nearest `.git` folder above, or a `.git` file's `gitdir:` (a linked work tree,
    whose `commondir` names the shared one; a submodule). None outside git. The parse
    cache lives there, and the hook must not pay a git process to find it."""
    folder = path.resolve()
    if not folder.is_dir():
        folder = folder.parent
    for candidate in (folder, *folder.parents):
        dot_git = candidate / ".git"
        if dot_git.is_dir():
            return dot_git if (dot_git / "HEAD").is_file() else None
        if dot_git.is_file():
            try:
                text = dot_git.read_text(encoding="utf-8").strip()
            except (OSError, UnicodeDecodeError):
                return None
            if not text.startswith("gitdir:"):
                return None
            linked = (candidate / text.removeprefix("gitdir:").strip()).resolve()
            try:
                common = (linked / "commondir").read_text(encoding="utf-8").strip()
            except (OSError, UnicodeDecodeError):
                return linked if (linked / "HEAD").is_file() else None
            return (linked / common).resolve()
    return None


def repo_root(path: Path) -> Path | None:
    """The top of the git work tree containing `path`; None outside one (or without git)."""
    return probe(path).root


def is_shallow(root: Path) -> bool:
    return output(root, "rev-parse", "--is-shallow-repository").strip() == "true"


def shallow_commits(root: Path) -> frozenset[str]:
    """The graft points of a shallow clone: their parents are not here."""
    git_dir = Path(output(root, "rev-parse", "--absolute-git-dir").strip())
    try:
        return frozenset((git_dir / "shallow").read_text(encoding="ascii").split())
    except OSError:
        return frozenset()


def rev_parse(root: Path, rev: str, *, short: bool = False) -> str | None:
    """The commit `rev` names (its short id when `short`), or None when it names none."""
    result = run(root, "rev-parse", "-q", "--verify", *(["--short"] if short else []),
                 "--end-of-options", f"{rev}^{{commit}}", check=False)
    return result.stdout.decode().strip() or None if result.returncode == 0 else None


def head_sha(root: Path) -> str | None:
    """HEAD's commit; None before the first commit."""
    return rev_parse(root, "HEAD")


def merge_base(root: Path, a: str, b: str) -> str | None:
    result = run(root, "merge-base", a, b, check=False)
    return result.stdout.decode().strip() or None if result.returncode == 0 else None


def rev_list(root: Path, spec: str) -> list[str]:
    """Commits of a range like `A..B`, newest first."""
    return output(root, "rev-list", spec, "--").split()


def is_dirty(root: Path, pathspec: str) -> bool:
    """Uncommitted (staged, unstaged or untracked) changes under `pathspec`."""
    result = run(root, "status", "--porcelain", "-z", "--untracked-files=all", "--", pathspec,
                 check=False)
    return result.returncode == 0 and bool(result.stdout.strip(b"\0"))


def is_dirty_later(root: Path, pathspec: str) -> Callable[[], bool]:
    """`is_dirty`, its git process started now and its answer read when asked for: the
    caller reads the log meanwhile (`git status` runs on another core)."""
    try:
        proc = subprocess.Popen(["git", "-C", str(root), "status", "--porcelain", "-z",
                                 "--untracked-files=all", "--", pathspec],
                                stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                                env=git_env())
    except OSError:  # said the same way as is_dirty says it
        return lambda: is_dirty(root, pathspec)

    found: list[bool] = []

    def answer() -> bool:
        if not found:  # asked again: the same answer
            out, _ = proc.communicate()
            found.append(proc.returncode == 0 and bool(out.strip(b"\0")))
        return found[0]

    return answer


def literal(path: str) -> str:
    """A pathspec naming exactly `path` (a file name may hold `*`, `?` or `[`)."""
    return f":(literal){path}"


def path_status(root: Path, path: str) -> str:
    """`git status --porcelain`'s two letters for one file (relative to `root`): "" when
    it is committed as it is, "??" untracked, "!!" ignored, "UU" (and the other
    unmerged pairs) in conflict, else what is staged and what is not."""
    out = run(root, "status", "--porcelain", "-z", "--untracked-files=all",
              "--ignored=matching", "--", literal(path)).stdout
    return out[:2].decode("ascii", "replace") if out else ""


UNMERGED = frozenset(("DD", "AU", "UD", "UA", "DU", "AA", "UU"))


# what git leaves in the git dir while an operation waits for the user: git refuses a
# partial commit (`git commit --only`) during most, and a check-in does not belong in any
_IN_PROGRESS = (("MERGE_HEAD", "merge"), ("CHERRY_PICK_HEAD", "cherry-pick"),
                ("REVERT_HEAD", "revert"), ("rebase-merge", "rebase"),
                ("rebase-apply", "rebase"))


def operation_in_progress(root: Path) -> str | None:
    """The unfinished operation ("merge", "cherry-pick", "revert", "rebase"), if any."""
    git_dir = Path(output(root, "rev-parse", "--absolute-git-dir").strip())
    return next((name for entry, name in _IN_PROGRESS if (git_dir / entry).exists()), None)


# who and when a commit is: the caller's say, kept though `git_env` drops other GIT_*
_IDENTITY = ("GIT_AUTHOR_NAME", "GIT_AUTHOR_EMAIL", "GIT_AUTHOR_DATE",
             "GIT_COMMITTER_NAME", "GIT_COMMITTER_EMAIL", "GIT_COMMITTER_DATE")


class CommitFailed(FatalError):
    """`git commit` refused: a hook said no, no identity, ...; `output` is what it printed."""

    def __init__(self, reason: str, output: str) -> None:
        super().__init__(f"git commit failed: {reason}", zh=f"git commit 失敗:{reason}")
        self.reason = reason
        self.output = output


@dataclass(frozen=True, slots=True)
class Committed:
    sha: str
    output: str  # what the hooks printed (pre-commit's "okr lint....Passed" lines)


def commit_paths(root: Path, paths: Sequence[str], *, message: str,
                 author: tuple[str, str] | None = None) -> Committed:
    """Commit just `paths` (relative to `root`) as they are in the work tree, whatever else
    is staged (`git commit --only`; the rest stays staged); the new commit.

    Hooks run (a pre-commit hook may refuse: CommitFailed). The message is taken as
    given, but for git's whitespace clean-up. `author` (name, email) is the author
    of a commit made on someone's behalf (a check-in from an issue); the committer
    stays whoever runs it.
    """
    if not paths:
        raise ValueError("commit_paths needs a path (none would commit the whole index)")
    env = git_env()
    env.update((name, os.environ[name]) for name in _IDENTITY if name in os.environ)
    if author is not None:
        env.update(GIT_AUTHOR_NAME=author[0], GIT_AUTHOR_EMAIL=author[1])
    try:
        result = subprocess.run(
            ["git", "-C", str(root), "commit", "--only", "--quiet", "--cleanup=whitespace",
             "--file=-", "--", *map(literal, paths)],
            input=message.encode("utf-8"), capture_output=True, env=env, check=False)
    except OSError as err:
        raise FatalError(f"cannot run git: {err.strerror or err}",
                         zh=f"無法執行 git:{err.strerror or err}") from err
    if result.returncode != 0:
        printed = (result.stdout + result.stderr).decode("utf-8", "replace")
        raise CommitFailed(_one_line(result.stderr or result.stdout) or
                           f"exit status {result.returncode}", printed)
    sha = head_sha(root)
    assert sha is not None  # a commit was just made
    return Committed(sha, (result.stdout + result.stderr).decode("utf-8", "replace"))


# -- pushing -----------------------------------------------------------------------


class PushFailed(FatalError):
    """`git push` failed for a reason retrying cannot fix, or the retries ran out."""


@dataclass(frozen=True, slots=True)
class Pushed:
    sha: str  # the commit now at the tip of the remote branch
    attempts: int  # 1 when nobody pushed in between


def current_branch(root: Path) -> str | None:
    """The checked-out branch; None on a detached HEAD."""
    result = run(root, "symbolic-ref", "-q", "--short", "HEAD", check=False)
    return result.stdout.decode().strip() or None if result.returncode == 0 else None


def has_remote(root: Path, name: str) -> bool:
    return name in output(root, "remote").split()


def switch_new_branch(root: Path, branch: str) -> None:
    """Start `branch` at HEAD and check it out (the work tree stays as it is); a local
    branch of that name is moved (the caller owns the name, e.g. `okr-checkin/...`)."""
    run(root, "switch", "-q", "-C", branch)


def fetch(root: Path, remote: str, branch: str) -> str | None:
    """Fetch `branch` from `remote`; its tip, or None when the remote has no such branch."""
    result = run(root, "fetch", "-q", "--no-tags", "--no-write-fetch-head", remote,
                 f"+refs/heads/{branch}:refs/remotes/{remote}/{branch}", check=False)
    if result.returncode != 0:
        if b"couldn't find remote ref" in result.stderr:
            return None
        raise PushFailed(f"git fetch failed: {_one_line(result.stderr)}",
                         zh=f"git fetch 失敗:{_one_line(result.stderr)}")
    return rev_parse(root, f"refs/remotes/{remote}/{branch}")


def _push_reason(result: subprocess.CompletedProcess[bytes]) -> str:
    """What the remote said (a protected branch's hook) and the ref's status, on one line."""
    said = [line.removeprefix("remote:").strip() for line in
            result.stderr.decode("utf-8", "replace").splitlines()
            if line.startswith("remote:") and line.removeprefix("remote:").strip()]
    refused = [line.split("\t")[-1] for line in
               result.stdout.decode("utf-8", "replace").splitlines() if line.startswith("!")]
    return "; ".join([*refused, *said][:4]) or _one_line(result.stderr) or \
        f"exit status {result.returncode}"


def push_with_retry(root: Path, *, remote: str, branch: str,
                    reapply: Callable[[], str | None], attempts: int = 5) -> Pushed:
    """Push HEAD to `branch` of `remote`; when someone pushed in between, fetch their
    commits, move HEAD onto them and call `reapply` to make the change again there
    (it returns the new commit, or None when the change is already in), then retry.

    At most `attempts` pushes, never a force push: what others pushed is kept.
    Moving HEAD is `git reset --keep`, which refuses to lose uncommitted changes of
    the files involved. A push refused for another reason (a protected branch,
    no permission) is a PushFailed with git's reason.
    """
    for attempt in range(1, attempts + 1):
        result = run(root, "push", "--porcelain", remote,
                     f"HEAD:refs/heads/{branch}", check=False)
        sha = head_sha(root)
        assert sha is not None  # the caller committed
        if result.returncode == 0:
            return Pushed(sha, attempt)
        report = result.stdout.decode("utf-8", "replace")
        stale = any(line.startswith("!") and "[rejected]" in line and
                    ("fetch first" in line or "non-fast-forward" in line)
                    for line in report.splitlines())
        if not stale:
            raise PushFailed(f"git push failed: {_push_reason(result)}",
                             zh=f"git push 失敗:{_push_reason(result)}")
        if attempt == attempts:
            break
        tip = fetch(root, remote, branch)
        if tip is None:  # deleted meanwhile: the next push creates it again
            continue
        run(root, "reset", "-q", "--keep", tip)
        if reapply() is None:  # the new head already holds the change
            return Pushed(tip, attempt)
    raise PushFailed(f"git push failed {attempts} times: others keep pushing to {branch}; "
                     "try again later",
                     zh=f"git push 失敗 {attempts} 次:其他人持續推送到 {branch};請稍後再試")


@dataclass(frozen=True, slots=True)
class TreeEntry:
    mode: str
    kind: str  # blob | tree | commit (a submodule)
    sha: str
    path: str  # relative to the repository root


def ls_tree(root: Path, rev: str, *pathspecs: str) -> list[TreeEntry]:
    """Every file under the pathspecs (at least one) at `rev`, recursively."""
    if not pathspecs:
        raise ValueError("ls_tree needs a pathspec (none would list the whole tree)")
    out = run(root, "ls-tree", "-r", "-z", "--full-tree", rev, "--", *pathspecs).stdout
    entries = []
    for record in out.split(b"\0"):
        if not record:
            continue
        meta, _, path = record.partition(b"\t")
        mode, kind, sha = meta.decode().split()
        entries.append(TreeEntry(mode, kind, sha, path.decode("utf-8", "surrogateescape")))
    return entries


def cat_blobs(root: Path, shas: Iterable[str]
              ) -> Generator[tuple[str, bytes | None], None, None]:
    """The contents of many objects through ONE `git cat-file --batch`, in order.

    A thread feeds the ids while this generator reads, so neither pipe fills
    up; contents are yielded one by one and never all held at once.
    """
    wanted = list(shas)
    if not wanted:
        return
    try:
        proc = subprocess.Popen(["git", "-C", str(root), "cat-file", "--batch"],
                                stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                stderr=subprocess.DEVNULL, env=git_env())
    except OSError as err:
        raise FatalError(f"cannot run git: {err.strerror or err}",
                         zh=f"無法執行 git:{err.strerror or err}") from err
    assert proc.stdin is not None and proc.stdout is not None
    stdin, stdout = proc.stdin, proc.stdout
    _widen_pipe(stdout.fileno())

    def feed() -> None:
        try:
            stdin.write("".join(f"{sha}\n" for sha in wanted).encode())
            stdin.close()
        except BrokenPipeError:  # git died: the reader sees EOF
            pass

    writer = threading.Thread(target=feed, daemon=True)
    writer.start()
    try:
        for sha in wanted:
            header = stdout.readline()
            if not header:
                raise FatalError("git cat-file stopped early", zh="git cat-file 提前結束")
            parts = header.split()
            if len(parts) < 3 or parts[1] == b"missing":
                yield sha, None
                continue
            size = int(parts[2])
            data = stdout.read(size)
            stdout.read(1)  # the newline after each object
            yield sha, data
    finally:
        stdout.close()
        proc.kill()
        proc.wait()
        writer.join()


def _widen_pipe(fd: int) -> None:
    """Let git run a megabyte ahead of the reader (Linux; the default pipe holds 64 KiB)."""
    try:
        import fcntl

        fcntl.fcntl(fd, getattr(fcntl, "F_SETPIPE_SZ", 1031), 1 << 20)
    except (ImportError, OSError):  # pragma: no cover (not Linux, or over the user's limit)
        pass


# -- the log -----------------------------------------------------------------------

_RS = "%x1e"
LOG_FORMAT = _RS + "%x00".join(("%H", "%P", "%an", "%ae", "%aI", "%s",
                                "%(trailers:only,unfold)")) + "%x00"


@dataclass(frozen=True, slots=True)
class RawChange:
    """One file change of one commit (`git log --raw`), or of a merge (`-c`)."""

    status: str  # A M D T R C; for a merge one letter per parent, e.g. "MM"
    old_shas: tuple[str, ...]  # one per parent (NULL_SHA when absent there)
    new_sha: str
    old_path: str
    new_path: str


@dataclass(frozen=True, slots=True)
class RawCommit:
    sha: str
    parents: tuple[str, ...]
    author: str
    email: str
    date: str  # ISO 8601 with offset (%aI)
    subject: str
    trailers: str  # "Key: value" lines
    changes: tuple[RawChange, ...]


def log_raw(root: Path, pathspecs: Sequence[str], *, rev: str = "HEAD") -> list[RawCommit]:
    """The commits that touched `pathspecs`, oldest first, with their raw changes, in one process.

    All parents are followed (not `--first-parent`), so a check-in made on a
    branch keeps its own author and date; a merge shows only what it changed
    against every parent (`-c`), i.e. a conflict resolution. `--date-order`
    keeps parents before children and otherwise follows commit dates.
    """
    out = run(root, "log", rev, "--raw", "-z", "--no-abbrev", "-M", "-c", "--date-order",
              "--reverse", "--no-show-signature", "--no-color", "--no-ext-diff",
              f"--format={LOG_FORMAT}", "--", *pathspecs).stdout
    return parse_log(out)


def log_shas(root: Path, pathspecs: Sequence[str], *, rev: str = "HEAD") -> list[str]:
    """The commits `log_raw` lists, in its order, without their changes: the same walk
    (and history simplification), no diffs, no messages. One process."""
    out = run(root, "log", rev, "--date-order", "--reverse", "--no-show-signature",
              "--format=%H", "--", *pathspecs).stdout
    return out.decode("ascii").split()


def first_parent_before(root: Path, rev: str, before: str, *, slop: int = 5
                        ) -> RawCommit | None:
    """The newest commit of `rev`'s first-parent chain committed before `before` (an ISO
    8601 date), when its committer dates are in order there; None when there is none.

    "In order": that commit and the `slop` commits below it on the chain follow one
    another (`git log --before` skipped none of them as committed later) or reach
    the root. Otherwise (a clock that was wrong, dates rewritten) None too: the
    caller then reads the whole history. One process, walking the chain from
    `rev` down to the boundary (no trees, no diffs). Its changes are empty.
    """
    out = run(root, "log", "--first-parent", f"--before={before}", f"--max-count={slop + 1}",
              "--no-show-signature", "--no-color", f"--format={LOG_FORMAT}", rev, "--").stdout
    commits = parse_log(out)
    if not commits:
        return None
    for above, below in itertools.pairwise(commits):
        if above.parents[:1] != (below.sha,):
            return None  # a commit between them was committed after `before`
    if len(commits) <= slop and commits[-1].parents:
        return None  # the commits below the last one were all committed after `before`
    return commits[0]


# The two memos below share one skeleton: a payload remembered in a small file of the git
# directory under a key, for the HEAD it was read at; the newest _KEPT keys stay, the file
# is rewritten whole (atomically) when HEAD moves, and any trouble reading it is a miss.
_KEPT = 8
_Payload = TypeVar("_Payload")


def _kept_by_head(memo: Path, key: str, head: str, *,
                  load: Callable[[Path], dict[str, tuple[str, _Payload]]],
                  save: Callable[[Path, Mapping[str, tuple[str, _Payload]]], None],
                  carry: Callable[[str, _Payload], tuple[_Payload] | None],
                  read: Callable[[], _Payload]) -> _Payload:
    """`read()` at `head`, remembered in `memo` under `key`. At the HEAD remembered, the
    payload remembered; at another, `carry(old_head, payload)` brings it up to `head`
    (a one-tuple) or cannot (None: `read()` again)."""
    entries = load(memo)
    found = entries.get(key)
    if found is not None and found[0] == head:
        return found[1]
    carried = None if found is None else carry(*found)
    payload = read() if carried is None else carried[0]
    entries.pop(key, None)
    entries[key] = (head, payload)  # the newest last: the oldest go first
    save(memo, dict(list(entries.items())[-_KEPT:]))
    return payload


# first_parent_before's answers: the hook asks the same question on every commit, and
# the answer moves only when a commit lands below the date asked
_MEMO_FORMAT = 1


def first_parent_before_memo(root: Path, head: str, before: str, memo: Path, *,
                             slop: int = 5) -> RawCommit | None:
    """`first_parent_before(root, head, before)` (`head` a commit id), remembered in `memo`.

    A remembered answer for an older HEAD H still holds when H is on `head`'s
    first-parent chain and every commit above it there was committed after
    `before`: the walk skips those commits, then walks H's chain as before.
    Checking that is one `git log` of the commits since H (usually one or two),
    where the walk it replaces reads the chain down to the boundary (the whole
    chain when there is none)."""
    def carry(old: str, answer: RawCommit | None) -> tuple[RawCommit | None] | None:
        return (answer,) if _chain_adds_only_later(root, head, old, before) else None

    return _kept_by_head(memo, f"{before}|{slop}", head, load=_read_memo, save=_write_memo,
                         carry=carry,
                         read=lambda: first_parent_before(root, head, before, slop=slop))


def _chain_adds_only_later(root: Path, head: str, old: str, before: str) -> bool:
    """Whether `old` is on `head`'s first-parent chain with only commits committed after
    `before` above it (what `git log --before` then skips)."""
    import datetime as dt

    result = run(root, "log", "--first-parent", "--format=%H %P %ct", head, f"^{old}", "--",
                 check=False)
    rows = [line.split() for line in result.stdout.decode("ascii", "replace").splitlines()]
    if result.returncode != 0 or not rows or any(len(r) < 3 for r in rows):
        return False
    limit = dt.datetime.fromisoformat(before).timestamp()
    chained = all(r[1] == below[0] for r, below in itertools.pairwise(rows))
    return chained and rows[-1][1] == old and all(int(r[-1]) > limit for r in rows)


def _read_memo(memo: Path) -> dict[str, tuple[str, RawCommit | None]]:
    import json

    try:
        data = json.loads(memo.read_bytes())
        if data.get("format") != _MEMO_FORMAT:
            return {}
        return {key: (head, None if raw is None else RawCommit(
                    raw[0], tuple(raw[1]), raw[2], raw[3], raw[4], raw[5], raw[6], ()))
                for key, (head, raw) in data["entries"].items()}
    except (OSError, ValueError, TypeError, KeyError, AttributeError, IndexError):
        return {}


def _write_memo(memo: Path, entries: Mapping[str, tuple[str, RawCommit | None]]) -> None:
    import json

    data = {"format": _MEMO_FORMAT, "entries": {
        key: (head, None if c is None else
              [c.sha, list(c.parents), c.author, c.email, c.date, c.subject, c.trailers])
        for key, (head, c) in entries.items()}}
    _replace(memo, json.dumps(data).encode("utf-8"))  # not written: the next run walks again


def _replace(memo: Path, data: bytes) -> None:
    """Write a memo whole (a concurrent run reads the old file or this one); a folder
    that is read-only or full keeps no memo."""
    tmp = memo.with_name(f".{memo.name}.{os.getpid()}.tmp")
    try:
        memo.parent.mkdir(parents=True, exist_ok=True)
        tmp.write_bytes(data)
        os.replace(tmp, memo)
    except OSError:
        tmp.unlink(missing_ok=True)


# the log of a few sheets (the hook's): the hook reads the same sheets' log again on
# each commit, one commit further on
_LOGS_FORMAT = 1
Followed = tuple[list[RawCommit], set[str]]  # a log, and the paths it followed


def log_following_memo(root: Path, memo: Path, key: str, head: str,
                       read: Callable[[], Followed]) -> Followed:
    """`read()`, the log of some files up to `head` following their renames, remembered in
    `memo` under `key` (what else it depends on: the range's start, the files).

    At the HEAD remembered, the log remembered. At a HEAD above it by a chain of commits
    with one parent each, the log remembered plus those of them that modify one of its
    files: each is a child of every commit remembered, so a whole read lists them last,
    in the chain's order (one `git log` of just those commits). A commit there that
    adds, deletes or renames one of the files, a merge, or a HEAD not above the one
    remembered: `read()` again."""
    def carry(old: str, found: Followed) -> tuple[Followed] | None:
        later = _chain_above(root, old, head)
        extended = None if later is None else _extended(*found, later)
        return None if extended is None else (extended,)

    return _kept_by_head(memo, key, head, load=_read_logs, save=_write_logs, carry=carry,
                         read=read)


def _chain_above(root: Path, old: str, head: str) -> list[RawCommit] | None:
    """The commits from `old` (excluded) up to `head`, oldest first, with every change,
    when they are a chain of one-parent commits on top of `old`; else None."""
    result = run(root, "log", "--raw", "-z", "--no-abbrev", "-M", "--reverse",
                 "--no-show-signature", "--no-color", "--no-ext-diff", f"--format={LOG_FORMAT}",
                 head, f"^{old}", "--", check=False)
    if result.returncode != 0:
        return None
    commits = parse_log(result.stdout)
    below = old
    for commit in commits:
        if commit.parents != (below,):
            return None
        below = commit.sha
    return commits if below == head else None


def _extended(commits: list[RawCommit], paths: set[str], later: Sequence[RawCommit]
              ) -> Followed | None:
    """`commits` and the `later` ones touching `paths` (their changes to them only), or
    None when one of those changes is not a modification."""
    found = list(commits)
    for commit in later:
        changes = tuple(c for c in commit.changes if c.new_path in paths or c.old_path in paths)
        if any(c.status != "M" for c in changes):
            return None
        if changes:
            found.append(RawCommit(commit.sha, commit.parents, commit.author, commit.email,
                                   commit.date, commit.subject, commit.trailers, changes))
    return found, set(paths)


def _read_logs(memo: Path) -> dict[str, tuple[str, Followed]]:
    import marshal

    try:
        data = marshal.loads(memo.read_bytes())
        if data[0] != _LOGS_FORMAT:
            return {}
        return {key: (head, ([RawCommit(c[0], tuple(c[1]), c[2], c[3], c[4], c[5], c[6],
                                        tuple(RawChange(ch[0], tuple(ch[1]), *ch[2:])
                                              for ch in c[7]))
                              for c in commits], set(paths)))
                for key, head, commits, paths in data[1]}
    except (OSError, ValueError, TypeError, KeyError, IndexError, EOFError):
        return {}


def _write_logs(memo: Path, entries: Mapping[str, tuple[str, Followed]]) -> None:
    import marshal

    rows = [(key, head, [(c.sha, c.parents, c.author, c.email, c.date, c.subject, c.trailers,
                          tuple((ch.status, ch.old_shas, ch.new_sha, ch.old_path, ch.new_path)
                                for ch in c.changes)) for c in commits], sorted(paths))
            for key, (head, (commits, paths)) in entries.items()]
    try:
        data = marshal.dumps((_LOGS_FORMAT, rows))
    except ValueError:  # a value marshal cannot write: the next run reads the log again
        return
    _replace(memo, data)


def log_commits(root: Path, shas: Sequence[str], pathspecs: Sequence[str]) -> list[RawCommit]:
    """Just these commits with their raw changes (renames detected across all of
    `pathspecs`), in one process."""
    if not shas:
        return []
    out = run(root, "log", "--no-walk=unsorted", "--raw", "-z", "--no-abbrev", "-M",
              "--no-show-signature", "--no-color", "--no-ext-diff", f"--format={LOG_FORMAT}",
              *shas, "--", *pathspecs).stdout
    return parse_log(out)


def parse_log(out: bytes) -> list[RawCommit]:
    commits = []
    for record in out.split(b"\x1e"):
        if not record:
            continue
        tokens = record.split(b"\0")
        head = [t.decode("utf-8", "replace") for t in tokens[:7]]
        changes = []
        rest = tokens[7:]
        i = 0
        while i < len(rest):
            token = rest[i].lstrip(b"\n")
            i += 1
            if not token.startswith(b":"):
                continue
            colons = len(token) - len(token.lstrip(b":"))
            fields = token[colons:].decode().split()
            shas = fields[colons + 1:2 * colons + 2]
            status = fields[-1]
            old_path = new_path = rest[i].decode("utf-8", "surrogateescape")
            i += 1
            if colons == 1 and status[0] in "RC":
                new_path = rest[i].decode("utf-8", "surrogateescape")
                i += 1
            changes.append(RawChange(status, tuple(shas[:-1]), shas[-1], old_path, new_path))
        commits.append(RawCommit(head[0], tuple(head[1].split()), head[2], head[3], head[4],
                                 head[5], head[6], tuple(changes)))
    return commits


def relative_path(path: Path, root: Path | None) -> str | None:
    """`path` relative to the repository root, in git's spelling; None outside it."""
    if root is None:
        return None
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return None


def check_committable(repo: RepoProbe, relpath: str | None, state: str, shown: str,
                      text: Mapping[str, str]) -> None:
    """FatalError when a commit of just this file cannot be made (called before anything
    is written); `text` the caller's messages no-repo, untracked, dirty, in-progress."""
    if repo.root is None or relpath is None:
        raise FatalError(text["no-repo"].format(path=shown,
                                                reason=repo.reason or "outside its work tree"))
    if state in ("??", "!!"):
        raise FatalError(text["untracked"].format(path=shown))
    if state:
        raise FatalError(text["dirty"].format(path=shown))
    operation = operation_in_progress(repo.root)
    if operation is not None:
        raise FatalError(text["in-progress"].format(operation=operation))
