"""/api/v1/webhooks/: staff subscribe, read the delivery log and send again; bad input
gets a 400 that says what is wrong, and nothing is written."""

from __future__ import annotations

import pytest
from django_tasks_db.models import DBTaskResult

from annotations.models import WebhookAttempt, WebhookDelivery, WebhookSubscription
from annotations.services.webhooks import webhook_subscription_create
from annotations.services.workflow import claim_approve
from tests.api.fixtures.helpers import token_client

pytestmark = pytest.mark.django_db

LIST = "/api/v1/webhooks/"


@pytest.fixture
def staff_api(staff, settings):
    settings.FACTCHECK_FETCH_ALLOW_LOOPBACK = True
    return token_client(staff)


def test_staff_subscribe_and_see_the_secret(staff_api):
    answer = staff_api.post(
        LIST,
        {
            "url": "http://127.0.0.1:9/cms",
            "events": ["claim.approved", "claim.reopened"],
            "description": "The CMS",
        },  # fmt: skip
        format="json",
    )
    assert answer.status_code == 201, answer.json()
    body = answer.json()
    assert body["secret"].startswith("whsec_")
    assert body["events"] == ["claim.approved", "claim.reopened"]
    assert body["created_by"] == "boss"
    listed = staff_api.get(LIST).json()["results"]
    assert [s["id"] for s in listed] == [body["id"]]


def test_change_rotate_and_delete(staff_api, staff):
    subscription = webhook_subscription_create(
        user=staff, url="http://127.0.0.1:9/cms", events=["claim.approved"]
    )
    url = f"{LIST}{subscription.pk}/"
    changed = staff_api.patch(url, {"is_active": False, "rotate_secret": True}, format="json")
    assert changed.status_code == 200
    assert changed.json()["is_active"] is False
    assert changed.json()["secret"] != subscription.secret
    assert staff_api.delete(url).status_code == 204
    assert not WebhookSubscription.objects.exists()


@pytest.mark.parametrize(
    ("body", "field", "message"),
    [
        ({"events": ["claim.approved"]}, "url", "Enter the receiver's web address"),
        ({"url": "http://10.0.0.5/cms", "events": ["claim.approved"]}, "url", "private network"),
        ({"url": "gopher://x/", "events": ["claim.approved"]}, "url", "http:// or https://"),
        ({"url": "http://127.0.0.1:9/", "events": []}, "events", "Choose at least one"),
        ({"url": "http://127.0.0.1:9/", "events": ["claim.eaten"]}, "events", "not an event"),
        ({"url": "http://127.0.0.1:9/", "events": [3]}, "events", "not an event"),
        (
            {"url": "http://127.0.0.1:9/", "events": ["claim.approved"], "description": "d" * 201},
            "description",
            "longer than 200",
        ),
        (
            {"url": "http://127.0.0.1:9/", "events": ["claim.approved"], "secret": "x"},
            None,
            "Unknown fields: secret",
        ),  # fmt: skip
        (["not", "an", "object"], None, "Send a JSON object"),
    ],
)
def test_bad_subscriptions_are_refused_with_a_reason_and_nothing_is_written(
    staff_api, body, field, message
):
    answer = staff_api.post(LIST, body, format="json")
    assert answer.status_code == 400
    payload = answer.json()
    assert message in payload["detail"]
    if field:
        assert message in payload[field][0]
    assert not WebhookSubscription.objects.exists()


def test_a_bad_change_changes_nothing(staff_api, staff):
    subscription = webhook_subscription_create(
        user=staff, url="http://127.0.0.1:9/cms", events=["claim.approved"]
    )
    url = f"{LIST}{subscription.pk}/"
    for body in (
        {"events": []},
        {"url": "http://192.168.1.1/"},
        {"is_active": "yes"},
        {"colour": "red"},
    ):
        assert staff_api.patch(url, body, format="json").status_code == 400, body
    subscription.refresh_from_db()
    assert subscription.events == ["claim.approved"] and subscription.is_active
    assert subscription.url == "http://127.0.0.1:9/cms"


def test_editors_and_reviewers_are_refused_everything(editor, reviewer, staff, settings):
    settings.FACTCHECK_FETCH_ALLOW_LOOPBACK = True
    subscription = webhook_subscription_create(
        user=staff, url="http://127.0.0.1:9/cms", events=["claim.approved"]
    )
    for user in (editor, reviewer):
        api = token_client(user)
        assert api.get(LIST).status_code == 403
        refused = api.post(LIST, {"url": "http://127.0.0.1:9/", "events": ["claim.approved"]})
        assert refused.status_code == 403
        assert "Only staff" in refused.json()["detail"]
        assert api.get(f"{LIST}{subscription.pk}/").status_code == 403
    assert WebhookSubscription.objects.count() == 1


def test_the_delivery_log_and_send_again(
    staff_api, staff, in_review, reviewer, django_assert_max_num_queries
):
    subscription = webhook_subscription_create(
        user=staff, url="http://127.0.0.1:9/cms", events=["claim.approved"]
    )
    claim_approve(claim=in_review, reviewer=reviewer)
    delivery = WebhookDelivery.objects.get()
    for number in (1, 2):
        WebhookAttempt.objects.create(
            delivery=delivery, number=number, attempted_at=delivery.created_at,
            response_status=500, error="The receiver answered 500.", duration_ms=3,
        )  # fmt: skip
    url = f"{LIST}{subscription.pk}/deliveries/"
    with django_assert_max_num_queries(6):
        log = staff_api.get(url).json()["results"]
    assert [a["response_status"] for a in log[0]["attempts"]] == [500, 500]
    assert log[0]["event"] == "claim.approved" and log[0]["message_id"].startswith("msg_")

    delivery_jobs = DBTaskResult.objects.filter(task_path__endswith=".deliver_webhook")
    jobs = delivery_jobs.count()
    again = staff_api.post(f"/api/v1/webhook-deliveries/{delivery.pk}/send-again")
    assert again.status_code == 202
    assert again.json()["status"] == "pending"
    assert delivery_jobs.count() == jobs + 1


def test_the_delivery_log_reads_a_constant_number_of_queries(
    staff_api, staff, django_assert_max_num_queries
):
    subscription = webhook_subscription_create(
        user=staff, url="http://127.0.0.1:9/cms", events=["claim.approved"]
    )
    for n in range(15):
        delivery = WebhookDelivery.objects.create(
            subscription=subscription, message_id=f"msg_{n}", event="claim.approved", payload={}
        )
        WebhookAttempt.objects.create(
            delivery=delivery, number=1, attempted_at=delivery.created_at, response_status=204,
            duration_ms=1, requested_by=staff,
        )  # fmt: skip
    with django_assert_max_num_queries(6):
        answer = staff_api.get(f"{LIST}{subscription.pk}/deliveries/")
    assert len(answer.json()["results"]) == 15


def test_unknown_subscriptions_and_deliveries_are_404(staff_api):
    assert staff_api.get(f"{LIST}999999/").status_code == 404
    assert staff_api.get(f"{LIST}999999/deliveries/").status_code == 404
    assert staff_api.post("/api/v1/webhook-deliveries/999999/send-again").status_code == 404
