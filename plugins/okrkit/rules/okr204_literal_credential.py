"""Credential written in a measure

**What**: a `measure:` (where `okr measure` reads a key result's number) that
holds a secret as plain text: a database or download URL with a password
(`postgresql://okr:s3cret@db/…`), a token in a URL's query
(`?access_token=…`, `?key=…`), or a request header carrying a token
(`Authorization: Bearer eyJ…`, `X-API-Key: …`). Secrets go in only by
reference: `env:NAME` for a whole value, `${NAME}` inside a header. Error.

**Why**: the article asks to 善用數據分析工具, so key results read their
numbers from analytics tools, databases and APIs, and those need
credentials. A sheet is committed, pushed, reviewed in pull requests and
published on the site: a password written in it is leaked to everyone who can
read the repository, forever (the git history keeps it after it is removed).
Kept in CI secrets, it reaches `okr measure` as an environment variable and
never the repository.

**Bad**: the warehouse password and the API token are in the sheet.

```yaml
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
        measure:
          from: sql
          url: postgresql://okr:s3cret@warehouse.example.com/shop
          query: SELECT count(*) FROM orders WHERE created_at >= :cycle_start
      - id: signups
        title: 本季新註冊會員達到 2,000 人
        metric: 新註冊會員數
        source: 會員系統
        baseline: 1500
        target: 2000
        measure:
          from: json
          url: https://metrics.example.com/api/kpi
          pointer: /data/signups
          headers: {Authorization: "Bearer 9f2c1e7a5b3d4c6e8f0a1b2c3d4e5f60"}
```

**Good**: both come from the environment (CI secrets).

```yaml
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
        measure:
          from: sql
          url: env:OKR_WAREHOUSE_URL
          query: SELECT count(*) FROM orders WHERE created_at >= :cycle_start
      - id: signups
        title: 本季新註冊會員達到 2,000 人
        metric: 新註冊會員數
        source: 會員系統
        baseline: 1500
        target: 2000
        measure:
          from: json
          url: https://metrics.example.com/api/kpi
          pointer: /data/signups
          headers: {Authorization: "Bearer ${METRICS_TOKEN}"}
```

**Options**: none.
"""

from __future__ import annotations

import re
import urllib.parse
from collections.abc import Iterator, Mapping
from typing import Any

from okrkit.findings import Severity
from okrkit.model import Sheet
from okrkit.rules import text
from okrkit.rules.base import Context, Hit

CODE = "OKR204"
NAME = "literal-credential"
SEVERITY = Severity.ERROR
SCOPE = "sheet"
READS = ("sheet",)  # what its hits depend on (rules/base.py)
OPTIONS: Mapping[str, Any] = {}
MESSAGES = {
    "default": {
        "en": "a password in the URL of measure: keep the URL in a CI secret and write "
              "url: env:{suggest}",
        "zh-TW": "measure 的網址含有密碼:請把網址存成 CI secret,改寫成 url: env:{suggest}",
    },
    "query": {
        "en": "a credential in the URL's query ('{param}') of measure: keep the URL in a CI "
              "secret and write url: env:{suggest}",
        "zh-TW": "measure 網址的查詢參數「{param}」含有憑證:請把網址存成 CI secret,改寫成 "
                 "url: env:{suggest}",
    },
    "header": {
        "en": "a credential written in header '{param}' of measure: write it as "
              "${{{suggest}}} and keep the value in a CI secret",
        "zh-TW": "measure 的標頭「{param}」直接寫了憑證:請改寫成 ${{{suggest}}},並把值存成 "
                 "CI secret",
    },
}

_BAD, _GOOD = text.yaml_blocks(__doc__)
DOC_ZH = f"""measure 中寫了憑證

**說明**:`measure:`(`okr measure` 讀取關鍵結果數字的地方)以明文寫了機密:含密碼的資料庫或
下載網址(`postgresql://okr:s3cret@db/…`)、網址查詢參數中的權杖(`?access_token=…`、
`?key=…`),或帶著權杖的請求標頭(`Authorization: Bearer eyJ…`、`X-API-Key: …`)。機密只能
以參照寫入:整個值用 `env:NAME`,標頭之中用 `${{NAME}}`。錯誤(error)。

**原因**:文章要我們「善用數據分析工具」,所以關鍵結果會從分析工具、資料庫與 API 讀取數字,
而這些都需要憑證。表單會被 commit、push、在 pull request 中審查,也會發布到網站上:寫在
裡面的密碼等於洩漏給所有能讀取儲存庫的人,而且永遠留在 git 歷史中(刪掉之後仍在)。存在
CI secret 中的憑證,會以環境變數傳給 `okr measure`,從不進入儲存庫。

**錯誤示範**:資料倉儲的密碼與 API 權杖都寫在表單裡。

{_BAD}

**正確示範**:兩者都來自環境變數(CI secret)。

{_GOOD}

**選項**:無。
"""

# query parameters that carry a credential (Google's `key`, OAuth's `access_token`, ...)
_SECRET_PARAMS = frozenset((
    "access_token", "api_key", "apikey", "api-key", "auth", "auth_token", "client_secret",
    "key", "password", "passwd", "pwd", "secret", "sig", "signature", "token",
))
# headers whose value is a credential, whatever it looks like
_SECRET_HEADERS = frozenset((
    "authorization", "proxy-authorization", "cookie", "x-api-key", "api-key", "apikey",
    "x-auth-token", "x-access-token", "private-token", "x-token",
))
_SECRET_HEADER_RE = re.compile(r"(token|secret|key|password|auth)", re.IGNORECASE)
_REFERENCE_RE = re.compile(r"\$\{[A-Za-z_][A-Za-z0-9_]*\}")
# a value with nothing but a scheme word left once the references are taken out
# ("Bearer ${TOKEN}", "token ${GITHUB_TOKEN}") holds no literal secret
_SCHEME_ONLY_RE = re.compile(r"\s*([A-Za-z-]+\s*)?\Z")


def check(sheet: Sheet, ctx: Context, options: Mapping[str, Any]) -> Iterator[Hit]:
    for objective in sheet.objectives:
        for kr in objective.key_results:
            if kr.measure is None:
                continue
            spec, src = kr.measure.spec, kr.measure.src
            suggest = _env_name(sheet.team, kr.id)
            url = spec.get("url")
            if isinstance(url, str) and not url.startswith("env:"):
                hit = _url_problem(url)
                if hit is not None:
                    variant, param = hit
                    yield Hit(src.pos("url"), {"suggest": suggest + "_URL", "param": param},
                              variant)
            headers = spec.get("headers")
            if isinstance(headers, Mapping):
                for name, value in headers.items():
                    if isinstance(value, str) and _is_literal_secret(str(name), value):
                        yield Hit(src.pos("headers", name),
                                  {"suggest": suggest + "_TOKEN", "param": name}, "header")


def _url_problem(url: str) -> tuple[str, str] | None:
    """("default", "") for a password in the URL, ("query", name) for a secret parameter."""
    try:
        parts = urllib.parse.urlsplit(url.strip())
        password = parts.password
    except ValueError:  # an invalid port or bracket: not ours to judge here
        return None
    if password and not _REFERENCE_RE.fullmatch(urllib.parse.unquote(password)):
        return "default", ""
    for name, value in urllib.parse.parse_qsl(parts.query, keep_blank_values=False):
        if name.lower() in _SECRET_PARAMS and value and not _REFERENCE_RE.fullmatch(value):
            return "query", name
    return None


def _is_literal_secret(name: str, value: str) -> bool:
    lowered = name.lower()
    if lowered not in _SECRET_HEADERS and not _SECRET_HEADER_RE.search(lowered):
        return False
    rest = _REFERENCE_RE.sub("", value)
    return not (_REFERENCE_RE.search(value) and _SCHEME_ONLY_RE.match(rest)) and bool(
        rest.strip())


def _env_name(team: str, kr_id: str) -> str:
    """A variable name to suggest: OKR_MARKETING_SIGNUPS."""
    return re.sub(r"[^A-Z0-9]+", "_", f"OKR_{team}_{kr_id}".upper())
