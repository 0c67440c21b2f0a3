"""Every ```sh block of the guide (docs/*.md) runs, so its examples cannot rot (issue 14).

Each page runs in a scratch copy of the demo repository (demo/story.yaml replayed:
real history, `.okrkit.yaml` in zh-TW), its blocks in order in one copy, with `okr`
on PATH, today 2026-12-07, offline. A command may find problems (exit 1: `okr lint
--strict` on the demo does); exit 2 or more (a usage error, a command that no longer
exists) or a traceback fails the page. A block that cannot run that way (it needs the
network, a browser or a server) is marked on the line before its fence:

    <!-- docs-test: skip -->
    ```sh
    pip install okrkit
    ```

The marker is an HTML comment: the page shows nothing of it. A block that runs in a
folder an earlier block made (the guide's new repository) names it the same way, so
the page reads as one terminal session, without a `cd` at the top of every block:

    <!-- docs-test: in acme-okrs -->
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from demorepo import TODAY, demo_repo
from paths import REPO_ROOT

DOCS = REPO_ROOT / "docs"
SKIP_MARKER = "<!-- docs-test: skip -->"
IN_MARKER = re.compile(r"<!-- docs-test: in (?P<folder>[\w./-]+) -->")
FENCE = re.compile(r"^(?P<indent>\s*)(?P<ticks>`{3,})(?P<info>[^`]*)$")

# stop at the first command that fails with 2 or more, naming it; 1 (findings) goes on
PRELUDE = (
    "set -o pipefail\n"
    "trap 'rc=$?; if [ \"$rc\" -ge 2 ]; then echo \"docs-test: exit $rc from: $BASH_COMMAND\" >&2;"
    " exit \"$rc\"; fi' ERR\n")


@dataclass(frozen=True)
class Block:
    path: Path
    line: int  # of the opening fence, 1-based
    code: str
    skip: bool
    folder: str = "."  # where it runs, under the demo copy


def sh_blocks(path: Path) -> list[Block]:
    """The ```sh (or ```bash, ```shell) blocks of a Markdown page, in order."""
    lines = path.read_text(encoding="utf-8").split("\n")
    blocks, i = [], 0
    while i < len(lines):
        match = FENCE.match(lines[i])
        if not match:
            i += 1
            continue
        indent, ticks = match["indent"], match["ticks"]
        info = match["info"].strip().split()
        start, body = i, []
        i += 1
        while i < len(lines) and not re.match(rf"^\s*{ticks}\s*$", lines[i]):
            body.append(lines[i][len(indent):] if lines[i].startswith(indent) else lines[i])
            i += 1
        i += 1
        if info and info[0] in ("sh", "bash", "shell"):
            before = next((lines[j].strip() for j in range(start - 1, -1, -1)
                           if lines[j].strip()), "")
            folder = m["folder"] if (m := IN_MARKER.fullmatch(before)) else "."
            blocks.append(Block(path, start + 1, "\n".join(body) + "\n", before == SKIP_MARKER,
                                folder))
    return blocks


PAGES = sorted(p for p in DOCS.glob("*.md") if sh_blocks(p))
HAN = re.compile(r"[\u3400-\u9fff]")
HEADING = re.compile(r"^#{1,6}\s")


def headings(path: Path) -> list[str]:
    """The Markdown headings of a page, outside fenced blocks (a sample comment has some)."""
    found, fence = [], ""
    for line in path.read_text(encoding="utf-8").split("\n"):
        match = FENCE.match(line)
        if not fence and match:
            fence = match["ticks"]
        elif fence and re.match(rf"^\s*{fence}\s*$", line):
            fence = ""
        elif not fence and HEADING.match(line):
            found.append(line)
    return found


def is_in_chinese(path: Path) -> bool:
    """A page is for the seed's Taiwanese teams too: it is a `*.zh-TW.md`, has one beside
    it, or has a heading in Chinese (its section in 繁體中文)."""
    if path.name.endswith(".zh-TW.md") or path.with_suffix(".zh-TW.md").exists():
        return True
    return any(HAN.search(line) for line in headings(path))


def test_the_harness_finds_blocks_and_skip_markers(tmp_path: Path) -> None:
    page = tmp_path / "page.md"
    page.write_text("# t\n\n```sh\nokr lint\n```\n\n<!-- docs-test: skip -->\n"
                    "```sh\npip install okrkit\n```\n\n```yaml\nx: 1\n```\n\n"
                    "1. a step\n\n   ```sh\n   okr status\n   ```\n\n"
                    "<!-- docs-test: in acme-okrs -->\n```sh\nokr lint\n```\n", encoding="utf-8")
    found = sh_blocks(page)
    assert [(b.line, b.code, b.skip, b.folder) for b in found] == [
        (3, "okr lint\n", False, "."), (8, "pip install okrkit\n", True, "."),
        (18, "okr status\n", False, "."), (23, "okr lint\n", False, "acme-okrs")]
    assert sum(len(sh_blocks(p)) for p in PAGES) >= 10  # the guide has runnable examples


def test_every_page_of_the_guide_is_in_chinese_too() -> None:
    pages = sorted(DOCS.glob("*.md"))
    assert len(pages) >= 18
    assert [p.name for p in pages if not is_in_chinese(p)] == []


@pytest.mark.parametrize(("files", "page", "expected"), [
    ({"a.md": "# Title\n\nText.\n\n## 繁體中文\n\n說明。\n"}, "a.md", True),
    ({"a.md": "# Title\n\nText.\n", "a.zh-TW.md": "# 標題\n"}, "a.md", True),
    ({"a.zh-TW.md": "# 標題\n"}, "a.zh-TW.md", True),
    ({"a.md": "# Title\n\nText with 行銷部 in it.\n"}, "a.md", False),
    # a heading inside a fenced sample (a pull-request comment) is not the page's own
    ({"a.md": "# Title\n\n````markdown\n```\n## 行銷部\n````\n"}, "a.md", False),
    ({"a.md": "# Title\n", "b.zh-TW.md": "# 標題\n"}, "a.md", False),
])
def test_a_page_without_chinese_is_caught(tmp_path: Path, files: dict[str, str], page: str,
                                          expected: bool) -> None:
    for name, text in files.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    assert is_in_chinese(tmp_path / page) is expected


def _env(home: Path) -> dict[str, str]:
    bin_dir = str(Path(sys.executable).parent)
    return {
        "PATH": os.pathsep.join([bin_dir, "/usr/local/bin", "/usr/bin", "/bin"]),
        "HOME": str(home), "LANG": "C.UTF-8", "NO_COLOR": "1", "OKR_TODAY": TODAY,
        "GIT_AUTHOR_NAME": "Docs Test", "GIT_AUTHOR_EMAIL": "docs@example.com",
        "GIT_COMMITTER_NAME": "Docs Test", "GIT_COMMITTER_EMAIL": "docs@example.com",
        "GIT_CONFIG_NOSYSTEM": "1", "PRE_COMMIT_HOME": str(home / "pre-commit"),
        "PIP_NO_INDEX": "1",  # offline: an install in an example must not reach out
    }


@pytest.mark.parametrize("page", PAGES, ids=[p.name for p in PAGES])
def test_every_command_of_the_page_runs(page: Path, tmp_path: Path,
                                        tmp_path_factory: pytest.TempPathFactory) -> None:
    scratch = tmp_path / "demo"
    shutil.copytree(demo_repo(tmp_path_factory), scratch, symlinks=True)
    home = tmp_path / "home"
    home.mkdir()
    for block in sh_blocks(page):
        if block.skip:
            continue
        done = subprocess.run(["bash", "-c", PRELUDE + block.code], cwd=scratch / block.folder,
                              env=_env(home), capture_output=True, text=True, timeout=180,
                              check=False)
        where = f"{page.relative_to(REPO_ROOT)}:{block.line}"
        output = done.stdout + done.stderr
        assert done.returncode in (0, 1), f"{where}: exit {done.returncode}\n{output[-3000:]}"
        assert "Traceback" not in output, f"{where}: a traceback\n{output[-3000:]}"
