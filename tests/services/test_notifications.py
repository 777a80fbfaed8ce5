"""Notifications (issue 16): who is told what, never the actor, nothing for a rollback,
e-mail by preference through a job."""

from __future__ import annotations

import pytest
from django.core import mail
from django.db import transaction
from django_tasks_db.models import DBTaskResult

from annotations.models import Notification, NotificationKind
from annotations.services.assignments import assignment_add
from annotations.services.claims import comment_add
from annotations.services.errors import InvalidInput
from annotations.services.notifications import (
    notification_email_send,
    notification_preference_set,
    notifications_mark_read,
    unread_count,
)
from annotations.services.reanchor import claim_anchor_manually
from annotations.services.workflow import (
    claim_approve,
    claim_reject,
    claim_reopen,
    claim_request_changes,
)
from tests.jobs.conftest import run_worker_batch

pytestmark = pytest.mark.django_db

EMAIL_JOB = "annotations.tasks.email_notification"


def kinds_for(user) -> list[str]:
    return list(Notification.objects.filter(recipient=user).values_list("kind", flat=True))


def email_jobs():
    return DBTaskResult.objects.filter(task_path=EMAIL_JOB)


def test_assigned_to_you(draft, editor, reviewer):
    assignment_add(user=editor, person=reviewer, role="reviewer", claim=draft)
    note = Notification.objects.get()
    assert (note.recipient, note.kind, note.actor) == (reviewer, "assigned", editor)
    assert (note.claim_id, note.article_id) == (draft.pk, draft.article_id)
    assert note.text.startswith("ed assigned you as reviewer of the claim “")


def test_not_when_you_assign_yourself(draft, demo_article, reviewer):
    assignment_add(user=reviewer, person=reviewer, role="reviewer", claim=draft)
    assignment_add(user=reviewer, person=reviewer, role="editor", article=demo_article)
    assert not Notification.objects.exists()


@pytest.mark.parametrize(
    ("decide", "kind"),
    [
        (lambda c, r: claim_request_changes(claim=c, reviewer=r, comment="Add a source."),
         "changes_requested"),
        (lambda c, r: claim_approve(claim=c, reviewer=r), "approved"),
        (lambda c, r: claim_reject(claim=c, reviewer=r, comment="Not checkable."), "rejected"),
    ],
)  # fmt: skip
def test_a_decision_tells_the_creator_and_the_assigned_editors(
    in_review, editor, editor2, reviewer, decide, kind
):
    assignment_add(user=reviewer, person=editor2, role="editor", claim=in_review)
    assignment_add(user=reviewer, person=reviewer, role="reviewer", claim=in_review)
    Notification.objects.all().delete()
    decide(in_review, reviewer)
    assert kinds_for(editor) == [kind]
    assert kinds_for(editor2) == [kind]
    assert kinds_for(reviewer) == []  # never the actor, though assigned
    assert "rev" in Notification.objects.filter(recipient=editor).get().text


def test_reopening_an_approved_claim_is_changes_requested(in_review, editor, reviewer):
    claim = claim_approve(claim=in_review, reviewer=reviewer)
    claim_reopen(claim=claim, reviewer=reviewer, comment="A new figure came out.")
    assert kinds_for(editor) == ["changes_requested", "approved"]


def test_a_comment_tells_the_claims_people_but_not_its_author(draft, editor, editor2, reviewer):
    comment_add(claim=draft, user=editor, body="My own note.")
    assert not Notification.objects.exists()
    comment_add(claim=draft, user=reviewer, body="Which hospital?")
    assert kinds_for(editor) == ["comment"]
    assert kinds_for(reviewer) == []


def test_a_claim_you_approved_changed_after_publication(in_review, editor, reviewer):
    claim = claim_approve(claim=in_review, reviewer=reviewer)
    Notification.objects.all().delete()
    revision = claim.article.current_revision
    start = revision.text.index("five times")
    claim_anchor_manually(
        claim=claim,
        user=editor,
        selector={"start": start, "end": start + len("five times")},
        version=claim.version,
    )
    note = Notification.objects.get()
    assert (note.recipient, note.kind) == (reviewer, NotificationKind.CHANGED_AFTER_PUBLICATION)
    assert "ed anchored it on other words" in note.text


def test_a_new_revision_that_changes_an_approved_claim_tells_its_approver(
    demo_article, editor, reviewer, verdicts, demo_text
):
    from tests.services.test_reanchor import TYPO, approved, load_edit

    approved(demo_article, editor, reviewer, verdicts, TYPO)
    Notification.objects.all().delete()
    load_edit(demo_article, editor, demo_text)
    note = Notification.objects.get()
    assert (note.recipient, note.kind) == (reviewer, "changed_after_publication")
    assert "revision 2" in note.text


def test_a_rolled_back_change_leaves_no_notification_no_job_no_mail(draft, editor, reviewer):
    notification_preference_set(user=reviewer, email=True)
    with pytest.raises(RuntimeError), transaction.atomic():
        assignment_add(user=editor, person=reviewer, role="reviewer", claim=draft)
        assert Notification.objects.count() == 1 and email_jobs().count() == 1
        raise RuntimeError("the request failed after the assignment")
    assert not Notification.objects.exists()
    assert not email_jobs().exists()
    run_worker_batch()
    assert mail.outbox == []


def test_email_goes_by_preference_through_a_job_once(draft, editor, reviewer, editor2):
    assignment_add(user=editor, person=editor2, role="editor", claim=draft)
    assert not email_jobs().exists()  # e-mail is off by default
    notification_preference_set(user=reviewer, email=True)
    assignment_add(user=editor, person=reviewer, role="reviewer", claim=draft)
    assert email_jobs().count() == 1
    assert mail.outbox == []  # not before the worker runs it
    run_worker_batch()
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["rev@newsroom.test"]
    assert "Assigned to you" in message.subject
    assert f"/articles/{draft.article_id}/?claim={draft.pk}" in message.body
    # Run again (a job may run twice): sent once.
    assert notification_email_send(Notification.objects.get(recipient=reviewer).pk) is False
    assert len(mail.outbox) == 1


def test_mark_read_touches_only_my_own(draft, editor, editor2, reviewer):
    assignment_add(user=editor, person=reviewer, role="reviewer", claim=draft)
    assignment_add(user=editor, person=editor2, role="editor", claim=draft)
    mine = Notification.objects.get(recipient=reviewer)
    theirs = Notification.objects.get(recipient=editor2)
    assert notifications_mark_read(user=reviewer, ids=[mine.pk, theirs.pk]) == 1
    theirs.refresh_from_db()
    assert theirs.read_at is None
    assert unread_count(reviewer) == 0 and unread_count(editor2) == 1
    assert notifications_mark_read(user=editor2, everything=True) == 1
    assert notifications_mark_read(user=editor2, everything=True) == 0


@pytest.mark.parametrize("ids", [[], "1", [True], ["x"], [0], None])
def test_mark_read_refuses_a_bad_list(reviewer, ids):
    with pytest.raises(InvalidInput):
        notifications_mark_read(user=reviewer, ids=ids)
