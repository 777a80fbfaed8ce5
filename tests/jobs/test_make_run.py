"""`make run` starts a worker beside the server, on the same embedded PostgreSQL, and the
worker never outlives the server: SIGTERM to the first process (Docker) or to every process
(systemd) stops the server, the worker and then PostgreSQL.

The command line is `make run`'s own (`make run-cmd` prints it); the migrations it runs
first are run once for the module, in a data directory of its own.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import psutil
import pytest

from tests.test_embedded_shutdown import answers, free_port, postmaster_pid, running, wait_until

ROOT = Path(__file__).resolve().parents[2]


def run_env(var: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DATABASE_URL", "TEST_"))}
    env.update(DEBUG="1", FACTCHECK_VAR_DIR=str(var), PYTHONUNBUFFERED="1")
    return env


@pytest.fixture(scope="module")
def migrated_var(tmp_path_factory) -> Path:
    var = tmp_path_factory.mktemp("make-run") / "var"
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput", "-v", "0"],
        cwd=ROOT,
        env=run_env(var),
        check=True,
        timeout=600,
    )
    return var


def worker_beside(server_pid: int) -> psutil.Process | None:
    for process in psutil.process_iter(["cmdline"]):
        cmdline = process.info["cmdline"] or []
        if "worker" in cmdline and cmdline[-2:] == ["--stop-with", str(server_pid)]:
            return process
    return None


def handle_pids(data_dir: Path) -> set[int]:
    try:
        return set(json.loads((data_dir / ".handle_pids.json").read_text()))
    except (OSError, ValueError):
        return set()


@pytest.mark.parametrize("to", ["the first process", "every process"])
def test_make_runs_worker_stops_with_its_server_and_then_postgres(migrated_var, tmp_path, to):
    data_dir = migrated_var / "pgdata"
    port = free_port()
    command = subprocess.run(
        ["make", "-s", "run-cmd", f"PORT={port}", f"PY={sys.executable}"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    assert "manage.py worker --stop-with $$" in command and "exec " in command
    log = tmp_path / "run.log"
    with log.open("w") as output:
        server = subprocess.Popen(
            ["bash", "-c", command],
            cwd=ROOT,
            env=run_env(migrated_var),
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group, like a unit or a container
        )
    pg = worker = None
    try:
        wait_until(lambda: answers(port), 90, "the run's server to answer")
        pg = wait_until(lambda: postmaster_pid(data_dir), 10, "postmaster.pid")
        worker = wait_until(lambda: worker_beside(server.pid), 30, "the worker beside it")
        # The same database: the embedded server counts the worker as one of its users.
        wait_until(lambda: worker.pid in handle_pids(data_dir), 30, "the worker's handle")
        wait_until(lambda: "Starting worker" in log.read_text(), 60, "the worker to start")
        if to == "the first process":  # Docker: SIGTERM to PID 1 only
            server.send_signal(signal.SIGTERM)
        else:  # systemd's default: SIGTERM to every process of the unit
            os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
        wait_until(lambda: not running(worker.pid), 30, "the worker to stop")
        wait_until(lambda: not running(pg), 30, f"the embedded PostgreSQL (pid {pg}) to stop")
        assert not (data_dir / "postmaster.pid").exists()
    finally:
        if server.poll() is None:
            os.killpg(server.pid, signal.SIGKILL)
        server.wait(timeout=10)
        if worker is not None and running(worker.pid):
            worker.kill()
        if pg and running(pg):
            os.kill(pg, signal.SIGQUIT)  # PostgreSQL's immediate shutdown
        print(f"--- the run's output ({log}) ---\n{log.read_text()[-4000:]}")
