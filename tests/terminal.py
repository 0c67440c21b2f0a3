"""Run `okr` in a real pseudo-terminal and answer its questions (interactive commands)."""

from __future__ import annotations

import os
import pty
import select
import subprocess
import sys
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True, slots=True)
class TerminalRun:
    returncode: int
    output: str  # everything the terminal showed: prompts, echoed answers, stdout, stderr


def run_in_terminal(args: Sequence[str], answers: Sequence[str], *, cwd: Path,
                    env: Mapping[str, str] | None = None, timeout: float = 60) -> TerminalRun:
    """`python -m okrkit ARGS` on a pty; each answer is typed after the next prompt (': ')."""
    leader, follower = pty.openpty()
    proc = subprocess.Popen([sys.executable, "-m", "okrkit", *args], cwd=cwd,
                            env={**os.environ, **(env or {}), "TERM": "dumb"},
                            stdin=follower, stdout=follower, stderr=follower, close_fds=True)
    os.close(follower)
    output = b""
    pending = list(answers)
    deadline = time.monotonic() + timeout
    try:
        while time.monotonic() < deadline:
            ready, _, _ = select.select([leader], [], [], 0.2)
            if ready:
                try:
                    chunk = os.read(leader, 4096)
                except OSError:  # the child closed the terminal
                    break
                if not chunk:
                    break
                output += chunk
                # a prompt ends with ": " and waits for a line
                if pending and output.rstrip(b" ").endswith(b":"):
                    os.write(leader, pending.pop(0).encode() + b"\n")
            elif proc.poll() is not None:
                break
        else:
            proc.kill()
            raise AssertionError(f"no exit within {timeout} s; terminal showed:\n"
                                 + output.decode(errors="replace"))
        code = proc.wait(timeout=timeout)
    finally:
        os.close(leader)
    text = output.decode("utf-8", errors="replace").replace("\r\n", "\n")
    return TerminalRun(code, text)
