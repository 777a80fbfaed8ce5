"""Background jobs: Django's Tasks API (django-tasks) stored in PostgreSQL (django-tasks-db).

A task is a plain function decorated with `django_tasks.task`; `task.enqueue(...)` writes
one row in the current transaction, so a rolled-back change leaves no job and a worker sees
the job only once the change is committed. `manage.py worker` runs them.

What django-tasks-db leaves out, and this app adds (generic, for every task):

- **Retries with back-off, then a final failed state.** A task that raises runs again, up
  to `FACTCHECK_JOB_ATTEMPTS` runs in all (default 5), each wait about twice the last:
  `FACTCHECK_JOB_BACKOFF_SECONDS` (10) × 2^(attempt-1), capped at an hour, with jitter
  (between half and all of it) so that jobs failing together do not retry together. The
  last failure leaves the job FAILED with its exception and traceback; while it waits for
  its next run, the row (READY) keeps the last error too. A plain `@task` gets this
  policy without any change; a task that wants another one is declared with `@job`:

      @job(attempts=1)                  # never retried
      def notify(...): ...

      @job(attempts=8, backoff=60)      # 1 min, 2, 4, 8 … (≤ 1 h)
      def deliver(...): ...

- **A worker killed mid-job loses nothing.** Workers beat a heartbeat (models.Worker); a
  RUNNING job whose worker is unseen for `FACTCHECK_WORKER_LOST_SECONDS` goes back to the
  queue, that run counted as an attempt (annotations/services/jobs.py). So a task must be
  safe to run again: at least once, never exactly once.

An attempt is one run started by a worker: `len(worker_ids)` on the row, as django-tasks
counts it (`TaskResult.attempts`).
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import Any, TypeVar

from django.conf import settings
from django_tasks import task
from django_tasks.base import Task

__all__ = [
    "MAX_BACKOFF",
    "JobInterrupted",
    "RetryPolicy",
    "WorkerLost",
    "enqueue_many",
    "job",
    "policy_for",
]

F = TypeVar("F", bound=Callable[..., Any])

#: No wait between two runs is longer than this, however many attempts.
MAX_BACKOFF = timedelta(hours=1)


class WorkerLost(Exception):
    """Recorded as a job's error when its worker stopped beating mid-run (killed, frozen,
    its machine gone). The job runs again if it has attempts left."""


class JobInterrupted(Exception):
    """Recorded as a job's error when its worker was told to stop now (a second Ctrl+C,
    or `make run`'s server gone). The job runs again if it has attempts left."""


@dataclass(frozen=True)
class RetryPolicy:
    #: Runs in all, the first included; 1 = never retried.
    attempts: int
    #: Seconds before the first retry; doubled for each next one.
    backoff: float

    def delay(self, attempt: int, *, rng: random.Random | None = None) -> timedelta:
        """How long to wait after run number `attempt` failed: backoff × 2^(attempt-1),
        capped at MAX_BACKOFF, then a random share between half and all of it."""
        full = min(self.backoff * 2 ** max(attempt - 1, 0), MAX_BACKOFF.total_seconds())
        share = (rng or random).uniform(0.5, 1.0)
        return timedelta(seconds=full * share)


#: What @job declared, by the task's import path (DBTaskResult.task_path): (attempts,
#: backoff), None where the default applies (read from settings when a job fails).
_declared: dict[str, tuple[int | None, float | None]] = {}


def policy_for(task_path: str) -> RetryPolicy:
    """The retry policy of the task stored at `task_path`: its own (@job), or the default."""
    attempts, backoff = _declared.get(task_path, (None, None))
    return RetryPolicy(
        attempts=settings.FACTCHECK_JOB_ATTEMPTS if attempts is None else attempts,
        backoff=settings.FACTCHECK_JOB_BACKOFF_SECONDS if backoff is None else backoff,
    )


def job(
    *, attempts: int | None = None, backoff: float | None = None, **task_options: Any
) -> Callable[[F], Task]:
    """`django_tasks.task` with its own retry policy; other options go to `task` as they are
    (priority, queue_name, takes_context). Unset values take the defaults from settings."""
    if attempts is not None and attempts < 1:
        raise ValueError("A job runs at least once: attempts must be 1 or more.")
    if backoff is not None and backoff < 0:
        raise ValueError("backoff is a number of seconds, 0 or more.")

    def decorate(function: F) -> Task:
        declared: Task = task(**task_options)(function)
        _declared[declared.module_path] = (attempts, backoff)
        return declared

    return decorate


def enqueue_many(task: Task, calls: Iterable[Sequence[Any]]) -> int:
    """`task.enqueue(*args)` for each `args` of `calls`, in one INSERT when the task is
    stored in PostgreSQL (django-tasks-db); returns how many jobs were enqueued.

    A bulk article load enqueues one job per article (issue 17): hundreds of single
    INSERTs were a fifth of its time. The rows are the ones `DatabaseBackend.enqueue`
    writes (its id function, the `run_after` its `pre_save` handler would set, which
    `bulk_create` does not send), and `task_enqueued` is still sent for each. Any other
    backend (a test's immediate one) gets one `enqueue` per call.
    """
    from django_tasks_db.backend import DatabaseBackend
    from django_tasks_db.compat import normalize_json, task_enqueued
    from django_tasks_db.models import DBTaskResult, get_date_max

    calls = [tuple(args) for args in calls]
    backend = task.get_backend()
    if not isinstance(backend, DatabaseBackend):
        for args in calls:
            task.enqueue(*args)
        return len(calls)
    if not calls:
        return 0
    backend.validate_task(task)
    rows = DBTaskResult.objects.bulk_create(
        DBTaskResult(
            id=backend._get_id(),
            args_kwargs=normalize_json({"args": args, "kwargs": {}}),
            priority=task.priority,
            task_path=task.module_path,
            queue_name=task.queue_name,
            run_after=task.run_after or get_date_max(),
            backend_name=backend.alias,
        )
        for args in calls
    )
    for row in rows:
        task_enqueued.send(type(backend), task_result=row.task_result)
    return len(rows)
