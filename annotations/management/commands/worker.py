"""`manage.py worker`: django-tasks-db's `db_worker`, with heartbeats, retries and recovery.

What it adds to db_worker (annotations/jobs.py has the rules):
- a heartbeat thread: the worker's row (models.Worker) is refreshed every
  FACTCHECK_WORKER_HEARTBEAT_SECONDS, and on each beat the RUNNING jobs of lost workers go
  back to the queue (services.jobs.jobs_requeue_lost);
- a failed run is retried after its back-off or left FAILED (services.jobs.job_failed),
  where db_worker marks it FAILED at once;
- told to stop now (a second Ctrl+C), the job in hand goes back to the queue instead of
  being marked failed;
- `--stop-with PID`: stop when that process is gone (`make run` starts the worker beside
  runserver this way, so it never outlives the server).

Defaults differ from db_worker's: every queue (`--queue-name '*'`) and no autoreload.
Several workers may run on one machine and on many: each takes one job at a time with
SELECT … FOR UPDATE SKIP LOCKED.
"""

from __future__ import annotations

import logging
import os
import signal
import threading
import time
from argparse import ArgumentParser
from typing import Any

import psutil
from django.conf import settings
from django.core.management.base import CommandError
from django.db import connections
from django.utils.autoreload import DJANGO_AUTORELOAD_ENV, run_with_reloader
from django_tasks.base import TaskContext, TaskResultStatus
from django_tasks.signals import task_finished, task_started
from django_tasks_db.management.commands import db_worker
from django_tasks_db.models import DBTaskResult

from annotations.jobs import JobInterrupted
from annotations.services.jobs import (
    job_failed,
    jobs_requeue_lost,
    worker_forget,
    worker_register,
    worker_seen,
)
from annotations.services.live import live_events_purge

log = logging.getLogger("django_tasks_db")


def _running(pid: int) -> bool:
    try:
        return psutil.Process(pid).status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return False


class HeartbeatWorker(db_worker.Worker):
    def __init__(self, *, heartbeat: float, stop_with: int | None, **options: Any) -> None:
        super().__init__(**options)
        self.heartbeat = heartbeat
        self.stop_with = stop_with
        self._stopping = threading.Event()

    def run(self) -> None:
        worker_register(worker_id=self.worker_id)
        beats = threading.Thread(target=self._beat, name="worker-heartbeat", daemon=True)
        beats.start()
        try:
            super().run()
        finally:
            self._stopping.set()
            beats.join(timeout=self.heartbeat + 5)
            worker_forget(worker_id=self.worker_id)

    def _beat(self) -> None:
        """Say we are alive and requeue lost workers' jobs every `heartbeat` seconds; with
        --stop-with, also look twice a second whether that process is still there."""
        tick = min(self.heartbeat, 0.5) if self.stop_with else self.heartbeat
        due = 0.0
        try:
            while not self._stopping.wait(tick):
                if self.stop_with and not _running(self.stop_with):
                    log.warning("Process %s is gone: stopping now.", self.stop_with)
                    self._stop_now()
                    return
                if time.monotonic() < due:
                    continue
                due = time.monotonic() + self.heartbeat
                try:
                    worker_seen(worker_id=self.worker_id)
                    for job in jobs_requeue_lost():
                        log.warning("Job %s's worker was lost: %s", job.id, job.status)
                    live_events_purge()
                except Exception:  # the database may be away a moment: beat again later
                    log.exception("Worker heartbeat failed; trying again")
                    connections.close_all()
        finally:
            connections.close_all()  # this thread's own connection

    def _stop_now(self) -> None:
        """As two Ctrl+C: the first stops an idle worker; the second, a job in hand, which
        goes back to the queue (run_task)."""
        os.kill(os.getpid(), signal.SIGTERM)
        time.sleep(0.5)
        if self.running_task:
            os.kill(os.getpid(), signal.SIGTERM)

    def run_task(self, db_task_result: DBTaskResult) -> None:
        """db_worker's run_task, but a failure goes through `job_failed` (retry or fail)
        and an interruption puts the job back in the queue."""
        try:
            self.running_task = True
            task = db_task_result.task
            task_result = db_task_result.task_result
            backend_type = type(task.get_backend())
            task_started.send(sender=backend_type, task_result=task_result)
            if task.takes_context:
                context = TaskContext(task_result=task_result)
                value = task.call(context, *task_result.args, **task_result.kwargs)
            else:
                value = task.call(*task_result.args, **task_result.kwargs)
            db_task_result.set_successful(value)
            task_finished.send(sender=backend_type, task_result=db_task_result.task_result)
        except (KeyboardInterrupt, SystemExit):
            job_failed(
                result=db_task_result,
                error=JobInterrupted(f"worker {self.worker_id} was told to stop now"),
            )
            raise
        except Exception as error:
            job_failed(result=db_task_result, error=error)
            log.warning(
                "Task %s (%s) failed: %r; %s",
                db_task_result.id,
                db_task_result.task_path,
                error,
                "retried later" if db_task_result.status == TaskResultStatus.READY else "FAILED",
            )
            if db_task_result.status == TaskResultStatus.FAILED:
                try:
                    sender = type(db_task_result.task.get_backend())
                    task_finished.send(sender=sender, task_result=db_task_result.task_result)
                except Exception:
                    log.exception("Task id=%s failed unexpectedly", db_task_result.id)
        finally:
            self.running_task = False
            self._run_tasks += 1


def _positive_pid(value: str) -> int:
    pid = int(value)
    if pid <= 0:
        raise ValueError(value)
    return pid


class Command(db_worker.Command):
    help = (
        "Run a background worker: takes jobs from PostgreSQL one at a time, retries failed "
        "ones with back-off, and puts the jobs of killed workers back in the queue."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        super().add_arguments(parser)
        parser.add_argument(
            "--stop-with",
            type=_positive_pid,
            default=None,
            metavar="PID",
            help="Stop (the job in hand goes back to the queue) when this process is gone.",
        )
        parser.set_defaults(queue_name="*", reload=False)

    def handle(self, *args: Any, **options: Any) -> None:
        self.configure_logging(options["verbosity"])
        if options["reload"] and options["batch"]:
            options["reload"] = False
        queue_names = options["queue_name"].split(",")
        excluded = options["exclude_queues"].split(",") if options["exclude_queues"] else []
        if excluded and "*" not in queue_names:
            raise CommandError("--exclude-queues can only be used with --queue-name=*")
        stop_with = options["stop_with"]
        if stop_with is not None and not _running(stop_with):
            raise CommandError(f"--stop-with {stop_with}: there is no such process.")
        worker = HeartbeatWorker(
            queue_names=queue_names,
            interval=options["interval"],
            batch=options["batch"],
            backend_name=options["backend_name"],
            startup_delay=options["startup_delay"],
            max_tasks=options["max_tasks"],
            worker_id=options["worker_id"],
            excluded_queue_names=excluded,
            heartbeat=settings.FACTCHECK_WORKER_HEARTBEAT_SECONDS,
            stop_with=stop_with,
        )
        if options["reload"]:
            if os.environ.get(DJANGO_AUTORELOAD_ENV) == "true":
                worker.configure_signals()
            run_with_reloader(worker.run)
        else:
            worker.configure_signals()
            worker.run()
