"""A real git repository in a tmp dir (the `git_repo` fixture's object, importable for types)."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Mapping
from pathlib import Path

DEFAULT_AUTHOR = "Mei <mei@example.com>"
DEFAULT_DATE = "2026-01-05T10:00:00+08:00"


def _split_author(author: str) -> tuple[str, str]:
    name, _, rest = author.partition("<")
    return name.strip(), rest.rstrip(">").strip()


class GitRepo:
    """A real git repository in a tmp dir, committed to with explicit authors and dates."""

    def __init__(self, path: Path) -> None:
        self.path = path
        path.mkdir(parents=True, exist_ok=True)
        self.git("init", "-q", "-b", "main")

    def git(self, *args: str, env: Mapping[str, str] | None = None) -> str:
        """Run git in the repository; its stdout. Fails the test on a non-zero exit."""
        result = subprocess.run(["git", *args], cwd=self.path, capture_output=True, text=True,
                                env={**os.environ, **(env or {})}, check=False)
        if result.returncode != 0:
            raise AssertionError(f"git {' '.join(args)} failed:\n{result.stderr}")
        return result.stdout

    def write(self, relpath: str, text: str) -> Path:
        path = self.path / relpath
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        return path

    def remove(self, relpath: str) -> None:
        (self.path / relpath).unlink()

    def commit(self, message: str, *, author: str = DEFAULT_AUTHOR, date: str = DEFAULT_DATE,
               allow_empty: bool = False) -> str:
        """Stage everything and commit it as `author` at `date` (ISO 8601); the new sha."""
        name, email = _split_author(author)
        env = {"GIT_AUTHOR_NAME": name, "GIT_AUTHOR_EMAIL": email, "GIT_AUTHOR_DATE": date,
               "GIT_COMMITTER_NAME": name, "GIT_COMMITTER_EMAIL": email,
               "GIT_COMMITTER_DATE": date}
        self.git("add", "-A")
        self.git("commit", "-q", "--no-verify", *(["--allow-empty"] if allow_empty else []),
                 "-m", message, env=env)
        return self.git("rev-parse", "HEAD").strip()

    def head(self) -> str:
        return self.git("rev-parse", "HEAD").strip()

    def clone(self, dest: Path, *, depth: int, all_branches: bool = False) -> Path:
        """A shallow clone of this repository at `dest` (CI's checkout: `--depth`, over
        file:// so git honours the depth); `all_branches` fetches every branch's tip."""
        args = ["git", "clone", "-q", "--depth", str(depth),
                *(["--no-single-branch"] if all_branches else []), f"file://{self.path}",
                str(dest)]
        result = subprocess.run(args, capture_output=True, text=True, check=False)
        if result.returncode != 0:
            raise AssertionError(f"{' '.join(args)} failed:\n{result.stderr}")
        return dest
