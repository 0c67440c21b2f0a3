"""okrkit.include: the size cap, the timeout (a real socket on 127.0.0.1 that never
answers), non-JSON, a bad name; and `okr lint` leaving a cross-repository parent to the
site."""

from __future__ import annotations

import json
import socket
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from okrkit.cli import main
from okrkit.include import fetch_includes
from paths import copy_demo


@pytest.fixture
def silent_port() -> Iterator[int]:
    """A listening socket that accepts and never answers; closed after the test."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen()
    held: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        server.settimeout(0.2)
        while not stop.is_set():
            try:
                conn, _ = server.accept()
                held.append(conn)
            except OSError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    try:
        yield int(server.getsockname()[1])
    finally:
        stop.set()
        thread.join()
        for conn in held:
            conn.close()
        server.close()


def test_timeout(silent_port: int, tmp_path: Path) -> None:
    url = f"http://127.0.0.1:{silent_port}/api/v1/okrs.json"
    found, warnings = fetch_includes({"slow": url}, root=tmp_path, timeout=0.5)
    assert found == []
    assert warnings[0]["en"].startswith(f"include 'slow' ({url}): cannot fetch it (")
    assert "timed out" in warnings[0]["en"]


def test_size_cap_json_and_name(tmp_path: Path) -> None:
    big = tmp_path / "big.json"
    big.write_text(json.dumps({"okrkit_export": 1, "pad": "x" * 2000}), encoding="utf-8")
    text = tmp_path / "text.json"
    text.write_text("<html>not json</html>", encoding="utf-8")
    found, warnings = fetch_includes({"big": "big.json", "text": "text.json",
                                      "Bad Name": "x.json", "none": "missing.json",
                                      "ftp": "ftp://example.com/okrs.json"},
                                     root=tmp_path, max_bytes=1000)
    assert found == []
    assert [w["en"] for w in warnings] == [
        "include 'big' (big.json): larger than 1,000 bytes",
        "include 'text' (text.json): not JSON (Expecting value: line 1 column 1 (char 0))",
        "include 'Bad Name' (x.json): the name must be an id (lowercase letters, digits and "
        "hyphens)",
        "include 'none' (missing.json): cannot read it (No such file or directory)",
        "include 'ftp' (ftp://example.com/okrs.json): unsupported scheme 'ftp' (http, https "
        "or a path)"]
    assert all(w["zh-TW"].startswith("引入的「") for w in warnings)


def test_lint_and_schema_accept_a_cross_repository_parent(tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch,
                                                          capsys: pytest.CaptureFixture[str]
                                                          ) -> None:
    root = copy_demo(tmp_path / "demo")
    sheet = root / "okrs" / "2026-Q1" / "marketing.yaml"
    text = sheet.read_text(encoding="utf-8")
    assert "parent: 2026/company/grow-online" in text
    sheet.write_text(text.replace("parent: 2026/company/grow-online",
                                  "parent: hq:2026/company/grow-online", 1), encoding="utf-8")
    monkeypatch.chdir(root)
    monkeypatch.setenv("OKR_TODAY", "2026-02-15")
    assert main(["validate", str(sheet.relative_to(root))]) == 0
    assert main(["lint", "--select", "OKR006", str(sheet.relative_to(root))]) == 0
