"""`manage.py worker`: its options (bad ones refused with a sentence), the queues it takes
by default, its own row; and the sweep that requeues lost workers' jobs, step by step."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from annotations.models import Worker
from annotations.services.jobs import jobs_requeue_lost, worker_register, worker_seen
from tests.jobs import tasks
from tests.jobs.conftest import ROOT, run_worker_batch

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (["--stop-with", "0"], "invalid _positive_pid value"),
        (["--stop-with", "nine"], "invalid _positive_pid value"),
        (["--stop-with", "4194304"], "--stop-with 4194304: there is no such process."),
        (["--queue-name", "default", "--exclude-queues", "x"], "--exclude-queues can only"),
        (["--max-tasks", "0"], "Must be greater than zero"),
        (["--interval", "-1"], "Must be zero or greater"),
    ],
)
def test_bad_options_are_refused_with_a_sentence_and_nothing_runs(options, message):
    result = tasks.succeeds.enqueue()
    with pytest.raises(CommandError, match=message):
        call_command("worker", *options)
    assert DBTaskResult.objects.get(pk=result.id).status == TaskResultStatus.READY
    assert not Worker.objects.exists()


def test_by_default_a_worker_takes_every_queue(settings):
    archive = tasks.succeeds.using(queue_name="archive").enqueue()
    default = tasks.succeeds.enqueue()
    run_worker_batch("--queue-name", "default")
    assert DBTaskResult.objects.get(pk=archive.id).status == TaskResultStatus.READY
    assert DBTaskResult.objects.get(pk=default.id).status == TaskResultStatus.SUCCESSFUL
    run_worker_batch()
    assert DBTaskResult.objects.get(pk=archive.id).status == TaskResultStatus.SUCCESSFUL


def test_max_tasks_stops_the_worker_and_a_clean_stop_removes_its_row():
    first, second = tasks.succeeds.enqueue(), tasks.succeeds.enqueue()
    run_worker_batch("--max-tasks", "1", "--worker-id", "w-max")
    statuses = set(
        DBTaskResult.objects.filter(pk__in=[first.id, second.id]).values_list("status", flat=True)
    )
    assert statuses == {TaskResultStatus.SUCCESSFUL, TaskResultStatus.READY}
    assert DBTaskResult.objects.get(status="SUCCESSFUL").worker_ids == ["w-max"]
    assert not Worker.objects.exists()


# --- The sweep --------------------------------------------------------------------------------


def running_job(worker_id: str, started_ago: float, attempts: int = 1) -> DBTaskResult:
    job = tasks.succeeds.enqueue().db_result
    job.status = TaskResultStatus.RUNNING
    job.started_at = timezone.now() - timedelta(seconds=started_ago)
    job.worker_ids = [f"earlier-{i}" for i in range(attempts - 1)] + [worker_id]
    job.save()
    return job


def seen(worker_id: str, ago: float) -> None:
    worker_register(worker_id=worker_id)
    when = timezone.now() - timedelta(seconds=ago)
    Worker.objects.filter(worker_id=worker_id).update(started_at=when, seen_at=when)


def status(job: DBTaskResult) -> str:
    job.refresh_from_db()
    return job.status


def test_the_sweep_requeues_only_the_jobs_of_lost_workers(settings):
    settings.FACTCHECK_JOB_BACKOFF_SECONDS = 0
    seen("alive", 5)
    seen("lost", 61)
    long_job = running_job("alive", started_ago=600)  # a long job of a live worker
    orphan = running_job("lost", started_ago=120)
    unknown = running_job("never-registered", started_ago=120)
    just_taken = running_job("never-registered", started_ago=2)
    last_try = running_job("lost", started_ago=120, attempts=5)
    requeued = jobs_requeue_lost()
    assert {job.pk for job in requeued} == {orphan.pk, unknown.pk, last_try.pk}
    assert status(long_job) == status(just_taken) == TaskResultStatus.RUNNING
    assert status(orphan) == status(unknown) == TaskResultStatus.READY
    assert orphan.exception_class_path == "annotations.jobs.WorkerLost"
    assert "worker lost (last seen" in orphan.traceback
    assert "worker never-registered (not registered)" in unknown.traceback
    assert status(last_try) == TaskResultStatus.FAILED  # its fifth attempt: no more
    assert jobs_requeue_lost() == []  # a second sweep finds nothing


def test_a_worker_lost_for_a_day_is_forgotten_and_one_that_comes_back_is_counted_again():
    seen("long-gone", 25 * 3600)
    seen("recent", 120)
    jobs_requeue_lost()
    assert list(Worker.objects.values_list("worker_id", flat=True)) == ["recent"]
    worker_seen(worker_id="long-gone")  # it was only frozen
    assert Worker.objects.filter(worker_id="long-gone").exists()


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"FACTCHECK_JOB_ATTEMPTS": "0"}, "FACTCHECK_JOB_ATTEMPTS must be 1 or more; got 0."),
        ({"FACTCHECK_JOB_BACKOFF_SECONDS": "-5"}, "FACTCHECK_JOB_BACKOFF_SECONDS must be 0"),
        (
            {"FACTCHECK_WORKER_HEARTBEAT_SECONDS": "10", "FACTCHECK_WORKER_LOST_SECONDS": "15"},
            "FACTCHECK_WORKER_LOST_SECONDS must be at least twice",
        ),
        ({"FACTCHECK_WORKER_HEARTBEAT_SECONDS": "soon"}, "must be a whole number"),
    ],
)
def test_a_bad_queue_setting_stops_the_worker_with_one_sentence(env, message):
    result = subprocess.run(
        [sys.executable, "manage.py", "worker", "--batch"],
        cwd=ROOT,
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 2
    assert "factcheck: configuration error:" in result.stderr and message in result.stderr
    assert "Traceback" not in result.stderr
