"""The one exception for "cannot go on": caught once around dispatch, exit 2."""

from __future__ import annotations


class FatalError(RuntimeError):
    """A usage or I/O problem: one line to the user, exit code 2."""
