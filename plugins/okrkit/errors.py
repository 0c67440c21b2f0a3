"""The one exception for "cannot go on": caught once around dispatch, exit 2."""

from __future__ import annotations


class FatalError(RuntimeError):
    """A usage or I/O problem: one line to the user, exit code 2.

    Commands that know their language raise the message already in it; code
    below them (git, history, config) gives both languages with `zh`, and the
    CLI prints the one the user chose.
    """

    def __init__(self, message: str, *, zh: str | None = None) -> None:
        super().__init__(message)
        self.zh = zh

    def message(self, lang: str) -> str:
        return self.zh if lang == "zh-TW" and self.zh is not None else str(self)
