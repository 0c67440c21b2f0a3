"""`okr measure` end to end in a real git repository: 12 key results in 4 sheets read from
the four sources (a SQLite file, CSV in the repository and over HTTP, JSON over HTTP,
and GA4 through Google's client against a local stand-in of runReport: Google's
service cannot be reached from here). One commit, the diffs are the `current:`
lines, `okr log` shows the measured points and OKR503 stops firing."""

from __future__ import annotations

import json
import re
import sqlite3
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from gitrepo import GitRepo
from okrkit.cli import main
from sources.servers import LocalHTTP, Reply, Request, local_http

TEAMS = ("growth", "marketing", "sales", "product")
START = "2026-01-05T10:00:00+08:00"
TODAY = "2026-03-10"

ORG = """\
name: Demo Co
strategy:
  - {id: brand, title: 品牌}
teams:
""" + "".join(f"  - {{id: {t}, name: {t.title()}}}\n" for t in TEAMS)

# per source: (measure: as flow YAML, the value the source gives)
GA4_VALUES = {"sessions": "13900", "totalUsers": "8120", "conversions": "412"}


def _measures(http: str) -> list[tuple[str, float]]:
    return [
        ('{from: sql, url: "sqlite:///data/warehouse.db", query: "SELECT count(*) FROM orders '
         'WHERE day >= :cycle_start AND day <= :today"}', 3),
        ('{from: sql, url: "env:OKR_WAREHOUSE_URL", query: "SELECT sum(amount) FROM orders '
         'WHERE day BETWEEN :cycle_start AND :cycle_end"}', 62.5),
        ('{from: sql, url: "sqlite:///data/warehouse.db", query: "SELECT count(DISTINCT day) '
         'FROM orders"}', 4),
        ('{from: csv, path: data/ga-sessions.csv, column: sessions, where: {month: "2026-03"}}',
         57400),
        ('{from: csv, path: data/ga-sessions.csv, column: sessions, agg: sum}', 108400),
        (f'{{from: csv, url: "{http}/export?format=csv", column: 訪客數, agg: sum}}', 350),
        (f'{{from: json, url: "{http}/api/kpi", pointer: /data/signups, '
         'headers: {Authorization: "Bearer ${METRICS_TOKEN}"}}', 1830),
        (f'{{from: json, url: "{http}/api/kpi", pointer: /data/rate}}', 2.75),
        (f'{{from: json, url: "{http}/api/kpi", pointer: /data/items/1/value}}', 13),
        ('{from: ga4, property: "123456789", metric: sessions, '
         'filter: {sessionDefaultChannelGroup: Organic Search}}', 13900),
        ('{from: ga4, property: "123456789", metric: totalUsers, date_range: month}', 8120),
        ('{from: ga4, property: "123456789", metric: conversions}', 412),
    ]


def sheet(team: str, krs: list[tuple[str, str, float | None]]) -> str:
    lines = [f"cycle: 2026-Q1\nteam: {team}\nowner: mei\nobjectives:\n  - id: grow\n"
             f"    title: 讓 {team} 成長\n    owner: mei\n    strategy: [brand]\n"
             "    key_results:\n"]
    for kr_id, measure, current in krs:
        lines.append(f"      - id: {kr_id}\n        title: {kr_id} 達到目標值 100000\n"
                     f"        metric: {kr_id}\n        source: 自動量測\n        owner: mei\n"
                     "        baseline: 0\n        target: 100000\n")
        if current is not None:
            lines.append(f"        current: {current}  # 上次手動更新\n")
        lines.append(f"        measure: {measure}\n")
    return "".join(lines)


@pytest.fixture(scope="module")
def server() -> Iterator[LocalHTTP]:
    with local_http() as local:
        local.route("/export", Reply(body="\ufeff日期,訪客數\n3/1,100\n3/2,250\n".encode(),
                                     content_type="text/csv"))
        local.route("/api/kpi", lambda request: Reply(
            200 if request.headers.get("Authorization") in (None, "Bearer t0ken") else 401,
            json.dumps({"data": {"signups": 1830, "rate": 2.75,
                                 "items": [{"value": 12}, {"value": 13}]}}).encode()))

        def run_report(request: Request) -> Reply:  # runReport, as Google documents it
            metric = json.loads(request.body)["metrics"][0]["name"]
            return Reply(body=json.dumps({
                "metricHeaders": [{"name": metric, "type": "TYPE_INTEGER"}],
                "rows": [{"metricValues": [{"value": GA4_VALUES[metric]}]}], "rowCount": 1,
                "kind": "analyticsData#runReport"}).encode())

        local.route("/v1beta/properties/123456789:runReport", run_report)
        yield local


@pytest.fixture(scope="module")
def key_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    path = tmp_path_factory.mktemp("ga4") / "key.json"
    path.write_text(json.dumps({
        "type": "service_account", "project_id": "demo", "private_key_id": "k1",
        "client_email": "okr@demo.iam.gserviceaccount.com", "client_id": "1",
        "token_uri": "http://127.0.0.1:9/token",  # unused: the client signs its own JWT
        "private_key": key.private_bytes(serialization.Encoding.PEM,
                                         serialization.PrivateFormat.PKCS8,
                                         serialization.NoEncryption()).decode()}))
    return path


@pytest.fixture
def repo(git_repo: GitRepo, server: LocalHTTP, key_file: Path,
         monkeypatch: pytest.MonkeyPatch) -> GitRepo:
    """4 sheets × 3 measured key results, committed on 2026-01-05; today is 2026-03-10."""
    measures = _measures(server.url)
    git_repo.write("okrs/org.yaml", ORG)
    for i, team in enumerate(TEAMS):
        # one of each source per sheet; the first key result has no current: yet
        krs = [(f"kr-{i * 3 + j}", measures[j * 4 + i][0], None if j == 0 else 1.0)
               for j in range(3)]
        git_repo.write(f"okrs/2026-Q1/{team}.yaml", sheet(team, krs))
    git_repo.write("data/ga-sessions.csv", "month,sessions\n2026-02,\"51,000\"\n"
                                           "2026-03,57400\n")
    (git_repo.path / "data").mkdir(exist_ok=True)
    with sqlite3.connect(git_repo.path / "data" / "warehouse.db") as conn:
        conn.execute("CREATE TABLE orders (day TEXT, amount REAL)")
        conn.executemany("INSERT INTO orders VALUES (?, ?)", [
            ("2025-12-30", 5.0), ("2026-01-05", 20.5), ("2026-02-01", 30.0),
            ("2026-03-09", 12.0)])
    git_repo.commit("okrs: start 2026-Q1", date=START)
    monkeypatch.chdir(git_repo.path)
    monkeypatch.setenv("OKR_TODAY", TODAY)
    monkeypatch.setenv("METRICS_TOKEN", "t0ken")
    monkeypatch.setenv("OKR_WAREHOUSE_URL", f"sqlite:///{git_repo.path}/data/warehouse.db")
    monkeypatch.setenv("GOOGLE_APPLICATION_CREDENTIALS", str(key_file))
    monkeypatch.setenv("OKR_GA4_ENDPOINT", server.url)
    for who in ("AUTHOR", "COMMITTER"):
        monkeypatch.setenv(f"GIT_{who}_NAME", "okr measure")
        monkeypatch.setenv(f"GIT_{who}_EMAIL", "measure@example.com")
        monkeypatch.setenv(f"GIT_{who}_DATE", f"{TODAY}T09:00:00+08:00")
    return git_repo


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_twelve_key_results_four_sources_one_commit(repo: GitRepo,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    code, _, _ = run(capsys, "lint", "--select", "OKR503", "--format", "json")
    assert code == 0  # a warning: exit 0, but it is there
    before = run(capsys, "lint", "--select", "OKR503")[1]
    assert before.count("OKR503") == 12

    start = repo.head()
    code, out, err = run(capsys, "measure", "--commit")
    assert (code, err) == (0, ""), out
    assert repo.git("rev-list", "--count", f"{start}..HEAD").strip() == "1"
    message = repo.git("log", "-1", "--format=%B")
    subject, _, body = message.partition("\n\n")
    assert subject == "measure: 12 key results"
    trailers = [line for line in body.splitlines() if line]
    assert len(trailers) == 12
    assert "OKR-Measured: 2026-Q1/growth/grow/kr-0 = 3 (sql)" in trailers
    assert "OKR-Measured: 2026-Q1/product/grow/kr-11 = 412 (ga4)" in trailers
    assert "OKR-Measured: 2026-Q1/product/grow/kr-10 = 2.75 (json)" in trailers
    # the diffs are exactly the current: lines (the comment after a value stays)
    changed = [line for line in repo.git("diff", "-U0", "HEAD~1", "HEAD").splitlines()
               if line.startswith(("-", "+")) and not line.startswith(("---", "+++"))]
    assert len(changed) == 12 + 8  # 4 inserted, 8 replaced
    assert all(re.fullmatch(r"[-+]        current: [0-9.]+(  # 上次手動更新)?", line)
               for line in changed), changed
    assert "+        current: 108400  # 上次手動更新" in changed
    assert "+        current: 57400" in changed  # inserted after target:
    assert set(repo.git("diff", "--name-only", "HEAD~1", "HEAD").split()) == {
        f"okrs/2026-Q1/{t}.yaml" for t in TEAMS}
    # every line of the run: old → new (source) at the measure: line
    assert "okrs/2026-Q1/growth.yaml:17:9: 2026-Q1/growth/grow/kr-0: – → 3 (sql)" in out
    assert "okrs/2026-Q1/marketing.yaml:26:9: 2026-Q1/marketing/grow/kr-4: 1.0 → 350 (csv)" \
        in out

    code, out, _ = run(capsys, "log", "2026-Q1/marketing/grow/kr-4")
    assert code == 0 and "measure: 12 key results  [measured (csv)]" in out
    assert "current 1.0 → 350" in out
    assert run(capsys, "lint", "--select", "OKR503")[1].count("OKR503") == 0

    # measured again: the same numbers, nothing written, nothing committed
    code, out, _ = run(capsys, "measure", "--commit")
    assert code == 0 and out.endswith("nothing changed: nothing written\n")
    assert "12 unchanged" in out
    assert repo.git("rev-list", "--count", f"{start}..HEAD").strip() == "1"


def test_a_failing_source_is_reported_at_its_measure_and_the_rest_is_written(
        repo: GitRepo, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("METRICS_TOKEN")
    text = (repo.path / "okrs/2026-Q1/sales.yaml").read_text()
    repo.write("okrs/2026-Q1/sales.yaml", text.replace("SELECT count(DISTINCT day)",
                                                         "SELECT day"))
    repo.commit("okrs: a query that returns rows", date=START)
    code, out, _ = run(capsys, "measure", "--commit", "--lang", "zh-TW")
    assert code == 1
    assert ("okrs/2026-Q1/sales.yaml:17:9:錯誤:2026-Q1/sales/grow/kr-6:sql:查詢必須傳回一列一欄,"
            "實際傳回 超過一列、1 欄 [not-one-value]") in out
    assert ("okrs/2026-Q1/sales.yaml:26:9:錯誤:2026-Q1/sales/grow/kr-7:json:"
            "headers.Authorization:環境變數 METRICS_TOKEN 沒有設定(是否為 CI secret?) "
            "[missing-env]") in out
    assert "在" in out and "10 個變更" in out and "2 個失敗" in out
    assert repo.git("log", "-1", "--format=%s").strip() == "measure: 10 key results"
    code, out, _ = run(capsys, "measure", "2026-Q1/sales/grow/kr-6", "--lang", "en")
    assert code == 1
    assert out.splitlines()[0] == (
        "okrs/2026-Q1/sales.yaml:17:9: error: 2026-Q1/sales/grow/kr-6: sql: the query must "
        "return one row with one column, it returned more than one row of 1 column(s) "
        "[not-one-value]")


def test_dry_run_and_json(repo: GitRepo, capsys: pytest.CaptureFixture[str]) -> None:
    before = {p: p.read_bytes() for p in (repo.path / "okrs").rglob("*.yaml")}
    code, out, _ = run(capsys, "measure", "--dry-run", "--format", "json", "growth")
    assert code == 0
    report = json.loads(out)
    assert report["dry_run"] is True and report["written"] == [] and report["commit"] is None
    assert [(r["ref"], r["status"], r["old"], r["new"]) for r in report["key_results"]] == [
        ("2026-Q1/growth/grow/kr-0", "changed", None, 3),
        ("2026-Q1/growth/grow/kr-1", "changed", 1.0, 108400),
        ("2026-Q1/growth/grow/kr-2", "changed", 1.0, 13)]
    assert {p: p.read_bytes() for p in (repo.path / "okrs").rglob("*.yaml")} == before


def test_without_commit_the_sheets_are_written_only(repo: GitRepo,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    start = repo.head()
    code, out, _ = run(capsys, "measure", "sales/kr-7")
    assert code == 0
    assert out.splitlines()[-1] == "written, not committed: okrs/2026-Q1/sales.yaml"
    assert repo.head() == start
    assert "current: 1830  # 上次手動更新" in (repo.path / "okrs/2026-Q1/sales.yaml").read_text()


def test_commit_is_refused_before_anything_is_written(repo: GitRepo,
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    path = repo.path / "okrs/2026-Q1/sales.yaml"
    path.write_text(path.read_text() + "# 尚未提交的註解\n")
    before = {p: p.read_bytes() for p in (repo.path / "okrs").rglob("*.yaml")}
    code, _, err = run(capsys, "measure", "--commit")
    assert code == 2
    assert err.startswith("okr: error: cannot commit: okrs/2026-Q1/sales.yaml has uncommitted")
    assert {p: p.read_bytes() for p in (repo.path / "okrs").rglob("*.yaml")} == before


def test_an_ended_cycle_is_final(repo: GitRepo, capsys: pytest.CaptureFixture[str],
                                 monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OKR_TODAY", "2026-04-02")
    code, out, err = run(capsys, "measure")
    assert code == 0 and "nothing changed" in out
    assert err == "no key result with measure: in the active cycles\n"
    code, out, _ = run(capsys, "measure", "growth/kr-0")
    assert code == 1
    assert out.splitlines()[0] == ("okrs/2026-Q1/growth.yaml:17:9: error: "
                                   "2026-Q1/growth/grow/kr-0: sql: cycle 2026-Q1 ended on "
                                   "2026-03-31: its values are final [ended]")
    code, _, err = run(capsys, "measure", "nobody/kr-99")
    assert (code, err) == (2, "okr: error: no key result with measure: matches "
                              "'nobody/kr-99'\n")


def test_a_refusing_hook_leaves_the_measured_sheets_written(
        repo: GitRepo, capsys: pytest.CaptureFixture[str]) -> None:
    hook = repo.path / ".git" / "hooks" / "pre-commit"
    hook.write_text("#!/bin/sh\necho 'okr lint: OKR204 a password in the URL' >&2\nexit 1\n")
    hook.chmod(0o755)
    start = repo.head()
    code, out, err = run(capsys, "measure", "--commit", "growth")
    assert "2026-Q1/growth/grow/kr-1: 1.0 → 108400 (csv)" in out
    assert code == 2
    assert "okr lint: OKR204 a password in the URL" in err
    assert err.endswith("okr: error: the sheets are written but not committed: "
                        "okr lint: OKR204 a password in the URL\n")
    assert repo.head() == start
    assert "current: 108400" in (repo.path / "okrs/2026-Q1/growth.yaml").read_text()


def test_json_failures_carry_the_code_and_both_languages(
        repo: GitRepo, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("OKR_WAREHOUSE_URL")
    code, out, _ = run(capsys, "measure", "--dry-run", "--format", "json", "marketing/kr-3")
    assert code == 1
    [row] = json.loads(out)["key_results"]
    assert row["status"] == "failed" and row["code"] == "missing-env"
    assert (row["path"], row["line"], row["column"]) == ("okrs/2026-Q1/marketing.yaml", 17, 9)
    assert row["messages"] == {
        "en": "url: the environment variable OKR_WAREHOUSE_URL is not set (a CI secret?)",
        "zh-TW": "url:環境變數 OKR_WAREHOUSE_URL 沒有設定(是否為 CI secret?)"}


def test_push_retries_over_a_commit_pushed_in_between(repo: GitRepo, tmp_path: Path,
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    """--push: someone pushed to origin after our read; the measured values are written
    again on their commit and pushed, nothing of theirs is lost, nothing is forced."""
    origin = tmp_path / "origin.git"
    repo.git("init", "-q", "--bare", "-b", "main", str(origin))
    repo.git("remote", "add", "origin", str(origin))
    repo.git("push", "-q", "origin", "main")
    repo.git("branch", "-q", "--set-upstream-to", "origin/main")
    other = tmp_path / "other"  # a second clone: a colleague's change, pushed first
    repo.git("clone", "-q", str(origin), str(other))
    sales = other / "okrs/2026-Q1/sales.yaml"
    sales.write_text(sales.read_text().replace("id: grow\n", "id: grow\n    notes: 週報\n", 1))
    for args in (["commit", "-q", "-am", "okrs: a note on sales"],
                 ["push", "-q", "origin", "main"]):
        subprocess.run(["git", *args], cwd=other, check=True, capture_output=True)

    code, out, err = run(capsys, "measure", "--commit", "--push")
    assert code == 0, out + err
    assert "pushed" in err
    log = repo.git("log", "--format=%s", "origin/main").splitlines()
    assert log[:3] == ["measure: 12 key results", "okrs: a note on sales", "okrs: start 2026-Q1"]
    assert "notes: 週報" in repo.git("show", "origin/main:okrs/2026-Q1/sales.yaml")
    assert repo.git("rev-parse", "HEAD") == repo.git("rev-parse", "origin/main")


def test_push_needs_commit(repo: GitRepo, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, "measure", "--push")[0] == 2


def test_a_percent_column_is_read_as_the_key_results_unit_says(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    # `2.8%` in a spreadsheet's column: 2.8 for a key result in %, refused for one in NT$
    repo = GitRepo(tmp_path / "repo")
    repo.write("okrs/org.yaml", ORG)
    measure = "{from: csv, path: data/rates.csv, column: 轉換率}"
    repo.write("okrs/2026-Q1/growth.yaml", sheet("growth", [("kr-1", measure, 2.1)])
               .replace("        baseline: 0\n", "        unit: \"%\"\n        baseline: 0\n"))
    repo.write("okrs/2026-Q1/sales.yaml", sheet("sales", [("kr-2", measure, 2.1)])
               .replace("        baseline: 0\n", "        unit: NT$\n        baseline: 0\n"))
    repo.write("data/rates.csv", "月份,轉換率\n2026-02,2.5%\n2026-03,2.8%\n")
    repo.commit("okrs: rates", date=START)
    monkeypatch.chdir(repo.path)
    monkeypatch.setenv("OKR_TODAY", TODAY)

    code, out, _ = run(capsys, "measure", "--lang", "en")

    assert code == 1
    assert "current: 2.8  # 上次手動更新" in (repo.path / "okrs/2026-Q1/growth.yaml").read_text()
    assert ("2026-Q1/sales/grow/kr-2: csv: line 2, column '轉換率': '2.5%' has the unit '%', "
            "but the key result's unit is 'NT$' [unit-mismatch]") in out
