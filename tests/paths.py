"""Where the tests run: the repository's root, the demo data, a way into a folder and back."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent


@contextmanager
def chdir(path: Path) -> Iterator[None]:
    """`contextlib.chdir` (Python 3.11+) for Python 3.10: into `path`, back after."""
    before = Path.cwd()
    os.chdir(path)
    try:
        yield
    finally:
        os.chdir(before)


def copy_demo(dest: Path) -> Path:
    """Copy the demo `okrs/` (and `.okrkit.yaml`, if any) into `dest`; returns `dest`."""
    dest.mkdir(parents=True, exist_ok=True)
    shutil.copytree(REPO_ROOT / "okrs", dest / "okrs")
    config = REPO_ROOT / ".okrkit.yaml"
    if config.is_file():
        shutil.copy2(config, dest / ".okrkit.yaml")
    return dest


def copy_work_tree(dest: Path, names: Sequence[str]) -> Path:
    """Copy these files and folders of the work tree into `dest`, leaving out what
    .gitignore leaves out of a checkout (bytecode, egg-info); returns `dest`."""
    dest.mkdir(parents=True, exist_ok=True)
    for name in names:
        source = REPO_ROOT / name
        if source.is_dir():
            shutil.copytree(source, dest / name,
                            ignore=shutil.ignore_patterns("__pycache__", "*.pyc", "*.egg-info"))
        else:
            shutil.copy2(source, dest / name)
    return dest
