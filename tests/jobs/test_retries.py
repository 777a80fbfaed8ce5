"""A task that raises runs again after its back-off, up to its attempts, then stays FAILED
with its error: any plain @task (the default policy), or one declared with @job."""

from __future__ import annotations

import random
from datetime import timedelta

import pytest
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from annotations.jobs import MAX_BACKOFF, RetryPolicy, job, policy_for
from tests.jobs import tasks
from tests.jobs.conftest import run_worker_batch

pytestmark = pytest.mark.django_db


def row(result) -> DBTaskResult:
    return DBTaskResult.objects.get(pk=result.id)


def runs(directory) -> int:
    log = directory / "log"
    return log.read_text().count("run\n") if log.exists() else 0


def test_a_plain_task_that_fails_runs_again_and_then_succeeds(tmp_path, settings):
    settings.FACTCHECK_JOB_BACKOFF_SECONDS = 0
    result = tasks.fails_until.enqueue(str(tmp_path), 2)
    run_worker_batch()
    job_row = row(result)
    assert job_row.status == TaskResultStatus.SUCCESSFUL
    assert job_row.return_value == 3
    assert len(job_row.worker_ids) == 3 == runs(tmp_path)
    assert job_row.traceback == "" and job_row.exception_class_path == ""


def test_each_retry_waits_about_twice_as_long_as_the_last(tmp_path, settings):
    settings.FACTCHECK_JOB_BACKOFF_SECONDS = 10
    result = tasks.fails_until.enqueue(str(tmp_path), 99)
    waits = []
    for attempt in (1, 2, 3):
        before = timezone.now()
        run_worker_batch()  # runs the job once; its retry is not due yet, so the batch ends
        job_row = row(result)
        assert job_row.status == TaskResultStatus.READY
        assert runs(tmp_path) == attempt == len(job_row.worker_ids)
        # While it waits, the row keeps the last error.
        assert job_row.exception_class_path == "builtins.ConnectionError"
        assert f"the source site is down (run {attempt})" in job_row.traceback
        waits.append(job_row.run_after - before)
        full = timedelta(seconds=10 * 2 ** (attempt - 1))
        assert full / 2 - timedelta(seconds=1) <= waits[-1] <= full + timedelta(seconds=1)
        DBTaskResult.objects.filter(pk=result.id).update(run_after=timezone.now())  # time passes


def test_the_last_failure_leaves_the_job_failed_with_its_error(tmp_path, settings):
    settings.FACTCHECK_JOB_BACKOFF_SECONDS = 0
    result = tasks.fails_until.enqueue(str(tmp_path), 99)
    run_worker_batch()
    job_row = row(result)
    assert job_row.status == TaskResultStatus.FAILED
    assert runs(tmp_path) == 5 == len(job_row.worker_ids)  # the default: 5 attempts
    assert job_row.finished_at is not None
    assert "ConnectionError: the source site is down (run 5)" in job_row.traceback
    result.refresh()
    assert [e.exception_class for e in result.errors] == [ConnectionError]


def test_the_number_of_attempts_comes_from_the_settings(tmp_path, settings):
    settings.FACTCHECK_JOB_ATTEMPTS = 1
    settings.FACTCHECK_JOB_BACKOFF_SECONDS = 0
    result = tasks.fails_until.enqueue(str(tmp_path), 1)
    run_worker_batch()
    assert row(result).status == TaskResultStatus.FAILED
    assert runs(tmp_path) == 1


def test_a_task_declared_with_job_keeps_its_own_policy(tmp_path, settings):
    settings.FACTCHECK_JOB_BACKOFF_SECONDS = 3600  # the default would wait an hour
    result = tasks.gives_up_after_two.enqueue(str(tmp_path))
    run_worker_batch()
    job_row = row(result)
    assert job_row.status == TaskResultStatus.FAILED
    assert runs(tmp_path) == 2
    assert job_row.exception_class_path == "builtins.ValueError"
    assert policy_for(tasks.gives_up_after_two.module_path) == RetryPolicy(attempts=2, backoff=0)
    assert policy_for(tasks.fails_until.module_path) == RetryPolicy(attempts=5, backoff=3600)


def test_a_successful_task_runs_once(settings):
    result = tasks.succeeds.enqueue()
    run_worker_batch()
    job_row = row(result)
    assert (job_row.status, job_row.return_value, len(job_row.worker_ids)) == (
        TaskResultStatus.SUCCESSFUL,
        "ok",
        1,
    )


def test_the_backoff_doubles_with_jitter_and_is_capped():
    policy = RetryPolicy(attempts=20, backoff=10)
    rng = random.Random(15)
    for attempt in range(1, 15):
        full = min(10 * 2 ** (attempt - 1), MAX_BACKOFF.total_seconds())
        delays = {policy.delay(attempt, rng=rng).total_seconds() for _ in range(20)}
        assert all(full / 2 <= d <= full for d in delays)
        assert len(delays) > 1  # jittered: jobs failing together do not retry together
    assert policy.delay(30, rng=rng) <= MAX_BACKOFF


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"attempts": 0}, "attempts must be 1 or more"),
        ({"backoff": -1}, "backoff is a number of seconds"),
    ],
)
def test_a_job_declared_with_an_impossible_policy_is_refused(options, message):
    with pytest.raises(ValueError, match=message):
        job(**options)
