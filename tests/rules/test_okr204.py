"""OKR204 literal-credential (error): secrets in `measure:` only by reference.

A sheet is committed and published, so a password in a database URL, a token in
a URL's query or a literal `Authorization` header is flagged at that value;
`env:NAME` and `${NAME}` are clean.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest

from okrkit.findings import Severity

Check = Callable[..., list[tuple[int, int, str]]]

HEAD = """\
cycle: 2026-Q1
team: marketing
owner: mei
objectives:
  - id: acquisition
    title: 讓更多人找到我們的網站
    owner: mei
    strategy: [brand]
    key_results:
      - id: orders
        title: 本季線上訂單達到 1,200 筆
        metric: 線上訂單數
        source: 資料倉儲
        baseline: 900
        target: 1200
"""


@pytest.mark.parametrize(("measure", "expected"), [
    # line 16 is `measure:`'s first entry
    ('        measure: {from: sql, url: "postgresql://okr:s3cret@db.example.com/shop", '
     'query: "SELECT 1"}\n', [(16, 35, "OKR204")]),
    ('        measure: {from: csv, url: "https://x.example.com/e.csv?format=csv&key=AIzaSyD", '
     "column: n}\n", [(16, 35, "OKR204")]),
    ('        measure: {from: json, url: "https://m.example.com/kpi", pointer: /n, '
     'headers: {Authorization: "Bearer 9f2c1e7a5b3d"}}\n', [(16, 103, "OKR204")]),
    ('        measure: {from: json, url: "https://m.example.com/kpi", pointer: /n, '
     'headers: {X-API-Key: "abc123"}}\n', [(16, 99, "OKR204")]),
    # clean: references, a user without a password, a harmless header and parameter
    ('        measure: {from: sql, url: "env:OKR_WAREHOUSE_URL", query: "SELECT 1"}\n', []),
    ('        measure: {from: sql, url: "postgresql://reader@db.example.com/shop", '
     'query: "SELECT 1"}\n', []),
    ('        measure: {from: json, url: "https://m.example.com/kpi?format=json", pointer: /n, '
     'headers: {Authorization: "Bearer ${METRICS_TOKEN}", Accept: application/json}}\n', []),
    ('        measure: {from: json, url: "https://m.example.com/kpi", pointer: /n, '
     'headers: {X-API-Key: "${KPI_KEY}"}}\n', []),
    ('        measure: {from: sql, url: "postgresql://okr:${DB_PASSWORD}@db.example.com/shop", '
     'query: "SELECT 1"}\n', []),
])
def test_a_literal_credential_is_flagged_at_its_value(check: Check, measure: str,
                                                      expected: list[tuple[int, int, str]]
                                                      ) -> None:
    assert check(HEAD + measure, code="OKR204") == expected


def test_it_is_an_error_and_says_what_to_write(tmp_path, lint_snippet) -> None:
    sheet = HEAD + ('        measure: {from: sql, url: "postgresql://okr:s3cret@db/shop", '
                    'query: "SELECT 1"}\n')
    [finding] = [f for f in lint_snippet(tmp_path, sheet) if f.code == "OKR204"]
    assert finding.severity is Severity.ERROR
    assert finding.message("en") == (
        "a password in the URL of measure: keep the URL in a CI secret and write "
        "url: env:OKR_MARKETING_ORDERS_URL")
    assert finding.message("zh-TW") == (
        "measure 的網址含有密碼:請把網址存成 CI secret,改寫成 url: env:OKR_MARKETING_ORDERS_URL")
