"""The sql source through SQLAlchemy: a real SQLite file, and a real PostgreSQL server.

The PostgreSQL cluster is a throwaway one (tests/sources/servers.py); without
PostgreSQL installed these tests skip loudly, and fail under CI=true.
"""

from __future__ import annotations

import sqlite3
import time
from decimal import Decimal

import pytest

from okrkit.sources import measure
from okrkit.sources.base import Context, MeasureError
from sources.servers import Postgres

ORDERS = [("2025-12-30", 10.0), ("2026-01-05", 20.5), ("2026-02-01", 30.0),
          ("2026-03-10", 40.0), ("2026-04-01", 50.0)]


@pytest.fixture
def sqlite_ctx(ctx: Context) -> Context:
    (ctx.root / "data").mkdir()
    with sqlite3.connect(ctx.root / "data" / "kpi.db") as conn:
        conn.execute("CREATE TABLE orders (day TEXT, amount REAL)")
        conn.executemany("INSERT INTO orders VALUES (?, ?)", ORDERS)
    return ctx


def _sql(query: str, url: str = "sqlite:///data/kpi.db", **extra: object) -> dict[str, object]:
    return {"from": "sql", "url": url, "query": query, **extra}


def _rows(ctx: Context) -> int:
    with sqlite3.connect(ctx.root / "data" / "kpi.db") as conn:
        return int(conn.execute("SELECT count(*) FROM orders").fetchone()[0])


@pytest.mark.parametrize(("query", "expected"), [
    ("SELECT count(*) FROM orders WHERE day >= :cycle_start AND day <= :cycle_end", 3),
    ("SELECT count(*) FROM orders WHERE day <= :today", 4),
    ("SELECT sum(amount) FROM orders WHERE day BETWEEN :cycle_start AND :today", 90.5),
    ("SELECT '1,250'", 1250),
])
def test_one_number_with_the_cycle_bound(sqlite_ctx: Context, query: str,
                                         expected: float) -> None:
    assert measure(_sql(query), sqlite_ctx) == Decimal(str(expected))


def test_bound_parameters_are_never_pasted(sqlite_ctx: Context) -> None:
    # as a bound value the date is data: the quote marks around it would make it text
    assert measure(_sql("SELECT typeof(:today) = 'text' AND :today = '2026-03-10'"),
                   sqlite_ctx) == 1


@pytest.mark.parametrize(("query", "code", "en"), [
    ("SELECT day FROM orders", "not-one-value",
     "the query must return one row with one column, it returned more than one row of 1 "
     "column(s)"),
    ("SELECT count(*), 1 FROM orders", "not-one-value",
     "the query must return one row with one column, it returned 1 row of 2 column(s)"),
    ("SELECT amount FROM orders WHERE day = '1999-01-01'", "not-one-value",
     "the query must return one row with one column, it returned no row of 1 column(s)"),
    ("SELECT max(day) FROM orders", "not-a-number",
     "the query's result is '2026-04-01', not a number"),
    ("SELECT NULL", "not-a-number", "the query's result is null, not a number"),
    ("SELEC 1", "query-failed", 'sqlite:///{root}/data/kpi.db: near "SELEC": syntax error'),
])
def test_anything_but_one_number_is_an_error(sqlite_ctx: Context, query: str, code: str,
                                             en: str) -> None:
    with pytest.raises(MeasureError) as caught:
        measure(_sql(query), sqlite_ctx)
    assert caught.value.code == code
    assert caught.value.message("en") == en.format(root=sqlite_ctx.root)


@pytest.mark.parametrize("query", [
    "DELETE FROM orders",
    "DELETE FROM orders; SELECT 1",
    "UPDATE orders SET amount = 0 RETURNING 1",
    "INSERT INTO orders VALUES ('2026-03-11', 1) RETURNING 1",
    "DROP TABLE orders",
])
def test_sqlite_refuses_to_write(sqlite_ctx: Context, query: str) -> None:
    with pytest.raises(MeasureError) as caught:
        measure(_sql(query), sqlite_ctx)
    assert caught.value.code in ("query-failed", "not-one-value")
    assert _rows(sqlite_ctx) == len(ORDERS)
    with sqlite3.connect(sqlite_ctx.root / "data" / "kpi.db") as conn:
        assert conn.execute("SELECT sum(amount) FROM orders").fetchone()[0] == 150.5


def test_sqlite_stops_at_the_timeout(sqlite_ctx: Context) -> None:
    endless = ("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n) "
               "SELECT count(*) FROM n")
    started = time.monotonic()
    with pytest.raises(MeasureError) as caught:
        measure(_sql(endless, timeout=0.5), sqlite_ctx)
    assert time.monotonic() - started < 3
    assert (caught.value.code, caught.value.message("en")) == (
        "timeout", "the query ran over its 0.5 s timeout")


def test_sqlite_file_must_be_in_the_repository(sqlite_ctx: Context) -> None:
    with pytest.raises(MeasureError, match="outside the repository"):
        measure(_sql("SELECT 1", "sqlite:///../kpi.db"), sqlite_ctx)
    with pytest.raises(MeasureError) as caught:
        measure(_sql("SELECT 1", "sqlite:///data/none.db"), sqlite_ctx)
    assert caught.value.message("en") == "no SQLite database at 'data/none.db'"
    assert not (sqlite_ctx.root / "data" / "none.db").exists()


def test_the_url_from_the_environment_is_not_shown(sqlite_ctx: Context) -> None:
    ctx = Context(sqlite_ctx.root, sqlite_ctx.cycle_start, sqlite_ctx.cycle_end,
                  sqlite_ctx.today, {"DB": "postgresql+psycopg://u:hunter2@127.0.0.1:1/x"})
    with pytest.raises(MeasureError) as caught:
        measure(_sql("SELECT 1", "env:DB", timeout=2), ctx)
    assert "hunter2" not in caught.value.message("en")
    assert caught.value.message("en").startswith("postgresql+psycopg://u:***@127.0.0.1:1/x: ")


def test_not_a_database_url(sqlite_ctx: Context) -> None:
    with pytest.raises(MeasureError) as caught:
        measure(_sql("SELECT 1", "warehouse"), sqlite_ctx)
    assert caught.value.code == "bad-url"


# -- PostgreSQL: a real server ------------------------------------------------------------


@pytest.fixture(scope="module")
def pg_url(postgres: Postgres) -> str:
    import sqlalchemy as sa

    engine = sa.create_engine(postgres.url())
    with engine.begin() as conn:
        conn.exec_driver_sql("DROP TABLE IF EXISTS orders")
        conn.exec_driver_sql("CREATE TABLE orders (created_at date, amount numeric)")
        for day, amount in ORDERS:
            conn.exec_driver_sql("INSERT INTO orders VALUES (%(d)s, %(a)s)",
                                 {"d": day, "a": amount})
    engine.dispose()
    return postgres.url()


def _pg_rows(url: str) -> tuple[int, Decimal]:
    import sqlalchemy as sa

    engine = sa.create_engine(url)
    with engine.connect() as conn:
        row = conn.exec_driver_sql("SELECT count(*), sum(amount) FROM orders").one()
    engine.dispose()
    return int(row[0]), Decimal(row[1])


def test_postgresql_counts_with_date_parameters(ctx: Context, pg_url: str) -> None:
    query = ("SELECT count(*) FROM orders WHERE created_at >= :cycle_start "
             "AND created_at <= :cycle_end")
    assert measure(_sql(query, pg_url), ctx) == 3
    assert measure(_sql("SELECT sum(amount) FROM orders WHERE created_at <= :today",
                        pg_url), ctx) == Decimal("100.5")


@pytest.mark.parametrize("query", [
    "DELETE FROM orders; SELECT 1",
    "UPDATE orders SET amount = 0 RETURNING 1",
    "WITH gone AS (DELETE FROM orders RETURNING 1) SELECT count(*) FROM gone",
    "SELECT 1; DROP TABLE orders",
])
def test_postgresql_refuses_to_write(ctx: Context, pg_url: str, query: str) -> None:
    with pytest.raises(MeasureError) as caught:
        measure(_sql(query, pg_url), ctx)
    assert caught.value.code == "query-failed"
    assert _pg_rows(pg_url) == (len(ORDERS), Decimal("150.5"))


def test_postgresql_read_only_transaction_message(ctx: Context, pg_url: str) -> None:
    with pytest.raises(MeasureError) as caught:
        measure(_sql("UPDATE orders SET amount = 0 RETURNING 1", pg_url), ctx)
    assert "read-only transaction" in caught.value.message("en")


def test_postgresql_stops_at_the_statement_timeout(ctx: Context, pg_url: str) -> None:
    started = time.monotonic()
    with pytest.raises(MeasureError) as caught:
        measure(_sql("SELECT 1 FROM pg_sleep(60)", pg_url, timeout=1), ctx)
    assert time.monotonic() - started < 10
    assert (caught.value.code, caught.value.message("zh-TW")) == (
        "timeout", "查詢超過 1 秒的時限")


def test_a_missing_extra_is_one_line_naming_it(sqlite_ctx: Context,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    import sys

    monkeypatch.setitem(sys.modules, "sqlalchemy", None)  # as if not installed
    with pytest.raises(MeasureError) as caught:
        measure(_sql("SELECT 1"), sqlite_ctx)
    assert (caught.value.code, caught.value.message("en"), caught.value.message("zh-TW")) == (
        "missing-extra", "the sql source needs SQLAlchemy: pip install 'okrkit[sql]'",
        "sql 來源需要 SQLAlchemy:請執行 pip install 'okrkit[sql]'")


def test_a_password_reference_inside_the_url(sqlite_ctx: Context) -> None:
    ctx = Context(sqlite_ctx.root, sqlite_ctx.cycle_start, sqlite_ctx.cycle_end,
                  sqlite_ctx.today, {"DB_DIR": str(sqlite_ctx.root / "data")})
    assert measure(_sql("SELECT count(*) FROM orders", "sqlite:///${DB_DIR}/kpi.db"),
                   ctx) == len(ORDERS)
