"""Serve the app for a benchmark exactly as `make serve` does, on loopback, and stop it.

`served_app()` creates a database of its own on the server DATABASE_URL names (or the
embedded one), migrates it, collects static files, starts the command `make serve-cmd`
prints (gunicorn + uvicorn workers) with DEBUG=0 on 127.0.0.1 and a free port, waits until
it answers, and on exit stops the server and drops the database. Nothing is left behind.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import shlex
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlparse, urlunparse

ROOT = Path(__file__).resolve().parent.parent
PY = str(ROOT / ".venv" / "bin" / "python")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _server_url() -> str:
    url = os.environ.get("DATABASE_URL")
    if url:
        return url
    sys.path.insert(0, str(ROOT))
    from factcheck.database import embedded_database_url

    return embedded_database_url(ROOT / "var" / "pgdata")


def _admin(url: str, sql: str) -> None:
    import psycopg2

    conn = psycopg2.connect(url)
    conn.autocommit = True
    try:
        conn.cursor().execute(sql)
    finally:
        conn.close()


def serve_command(host: str, port: int, workers: int) -> list[str]:
    out = subprocess.run(
        ["make", "-s", "serve-cmd", f"HOST={host}", f"PORT={port}", f"WORKERS={workers}"],
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    return [*shlex.split(out.replace("--access-logfile -", "")), "--log-level", "warning"]


@contextlib.contextmanager
def served_app(
    workers: int = 3, command: list[str] | None = None, prepare=None
) -> Iterator[tuple[str, dict[str, str]]]:
    """Yield (base URL, the server's environment). `prepare(env)` runs before it starts."""
    server = _server_url()
    name = os.environ.get("BENCH_DATABASE_NAME", "factcheck_bench")
    parts = urlparse(server)
    bench_url = urlunparse(parts._replace(path="/" + name))
    _admin(server, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    _admin(server, f'CREATE DATABASE "{name}"')
    port = free_port()
    env = {
        **os.environ,
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "0",
        "DATABASE_URL": bench_url,
        "LOG_LEVEL": "ERROR",
    }
    env.pop("PYTEST_CURRENT_TEST", None)
    proc = None
    try:
        for args in (
            ["migrate", "--noinput", "-v0"],
            ["createcachetable"],
            ["collectstatic", "--noinput", "-v0"],
        ):
            subprocess.run([PY, "manage.py", *args], cwd=ROOT, env=env, check=True)
        if prepare is not None:
            prepare(env)
        cmd = command or serve_command("127.0.0.1", port, workers)
        cmd = [c.replace("{port}", str(port)) for c in cmd]
        proc = subprocess.Popen(
            cmd, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, start_new_session=True
        )
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(base + "/accounts/login/", timeout=2) as r:
                    if r.status == 200:
                        break
            except OSError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"the server did not start: {' '.join(cmd)}")
            time.sleep(0.3)
        yield base, env
    finally:
        if proc is not None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGTERM)
            try:
                proc.wait(timeout=25)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()
        _admin(server, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
