"""A forked process that works something out while this one goes on, and hands it back
through a pipe: the history's second parse process (history.py) and the rules that read
no history during the walk (rules/runner.py). Either caller does the work itself when
the child cannot be started or fails in any way, so a child only ever saves time.

The parse cache's writer (cache.in_background) forks too, but hands nothing back and
may outlive the command: it is not one of these.
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
import threading
from collections.abc import Callable
from typing import BinaryIO


def can_fork(env: str) -> bool:
    """Whether to fork at all: not with the environment variable `env` set to "0"; only
    on Linux, with a second core, and with no other thread running (forking a process
    with other threads can leave their locks held in the child; macOS frameworks are not
    fork-safe)."""
    return os.environ.get(env) != "0" and hasattr(os, "fork") and \
        sys.platform.startswith("linux") and threading.active_count() == 1 and \
        (os.cpu_count() or 1) > 1


class Child:
    """A forked process running `work`, which writes its result to the pipe it is given."""

    def __init__(self, pid: int, read_end: int) -> None:
        self._pid: int | None = pid
        self._read_end = read_end

    @classmethod
    def start(cls, work: Callable[[BinaryIO], None]) -> Child | None:
        """The child, started; None when no process could be forked."""
        read_end, write_end = os.pipe()
        try:
            pid = os.fork()
        except OSError:
            os.close(read_end)
            os.close(write_end)
            return None
        if pid == 0:  # the child: work, hand it over, exit without cleanup
            status = 1
            try:
                os.close(read_end)
                with os.fdopen(write_end, "wb") as out:
                    work(out)
                status = 0
            finally:
                os._exit(status)  # not the parent's atexit, buffers or finally blocks
        os.close(write_end)
        return cls(pid, read_end)

    def result(self) -> bytes | None:
        """What the child wrote, once it has ended; None when it failed (killed, an error,
        nothing written). The child is always waited for."""
        pid, self._pid = self._pid, None
        if pid is None:
            return None
        data = b""
        try:
            with os.fdopen(self._read_end, "rb") as got:
                data = got.read()
        finally:
            _, status = os.waitpid(pid, 0)
        return data if status == 0 and data else None

    def stop(self) -> None:
        """This process failed before it took the result: the child is stopped and
        waited for."""
        pid, self._pid = self._pid, None
        if pid is None:
            return
        os.close(self._read_end)
        with contextlib.suppress(OSError):  # already gone
            os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
