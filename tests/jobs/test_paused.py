""" "Background work is paused": said where a page waits on a job and no worker was seen for
60 seconds (FACTCHECK_WORKER_LOST_SECONDS); the admin lists workers and jobs."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from annotations.models import Worker
from annotations.selectors.jobs import background_paused, workers_alive
from annotations.services.jobs import worker_register
from annotations.services.matching import embeddings_fill_job
from tests.jobs import tasks
from tests.jobs.conftest import run_worker_batch

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}
PAUSED = "Background work is paused:"


def worker_seen(seconds_ago: float, worker_id: str = "w1") -> Worker:
    worker = worker_register(worker_id=worker_id)
    seen = timezone.now() - timedelta(seconds=seconds_ago)
    Worker.objects.filter(pk=worker.pk).update(started_at=seen, seen_at=seen)
    return worker


def test_a_worker_counts_as_alive_for_60_seconds_after_its_last_heartbeat():
    assert not workers_alive()
    worker_seen(59)
    assert workers_alive()
    Worker.objects.all().delete()
    worker_seen(61)
    assert not workers_alive()


def test_background_work_is_paused_only_when_a_job_waits_and_no_worker_is_alive():
    assert not background_paused()  # nothing waits: nothing to say
    tasks.succeeds.enqueue()
    assert background_paused()  # a job waits, no worker at all
    assert background_paused(tasks.succeeds) and not background_paused(embeddings_fill_job)
    worker_seen(61)
    assert background_paused()  # the only worker is lost
    worker_seen(1, "w2")
    assert not background_paused()
    DBTaskResult.objects.update(status="SUCCESSFUL")
    Worker.objects.all().delete()
    assert not background_paused()  # finished jobs wait on nobody


def test_the_paused_check_is_one_query_however_long_the_queue(django_assert_num_queries):
    for _ in range(30):
        tasks.succeeds.enqueue()
    for i in range(5):
        worker_seen(120, f"lost-{i}")
    with django_assert_num_queries(1):
        assert background_paused(embeddings_fill_job, tasks.succeeds)
    with django_assert_num_queries(1):
        assert not workers_alive()


def section(client, claim) -> str:
    response = client.get(reverse("claim_matches", args=[claim.pk]), **HTMX)
    assert response.status_code == 200
    return response.content.decode()


def test_checked_before_says_when_its_vectors_wait_on_no_worker(client, editor, draft):
    client.force_login(editor)
    assert PAUSED not in section(client, draft)  # no job waits
    embeddings_fill_job.enqueue()
    html = section(client, draft)
    assert 'id="background-paused"' in html and 'role="status"' in html
    assert "matching new and changed checks by their meaning will wait" in html
    worker_seen(61)
    assert PAUSED in section(client, draft)
    worker_seen(5, "alive")
    assert PAUSED not in section(client, draft)


def test_another_tasks_queue_does_not_pause_checked_before(client, editor, draft):
    tasks.succeeds.enqueue()
    client.force_login(editor)
    assert PAUSED not in section(client, draft)


def test_the_known_check_admin_says_when_the_vector_fill_is_paused(client, staff):
    client.force_login(staff)
    url = reverse("admin:annotations_knowncheck_changelist")
    assert PAUSED not in client.get(url).content.decode()
    embeddings_fill_job.enqueue()
    html = client.get(url).content.decode()
    assert PAUSED in html and "the remaining vectors will wait" in html


def test_the_worker_admin_lists_live_and_lost_workers(client, staff):
    worker_seen(3, "live-one")
    worker_seen(600, "lost-one")
    tasks.succeeds.enqueue()
    client.force_login(staff)
    response = client.get(reverse("admin:annotations_worker_changelist"))
    assert response.status_code == 200
    rows = {w.worker_id: w.is_alive for w in response.context["cl"].result_list}
    assert rows == {"live-one": True, "lost-one": False}
    assert PAUSED not in response.content.decode()  # one is alive
    Worker.objects.filter(worker_id="live-one").delete()
    html = client.get(reverse("admin:annotations_worker_changelist")).content.decode()
    assert PAUSED in html and "the queued jobs will wait" in html
    # Workers write their own rows: the admin only shows them.
    assert client.get(reverse("admin:annotations_worker_add")).status_code == 403
    # The jobs themselves: django-tasks-db's admin, read-only.
    jobs = client.get(reverse(f"admin:{DBTaskResult._meta.app_label}_dbtaskresult_changelist"))
    assert jobs.status_code == 200 and "succeeds" in jobs.content.decode()


def test_the_job_admin_runs_a_failed_job_again_and_refuses_the_others(client, staff, settings):
    settings.FACTCHECK_JOB_ATTEMPTS = 1
    failed = tasks.fails_until.enqueue("/nonexistent-directory", 1)
    run_worker_batch()
    done = tasks.succeeds.enqueue()
    run_worker_batch()
    rows = {r.pk: r for r in DBTaskResult.objects.all()}
    assert rows[failed.db_result.pk].status == "FAILED"
    client.force_login(staff)
    url = reverse(f"admin:{DBTaskResult._meta.app_label}_dbtaskresult_changelist")
    page = client.get(url)
    assert page.status_code == 200 and "Runs" in page.content.decode()
    response = client.post(
        url,
        {"action": "run_again", "_selected_action": [failed.id, done.id]},
        follow=True,
    )
    shown = [str(m) for m in response.context["messages"]]
    assert f"Job {done.id} is successful, not failed: only a failed job can be run again." in shown
    assert "1 job queued again." in shown
    again = DBTaskResult.objects.get(pk=failed.id)
    assert (again.status, again.worker_ids) == ("READY", [])
    assert "FileNotFoundError" in again.traceback  # the last error stays until the next run
    assert DBTaskResult.objects.get(pk=done.id).status == "SUCCESSFUL"
