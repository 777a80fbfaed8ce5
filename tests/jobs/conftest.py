"""The queue's tests: workers run in this process (`--batch`) or as real processes against
the test database; the tasks they run are in tests/jobs/tasks.py."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path
from unittest import mock

import pytest
from django.core.management import call_command
from django_tasks_db.management.commands import db_worker

from tests.processes import test_database_url

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True)
def _keep_the_test_runners_signals():
    """A worker run in this process installs its own SIGINT/SIGTERM handlers: put back
    pytest's, so Ctrl+C still stops the test run."""
    saved = {sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGQUIT)}
    yield
    for sig, handler in saved.items():
        signal.signal(sig, handler)


def run_worker_batch(*options: str) -> None:
    """One worker in this process, until no job is ready (the heartbeat thread never beats:
    its first beat is FACTCHECK_WORKER_HEARTBEAT_SECONDS away). The worker's loop closes
    "old" connections as a request would; inside a test's transaction that would close the
    test's own connection, so here it does not (worker processes in the tests do)."""
    with mock.patch.object(db_worker, "close_old_connections", lambda: None):
        call_command(
            "worker", "--batch", "--no-startup-delay", "--interval", "0", *options, verbosity=0
        )


def workers_database_url() -> str:
    """DATABASE_URL for a worker process, naming the test database this run created."""
    return test_database_url()


class WorkerProcess:
    """`manage.py worker` in its own process on the test database; its output in a file."""

    def __init__(self, log: Path, *args: str, heartbeat: int = 1, lost_after: int = 3):
        env = {k: v for k, v in os.environ.items() if not k.startswith("TEST_")}
        env.update(
            DATABASE_URL=workers_database_url(),
            DEBUG="1",
            PYTHONUNBUFFERED="1",
            FACTCHECK_WORKER_HEARTBEAT_SECONDS=str(heartbeat),
            FACTCHECK_WORKER_LOST_SECONDS=str(lost_after),
            FACTCHECK_JOB_BACKOFF_SECONDS="0",
        )
        self.log = log
        with log.open("w") as out:
            self.process = subprocess.Popen(
                [sys.executable, "manage.py", "worker", "--no-startup-delay", "-v", "2", *args],
                cwd=ROOT,
                env=env,
                stdout=out,
                stderr=subprocess.STDOUT,
            )

    @property
    def pid(self) -> int:
        return self.process.pid

    def output(self) -> str:
        return self.log.read_text(errors="replace")

    def stop(self) -> int:
        """SIGTERM (a clean stop), or SIGKILL if it does not go within 20 s."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)
        return self.process.returncode


@pytest.fixture
def worker_processes(tmp_path):
    """Start workers with `start(name, *args)`; every one is stopped after the test."""
    started: list[WorkerProcess] = []

    def start(name: str, *args: str, **kwargs) -> WorkerProcess:
        worker = WorkerProcess(tmp_path / f"{name}.log", *args, **kwargs)
        started.append(worker)
        return worker

    yield start
    for worker in started:
        worker.stop()
        print(f"--- worker {worker.log.name} ---\n{worker.output()[-3000:]}")
