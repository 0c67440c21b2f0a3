"""What every measurement source shares: its context, its one error type, the helpers.

A source module (`okrkit.sources.<name>`) has one function,
`measure(spec, ctx) -> Decimal`: `spec` is the key result's `measure:` mapping as
written (schema-valid), `ctx` the dates and settings of this run. Every way it
can fail is a `MeasureError` with a stable code and the message in both
languages; `okr measure` reports it at the key result's `measure:` and goes on
with the others.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
import ssl
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from okrkit import numbers

DEFAULT_TIMEOUT = 30.0  # seconds, unless the measure says `timeout:`
MAX_BYTES = 10 * 1024 * 1024  # a download larger than this is cut off: a KPI is not 10 MB


class MeasureError(Exception):
    """Why one key result could not be measured: a stable code, English and zh-TW."""

    def __init__(self, code: str, en: str, zh: str) -> None:
        super().__init__(en)
        self.code = code
        self.messages = {"en": en, "zh-TW": zh}

    def message(self, lang: str) -> str:
        return self.messages.get(lang) or self.messages["en"]


class MissingExtra(MeasureError):
    """The source's library is not installed: name the extra that brings it."""

    def __init__(self, source: str, library: str) -> None:
        super().__init__(
            "missing-extra",
            f"the {source} source needs {library}: pip install 'okrkit[{source}]'",
            f"{source} 來源需要 {library}:請執行 pip install 'okrkit[{source}]'")


@dataclass(frozen=True, slots=True)
class Context:
    """What a source may read besides its spec."""

    root: Path  # the repository root: `path:` and SQLite files are relative to it
    cycle_start: dt.date
    cycle_end: dt.date
    today: dt.date
    env: Mapping[str, str] = field(default_factory=dict, repr=False)  # secrets: never shown
    max_bytes: int = MAX_BYTES
    unit: str | None = None  # the key result's: a unit written with a value must be it


def timeout_of(spec: Mapping[str, Any]) -> float:
    value = spec.get("timeout")
    return float(value) if isinstance(value, (int, float)) else DEFAULT_TIMEOUT


_ENV_RE = re.compile(r"env:([A-Za-z_][A-Za-z0-9_]*)\Z")
_REF_RE = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}")


def resolve(value: str, ctx: Context, what: str) -> str:
    """`env:NAME` → the variable's value (a CI secret); anything else as written."""
    match = _ENV_RE.match(value)
    if match is None:
        return value
    return _variable(match[1], ctx, what)


def interpolate(value: str, ctx: Context, what: str) -> str:
    """`Bearer ${TOKEN}` with each `${NAME}` replaced by the variable's value."""
    return _REF_RE.sub(lambda m: _variable(m[1], ctx, what), value)


def _variable(name: str, ctx: Context, what: str) -> str:
    found = ctx.env.get(name)
    if not found:
        raise MeasureError("missing-env",
                           f"{what}: the environment variable {name} is not set (a CI secret?)",
                           f"{what}:環境變數 {name} 沒有設定(是否為 CI secret?)")
    return found


def parse_number(text: str, unit: str | None, where: tuple[str, str]) -> Decimal | None:
    """`13,900`, `2.8%`, `NT$7.2萬` as okrkit.numbers reads them (as `okr checkin` and
    `okr import` do); None when not a number. A unit written with it must be the key
    result's `unit` (MeasureError `unit-mismatch` at `where`, en and zh-TW, else)."""
    number = numbers.parse(text)
    if number is None:
        return None
    why = numbers.disagreement(text, number, unit)
    if why is not None:
        raise MeasureError("unit-mismatch", f"{where[0]}: {why['en']}",
                           f"{where[1]}:{why['zh-TW']}")
    return number.value


def to_number(value: Any, what: str, unit: str | None = None) -> Decimal:
    """A number a source returned (int, float, Decimal, or a numeric string) as a Decimal."""
    if isinstance(value, bool) or value is None:
        shown = "null" if value is None else str(value).lower()
        raise MeasureError("not-a-number", f"{what} is {shown}, not a number",
                           f"{what} 是 {shown},不是數字")
    if isinstance(value, (int, Decimal)):
        number = Decimal(value)
    elif isinstance(value, float):
        number = Decimal(repr(value))
    elif isinstance(value, str) and (parsed := parse_number(value, unit, (what, what))
                                     ) is not None:
        number = parsed
    else:
        shown = _short(repr(value) if not isinstance(value, str) else f"'{value}'")
        raise MeasureError("not-a-number", f"{what} is {shown}, not a number",
                           f"{what} 是 {shown},不是數字")
    if not number.is_finite():
        raise MeasureError("not-a-number", f"{what} is {number}, not a finite number",
                           f"{what} 是 {number},不是有限的數字")
    return number


def _short(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= 60 else text[:57] + "..."


def preload_http() -> None:
    import httpx  # noqa: F401

    _tls()


def fetch(url: str, ctx: Context, *, headers: Mapping[str, str] | None = None,
          timeout: float) -> bytes:
    """GET `url` over http(s) with httpx: the body, at most `ctx.max_bytes` of it.

    Shared by the csv and json sources. Redirects are followed; every failure
    (unreachable, timeout, a status other than 2xx, a body over the limit) is a
    MeasureError naming the host, never the URL (its query may hold a secret).
    """
    import httpx  # only `okr measure` pays for it

    try:
        parsed = httpx.URL(url)
    except (httpx.InvalidURL, TypeError) as err:
        raise MeasureError("bad-url", f"not a valid URL: {err}",
                           f"不是有效的網址:{err}") from err
    if parsed.scheme not in ("http", "https") or not parsed.host:
        raise MeasureError("bad-url", "only http:// and https:// addresses can be fetched",
                           "只能讀取 http:// 與 https:// 網址")
    host = parsed.host + (f":{parsed.port}" if parsed.port else "")
    chunks: list[bytes] = []
    size = 0
    # httpx's timeout is per read: a server trickling bytes would never trip it
    deadline = time.monotonic() + timeout
    try:
        with httpx.Client(timeout=timeout, follow_redirects=True, verify=_tls()) as client, \
                client.stream("GET", parsed, headers=dict(headers or {})) as response:
            if not response.is_success:
                raise MeasureError(
                    "http-status", f"{host} answered {response.status_code} "
                                   f"{response.reason_phrase}".rstrip(),
                    f"{host} 回應 {response.status_code} {response.reason_phrase}".rstrip())
            for chunk in response.iter_bytes():
                if time.monotonic() > deadline:
                    raise httpx.ReadTimeout("the whole response took too long")
                size += len(chunk)
                if size > ctx.max_bytes:
                    mib = ctx.max_bytes / (1024 * 1024)
                    raise MeasureError(
                        "too-large", f"{host} sent more than {mib:g} MB: cut off",
                        f"{host} 傳回超過 {mib:g} MB 的資料:已中斷")
                chunks.append(chunk)
    except httpx.TimeoutException as err:
        raise MeasureError("timeout", f"{host} did not answer within {timeout:g} s",
                           f"{host} 在 {timeout:g} 秒內沒有回應") from err
    except httpx.HTTPError as err:
        reason = _short(str(err) or type(err).__name__)
        raise MeasureError("unreachable", f"cannot reach {host}: {reason}",
                           f"無法連線到 {host}:{reason}") from err
    return b"".join(chunks)


@functools.cache
def _tls() -> ssl.SSLContext:
    """One TLS context for every download: building one (loading the CA bundle) costs
    more than a request on a fast network. The clients stay one per request, so no
    cookie or connection is shared between two key results' sources."""
    import certifi  # httpx's own CA bundle

    return ssl.create_default_context(cafile=certifi.where())
