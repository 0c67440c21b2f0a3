"""`measure: {from: json, url, pointer, headers}`: a number in a JSON document over HTTP.

httpx fetches it (`base.fetch`: timeout, size cap, status checked), the json
module parses it (numbers as Decimal: 0.1 stays 0.1), and the JSON Pointer
(RFC 6901) picks the value. Header values may hold `${NAME}` references.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from okrkit.sources.base import (
    Context,
    MeasureError,
    fetch,
    interpolate,
    resolve,
    timeout_of,
    to_number,
)


def preload() -> None:
    from okrkit.sources.base import preload_http

    preload_http()


def measure(spec: Mapping[str, Any], ctx: Context) -> Decimal:
    url = interpolate(resolve(str(spec["url"]), ctx, "url"), ctx, "url")
    headers = {str(k): interpolate(str(v), ctx, f"headers.{k}")
               for k, v in (spec.get("headers") or {}).items()}
    raw = fetch(url, ctx, headers=headers, timeout=timeout_of(spec))
    try:
        document = json.loads(raw.decode("utf-8-sig"), parse_float=Decimal,
                              parse_constant=_no_constant)
    except (UnicodeDecodeError, ValueError) as err:
        reason = str(err).splitlines()[0][:120]
        raise MeasureError("bad-json", f"the response is not valid JSON: {reason}",
                           f"回應不是有效的 JSON:{reason}") from err
    pointer = str(spec["pointer"])
    return to_number(resolve_pointer(document, pointer), f"the value at {pointer or '/'}",
                     ctx.unit)


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON number")


def resolve_pointer(document: Any, pointer: str) -> Any:
    """The value a JSON Pointer (RFC 6901) names; "" is the whole document."""
    if pointer == "":
        return document
    if not pointer.startswith("/"):
        raise MeasureError("bad-pointer", f"'{pointer}' is not a JSON Pointer (it starts with /)",
                           f"「{pointer}」不是 JSON Pointer(應以 / 開頭)")
    node = document
    walked = ""
    for token in pointer[1:].split("/"):
        key = token.replace("~1", "/").replace("~0", "~")  # in this order (RFC 6901, 4)
        walked += "/" + token
        if isinstance(node, dict) and key in node:
            node = node[key]
        elif (isinstance(node, list) and key.isdigit() and key.isascii()
              and (key == "0" or not key.startswith("0")) and int(key) < len(node)):
            node = node[int(key)]
        else:
            raise MeasureError("missing-value", f"nothing at {walked} in the response",
                               f"回應中 {walked} 沒有任何值")
    return node
