"""`okr measure` on 200 measured key results: wall time against --jobs.

A tree of 20 sheets x 10 key results, half read from a SQLite file in the
repository (each an aggregate over 20,000 rows), half from JSON over HTTP
served on 127.0.0.1 by this process with 50 ms of latency per response (a
remote API's round trip; on loopback alone the server would answer in well
under a millisecond and nothing would be waited on). Each command runs
`okr measure --dry-run`: every source is read, nothing written, so every run
does the same work. The baseline, in the same run, is --jobs 1; `okr validate`
of the same tree shows what reading the sheets costs by itself.
"""

from __future__ import annotations

import http.server
import json
import sqlite3
import sys
import tempfile
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from _timing import BIN, runs_from_env, table, time_command  # noqa: E402

OKR = str(BIN / "okr")
TODAY = {"OKR_TODAY": "2026-02-15"}
TEAMS = 20
KRS_PER_SHEET = 10
LATENCY = 0.05  # seconds per HTTP response
ROWS = 20_000


class _Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: object) -> None:
        pass

    def do_GET(self) -> None:
        time.sleep(LATENCY)
        n = int(self.path.rsplit("/", 1)[-1])
        body = json.dumps({"data": {"value": n * 10 + 7, "unit": "signups"}}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


def write_tree(root: Path, base_url: str) -> int:
    """The org, the sheets and the SQLite file; the number of measured key results."""
    (root / "okrs" / "2026-Q1").mkdir(parents=True)
    (root / "data").mkdir()
    teams = [f"team-{i:02d}" for i in range(TEAMS)]
    (root / "okrs" / "org.yaml").write_text(
        "name: Bench Co\nstrategy:\n  - {id: grow, title: Grow}\nteams:\n"
        + "".join(f"  - {{id: {t}, name: {t}}}\n" for t in teams), encoding="utf-8")
    with sqlite3.connect(root / "data" / "warehouse.db") as conn:
        conn.execute("CREATE TABLE orders (team INTEGER, day TEXT, amount REAL)")
        conn.executemany("INSERT INTO orders VALUES (?, ?, ?)",
                         ((i % TEAMS, f"2026-{1 + i % 3:02d}-{1 + i % 28:02d}", i % 97)
                          for i in range(ROWS)))
    count = 0
    for t, team in enumerate(teams):
        lines = [f"cycle: 2026-Q1\nteam: {team}\nowner: mei\nobjectives:\n  - id: grow\n"
                 "    title: Grow the business\n    owner: mei\n    strategy: [grow]\n"
                 "    key_results:\n"]
        for k in range(KRS_PER_SHEET):
            n = t * KRS_PER_SHEET + k
            if k % 2 == 0:
                measure = ('{from: sql, url: "sqlite:///data/warehouse.db", query: "SELECT '
                           f'sum(amount) FROM orders WHERE team = {t} AND day >= :cycle_start '
                           f'AND day <= :today AND amount > {k}"}}')
            else:
                measure = f'{{from: json, url: "{base_url}/kpi/{n}", pointer: /data/value}}'
            lines.append(f"      - id: kr-{k}\n        title: Reach 100000 on metric {n}\n"
                         f"        metric: metric {n}\n        source: warehouse\n"
                         "        baseline: 0\n        target: 100000\n        current: 0\n"
                         f"        measure: {measure}\n")
            count += 1
        (root / "okrs" / "2026-Q1" / f"{team}.yaml").write_text("".join(lines),
                                                                encoding="utf-8")
    return count


def main() -> int:
    runs = runs_from_env(3)
    # a listen backlog of 5 (socketserver's default) would drop the connections of 32
    # jobs, and each dropped one waits a second for its SYN to be sent again
    http.server.ThreadingHTTPServer.request_queue_size = 128
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        with tempfile.TemporaryDirectory(prefix="okr-bench-measure-") as tmp:
            root = Path(tmp)
            host, port = server.server_address[:2]
            count = write_tree(root, f"http://{host}:{port}")
            print(f"tree: {TEAMS} sheets, {count} measured key results "
                  f"({count // 2} SQLite over {ROWS:,} rows, {count - count // 2} JSON over "
                  f"HTTP with {LATENCY * 1000:.0f} ms latency)")
            rows = [time_command("okr validate (reading the sheets alone)", [OKR, "validate"],
                                 runs=runs, cwd=root, env=TODAY)]
            for jobs in (1, 2, 4, 8, 16, 32):
                rows.append(time_command(f"okr measure --dry-run --jobs {jobs}",
                                         [OKR, "measure", "--dry-run", "--jobs", str(jobs)],
                                         runs=runs, cwd=root, env=TODAY))
            print(table(rows, baseline=rows[1], cpu=True,
                        title=f"okr measure: {count} key results against --jobs"))
    finally:
        server.shutdown()
        server.server_close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
