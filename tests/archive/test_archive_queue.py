"""The archive job on the database queue (django-tasks-db): enqueued in the transaction that
attaches the source, so a rollback leaves neither the snapshot nor its job; a worker then
takes the snapshot."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.db import transaction
from django_tasks_db.models import DBTaskResult

from annotations.models import ArchiveStatus, ClaimSource, SourceArchive
from annotations.services.claims import source_attach
from tests.archive.pages import EXCERPT
from tests.factories import make_claim

DATABASE_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


class Boom(Exception):
    pass


@pytest.mark.django_db(transaction=True)
def test_a_rolled_back_attach_leaves_no_snapshot_and_no_job(settings, pages, demo_article, editor):
    settings.TASKS = DATABASE_QUEUE
    claim = make_claim(demo_article, editor, ready=False)

    with pytest.raises(Boom), transaction.atomic():
        source_attach(claim=claim, user=editor, title="Report", url=pages.url("/article"))
        assert DBTaskResult.objects.count() == 1  # written in the same transaction …
        raise Boom

    assert DBTaskResult.objects.count() == 0  # … and gone with it
    assert SourceArchive.objects.count() == 0
    assert ClaimSource.objects.filter(claim=claim).count() == 0
    assert pages.paths == []


@pytest.mark.django_db(transaction=True)
def test_a_committed_attach_queues_the_job_and_a_worker_takes_the_snapshot(
    settings, pages, demo_article, editor
):
    settings.TASKS = DATABASE_QUEUE
    claim = make_claim(demo_article, editor, ready=False)
    link = source_attach(
        claim=claim, user=editor, title="Report", url=pages.url("/article"), excerpt=EXCERPT
    )
    archive = SourceArchive.objects.get(source=link.source)
    job = DBTaskResult.objects.get()
    assert archive.status == ArchiveStatus.PENDING
    assert job.task_path == "annotations.tasks.archive_source"
    assert job.args_kwargs == {"args": [archive.pk], "kwargs": {}}
    assert pages.paths == []  # nothing fetched inside the request

    call_command("db_worker", batch=True, no_startup_delay=True, verbosity=0)

    archive.refresh_from_db()
    assert archive.status == ArchiveStatus.ARCHIVED
    assert archive.excerpt_state == "found"
    assert DBTaskResult.objects.get().status == "SUCCESSFUL"
