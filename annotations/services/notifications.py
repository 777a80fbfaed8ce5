"""Notifications (issue 16): the bell, the list, "mark read", and e-mail by preference.

- **One creator.** Every notification is made by `notifications_create`, called by the
  service that makes the change, inside its transaction: a change that rolls back leaves
  no notification, no e-mail job and so no e-mail. Live updates hook this one function.
- **Never to the actor.** Whoever made the change is left out of its recipients (the
  database refuses it too: `notification_not_to_the_actor`).
- **E-mail by preference.** A person who turned e-mail on gets each notification by mail
  too: a job (`annotations.tasks.email_notification`) enqueued in the same transaction
  sends it through Django's e-mail backend (the console in development). The job is safe
  to run twice: it records `emailed_at` and sends once.

Who hears what (the helpers below): the person assigned (`assigned`); a claim's people —
its creator and its assigned editors — when it is sent back (request changes, reopen),
approved or rejected, and when someone else comments on it; the reviewer who approved a
claim, when its published words change (re-anchoring on a new revision, anchoring again).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.auth.models import User
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from annotations.models import (
    Assignment,
    AssignmentRole,
    Claim,
    Notification,
    NotificationKind,
    NotificationPreference,
)
from annotations.services.errors import InvalidInput
from annotations.site import public_base_url

#: The longest `Notification.text`.
TEXT_MAX = 300


@dataclass(frozen=True)
class Notice:
    """One notification to make: who gets it, what kind, the line it shows, and what
    it is about."""

    recipient_id: int
    kind: str
    text: str
    claim_id: int | None = None
    article_id: int | None = None


def _short(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= TEXT_MAX else text[: TEXT_MAX - 1] + "…"


def notifications_create(*, notices: Iterable[Notice], actor: User | None) -> list[Notification]:
    """Make the notifications, leaving out any to the actor and repeats; enqueue one e-mail
    job for each recipient who wants e-mail. Two queries (the rows, the preferences), plus
    one per job; none when nobody is left to tell. Call it inside the change's transaction.
    """
    seen: set[tuple[Any, ...]] = set()
    rows: list[Notification] = []
    for notice in notices:
        key = (notice.recipient_id, notice.kind, notice.claim_id, notice.article_id)
        if notice.recipient_id is None or key in seen:
            continue
        if actor is not None and notice.recipient_id == actor.pk:
            continue
        seen.add(key)
        rows.append(
            Notification(
                recipient_id=notice.recipient_id,
                kind=notice.kind,
                text=_short(notice.text),
                claim_id=notice.claim_id,
                article_id=notice.article_id,
                actor=actor,
            )
        )
    if not rows:
        return []
    Notification.objects.bulk_create(rows)
    wants_email = set(
        NotificationPreference.objects.filter(
            user_id__in={row.recipient_id for row in rows}, email=True
        ).values_list("user_id", flat=True)
    )
    if wants_email:
        from annotations.tasks import email_notification  # the task module imports this one

        for row in rows:
            if row.recipient_id in wants_email:
                email_notification.enqueue(row.pk)
    return rows


def _name(user: User | None) -> str:
    return user.get_username() if user is not None else "Someone"


def _quote(claim: Claim) -> str:
    words = claim.statement or claim.exact
    return f"“{words[:80]}{'…' if len(words) > 80 else ''}”"


def claim_people(claim: Claim) -> set[int]:
    """The people a claim belongs to: its creator and its assigned editors (one query)."""
    editors = Assignment.objects.filter(claim=claim, role=AssignmentRole.EDITOR).values_list(
        "person_id", flat=True
    )
    return {claim.created_by_id, *editors}


#: Workflow step → (kind, what the line says happened).
_DECISIONS = {
    "request_changes": (NotificationKind.CHANGES_REQUESTED, "requested changes on"),
    "reopen": (NotificationKind.CHANGES_REQUESTED, "reopened and sent back"),
    "approve": (NotificationKind.APPROVED, "approved"),
    "reject": (NotificationKind.REJECTED, "rejected"),
}


def notify_claim_decision(*, claim: Claim, actor: User, step: str) -> list[Notification]:
    """A reviewer decided on a claim: tell its people (not the reviewer)."""
    if step not in _DECISIONS:
        return []
    kind, did = _DECISIONS[step]
    text = f"{_name(actor)} {did} your claim {_quote(claim)}."
    return notifications_create(
        notices=[
            Notice(person, kind, text, claim_id=claim.pk, article_id=claim.article_id)
            for person in sorted(claim_people(claim))
        ],
        actor=actor,
    )


def notify_comment(*, claim: Claim, actor: User) -> list[Notification]:
    """Someone commented on a claim: tell its people (not the author of the comment)."""
    text = f"{_name(actor)} commented on your claim {_quote(claim)}."
    return notifications_create(
        notices=[
            Notice(person, NotificationKind.COMMENT, text, claim_id=claim.pk,
                   article_id=claim.article_id)
            for person in sorted(claim_people(claim))
        ],
        actor=actor,
    )  # fmt: skip


def notify_changed_after_publication(
    *, claims: Iterable[Claim], actor: User | None, why: str
) -> list[Notification]:
    """Approved claims changed after publication: tell the reviewer who approved each.
    `claims` must carry `reviewed_by_id` (no query per claim)."""
    return notifications_create(
        notices=[
            Notice(
                claim.reviewed_by_id,
                NotificationKind.CHANGED_AFTER_PUBLICATION,
                f"A claim you approved changed after publication ({why}) and is back in "
                f"review: {_quote(claim)}.",
                claim_id=claim.pk,
                article_id=claim.article_id,
            )
            for claim in claims
            if claim.reviewed_by_id is not None
        ],
        actor=actor,
    )


def notify_assigned(*, assignment: Assignment, actor: User, what: str) -> list[Notification]:
    """Someone was assigned to an article or a claim (not when they assigned themselves)."""
    text = f"{_name(actor)} assigned you as {assignment.get_role_display().lower()} of {what}."
    article_id = assignment.article_id
    if assignment.claim is not None:
        article_id = assignment.claim.article_id
    return notifications_create(
        notices=[
            Notice(
                assignment.person_id,
                NotificationKind.ASSIGNED,
                text,
                claim_id=assignment.claim_id,
                article_id=article_id,
            )
        ],
        actor=actor,
    )


# --- Reading them: mark read, preferences -----------------------------------------------


def _ids(value: Any) -> list[int]:
    if not isinstance(value, list | tuple) or not value:
        raise InvalidInput("Give `ids`, a list of notification ids, or `all`: true.", field="ids")
    ids: list[int] = []
    for item in value:
        if isinstance(item, bool) or not isinstance(item, int) or not 0 < item < 2**63:
            raise InvalidInput(f"Notification ids are whole numbers; got {item!r}.", field="ids")
        ids.append(item)
    if len(ids) > 1000:
        raise InvalidInput("Mark at most 1,000 notifications at once.", field="ids")
    return ids


@transaction.atomic
def notifications_mark_read(*, user: User, ids: Any = None, everything: bool = False) -> int:
    """Mark the person's notifications read: the ones in `ids`, or every unread one.
    Ids of other people's notifications (or unknown ones) are ignored: nobody can read or
    change another's. Answers how many were marked now (already read ones do not count)."""
    if everything and ids is not None:
        raise InvalidInput("Give `ids` or `all`, not both.")
    unread = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if not everything:
        unread = unread.filter(pk__in=_ids(ids))
    return unread.update(read_at=timezone.now())


def unread_count(user: Any) -> int:
    """The bell's number: one query (the partial unread index)."""
    if user is None or not getattr(user, "pk", None):
        return 0
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


@transaction.atomic
def notification_preference_set(*, user: User, email: Any) -> NotificationPreference:
    """Turn e-mail on or off for the person."""
    if not isinstance(email, bool):
        raise InvalidInput("`email` is true or false.", field="email")
    preference, _ = NotificationPreference.objects.update_or_create(
        user=user, defaults={"email": email}
    )
    return preference


def notification_preference(user: User) -> NotificationPreference:
    """The person's settings (the defaults when they never saved any); one query."""
    return NotificationPreference.objects.filter(user=user).first() or NotificationPreference(
        user=user
    )


# --- E-mail (the job's work) ------------------------------------------------------------


def notification_link(notification: Notification) -> str:
    """Where a notification leads: the claim in its workspace, or the article."""
    if notification.claim_id and notification.article_id:
        path = reverse("article_detail", args=[notification.article_id])
        return f"{path}?claim={notification.claim_id}"
    if notification.article_id:
        return reverse("article_detail", args=[notification.article_id])
    return reverse("notifications")


@transaction.atomic
def notification_email_send(notification_id: int) -> bool:
    """Send one notification by e-mail, once. False when there is nothing to send: the
    notification is gone or was already sent, the person has no address or turned e-mail
    off since."""
    notification = (
        Notification.objects.select_for_update(of=("self",))
        .select_related("recipient")
        .filter(pk=notification_id)
        .first()
    )
    if notification is None or notification.emailed_at is not None:
        return False
    recipient = notification.recipient
    if not recipient.email or not recipient.is_active:
        return False
    if not notification_preference(recipient).email:
        return False
    link = public_base_url() + notification_link(notification)
    send_mail(
        subject=f"[factcheck] {notification.get_kind_display()}",
        message=f"{notification.text}\n\n{link}\n\n"
        "You get these e-mails because you turned them on under Notifications → settings.",
        from_email=settings.DEFAULT_FROM_EMAIL,
        recipient_list=[recipient.email],
    )
    notification.emailed_at = timezone.now()
    notification.save(update_fields=["emailed_at"])
    return True
