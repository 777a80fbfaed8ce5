"""The job queue's own writes: workers' heartbeats, a failed run retried or left failed,
and the jobs of lost workers put back in the queue (annotations/jobs.py says why).

Only `manage.py worker` calls these; task authors never do.
"""

from __future__ import annotations

import os
import socket
from datetime import timedelta
from traceback import format_exception

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult, get_date_max

from annotations.jobs import WorkerLost, policy_for
from annotations.models import Worker
from annotations.services.errors import WorkflowError

__all__ = [
    "WORKER_FORGOTTEN_AFTER",
    "job_failed",
    "job_run_again",
    "jobs_requeue_lost",
    "worker_forget",
    "worker_register",
    "worker_seen",
]

#: A lost worker's row is kept this long (the admin lists it), then deleted.
WORKER_FORGOTTEN_AFTER = timedelta(days=1)


def worker_register(*, worker_id: str) -> Worker:
    """A worker starting: its row, seen now. A reused id (a restart with --worker-id) takes
    over the old row."""
    now = timezone.now()
    worker, _ = Worker.objects.update_or_create(
        worker_id=worker_id,
        defaults={
            "hostname": socket.gethostname()[:255],
            "pid": os.getpid(),
            "started_at": now,
            "seen_at": now,
        },
    )
    return worker


def worker_seen(*, worker_id: str) -> None:
    """The heartbeat. A row deleted meanwhile (pruned while the worker was frozen) is made
    again, so a worker that comes back is counted again."""
    if not Worker.objects.filter(worker_id=worker_id).update(seen_at=timezone.now()):
        worker_register(worker_id=worker_id)


def worker_forget(*, worker_id: str) -> None:
    """A worker stopping cleanly (its job, if any, finished or went back to the queue)."""
    Worker.objects.filter(worker_id=worker_id).delete()


def job_failed(*, result: DBTaskResult, error: BaseException) -> DBTaskResult:
    """Record that this run of `result` failed with `error`: back to the queue after the
    task's back-off while it has attempts left (READY, run_after in the future), otherwise
    FAILED. Either way the row keeps the error's class and traceback."""
    policy = policy_for(result.task_path)
    attempts = len(result.worker_ids)
    now = timezone.now()
    result.exception_class_path = f"{type(error).__module__}.{type(error).__qualname__}"
    result.traceback = "".join(format_exception(error))
    result.return_value = None
    fields = ["status", "exception_class_path", "traceback", "return_value"]
    if attempts < policy.attempts:
        result.status = TaskResultStatus.READY
        result.run_after = now + policy.delay(attempts)
        fields.append("run_after")
    else:
        result.status = TaskResultStatus.FAILED
        result.finished_at = now
        fields.append("finished_at")
    result.save(update_fields=fields)
    return result


@transaction.atomic
def job_run_again(*, result: DBTaskResult) -> DBTaskResult:
    """A failed job queued again by a person (the admin's "Run again", once the cause is
    fixed): READY at once, with all its attempts again. Its last error stays on the row
    until the next run. Only a FAILED job: others are waiting, running or done."""
    locked = DBTaskResult.objects.select_for_update().get(pk=result.pk)
    if locked.status != TaskResultStatus.FAILED:
        raise WorkflowError(
            f"Job {locked.pk} is {locked.get_status_display().lower()}, not failed: "
            "only a failed job can be run again."
        )
    locked.status = TaskResultStatus.READY
    locked.run_after = get_date_max()  # django-tasks-db's "no earliest time"
    locked.worker_ids = []
    locked.finished_at = None
    locked.save(update_fields=["status", "run_after", "worker_ids", "finished_at"])
    return locked


@transaction.atomic
def jobs_requeue_lost(*, lost_after: timedelta | None = None) -> list[DBTaskResult]:
    """Put the RUNNING jobs of lost workers back in the queue (or leave them FAILED when
    that was their last attempt), and forget workers lost for a day.

    A worker is lost when its heartbeat is older than `lost_after`
    (FACTCHECK_WORKER_LOST_SECONDS), or when it has no row at all (the job was taken by
    some other runner and outlived the same delay). Every worker calls this on its
    heartbeat; rows are locked with SKIP LOCKED, so two workers never requeue one job
    twice."""
    if lost_after is None:
        lost_after = timedelta(seconds=settings.FACTCHECK_WORKER_LOST_SECONDS)
    now = timezone.now()
    cutoff = now - lost_after
    running = list(
        DBTaskResult.objects.running()
        .filter(started_at__lt=cutoff)
        .select_for_update(skip_locked=True)
        .order_by("started_at")
    )
    last_ids = {job.worker_ids[-1] for job in running if job.worker_ids}
    seen = dict(Worker.objects.filter(worker_id__in=last_ids).values_list("worker_id", "seen_at"))
    requeued = []
    for job in running:
        worker_id = job.worker_ids[-1] if job.worker_ids else "(none)"
        seen_at = seen.get(worker_id)
        if seen_at is not None and seen_at >= cutoff:
            continue  # a long job of a live worker
        when = f"last seen {seen_at:%Y-%m-%d %H:%M:%S %Z}" if seen_at else "not registered"
        lost = WorkerLost(f"worker {worker_id} ({when}) stopped during this run")
        requeued.append(job_failed(result=job, error=lost))
    Worker.objects.filter(seen_at__lt=now - WORKER_FORGOTTEN_AFTER).delete()
    return requeued
