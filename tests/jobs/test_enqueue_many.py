"""`enqueue_many`: many jobs of one task in one INSERT (a bulk article load enqueues one per
article), each row the one `task.enqueue` would have written, and run by a worker as such."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from annotations.jobs import enqueue_many
from tests.jobs import tasks
from tests.jobs.conftest import run_worker_batch

pytestmark = pytest.mark.django_db

#: What a row says about its job; the rest (id, enqueued_at) differs between any two rows.
SHAPE = (
    *("status", "args_kwargs", "priority", "task_path", "queue_name", "backend_name"),
    *("run_after", "worker_ids", "return_value", "exception_class_path", "traceback"),
)


def shape(row: DBTaskResult) -> dict:
    return {name: getattr(row, name) for name in SHAPE}


def test_many_jobs_are_one_insert_of_the_rows_enqueue_writes(tmp_path):
    a, b = str(tmp_path / "a"), str(tmp_path / "b")
    single = DBTaskResult.objects.get(pk=tasks.fails_until.enqueue(a, 0).id)
    with CaptureQueriesContext(connection) as queries:
        assert enqueue_many(tasks.fails_until, [(a, 0), (b, 0)]) == 2
    assert len(queries.captured_queries) == 1
    rows = DBTaskResult.objects.exclude(pk=single.pk)
    assert sorted((shape(row) for row in rows), key=lambda row: row["args_kwargs"]["args"]) == [
        shape(single),
        {**shape(single), "args_kwargs": {"args": [b, 0], "kwargs": {}}},
    ]
    assert enqueue_many(tasks.fails_until, []) == 0


def test_jobs_enqueued_together_are_run_by_a_worker(tmp_path):
    enqueue_many(tasks.succeeds, [(), (), ()])
    run_worker_batch()
    assert [row.status for row in DBTaskResult.objects.all()] == [TaskResultStatus.SUCCESSFUL] * 3
    assert {row.return_value for row in DBTaskResult.objects.all()} == {"ok"}


def test_another_backend_gets_one_enqueue_per_job(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    assert enqueue_many(tasks.succeeds, [(), ()]) == 2
    assert len(tasks.succeeds.get_backend().results) == 2
    assert not DBTaskResult.objects.exists()
