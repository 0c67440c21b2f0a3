"""`measure: {from: sql, url, query}`: one number from a database, through SQLAlchemy.

Any dialect the user installs works for reading; what must hold is that the
query cannot change anything and cannot run for ever:

- the transaction is read-only (PostgreSQL and MySQL `SET TRANSACTION READ
  ONLY`, SQLite `PRAGMA query_only`; another dialect gets the standard
  statement and is refused when it does not take it) and is always rolled back;
- a statement timeout (PostgreSQL `SET LOCAL statement_timeout`, MySQL
  `max_execution_time`, SQLite an interrupt from its progress handler);
- `:cycle_start`, `:cycle_end` and `:today` are bound parameters (typed as
  dates), never pasted into the text;
- the result is exactly one row of one column holding a number.

A SQLite file named relative (`sqlite:///data/kpi.db`) is the repository's.
"""

from __future__ import annotations

import os
import re
import time
from collections.abc import Mapping
from decimal import Decimal
from pathlib import Path
from typing import Any

from okrkit.sources.base import (
    Context,
    MeasureError,
    MissingExtra,
    interpolate,
    resolve,
    timeout_of,
    to_number,
)

PARAMS = ("cycle_start", "cycle_end", "today")
_PARAM_RE = re.compile(r"(?<![:\w]):(cycle_start|cycle_end|today)\b")


def preload() -> None:
    import sqlalchemy
    import sqlalchemy.pool  # noqa: F401


def measure(spec: Mapping[str, Any], ctx: Context) -> Decimal:
    try:
        import sqlalchemy as sa
        from sqlalchemy.pool import NullPool
    except ImportError as err:
        raise MissingExtra("sql", "SQLAlchemy") from err
    url_text = interpolate(resolve(str(spec["url"]), ctx, "url"), ctx, "url")
    timeout = timeout_of(spec)
    try:
        url = sa.make_url(url_text)
    except Exception as err:  # ArgumentError; the text may hold a password: not shown
        raise MeasureError("bad-url", "url is not a database URL "
                                      "(dialect+driver://user:password@host/database)",
                           "url 不是資料庫網址(dialect+driver://user:password@host/database)"
                           ) from err
    url = _sqlite_in_repository(url, ctx)
    where = url.render_as_string(hide_password=True)
    query = str(spec["query"])
    names = sorted(set(_PARAM_RE.findall(query)))
    values = {"cycle_start": ctx.cycle_start, "cycle_end": ctx.cycle_end, "today": ctx.today}
    statement = sa.text(query).bindparams(
        *[sa.bindparam(n, values[n], type_=sa.Date()) for n in names])
    try:
        engine = sa.create_engine(url, poolclass=NullPool, **_connect_args(url, timeout))
    except ImportError as err:  # the dialect's driver (psycopg, pymysql, ...)
        raise MeasureError("missing-driver",
                           f"the database driver for {url.drivername} is not installed: {err}",
                           f"沒有安裝 {url.drivername} 的資料庫驅動程式:{err}") from err
    except Exception as err:
        raise MeasureError("bad-url", f"cannot use {where}: {_reason(err)}",
                           f"無法使用 {where}:{_reason(err)}") from err
    started = time.monotonic()
    try:
        with engine.connect() as conn:
            _read_only(conn, url.get_backend_name(), timeout)
            try:
                result = conn.execute(statement)
                rows = result.fetchmany(2) if result.returns_rows else []
                shape = (len(rows), len(result.keys()) if result.returns_rows else 0)
            finally:
                conn.rollback()  # never commit: nothing the query did may stay
    except MeasureError:
        raise
    except Exception as err:
        if time.monotonic() - started >= timeout * 0.9 and _is_timeout(err):
            raise MeasureError("timeout", f"the query ran over its {timeout:g} s timeout",
                               f"查詢超過 {timeout:g} 秒的時限") from err
        raise MeasureError("query-failed", f"{where}: {_reason(err)}",
                           f"{where}:{_reason(err)}") from err
    finally:
        engine.dispose()
    if shape != (1, 1):
        raise MeasureError(
            "not-one-value",
            f"the query must return one row with one column, it returned "
            f"{_rows(shape[0])} of {shape[1]} column(s)",
            f"查詢必須傳回一列一欄,實際傳回 {_rows_zh(shape[0])}、{shape[1]} 欄")
    return to_number(rows[0][0], "the query's result", ctx.unit)


def _sqlite_in_repository(url: Any, ctx: Context) -> Any:
    """A relative SQLite file is the repository's, and must stay inside it."""
    if url.get_backend_name() != "sqlite" or not url.database or url.database == ":memory:" \
            or url.database.startswith("file:"):
        return url
    given = url.database
    if Path(given).is_absolute():
        return url
    root = Path(os.path.realpath(ctx.root))
    path = Path(os.path.realpath(root / given))
    if not path.is_relative_to(root):
        raise MeasureError("outside-repository",
                           f"'{given}' is outside the repository",
                           f"「{given}」在儲存庫之外")
    if not path.is_file():  # sqlite3 would create an empty database there
        raise MeasureError("unreadable", f"no SQLite database at '{given}'",
                           f"「{given}」沒有 SQLite 資料庫")
    return url.set(database=str(path))


def _connect_args(url: Any, timeout: float) -> dict[str, Any]:
    backend = url.get_backend_name()
    if backend == "postgresql":
        return {"connect_args": {"connect_timeout": max(1, round(timeout))}}
    if backend == "sqlite":
        return {"connect_args": {"timeout": timeout}}  # waiting for a lock
    return {}


def _read_only(conn: Any, backend: str, timeout: float) -> None:
    """Make the connection's transaction read-only, with a statement timeout."""
    millis = max(1, round(timeout * 1000))
    if backend == "postgresql":
        conn.exec_driver_sql("SET TRANSACTION READ ONLY")
        conn.exec_driver_sql(f"SET LOCAL statement_timeout = {millis}")
        return
    if backend in ("mysql", "mariadb"):
        conn.exec_driver_sql("SET TRANSACTION READ ONLY")
        conn.exec_driver_sql(f"SET SESSION max_execution_time = {millis}")
        return
    if backend == "sqlite":
        raw = conn.connection.dbapi_connection
        raw.execute("PRAGMA query_only = ON")
        deadline = time.monotonic() + timeout
        # a non-zero return interrupts the statement ("interrupted")
        raw.set_progress_handler(lambda: int(time.monotonic() > deadline), 10_000)
        return
    try:
        conn.exec_driver_sql("SET TRANSACTION READ ONLY")
    except Exception as err:
        raise MeasureError(
            "not-read-only",
            f"cannot open a read-only transaction on {backend}: refused to run the query",
            f"無法在 {backend} 上開啟唯讀交易:拒絕執行查詢") from err


def _is_timeout(err: Exception) -> bool:
    text = str(err).lower()
    return any(word in text for word in ("timeout", "canceling statement", "interrupted",
                                         "max_execution_time", "timed out"))


def _reason(err: Exception) -> str:
    """The driver's first line, without SQLAlchemy's "(Background on this error ...)"."""
    orig = getattr(err, "orig", None)
    text = str(orig if orig is not None else err).strip().splitlines()
    first = text[0] if text else type(err).__name__
    return first if len(first) <= 200 else first[:197] + "..."


def _rows(count: int) -> str:
    return {0: "no row", 1: "1 row"}.get(count, "more than one row")


def _rows_zh(count: int) -> str:
    return {0: "0 列", 1: "1 列"}.get(count, "超過一列")
