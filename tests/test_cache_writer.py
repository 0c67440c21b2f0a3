"""The parse cache's forked writer (cache.in_background): it writes in a process of its own,
at a lower priority than the command (which waits for nothing it writes), holding the
folder's lock until it ends."""

from __future__ import annotations

import fcntl
import os
from pathlib import Path

from okrkit import cache


def test_the_writer_runs_at_a_lower_priority_and_holds_the_lock(tmp_path: Path) -> None:
    folder = tmp_path / "cache"
    seen = tmp_path / "seen"
    here = os.nice(0)

    def write() -> None:
        seen.write_text(str(os.nice(0)), encoding="utf-8")

    assert cache.in_background(write, folder)
    cache.wait_for_writers()
    assert int(seen.read_text(encoding="utf-8")) == min(here + cache._WRITER_NICE, 19)
    assert os.nice(0) == here  # this process's own priority is left alone
    # the lock was let go with the writer's end
    fd = os.open(folder / cache.LOCK_NAME, os.O_RDWR)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    finally:
        os.close(fd)
