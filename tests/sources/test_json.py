"""The json source: httpx against a real HTTP server on 127.0.0.1, a JSON Pointer into it.

The server also answers 404, 500, slowly, with invalid JSON and with a 50 MB
body: each is one MeasureError, and the big body is cut off at the limit.
"""

from __future__ import annotations

import json
import time
from decimal import Decimal

import pytest

from okrkit.sources import measure
from okrkit.sources.base import Context, MeasureError
from okrkit.sources.json import resolve_pointer
from sources.servers import LocalHTTP, Reply, free_port

KPI = {"data": {"signups": 1830, "rate": 0.1, "as/text": "2,045", "til~de": 7,
                "items": [{"value": 12}, {"value": 13.5}], "flag": True, "none": None}}


@pytest.fixture(scope="module")
def kpi_url(http_server: LocalHTTP) -> str:
    return http_server.route("/api/kpi", Reply(body=json.dumps(KPI).encode()))


@pytest.mark.parametrize(("pointer", "expected"), [
    ("/data/signups", Decimal(1830)),
    ("/data/rate", Decimal("0.1")),  # parsed as Decimal: no 0.1000000000000000055
    ("/data/as~1text", Decimal(2045)),  # a numeric string, with its thousands comma
    ("/data/til~0de", Decimal(7)),
    ("/data/items/1/value", Decimal("13.5")),
])
def test_the_pointer_picks_the_number(ctx: Context, kpi_url: str, pointer: str,
                                      expected: Decimal) -> None:
    assert measure({"from": "json", "url": kpi_url, "pointer": pointer}, ctx) == expected


@pytest.mark.parametrize(("pointer", "en"), [
    ("/data/missing", "nothing at /data/missing in the response"),
    ("/data/items/2/value", "nothing at /data/items/2 in the response"),
    ("/data/items/01", "nothing at /data/items/01 in the response"),
    ("/data/flag", "the value at /data/flag is true, not a number"),
    ("/data/none", "the value at /data/none is null, not a number"),
    ("/data/items", None),  # a list: not a number either (its repr is not the point)
])
def test_what_the_pointer_finds_must_be_a_number(ctx: Context, kpi_url: str, pointer: str,
                                                 en: str | None) -> None:
    with pytest.raises(MeasureError) as caught:
        measure({"from": "json", "url": kpi_url, "pointer": pointer}, ctx)
    assert caught.value.code in ("missing-value", "not-a-number")
    if en is not None:
        assert caught.value.message("en") == en


def test_rfc6901_examples() -> None:
    document = {"foo": ["bar", "baz"], "": 0, "a/b": 1, "c%d": 2, "e^f": 3, "g|h": 4,
                "i\\j": 5, 'k"l': 6, " ": 7, "m~n": 8}
    cases = {"": document, "/foo": ["bar", "baz"], "/foo/0": "bar", "/": 0, "/a~1b": 1,
             "/c%d": 2, "/e^f": 3, "/g|h": 4, "/i\\j": 5, '/k"l': 6, "/ ": 7, "/m~0n": 8}
    for pointer, expected in cases.items():
        assert resolve_pointer(document, pointer) == expected


def test_header_references_are_filled_from_the_environment(ctx: Context,
                                                           http_server: LocalHTTP) -> None:
    url = http_server.route("/api/private", lambda request: Reply(
        200 if request.headers.get("Authorization") == "Bearer t0ken" else 401,
        b'{"n": 5}'))
    spec = {"from": "json", "url": url, "pointer": "/n",
            "headers": {"Authorization": "Bearer ${METRICS_TOKEN}"}}
    assert measure(spec, ctx) == 5
    assert http_server.requests[-1].headers["Authorization"] == "Bearer t0ken"
    spec["headers"] = {"Authorization": "Bearer ${OTHER_TOKEN}"}
    with pytest.raises(MeasureError) as caught:
        measure(spec, ctx)
    assert caught.value.code == "missing-env"
    assert caught.value.message("zh-TW") == (
        "headers.Authorization:環境變數 OTHER_TOKEN 沒有設定(是否為 CI secret?)")


@pytest.mark.parametrize(("reply", "code", "en"), [
    (Reply(500, b"oops"), "http-status", "{host} answered 500 Internal Server Error"),
    (Reply(body=b"{'single': quotes}"), "bad-json",
     "the response is not valid JSON: Expecting property name enclosed in double quotes: "
     "line 1 column 2 (char 1)"),
    (Reply(body=b'{"n": NaN}'), "bad-json",
     "the response is not valid JSON: NaN is not a JSON number"),
])
def test_server_failures(ctx: Context, http_server: LocalHTTP, reply: Reply, code: str,
                         en: str) -> None:
    url = http_server.route(f"/fail-{code}", reply)
    with pytest.raises(MeasureError) as caught:
        measure({"from": "json", "url": url, "pointer": "/n"}, ctx)
    host = http_server.url.removeprefix("http://")
    assert (caught.value.code, caught.value.message("en")) == (code, en.format(host=host))


def test_a_slow_server_times_out(ctx: Context, http_server: LocalHTTP) -> None:
    url = http_server.route("/slow", Reply(body=b'{"n": 1}', delay=3))
    started = time.monotonic()
    with pytest.raises(MeasureError) as caught:
        measure({"from": "json", "url": url, "pointer": "/n", "timeout": 0.5}, ctx)
    assert time.monotonic() - started < 2.5
    host = http_server.url.removeprefix("http://")
    assert caught.value.message("en") == f"{host} did not answer within 0.5 s"


def test_a_50_mb_body_is_cut_off(ctx: Context, http_server: LocalHTTP) -> None:
    url = http_server.route("/huge", Reply(body=b'{"n": "', stream_bytes=50 * 1024 * 1024))
    started = time.monotonic()
    with pytest.raises(MeasureError) as caught:
        measure({"from": "json", "url": url, "pointer": "/n"}, ctx)
    host = http_server.url.removeprefix("http://")
    assert caught.value.message("en") == f"{host} sent more than 10 MB: cut off"
    assert time.monotonic() - started < 5


def test_an_unreachable_host(ctx: Context) -> None:
    port = free_port()  # nothing listens there once the probe socket is closed
    with pytest.raises(MeasureError) as caught:
        measure({"from": "json", "url": f"http://127.0.0.1:{port}/kpi", "pointer": "/n"}, ctx)
    assert caught.value.code == "unreachable"
    assert caught.value.message("en").startswith(f"cannot reach 127.0.0.1:{port}: ")


@pytest.mark.parametrize("url", ["file:///etc/passwd", "ftp://example.com/x.json", "kpi"])
def test_only_http_addresses(ctx: Context, url: str) -> None:
    with pytest.raises(MeasureError) as caught:
        measure({"from": "json", "url": url, "pointer": "/n"}, ctx)
    assert caught.value.code == "bad-url"
