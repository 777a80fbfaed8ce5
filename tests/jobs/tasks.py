"""Tasks for the queue's tests, importable by the worker processes the tests start.

Each leaves its trace in files under a directory the test names, so a test sees what ran
in another process without asking the database.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

from django_tasks import task

from annotations.jobs import job


def _note(directory: str, line: str) -> None:
    with open(Path(directory) / "log", "a", encoding="utf-8") as log:
        log.write(f"{line}\n")


@task()
def wait_for_release(directory: str) -> str:
    """Says it started (with its pid), waits until the test creates `release` (at most
    two minutes), then says it is done."""
    _note(directory, f"started {os.getpid()}")
    deadline = time.monotonic() + 120
    while not (Path(directory) / "release").exists():
        if time.monotonic() > deadline:
            raise TimeoutError("nobody released the job")
        time.sleep(0.1)
    _note(directory, f"done {os.getpid()}")
    return "released"


@task()
def fails_until(directory: str, failures: int) -> int:
    """Raises on its first `failures` runs (counted in the log), then returns the run's
    number: the plain @task a task author writes, with the default retry policy."""
    _note(directory, "run")
    runs = (Path(directory) / "log").read_text(encoding="utf-8").count("run\n")
    if runs <= failures:
        raise ConnectionError(f"the source site is down (run {runs})")
    return runs


@job(attempts=2, backoff=0)
def gives_up_after_two(directory: str) -> None:
    """Always fails; declared with @job to be retried once only, at once."""
    _note(directory, "run")
    raise ValueError("this page will never load")


@task()
def succeeds() -> str:
    return "ok"
