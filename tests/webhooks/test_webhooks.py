"""Webhooks (issue 15): signed per Standard Webhooks, at least once, never for a rollback.

Deliveries are sent to a real receiver on 127.0.0.1 that fails the first try of every
message and verifies every signature with the `standardwebhooks` library; jobs are run by
django-tasks-db's own worker (`db_worker --batch`) from the rows in PostgreSQL.
"""

from __future__ import annotations

import time

import pytest
from django.core.management import call_command
from django.db import transaction
from django_tasks_db.models import DBTaskResult

from annotations.models import (
    Claim,
    ClaimStatus,
    DeliveryStatus,
    WebhookAttempt,
    WebhookDelivery,
    WebhookEvent,
    WebhookSubscription,
)
from annotations.services.errors import InvalidInput, NotAllowed
from annotations.services.webhooks import (
    webhook_send_again,
    webhook_subscription_create,
    webhook_subscription_update,
    webhooks_emit,
)
from annotations.services.workflow import claim_approve, claim_reopen
from tests.webhooks.receiver import webhook_receiver


@pytest.fixture
def loopback_allowed(settings):
    settings.FACTCHECK_FETCH_ALLOW_LOOPBACK = True
    settings.FACTCHECK_WEBHOOK_RETRY_SECONDS = [0.2, 0.2]
    settings.FACTCHECK_WEBHOOK_READ_TIMEOUT = 3


def webhook_jobs():
    """The queue's delivery jobs (a source with a URL queues an archive job too)."""
    return DBTaskResult.objects.filter(task_path__endswith=".deliver_webhook")


def run_jobs() -> None:
    """Run every job that is due, with the queue's own worker, then return."""
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)


def run_jobs_until(condition, timeout: float = 10) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "the jobs did not finish in time"
        run_jobs()
        time.sleep(0.05)


def subscribe(staff, url, events=(WebhookEvent.CLAIM_APPROVED,)) -> WebhookSubscription:
    return webhook_subscription_create(user=staff, url=url, events=list(events))


# --- Subscriptions ------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_subscription_gets_a_standard_webhooks_secret(staff, loopback_allowed):
    subscription = subscribe(staff, "http://127.0.0.1:9/hook", WebhookEvent.values)
    assert subscription.secret.startswith("whsec_")
    assert len(subscription.secret) > 40
    rotated = webhook_subscription_update(subscription=subscription, user=staff, rotate_secret=True)
    assert rotated.secret.startswith("whsec_") and rotated.secret != subscription.secret


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("url", "events", "message"),
    [
        ("", ["claim.approved"], "Enter the receiver's web address"),
        ("ftp://example.org/hook", ["claim.approved"], "http:// or https://"),
        ("http://127.0.0.1:9/hook", ["claim.approved"], "does not send to"),
        ("http://10.1.2.3/hook", ["claim.approved"], "a private network"),
        ("http://169.254.169.254/latest", ["claim.approved"], "cloud metadata"),
        ("https://example.org/hook", [], "Choose at least one event"),
        ("https://example.org/hook", ["claim.deleted"], "“claim.deleted” is not an event"),
        ("https://example.org/hook", "nonsense", "is not an event"),
        ("https://name.invalid/hook", ["claim.approved"], "Could not find name.invalid"),
    ],
)
def test_a_bad_subscription_is_refused_and_nothing_is_written(staff, url, events, message):
    """Cheap checks first; the address is resolved and vetted last (and again at each send)."""
    with pytest.raises(InvalidInput) as refused:
        webhook_subscription_create(user=staff, url=url, events=events)
    assert message in refused.value.message
    assert not WebhookSubscription.objects.exists()


@pytest.mark.django_db
def test_only_staff_manage_webhooks(editor, reviewer):
    for person in (editor, reviewer):
        with pytest.raises(NotAllowed, match="Only staff"):
            webhook_subscription_create(
                user=person, url="https://example.org/hook", events=["claim.approved"]
            )
    assert not WebhookSubscription.objects.exists()


# --- Events --------------------------------------------------------------------------------


@pytest.mark.django_db
def test_approval_queues_one_delivery_per_interested_subscription(
    staff, in_review, reviewer, loopback_allowed
):
    wants = subscribe(staff, "http://127.0.0.1:9/a")
    subscribe(staff, "http://127.0.0.1:9/b", [WebhookEvent.ARTICLE_REVISED])
    paused = subscribe(staff, "http://127.0.0.1:9/c")
    webhook_subscription_update(subscription=paused, user=staff, is_active=False)

    claim = claim_approve(claim=in_review, reviewer=reviewer)

    delivery = WebhookDelivery.objects.get()
    assert delivery.subscription == wants
    assert delivery.event == "claim.approved"
    assert delivery.payload["type"] == "claim.approved"
    assert delivery.payload["data"]["claim"]["id"] == claim.pk
    assert delivery.payload["data"]["claim"]["status"] == "approved"
    assert delivery.payload["data"]["claim"]["verdict"]["slug"] == claim.verdict.slug
    assert webhook_jobs().filter(args_kwargs__args=[delivery.pk]).count() == 1


@pytest.mark.django_db
def test_a_rolled_back_approval_leaves_no_delivery_and_no_job(
    staff, in_review, reviewer, loopback_allowed
):
    subscribe(staff, "http://127.0.0.1:9/a")
    with pytest.raises(RuntimeError), transaction.atomic():
        claim_approve(claim=in_review, reviewer=reviewer)
        assert WebhookDelivery.objects.count() == 1  # written, inside the transaction
        raise RuntimeError("the change is rolled back")
    assert not WebhookDelivery.objects.exists()
    assert not webhook_jobs().exists()
    assert Claim.objects.get(pk=in_review.pk).status == ClaimStatus.IN_REVIEW


@pytest.mark.django_db
def test_reopen_and_a_new_revision_are_events_too(staff, in_review, reviewer, loopback_allowed):
    from annotations.services.articles import revision_load

    subscribe(staff, "http://127.0.0.1:9/a", WebhookEvent.values)
    claim = claim_approve(claim=in_review, reviewer=reviewer)
    claim_reopen(claim=claim, reviewer=reviewer, comment="A reader wrote in.")
    article = claim.article
    revision_load(
        article=article,
        user=staff,
        text=article.current_revision.text.replace("hit at least five times", "hit four times"),
    )
    events = list(WebhookDelivery.objects.order_by("id").values_list("event", flat=True))
    assert events == ["claim.approved", "claim.reopened", "article.revised"]
    revised = WebhookDelivery.objects.get(event="article.revised").payload["data"]
    assert revised["article"]["id"] == article.pk
    assert revised["revision"]["number"] == 2


@pytest.mark.django_db
def test_a_published_claim_whose_words_change_is_changed_after_publication(
    staff, demo_article, editor, reviewer, verdicts, demo_text, loopback_allowed
):
    from tests.services.test_reanchor import TYPO, approved, load_edit

    claim = approved(demo_article, editor, reviewer, verdicts, TYPO)
    subscribe(staff, "http://127.0.0.1:9/a", [WebhookEvent.CLAIM_CHANGED_AFTER_PUBLICATION])
    load_edit(demo_article, editor, demo_text)  # "converge" becomes "converged"
    delivery = WebhookDelivery.objects.get()
    assert delivery.event == "claim.changed_after_publication"
    assert delivery.payload["data"]["claim"]["id"] == claim.pk
    assert delivery.payload["data"]["claim"]["status"] == ClaimStatus.IN_REVIEW


@pytest.mark.django_db
def test_an_event_nobody_listens_to_costs_one_query(django_assert_num_queries):
    with django_assert_num_queries(1):
        assert webhooks_emit(WebhookEvent.CLAIM_APPROVED, lambda: pytest.fail("not built")) == 0


# --- Delivery to a real receiver ------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_delivery_is_signed_retried_after_a_failure_and_logged(
    staff, in_review, reviewer, loopback_allowed
):
    with webhook_receiver() as receiver:
        subscription = subscribe(staff, receiver.url)
        receiver.secret = subscription.secret
        claim = claim_approve(claim=in_review, reviewer=reviewer)

        run_jobs()  # the first try: the receiver answers 500
        delivery = WebhookDelivery.objects.get()
        assert delivery.status == DeliveryStatus.PENDING
        assert delivery.next_attempt_at is not None
        run_jobs_until(lambda: WebhookDelivery.objects.get().status == DeliveryStatus.DELIVERED)

    assert [r.answered for r in receiver.received] == [500, 204]
    assert all(r.verified for r in receiver.received)  # standardwebhooks verified both
    assert {r.message_id for r in receiver.received} == {delivery.message_id}
    assert receiver.received[-1].payload["data"]["claim"]["id"] == claim.pk
    attempts = list(WebhookAttempt.objects.order_by("number"))
    assert [(a.number, a.response_status) for a in attempts] == [(1, 500), (2, 204)]
    assert "500" in attempts[0].error and attempts[1].error == ""
    delivered = WebhookDelivery.objects.get()
    assert delivered.attempt_count == 2 and delivered.delivered_at is not None


@pytest.mark.django_db(transaction=True)
def test_a_receiver_that_never_answers_ends_failed_and_staff_can_send_again(
    staff, in_review, reviewer, loopback_allowed
):
    from tests.loopback import free_loopback_port

    subscription = subscribe(staff, f"http://127.0.0.1:{free_loopback_port()}/hook")
    claim_approve(claim=in_review, reviewer=reviewer)
    run_jobs_until(lambda: WebhookDelivery.objects.get().status == DeliveryStatus.FAILED)
    attempts = list(WebhookAttempt.objects.order_by("number"))
    assert len(attempts) == 3  # the first try and the two retries of the schedule
    assert all(a.response_status is None and "refused" in a.error for a in attempts)

    with webhook_receiver(fail_first=False) as receiver:
        receiver.secret = subscription.secret
        webhook_subscription_update(subscription=subscription, user=staff, url=receiver.url)
        delivery = webhook_send_again(delivery=WebhookDelivery.objects.get(), user=staff)
        assert delivery.status == DeliveryStatus.PENDING
        run_jobs_until(lambda: WebhookDelivery.objects.get().status == DeliveryStatus.DELIVERED)
    last = WebhookAttempt.objects.order_by("number").last()
    assert (last.number, last.response_status, last.requested_by) == (4, 204, staff)
    assert receiver.received[0].verified


@pytest.mark.django_db(transaction=True)
def test_a_receiver_on_a_blocked_address_is_never_contacted(staff, in_review, reviewer, settings):
    settings.FACTCHECK_FETCH_ALLOW_LOOPBACK = True
    settings.FACTCHECK_WEBHOOK_RETRY_SECONDS = []
    with webhook_receiver(fail_first=False) as receiver:
        subscription = subscribe(staff, receiver.url)
        receiver.secret = subscription.secret
        settings.FACTCHECK_FETCH_ALLOW_LOOPBACK = False  # the rules as they are in production
        claim_approve(claim=in_review, reviewer=reviewer)
        run_jobs_until(lambda: WebhookDelivery.objects.get().status == DeliveryStatus.FAILED)
    assert receiver.received == []
    assert "does not fetch from" in WebhookAttempt.objects.get().error


@pytest.mark.django_db
def test_send_again_is_for_staff_only(staff, editor, in_review, reviewer, loopback_allowed):
    subscribe(staff, "http://127.0.0.1:9/a")
    claim_approve(claim=in_review, reviewer=reviewer)
    delivery = WebhookDelivery.objects.get()
    jobs = webhook_jobs().count()
    with pytest.raises(NotAllowed):
        webhook_send_again(delivery=delivery, user=editor)
    assert webhook_jobs().count() == jobs
