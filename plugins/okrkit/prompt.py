"""Questions asked in a terminal: `okr new` without arguments, `okr score --write`.

A command asks only when both stdin and stdout are terminals; piped or in CI
it takes flags instead (issue 7: "interactive prompts when run in a terminal,
flags otherwise"). Answers are read with `input()`, so line editing works and
a closed stdin (Ctrl-D) ends the command without writing anything.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence

from okrkit.errors import FatalError

MESSAGES: dict[str, dict[str, str]] = {
    "en": {
        "default": " [{default}]",
        "choose": "a number from 1 to {count}, or one of the names",
        "required": "an answer is needed",
        "cancelled": "cancelled: nothing was written",
    },
    "zh-TW": {
        "default": " [{default}]",
        "choose": "請輸入 1 到 {count} 的數字,或其中一個名稱",
        "required": "需要回答",
        "cancelled": "已取消:沒有寫入任何檔案",
    },
}


def is_interactive() -> bool:
    """True when a person can answer: stdin and stdout are both terminals."""
    return sys.stdin.isatty() and sys.stdout.isatty()


def ask(question: str, *, lang: str, default: str | None = None,
        required: bool = True, check: Callable[[str], str | None] | None = None) -> str:
    """One line of text; the default when the answer is empty. `check` returns why an
    answer is refused (printed, then the question is asked again), or None to accept it."""
    text = MESSAGES[lang]
    suffix = text["default"].format(default=default) if default else ""
    while True:
        answer = _read(f"{question}{suffix}: ", lang).strip()
        if not answer:
            if default is not None:
                answer = default  # checked like a typed answer
            elif not required:
                return ""
            else:
                print(text["required"], file=sys.stderr)
                continue
        problem = check(answer) if check is not None else None
        if problem is None:
            return answer
        print(problem, file=sys.stderr)


def choose(question: str, options: Sequence[tuple[str, str]], *, lang: str,
           default: str | None = None) -> str:
    """One of `options` (value, label), by number or by value."""
    text = MESSAGES[lang]
    for n, (value, label) in enumerate(options, 1):
        print(f"  {n}) {value}" + (f"  {label}" if label and label != value else ""))
    values = [value for value, _ in options]
    while True:
        answer = ask(question, lang=lang, default=default)
        if answer in values:
            return answer
        if answer.isdigit() and 1 <= int(answer) <= len(options):
            return values[int(answer) - 1]
        print(text["choose"].format(count=len(options)), file=sys.stderr)


def _read(prompt: str, lang: str) -> str:
    try:
        return input(prompt)
    except (EOFError, KeyboardInterrupt):
        print(file=sys.stderr)
        raise FatalError(MESSAGES[lang]["cancelled"]) from None
