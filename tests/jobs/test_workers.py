"""Real worker processes on the test database: a worker killed mid-job loses nothing, a
live worker's long job is left alone, a worker told to stop now puts its job back, and a
rolled-back change leaves nothing for any worker to find."""

from __future__ import annotations

import subprocess
import sys
import time

import pytest
from django.db import transaction
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from annotations.models import Worker
from annotations.selectors.jobs import workers_alive
from tests.jobs import tasks
from tests.test_embedded_shutdown import wait_until

pytestmark = pytest.mark.django_db(transaction=True)


def row(result) -> DBTaskResult:
    return DBTaskResult.objects.get(pk=result.id)


def lines(directory) -> list[str]:
    log = directory / "log"
    return log.read_text().splitlines() if log.exists() else []


def test_a_worker_killed_mid_job_loses_nothing(tmp_path, worker_processes, settings):
    settings.FACTCHECK_WORKER_LOST_SECONDS = 3  # as the workers count
    result = tasks.wait_for_release.enqueue(str(tmp_path))
    first = worker_processes("first")  # heartbeat 1 s; a worker unseen for 3 s is lost
    wait_until(lambda: lines(tmp_path), 90, "the first worker to start the job")
    second = worker_processes("second")
    wait_until(lambda: Worker.objects.filter(pid=second.pid).exists(), 90, "the second worker")
    # The first is alive and beating: its job, running longer than 3 s, stays its own.
    time.sleep(5)
    job = row(result)
    assert job.status == TaskResultStatus.RUNNING
    [first_id] = job.worker_ids
    assert Worker.objects.get(worker_id=first_id).pid == first.pid
    assert lines(tmp_path) == [f"started {first.pid}"]

    first.process.kill()  # SIGKILL: no handler, no goodbye
    first.process.wait(timeout=10)
    (tmp_path / "release").touch()
    wait_until(
        lambda: row(result).status == TaskResultStatus.SUCCESSFUL, 60, "the job to run again"
    )
    job = row(result)
    assert job.return_value == "released"
    assert job.worker_ids[0] == first_id and len(job.worker_ids) == 2  # two attempts
    assert lines(tmp_path) == [
        f"started {first.pid}",
        f"started {second.pid}",
        f"done {second.pid}",
    ]
    assert workers_alive()
    assert second.stop() == 0
    # A clean stop removes the worker's row; the lost one stays listed (the admin shows it).
    assert list(Worker.objects.values_list("worker_id", flat=True)) == [first_id]
    assert not workers_alive()


def test_a_worker_told_to_stop_now_puts_its_job_back(tmp_path, worker_processes):
    server = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(300)"])
    try:
        result = tasks.wait_for_release.enqueue(str(tmp_path))
        worker = worker_processes("beside", "--stop-with", str(server.pid))
        wait_until(lambda: lines(tmp_path), 90, "the worker to start the job")
    finally:
        server.kill()  # the process it stands beside is gone…
        server.wait(timeout=10)
    assert worker.process.wait(timeout=30) != 0  # …so it stops, without finishing the job
    job = row(result)
    assert job.status == TaskResultStatus.READY
    assert job.exception_class_path == "annotations.jobs.JobInterrupted"
    assert len(job.worker_ids) == 1
    assert not Worker.objects.exists()
    (tmp_path / "release").touch()
    again = worker_processes("again", "--batch")
    assert again.process.wait(timeout=90) == 0
    assert row(result).status == TaskResultStatus.SUCCESSFUL
    assert lines(tmp_path)[-1] == f"done {again.pid}"


def test_an_idle_worker_stops_with_the_process_it_stands_beside(tmp_path, worker_processes):
    server = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(300)"])
    worker = worker_processes("idle", "--stop-with", str(server.pid))
    wait_until(lambda: Worker.objects.filter(pid=worker.pid).exists(), 90, "the worker")
    server.kill()
    server.wait(timeout=10)
    assert worker.process.wait(timeout=30) == 0
    assert not Worker.objects.exists()


def test_a_rolled_back_change_leaves_no_job_for_any_worker(tmp_path, worker_processes):
    with pytest.raises(RuntimeError), transaction.atomic():
        tasks.succeeds.enqueue()
        raise RuntimeError("the change failed")
    kept = tasks.succeeds.enqueue()
    worker = worker_processes("batch", "--batch")
    assert worker.process.wait(timeout=90) == 0
    assert list(DBTaskResult.objects.values_list("id", "status")) == [
        (kept.db_result.id, TaskResultStatus.SUCCESSFUL)
    ]
