"""Reads about the job queue: are workers alive, is background work waiting on none.

"Background work is paused" is said only where a page waits on a job (a queued or running
job of the tasks it names) and no worker was seen for FACTCHECK_WORKER_LOST_SECONDS (60).
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db.models import Exists
from django.utils import timezone
from django_tasks.base import Task, TaskResultStatus
from django_tasks_db.models import DBTaskResult

from annotations.models import Worker

__all__ = ["background_paused", "live_workers", "workers_alive"]

_WAITING = [TaskResultStatus.READY, TaskResultStatus.RUNNING]


def live_workers():
    """Workers whose heartbeat is recent enough to count them alive."""
    cutoff = timezone.now() - timedelta(seconds=settings.FACTCHECK_WORKER_LOST_SECONDS)
    return Worker.objects.filter(seen_at__gte=cutoff)


def workers_alive() -> bool:
    """Whether any worker was seen in the last FACTCHECK_WORKER_LOST_SECONDS (one query)."""
    return live_workers().exists()


def background_paused(*tasks: Task) -> bool:
    """Whether a job of one of `tasks` (of any task when none are named) is waiting and no
    worker is alive to run it: one query, whatever the queue's length."""
    waiting = DBTaskResult.objects.filter(status__in=_WAITING)
    if tasks:
        waiting = waiting.filter(task_path__in=[task.module_path for task in tasks])
    return waiting.filter(~Exists(live_workers())).exists()
