"""Webhooks: tell a CMS when a check is approved, reopened or changes, signed and at least once.

- **Signed per the Standard Webhooks specification** (the `standardwebhooks` package):
  ``webhook-id`` (the delivery's message id, the same on every attempt so a receiver can
  drop a repeat), ``webhook-timestamp`` and ``webhook-signature`` over id, timestamp and body.
- **Never for a rolled-back change**: `webhooks_emit` writes the deliveries and enqueues
  their jobs in the transaction of the change (the job queue lives in PostgreSQL), so a
  rollback takes both away.
- **At least once**: each attempt is logged (`WebhookAttempt`); a failure schedules the next
  try after `retry_schedule()` seconds (Standard Webhooks' own suggestion by default: 5 s,
  5 min, 30 min, 2 h, 5 h, 10 h, 10 h), then the delivery is marked failed. Staff can
  "send again" at any time. The schedule lives here rather than in the queue's generic
  retries because every try is part of the delivery log a person reads.
- **Receivers pass the article fetcher's SSRF rules**, when the subscription is saved and
  again at every send (DNS can change): loopback only under FACTCHECK_FETCH_ALLOW_LOOPBACK.
"""

from __future__ import annotations

import base64
import datetime
import json
import secrets
import time
import uuid
from collections.abc import Callable, Iterable
from typing import Any

import pghistory
from django.conf import settings
from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone
from django_tasks import task

from annotations import ingest
from annotations.ingest.send import elapsed_ms, post_json, vet_url
from annotations.models import (
    Article,
    ArticleRevision,
    Claim,
    DeliveryStatus,
    WebhookAttempt,
    WebhookDelivery,
    WebhookEvent,
    WebhookSubscription,
)
from annotations.services.errors import InvalidInput, NotAllowed, WorkflowError
from annotations.site import public_base_url

#: Standard Webhooks' suggested schedule after the first try, in seconds.
DEFAULT_RETRY_SECONDS = (5, 5 * 60, 30 * 60, 2 * 3600, 5 * 3600, 10 * 3600, 10 * 3600)
DESCRIPTION_MAX = 200
MANAGE_REFUSED = "Only staff may manage webhooks (they send the newsroom's work to other servers)."


def retry_schedule() -> tuple[float, ...]:
    """Seconds to wait before each retry; tests shorten it with the setting."""
    return tuple(getattr(settings, "FACTCHECK_WEBHOOK_RETRY_SECONDS", DEFAULT_RETRY_SECONDS))


def may_manage_webhooks(user: Any) -> bool:
    """Staff only: a subscription sends what the newsroom writes to a server of their choice."""
    return bool(user is not None and user.is_authenticated and user.is_active and user.is_staff)


def _require_staff(user: Any) -> None:
    if not may_manage_webhooks(user):
        raise NotAllowed(MANAGE_REFUSED)


def _allow_loopback() -> bool:
    return bool(settings.FACTCHECK_FETCH_ALLOW_LOOPBACK)


def new_secret() -> str:
    """A Standard Webhooks secret: ``whsec_`` and 32 random bytes in base64."""
    return "whsec_" + base64.b64encode(secrets.token_bytes(32)).decode("ascii")


def _clean_url(value: Any) -> str:
    if not isinstance(value, str):
        raise InvalidInput("Enter the receiver's web address (https://…).", field="url")
    if len(value) > 2000:
        raise InvalidInput("The web address is longer than 2,000 characters.", field="url")
    try:
        return vet_url(value, allow_loopback=_allow_loopback())
    except ingest.IngestError as exc:
        message = exc.message.replace(
            "which factcheck does not fetch from", "which factcheck does not send to"
        )
        raise InvalidInput(message, field="url") from exc


def _clean_events(value: Any) -> list[str]:
    known = ", ".join(WebhookEvent.values)
    if isinstance(value, str):
        value = [part.strip() for part in value.split(",") if part.strip()]
    if not isinstance(value, (list, tuple)) or not value:
        raise InvalidInput(f"Choose at least one event: {known}.", field="events")
    events: list[str] = []
    for event in value:
        if not isinstance(event, str) or event not in WebhookEvent.values:
            raise InvalidInput(f"“{event}” is not an event; events are {known}.", field="events")
        if event not in events:
            events.append(event)
    return events


def _clean_description(value: Any) -> str:
    if value is None:
        return ""
    if not isinstance(value, str):
        raise InvalidInput("The description must be text.", field="description")
    value = value.strip()
    if len(value) > DESCRIPTION_MAX:
        raise InvalidInput(
            f"The description is longer than {DESCRIPTION_MAX} characters.", field="description"
        )
    return value


@transaction.atomic
def webhook_subscription_create(
    *, user: User, url: Any, events: Any, description: Any = "", is_active: bool = True
) -> WebhookSubscription:
    """Subscribe a receiver. Its secret is generated here and shown to staff."""
    _require_staff(user)
    events, description = _clean_events(events), _clean_description(description)
    subscription = WebhookSubscription(
        url=_clean_url(url),  # last: it resolves the host name
        events=events,
        description=description,
        is_active=bool(is_active),
        secret=new_secret(),
        created_by=user if getattr(user, "pk", None) else None,
    )
    with pghistory.context(user=user.pk, action="webhook_subscribe"):
        subscription.save()
    return subscription


@transaction.atomic
def webhook_subscription_update(
    *, subscription: WebhookSubscription, user: User, **fields: Any
) -> WebhookSubscription:
    """Change a subscription; ``rotate_secret=True`` issues a new secret (the old one stops
    verifying at once: the receiver must be given the new one)."""
    _require_staff(user)
    unknown = set(fields) - {"url", "events", "description", "is_active", "rotate_secret"}
    if unknown:
        raise InvalidInput(f"Unknown fields: {', '.join(sorted(unknown))}.")
    current = WebhookSubscription.objects.select_for_update().get(pk=subscription.pk)
    if "url" in fields:
        current.url = _clean_url(fields["url"])
    if "events" in fields:
        current.events = _clean_events(fields["events"])
    if "description" in fields:
        current.description = _clean_description(fields["description"])
    if "is_active" in fields:
        if not isinstance(fields["is_active"], bool):
            raise InvalidInput("is_active must be true or false.", field="is_active")
        current.is_active = fields["is_active"]
    if fields.get("rotate_secret"):
        current.secret = new_secret()
    with pghistory.context(user=user.pk, action="webhook_update"):
        current.save()
    return current


@transaction.atomic
def webhook_subscription_delete(*, subscription: WebhookSubscription, user: User) -> None:
    """Unsubscribe; its delivery log goes with it."""
    _require_staff(user)
    with pghistory.context(user=user.pk, action="webhook_delete"):
        subscription.delete()


# --- Events ---------------------------------------------------------------------------------


def claim_event_data(claim: Claim) -> dict[str, Any]:
    """What a receiver is told about a claim: enough to decide whether to fetch the rest."""
    base = public_base_url()
    verdict = claim.verdict
    return {
        "claim": {
            "id": claim.pk,
            "article_id": claim.article_id,
            "status": claim.status,
            "version": claim.version,
            "statement": claim.statement,
            "quote": claim.exact,
            "claimant": claim.claimant,
            "verdict": {"slug": verdict.slug, "label": verdict.label} if verdict else None,
            "url": f"{base}/api/v1/claims/{claim.pk}/",
            "public_url": f"{base}/articles/{claim.article_id}/public/#claim-{claim.pk}",
        }
    }


def revision_event_data(
    article: Article, revision: ArticleRevision, **extra: Any
) -> dict[str, Any]:
    """What a receiver is told about a new revision of an article."""
    base = public_base_url()
    return {
        "article": {
            "id": article.pk,
            "title": article.title,
            "url": article.url,
            "api_url": f"{base}/api/v1/articles/{article.pk}/",
        },
        "revision": {"number": revision.number, "created_at": _iso(revision.created_at)},
        **extra,
    }


def _iso(value: datetime.datetime | None) -> str | None:
    return value.isoformat().replace("+00:00", "Z") if value else None


def webhooks_emit(event: str, data: Callable[[], dict[str, Any] | Iterable[dict[str, Any]]]) -> int:
    """Queue ``event`` for every active subscription that wants it, in this transaction.

    ``data`` builds one payload's data, or several (one message each); it is called only
    when someone subscribed, so an approval nobody listens to costs one query.
    Otherwise: one insert of the deliveries and one job per delivery.
    """
    if event not in WebhookEvent.values:
        raise ValueError(f"unknown webhook event {event!r}")
    subscriptions = list(
        WebhookSubscription.objects.filter(is_active=True, events__contains=[event]).only("id")
    )
    if not subscriptions:
        return 0
    built = data()
    items = [built] if isinstance(built, dict) else list(built)
    now = timezone.now()
    deliveries = [
        WebhookDelivery(
            subscription=subscription,
            message_id=f"msg_{uuid.uuid4().hex}",
            event=event,
            payload={"type": event, "timestamp": _iso(now), "data": item},
            next_attempt_at=now,
        )
        for item in items
        for subscription in subscriptions
    ]
    WebhookDelivery.objects.bulk_create(deliveries)
    for delivery in deliveries:
        deliver_webhook.enqueue(delivery.pk)
    return len(deliveries)


# --- Delivery -------------------------------------------------------------------------------


def signed_headers(delivery: WebhookDelivery, body: str, secret: str) -> dict[str, str]:
    """The three Standard Webhooks headers for ``body``, signed now."""
    from standardwebhooks.webhooks import Webhook

    sent_at = datetime.datetime.now(tz=datetime.UTC)
    signature = Webhook(secret).sign(delivery.message_id, sent_at, body)
    return {
        "webhook-id": delivery.message_id,
        "webhook-timestamp": str(int(sent_at.timestamp())),
        "webhook-signature": signature,
    }


def _next_number(delivery_id: int, *, manual: bool) -> tuple[WebhookDelivery, int] | None:
    """Claim the next attempt number (a short lock); None when there is nothing to send."""
    with transaction.atomic():
        delivery = (
            WebhookDelivery.objects.select_for_update()
            .select_related("subscription")
            .filter(pk=delivery_id)
            .first()
        )
        if delivery is None:
            return None  # the subscription was deleted meanwhile
        if not manual and delivery.status != DeliveryStatus.PENDING:
            return None  # delivered by "send again", or given up
        delivery.attempt_count += 1
        delivery.status = DeliveryStatus.PENDING
        delivery.next_attempt_at = None
        delivery.save(update_fields=["attempt_count", "status", "next_attempt_at"])
        return delivery, delivery.attempt_count


def webhook_deliver(delivery_id: int, *, requested_by: User | None = None) -> WebhookAttempt | None:
    """Send one delivery once and log the attempt; schedule the next try on failure.

    The POST happens outside any transaction (a slow receiver holds no lock); the attempt
    number is taken first under a row lock, so two sends never share a number.
    """
    manual = requested_by is not None
    claimed = _next_number(delivery_id, manual=manual)
    if claimed is None:
        return None
    delivery, number = claimed
    subscription = delivery.subscription
    body = json.dumps(delivery.payload, ensure_ascii=False, separators=(",", ":"))
    started = time.perf_counter()
    status: int | None = None
    error = ""
    try:
        if not subscription.is_active:
            raise ingest.FetchError("The subscription is paused; nothing was sent.")
        sent = post_json(
            subscription.url,
            body.encode("utf-8"),
            signed_headers(delivery, body, subscription.secret),
            allow_loopback=_allow_loopback(),
            connect_timeout=float(getattr(settings, "FACTCHECK_WEBHOOK_CONNECT_TIMEOUT", 5)),
            read_timeout=float(getattr(settings, "FACTCHECK_WEBHOOK_READ_TIMEOUT", 10)),
        )
        status = sent.status
        if not sent.ok:
            error = f"The receiver answered {sent.status} {sent.reason}".strip() + "."
    except ingest.IngestError as exc:
        error = exc.message
    duration = elapsed_ms(started)
    now = timezone.now()
    schedule = retry_schedule()
    with transaction.atomic():
        attempt = WebhookAttempt.objects.create(
            delivery=delivery,
            number=number,
            attempted_at=now,
            response_status=status,
            error=error[:500],
            duration_ms=duration,
            requested_by=requested_by if getattr(requested_by, "pk", None) else None,
        )
        fields: dict[str, Any]
        if not error:
            fields = {
                "status": DeliveryStatus.DELIVERED,
                "delivered_at": now,
                "next_attempt_at": None,
            }
        elif number <= len(schedule) and subscription.is_active:
            wait = datetime.timedelta(seconds=schedule[number - 1])
            fields = {"status": DeliveryStatus.PENDING, "next_attempt_at": now + wait}
            deliver_webhook.using(run_after=now + wait).enqueue(delivery.pk)
        else:
            fields = {"status": DeliveryStatus.FAILED, "next_attempt_at": None}
        # Only if no later attempt already decided (a "send again" racing a retry).
        WebhookDelivery.objects.filter(pk=delivery.pk, attempt_count=number).update(**fields)
    return attempt


@transaction.atomic
def webhook_send_again(*, delivery: WebhookDelivery, user: User) -> WebhookDelivery:
    """Queue one more try now, whatever the delivery's state (staff's "send again")."""
    _require_staff(user)
    current = WebhookDelivery.objects.select_for_update().get(pk=delivery.pk)
    if not WebhookSubscription.objects.filter(pk=current.subscription_id, is_active=True).exists():
        raise WorkflowError("The subscription is paused; resume it before sending again.")
    current.status = DeliveryStatus.PENDING
    current.next_attempt_at = timezone.now()
    current.save(update_fields=["status", "next_attempt_at"])
    deliver_webhook.enqueue(current.pk, requested_by_id=user.pk)
    return current


@task()
def deliver_webhook(delivery_id: int, requested_by_id: int | None = None) -> int | None:
    """The queued job: one attempt at one delivery (see `webhook_deliver`)."""
    from django.contrib.auth import get_user_model

    requested_by = None
    if requested_by_id is not None:
        requested_by = get_user_model().objects.filter(pk=requested_by_id).first()
    attempt = webhook_deliver(delivery_id, requested_by=requested_by)
    return attempt.response_status if attempt else None
