"""Real servers on 127.0.0.1 for the measurement sources' tests.

`LocalHTTP` is a threading HTTP server with a table of routes (path → handler);
it records each request (method, path, headers, body) so a test can assert
what a client sent. `Postgres` is a throwaway PostgreSQL cluster (initdb +
pg_ctl on a free port, as an unprivileged user), removed when stopped.
Both listen on loopback only and stop at the end of their fixture.
"""

from __future__ import annotations

import contextlib
import glob
import http.server
import os
import pwd
import shlex
import shutil
import socket
import subprocess
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from skipping import skip_or_fail


@dataclass
class Request:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes


@dataclass
class Reply:
    status: int = 200
    body: bytes = b""
    content_type: str = "application/json"
    delay: float = 0.0  # seconds before the headers
    stream_bytes: int = 0  # then send this many bytes of filler in 1 MB chunks


Handler = Callable[[Request], Reply]


@dataclass
class LocalHTTP:
    server: http.server.ThreadingHTTPServer
    routes: dict[str, Handler] = field(default_factory=dict)
    requests: list[Request] = field(default_factory=list)

    @property
    def url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}"

    def route(self, path: str, reply: Reply | Handler) -> str:
        """Serve `reply` at `path`; the full URL."""
        self.routes[path] = reply if callable(reply) else (lambda _r, _x=reply: _x)
        return self.url + path


@contextlib.contextmanager
def local_http() -> Iterator[LocalHTTP]:
    holder: dict[str, LocalHTTP] = {}

    class _Handler(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: object) -> None:  # quiet
            pass

        def _serve(self) -> None:
            local = holder["local"]
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else b""
            request = Request(self.command, self.path, dict(self.headers.items()), body)
            local.requests.append(request)
            handler = local.routes.get(self.path.split("?")[0])
            reply = handler(request) if handler else Reply(404, b'{"error": "not found"}')
            if reply.delay:
                time.sleep(reply.delay)
            size = len(reply.body) + reply.stream_bytes
            try:
                self.send_response(reply.status)
                self.send_header("Content-Type", reply.content_type)
                self.send_header("Content-Length", str(size))
                self.end_headers()
                self.wfile.write(reply.body)
                chunk = b"x" * (1024 * 1024)
                sent = 0
                while sent < reply.stream_bytes:
                    part = chunk[:reply.stream_bytes - sent]
                    self.wfile.write(part)
                    sent += len(part)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client cut the body off, as it should

        do_GET = do_POST = _serve

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    server.daemon_threads = True
    holder["local"] = local = LocalHTTP(server)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield local
    finally:
        server.shutdown()
        server.server_close()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@dataclass
class Postgres:
    port: int
    user: str = "okr"

    def url(self, database: str = "postgres") -> str:
        return f"postgresql+psycopg://{self.user}@127.0.0.1:{self.port}/{database}"


def _pg_bindir() -> Path | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"),
                   key=lambda p: int(Path(p).parent.parent.name)
                   if Path(p).parent.parent.name.isdigit() else 0)
    if found:
        return Path(found[-1]).parent
    initdb = shutil.which("initdb")
    return Path(initdb).parent if initdb else None


@contextlib.contextmanager
def throwaway_postgres() -> Iterator[Postgres]:
    """A PostgreSQL cluster of its own: trust auth on 127.0.0.1, removed afterwards.

    PostgreSQL refuses to run as root, so as root the cluster belongs to the
    `postgres` system user (Debian's package creates it) and runs through runuser.
    """
    bindir = _pg_bindir()
    if bindir is None:
        skip_or_fail("PostgreSQL is not installed (apt-get install postgresql)")
    prefix: list[str] = []
    owner = None
    if os.geteuid() == 0:
        try:
            owner = pwd.getpwnam("postgres")
        except KeyError:
            skip_or_fail("running as root and there is no 'postgres' user to run PostgreSQL")
        prefix = ["runuser", "-u", "postgres", "--"]
    base = Path(tempfile.mkdtemp(prefix="okrkit-pg-"))
    data, sockets = base / "data", base / "run"
    sockets.mkdir()
    if owner is not None:
        for path in (base, sockets):
            os.chown(path, owner.pw_uid, owner.pw_gid)
    port = free_port()

    def run(*args: str) -> None:
        result = subprocess.run([*prefix, *args], capture_output=True, text=True, check=False,
                                cwd=base, timeout=120)
        if result.returncode != 0:
            raise AssertionError(f"{args[0]} failed:\n{result.stdout}\n{result.stderr}")

    started = False
    try:
        run(str(bindir / "initdb"), "-D", str(data), "-U", "okr", "--auth=trust",
            "--no-sync", "-E", "UTF8", "--locale=C")
        run(str(bindir / "pg_ctl"), "-D", str(data), "-w", "-t", "60", "-l", str(base / "log"),
            "-o", f"-p {port} -k {sockets} -c listen_addresses=127.0.0.1 -c fsync=off",
            "start")
        started = True
        # should this process die without its teardown, the cluster stops by itself: a
        # watchdog outside the process group waits for it, then stops and removes it
        stop = " ".join(shlex.quote(a) for a in [*prefix, str(bindir / "pg_ctl"), "-D",
                                                 str(data), "-m", "immediate", "stop"])
        watchdog = subprocess.Popen(
            ["sh", "-c", f"while kill -0 {os.getpid()} 2>/dev/null; do sleep 2; done; "
                         f"{stop} >/dev/null 2>&1; rm -rf {shlex.quote(str(base))}"],
            start_new_session=True, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL)
        try:
            yield Postgres(port)
        finally:
            watchdog.kill()
            watchdog.wait()
    finally:
        if started:
            with contextlib.suppress(Exception):
                run(str(bindir / "pg_ctl"), "-D", str(data), "-m", "immediate", "-w", "stop")
        shutil.rmtree(base, ignore_errors=True)
