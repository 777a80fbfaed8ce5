"""`make run` stopped with SIGTERM (systemd, Docker, CI) stops its embedded PostgreSQL.

The run's server process is started as `make run` starts it (runserver with its
autoreloader, no DATABASE_URL, so settings start the embedded server in a data directory
of its own), sent SIGTERM, and the PostgreSQL it started must be gone.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import psutil
import pytest

ROOT = Path(__file__).resolve().parents[1]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until(check, timeout: float, what: str):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = check()
        if value:
            return value
        time.sleep(0.2)
    raise AssertionError(f"timed out after {timeout} s waiting for {what}")


def answers(port: int) -> bool:
    try:
        urllib.request.urlopen(f"http://127.0.0.1:{port}/accounts/login/", timeout=2)
    except OSError:
        return False
    return True


def postmaster_pid(data_dir: Path) -> int | None:
    try:
        return int((data_dir / "postmaster.pid").read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return None


def running(pid: int) -> bool:
    try:
        return psutil.Process(pid).status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return False


@pytest.mark.parametrize("to", ["the first process", "every process"])
def test_sigterm_to_make_runs_server_stops_the_embedded_postgres(tmp_path, to):
    var = tmp_path / "var"
    data_dir = var / "pgdata"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DATABASE_URL", "TEST_"))}
    env.update(DEBUG="1", FACTCHECK_VAR_DIR=str(var), PYTHONUNBUFFERED="1")
    port = free_port()
    log = tmp_path / "runserver.log"  # a file, not a pipe nobody reads: shown on failure
    with log.open("w") as stderr:
        server = subprocess.Popen(
            [sys.executable, "manage.py", "runserver", f"127.0.0.1:{port}"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=stderr,
            start_new_session=True,  # its own process group, like a unit or a container
        )
    pg = None
    try:
        wait_until(lambda: answers(port), 90, "the run's server to answer")
        pg = wait_until(lambda: postmaster_pid(data_dir), 10, "postmaster.pid")
        assert running(pg)
        if to == "the first process":  # Docker: SIGTERM to PID 1 only
            server.send_signal(signal.SIGTERM)
        else:  # systemd's default: SIGTERM to every process of the unit
            os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
        wait_until(lambda: not running(pg), 30, f"the embedded PostgreSQL (pid {pg}) to stop")
        assert not (data_dir / "postmaster.pid").exists()
    finally:
        # Leave nothing behind whatever happened: the run's processes, then its server.
        with_group = server.poll() is None
        if with_group:
            os.killpg(server.pid, signal.SIGKILL)
        server.wait(timeout=10)
        if pg and running(pg):
            os.kill(pg, signal.SIGQUIT)  # PostgreSQL's immediate shutdown
        print(f"--- the run's stderr ({log}) ---\n{log.read_text()[-4000:]}")
