"""A forked process that works something out while this one goes on, and hands it back
through a pipe, one value after another: the history's second parse process (history.py),
which then runs the rules that read no history on its sheets (rules/runner.py). The
callers do the work themselves when the child cannot be started or fails in any way, so
a child only ever saves time.

The parse cache's writer (cache.in_background) forks too, but hands nothing back and
may outlive the command: it is not one of these.
"""

from __future__ import annotations

import contextlib
import functools
import os
import signal
import sys
import threading
from collections.abc import Callable
from typing import Any, BinaryIO


def can_fork(env: str) -> bool:
    """Whether to fork at all: not with the environment variable `env` set to "0"; only
    on Linux, with a second core, and with no other thread running (forking a process
    with other threads can leave their locks held in the child; macOS frameworks are not
    fork-safe)."""
    return os.environ.get(env) != "0" and hasattr(os, "fork") and \
        sys.platform.startswith("linux") and threading.active_count() == 1 and \
        (os.cpu_count() or 1) > 1


class Child:
    """A forked process running `work`, which sends its results (`send`: one value each,
    pickled down a pipe) for this process to `receive` in turn."""

    def __init__(self, pid: int, read_end: int) -> None:
        self._pid: int | None = pid
        self._reader: BinaryIO = os.fdopen(read_end, "rb")

    @classmethod
    def start(cls, work: Callable[[Callable[[Any], None]], None]) -> Child | None:
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
                    work(functools.partial(_send, out))
                status = 0
            finally:
                os._exit(status)  # not the parent's atexit, buffers or finally blocks
        os.close(write_end)
        return cls(pid, read_end)

    def receive(self) -> Any:
        """The next value the child sent, waiting for it; None when it sends no more (it
        ended, or failed: killed, an error, a short value), the child then waited for."""
        if self._pid is None:
            return None
        import pickle  # only in a process that forked

        try:
            return pickle.load(self._reader)
        except Exception:  # nothing more (EOF), or a value cut short
            self.stop()
            return None

    def end(self) -> None:
        """Nothing more is wanted from the child: it is waited for (what it still sends is
        not read: its pipe is closed)."""
        pid, self._pid = self._pid, None
        if pid is not None:
            self._reader.close()
            os.waitpid(pid, 0)

    def stop(self) -> None:
        """The child is stopped (this process failed, or the child's values did) and
        waited for."""
        pid, self._pid = self._pid, None
        if pid is None:
            return
        self._reader.close()
        with contextlib.suppress(OSError):  # already gone
            os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)


def _send(out: BinaryIO, value: Any) -> None:
    """In the child: one value down the pipe, whole before the next is worked out."""
    import pickle

    pickle.dump(value, out, protocol=pickle.HIGHEST_PROTOCOL)
    out.flush()
