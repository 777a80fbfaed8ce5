"""A job is written in the transaction of the change that asks for it: a rolled-back change
leaves no job. The first real job: the "Checked before?" vector fill."""

from __future__ import annotations

import pytest
from django.db import transaction
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from annotations.models import KnownCheck
from annotations.services import matching
from annotations.services.errors import InvalidInput
from annotations.services.known_checks import known_checks_import
from annotations.services.workflow import claim_approve
from tests.jobs.conftest import run_worker_batch

pytestmark = pytest.mark.django_db

FILL = matching.embeddings_fill_job.module_path


def check(i: int) -> dict:
    return {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "url": f"https://checks.test/{i}",
        "claimReviewed": f"Wind turbines cause {i} kinds of illness.",
        "reviewRating": {"@type": "Rating", "alternateName": "False"},
        "author": {"@type": "Organization", "name": "Other Checkers"},
    }


@pytest.fixture(autouse=True)
def _jobs_on(settings):
    settings.FACTCHECK_MATCHING_BACKGROUND = True


def fill_jobs():
    return DBTaskResult.objects.filter(task_path=FILL)


def test_an_import_enqueues_the_vector_fill_in_its_transaction():
    known_checks_import(data=[check(1)], user=None)
    job = fill_jobs().get()
    assert job.status == TaskResultStatus.READY
    # One waiting job sees every committed row when it runs: a second import adds none.
    known_checks_import(data=[check(2)], user=None)
    assert fill_jobs().count() == 1
    # A job waiting to be retried (it failed once) may wait long: a new one is added.
    fill_jobs().update(worker_ids=["w1"])
    known_checks_import(data=[check(3)], user=None)
    assert fill_jobs().count() == 2


def test_a_rolled_back_change_leaves_no_job():
    with pytest.raises(RuntimeError), transaction.atomic():
        known_checks_import(data=[check(1)], user=None)
        assert fill_jobs().count() == 1  # written with the change…
        raise RuntimeError("the editor's request failed after the import")
    assert not fill_jobs().exists()  # …and gone with it
    assert not KnownCheck.objects.exists()


def test_a_refused_import_leaves_no_job():
    with pytest.raises(InvalidInput):
        known_checks_import(data=[{"@type": "ClaimReview"}], user=None)
    assert not DBTaskResult.objects.exists()


def test_an_approval_enqueues_the_vector_fill(in_review, reviewer):
    assert not fill_jobs().exists()
    claim_approve(claim=in_review, reviewer=reviewer)
    assert fill_jobs().filter(status=TaskResultStatus.READY).count() == 1


def test_nothing_is_enqueued_when_background_matching_is_off(settings):
    settings.FACTCHECK_MATCHING_BACKGROUND = False
    known_checks_import(data=[check(1)], user=None)
    assert not DBTaskResult.objects.exists()


def test_a_worker_runs_the_fill_and_every_vector_is_there():
    known_checks_import(data=[check(i) for i in range(3)], user=None)
    assert matching.embedding_progress().pending == 3
    run_worker_batch()
    job = fill_jobs().get()
    assert (job.status, job.return_value) == (TaskResultStatus.SUCCESSFUL, 3)
    assert matching.embedding_progress().pending == 0
    # The first one finished: a new check asks for a new job, which embeds only it.
    known_checks_import(data=[check(7)], user=None)
    run_worker_batch()
    assert sorted(fill_jobs().values_list("return_value", flat=True)) == [1, 3]
