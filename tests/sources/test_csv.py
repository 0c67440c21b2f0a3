"""The csv source: a column of a CSV file in the repository or over HTTP (127.0.0.1)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from okrkit.sources import measure
from okrkit.sources.base import Context, MeasureError
from sources.servers import LocalHTTP, Reply

TABLE = "month,channel,sessions\n2026-01,organic,\"12,100\"\n2026-02,organic,13200\n" \
        "2026-02,paid,900\n2026-03,organic,13900\n\n"


def _write(ctx: Context, text: str, *, bom: bool = False, name: str = "data/s.csv") -> None:
    path = ctx.root / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + text.encode("utf-8"))


@pytest.mark.parametrize("bom", [False, True])
@pytest.mark.parametrize(("agg", "where", "expected"), [
    ("last", {}, "13900"),
    ("first", {}, "12100"),
    ("sum", {"channel": "organic"}, "39200"),
    ("mean", {"month": "2026-02"}, "7050"),
    ("min", {}, "900"),
    ("max", {}, "13900"),
    ("count", {"channel": "organic"}, "3"),
    ("last", {"month": "2026-02", "channel": "paid"}, "900"),
])
def test_a_column_is_aggregated_over_the_matching_rows(ctx: Context, bom: bool, agg: str,
                                                       where: dict[str, str],
                                                       expected: str) -> None:
    _write(ctx, TABLE, bom=bom)
    spec = {"from": "csv", "path": "data/s.csv", "column": "sessions", "where": where,
            "agg": agg}
    assert measure(spec, ctx) == Decimal(expected)


def test_headers_in_chinese_and_a_numeric_where(ctx: Context) -> None:
    _write(ctx, "年,訪客數\n2025,48000\n2026,53000\n", bom=True)
    spec = {"from": "csv", "path": "data/s.csv", "column": "訪客數", "where": {"年": 2026}}
    assert measure(spec, ctx) == 53000


@pytest.mark.parametrize(("text", "spec", "code", "en"), [
    (TABLE, {"column": "visits"}, "missing-column",
     "no column 'visits' in the CSV (columns: month, channel, sessions)"),
    ("month,sessions\n2026-03,n/a\n", {"column": "sessions"}, "not-a-number",
     "line 2, column 'sessions': 'n/a' is not a number"),
    ('month,sessions\n2026-03,"139\n', {"column": "sessions"}, "bad-csv",
     "malformed CSV at line 2: unexpected end of data"),
    ("month,sessions\n2026-02,1\n", {"column": "sessions", "where": {"month": "2026-03"}},
     "no-rows", "no row with a value in 'sessions' where month = 2026-03"),
    ("", {"column": "sessions"}, "bad-csv", "the CSV is empty"),
])
def test_bad_tables_are_errors_with_both_messages(ctx: Context, text: str,
                                                  spec: dict[str, object], code: str,
                                                  en: str) -> None:
    _write(ctx, text)
    with pytest.raises(MeasureError) as caught:
        measure({"from": "csv", "path": "data/s.csv", **spec}, ctx)
    assert (caught.value.code, caught.value.message("en")) == (code, en)
    assert caught.value.message("zh-TW") != en


def test_big5_is_read_as_excel_in_taiwan_saves_it(ctx: Context) -> None:
    (ctx.root / "s.csv").write_bytes("月,數\n3,1\n4,2\n".encode("big5"))
    assert measure({"from": "csv", "path": "s.csv", "column": "數"}, ctx) == 2


def test_neither_utf8_nor_big5_is_an_error(ctx: Context) -> None:
    (ctx.root / "s.csv").write_bytes(b"a\n\xff\xfe\xff\n")
    with pytest.raises(MeasureError, match="neither UTF-8 nor Big5"):
        measure({"from": "csv", "path": "s.csv", "column": "a"}, ctx)


@pytest.mark.parametrize("given", ["../outside.csv", "/etc/passwd", "data/../../x.csv"])
def test_a_path_must_stay_inside_the_repository(ctx: Context, given: str) -> None:
    (ctx.root.parent / "outside.csv").write_text("a\n1\n")
    with pytest.raises(MeasureError) as caught:
        measure({"from": "csv", "path": given, "column": "a"}, ctx)
    assert caught.value.code == "outside-repository"


def test_a_symlink_out_of_the_repository_is_refused(ctx: Context) -> None:
    (ctx.root.parent / "secret.csv").write_text("a\n1\n")
    (ctx.root / "link.csv").symlink_to(ctx.root.parent / "secret.csv")
    with pytest.raises(MeasureError, match="outside the repository"):
        measure({"from": "csv", "path": "link.csv", "column": "a"}, ctx)


def test_a_missing_file(ctx: Context) -> None:
    with pytest.raises(MeasureError) as caught:
        measure({"from": "csv", "path": "data/none.csv", "column": "a"}, ctx)
    assert caught.value.code == "unreadable"
    assert caught.value.message("en").startswith("cannot read 'data/none.csv': ")


def test_a_download_with_a_bom_over_http(ctx: Context, http_server: LocalHTTP) -> None:
    url = http_server.route("/export", Reply(body="\ufeff日期,訪客數\n3/1,100\n3/2,250\n"
                                             .encode(), content_type="text/csv"))
    spec = {"from": "csv", "url": url + "?format=csv", "column": "訪客數", "agg": "sum"}
    assert measure(spec, ctx) == 350


def test_a_download_url_from_the_environment(ctx: Context, http_server: LocalHTTP) -> None:
    url = http_server.route("/secret-export", Reply(body=b"n\n7\n", content_type="text/csv"))
    env_ctx = Context(ctx.root, ctx.cycle_start, ctx.cycle_end, ctx.today, {"SHEET_URL": url})
    assert measure({"from": "csv", "url": "env:SHEET_URL", "column": "n"}, env_ctx) == 7
    with pytest.raises(MeasureError) as caught:
        measure({"from": "csv", "url": "env:OTHER_URL", "column": "n"}, env_ctx)
    assert caught.value.message("en") == (
        "url: the environment variable OTHER_URL is not set (a CI secret?)")


def test_a_download_that_is_not_found(ctx: Context, http_server: LocalHTTP) -> None:
    with pytest.raises(MeasureError) as caught:
        measure({"from": "csv", "url": http_server.url + "/nothing-here", "column": "n"}, ctx)
    host = http_server.url.removeprefix("http://")
    assert caught.value.message("en") == f"{host} answered 404 Not Found"
    assert caught.value.message("zh-TW") == f"{host} 回應 404 Not Found"
