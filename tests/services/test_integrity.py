"""Integrity under pressure (issue 11): a step lands only on the version the person saw,
four eyes counts everyone who changed the check in the round, a claim is created once per
idempotency key, and the same text cannot become two articles. The concurrent cases (real
transactions in threads) are in tests/test_concurrency.py."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import transaction

from annotations.models import Article, Claim, ClaimStatus, IdempotencyKey, Review
from annotations.selectors.history import ClaimEvent
from annotations.services.articles import article_load
from annotations.services.claims import (
    claim_create,
    claim_create_once,
    claim_update,
    source_attach,
)
from annotations.services.errors import (
    DuplicateArticle,
    DuplicateRequest,
    InvalidInput,
    NotAllowed,
    StaleVersion,
)
from annotations.services.workflow import (
    claim_approve,
    claim_request_changes,
    claim_submit,
    claim_transition,
)
from tests.factories import QUOTE

# --- 2. A step carries the version the person saw -----------------------------------------


def _sent_back_and_changed(in_review, editor, reviewer2):
    """The issue's story: the claim is sent back, its verdict changed, and resubmitted."""
    back = claim_request_changes(claim=in_review, reviewer=reviewer2, comment="Check again.")
    changed = claim_update(claim=back, user=editor, version=back.version, verdict="true")
    return claim_submit(claim=changed, user=editor)


def test_an_approve_on_a_version_the_reviewer_never_saw_is_refused(
    in_review, editor, reviewer, reviewer2
):
    seen = in_review.version  # the reviewer read verdict "Mostly true"
    resubmitted = _sent_back_and_changed(in_review, editor, reviewer2)
    events = ClaimEvent.objects.filter(pgh_obj_id=in_review.pk).count()
    with pytest.raises(StaleVersion) as info:
        claim_approve(claim=resubmitted, reviewer=reviewer, version=seen)
    error = info.value
    assert error.status == 409
    assert f"version {seen} → {resubmitted.version}" in error.message
    assert "verdict: “Mostly true” → “True”" in error.message
    assert error.extra["changes"] == {"verdict": ["Mostly true", "True"]}
    assert error.extra["current_version"] == resubmitted.version
    fresh = Claim.objects.get(pk=in_review.pk)
    assert (fresh.status, fresh.version) == (ClaimStatus.IN_REVIEW, resubmitted.version)
    assert ClaimEvent.objects.filter(pgh_obj_id=in_review.pk).count() == events
    assert not Review.objects.filter(claim=in_review, decision="approved").exists()


@pytest.mark.parametrize("step", ["approve", "request_changes", "reject"])
def test_every_review_step_checks_the_version(in_review, editor, reviewer, reviewer2, step):
    seen = in_review.version
    resubmitted = _sent_back_and_changed(in_review, editor, reviewer2)
    reviews = Review.objects.filter(claim=in_review).count()
    with pytest.raises(StaleVersion, match="changed since you read it"):
        claim_transition(
            claim=resubmitted, user=reviewer, step=step, comment="Because.", version=seen
        )
    assert Review.objects.filter(claim=in_review).count() == reviews


def test_a_step_on_the_version_read_goes_through(in_review, editor, reviewer, reviewer2):
    resubmitted = _sent_back_and_changed(in_review, editor, reviewer2)
    approved = claim_approve(claim=resubmitted, reviewer=reviewer, version=resubmitted.version)
    assert approved.status == ClaimStatus.APPROVED


def test_a_version_that_is_not_a_number_is_refused(in_review, reviewer):
    with pytest.raises(InvalidInput, match="whole number"):
        claim_approve(claim=in_review, reviewer=reviewer, version="three")
    assert Claim.objects.get(pk=in_review.pk).status == ClaimStatus.IN_REVIEW


# --- 3. Four eyes: everyone who changed the check in this round ---------------------------


def test_a_reviewer_who_rewrote_the_verdict_cannot_approve_after_an_editor_adds_a_source(
    in_review, editor, reviewer, reviewer2
):
    back = claim_request_changes(claim=in_review, reviewer=reviewer2, comment="Wrong verdict.")
    # The reviewer (who may edit) rewrites the verdict; then the editor adds one source, so
    # the reviewer is no longer the last editor.
    rewritten = claim_update(claim=back, user=reviewer, version=back.version, verdict="false")
    source_attach(claim=rewritten, user=editor, title="Court record")
    claim = claim_submit(claim=Claim.objects.get(pk=back.pk), user=editor)
    assert claim.updated_by == editor
    with pytest.raises(NotAllowed, match="four eyes"):
        claim_approve(claim=claim, reviewer=reviewer)
    assert Claim.objects.get(pk=claim.pk).status == ClaimStatus.IN_REVIEW
    # Someone who changed nothing may.
    assert claim_approve(claim=claim, reviewer=reviewer2).status == ClaimStatus.APPROVED


def test_a_source_added_by_a_reviewer_counts_even_after_someone_else_edits(
    in_review, editor, reviewer, reviewer2
):
    back = claim_request_changes(claim=in_review, reviewer=reviewer2, comment="More sources.")
    source_attach(claim=back, user=reviewer, title="Second source")
    current = Claim.objects.get(pk=back.pk)
    claim_update(claim=current, user=editor, version=current.version, claimant="The Pentagon")
    claim = claim_submit(claim=Claim.objects.get(pk=back.pk), user=editor)
    with pytest.raises(NotAllowed, match="four eyes"):
        claim_approve(claim=claim, reviewer=reviewer)


def test_a_new_round_starts_when_the_claim_is_sent_back(in_review, editor, reviewer, reviewer2):
    back = claim_request_changes(claim=in_review, reviewer=reviewer2, comment="Fix it.")
    mine = claim_update(claim=back, user=reviewer, version=back.version, verdict="false")
    claim = claim_submit(claim=mine, user=editor)
    # Round two: reviewer2 sends it back again; only the editor changes it this time.
    back2 = claim_request_changes(claim=claim, reviewer=reviewer2, comment="Explain more.")
    assert back2.round_editors == []
    fixed = claim_update(
        claim=back2, user=editor, version=back2.version, explanation="Six wounds, per records."
    )
    claim = claim_submit(claim=fixed, user=editor)
    # The reviewer's verdict edit was in the round reviewer2 reviewed and sent back.
    assert claim_approve(claim=claim, reviewer=reviewer).status == ClaimStatus.APPROVED


# --- 5. Idempotent claim creation -----------------------------------------------------------


def test_the_same_key_twice_creates_one_claim(demo_article, editor):
    first, replayed = claim_create_once(
        article=demo_article, user=editor, selector={"exact": QUOTE}, idempotency_key="k-1"
    )
    assert not replayed
    again, replayed = claim_create_once(
        article=demo_article, user=editor, selector={"exact": QUOTE}, idempotency_key="k-1"
    )
    assert replayed and again.pk == first.pk
    assert Claim.objects.filter(article=demo_article).count() == 1
    assert IdempotencyKey.objects.get().claim_id == first.pk


def test_keys_are_scoped_per_user(demo_article, editor, editor2):
    one = claim_create(
        article=demo_article, user=editor, selector={"exact": QUOTE}, idempotency_key="same"
    )
    two = claim_create(
        article=demo_article, user=editor2, selector={"exact": QUOTE}, idempotency_key="same"
    )
    assert one.pk != two.pk


def test_a_key_reused_for_other_input_is_refused_and_creates_nothing(demo_article, editor):
    claim_create(
        article=demo_article, user=editor, selector={"exact": QUOTE}, idempotency_key="k-2"
    )
    with pytest.raises(DuplicateRequest, match="already used for a different claim") as info:
        claim_create(
            article=demo_article,
            user=editor,
            selector={"exact": QUOTE},
            statement="Something else",
            idempotency_key="k-2",
        )
    assert info.value.status == 422
    assert Claim.objects.filter(article=demo_article).count() == 1


@pytest.mark.parametrize("key", ["x" * 256, "tab\there", "   ", "ключ"])
def test_a_malformed_key_is_refused_and_creates_nothing(demo_article, editor, key):
    with pytest.raises(InvalidInput, match="Idempotency-Key must be 1 to 255"):
        claim_create(
            article=demo_article, user=editor, selector={"exact": QUOTE}, idempotency_key=key
        )
    assert not Claim.objects.filter(article=demo_article).exists()
    assert not IdempotencyKey.objects.exists()


def test_a_retry_after_the_first_attempt_died_creates_the_claim_once(demo_article, editor):
    # The worker died mid-request: its transaction rolled back, key and claim with it.
    with pytest.raises(RuntimeError), transaction.atomic():
        claim_create(
            article=demo_article, user=editor, selector={"exact": QUOTE}, idempotency_key="k-3"
        )
        raise RuntimeError("worker killed")
    assert not Claim.objects.filter(article=demo_article).exists()
    claim = claim_create(
        article=demo_article, user=editor, selector={"exact": QUOTE}, idempotency_key="k-3"
    )
    again = claim_create(
        article=demo_article, user=editor, selector={"exact": QUOTE}, idempotency_key="k-3"
    )
    assert again.pk == claim.pk
    assert Claim.objects.filter(article=demo_article).count() == 1


def test_a_key_is_forgotten_after_a_day(demo_article, editor):
    first = claim_create(
        article=demo_article, user=editor, selector={"exact": QUOTE}, idempotency_key="k-4"
    )
    IdempotencyKey.objects.update(created_at=first.created_at - timedelta(hours=25))
    second = claim_create(
        article=demo_article, user=editor, selector={"exact": QUOTE}, idempotency_key="k-4"
    )
    assert second.pk != first.pk
    assert IdempotencyKey.objects.get().claim_id == second.pk


# --- 5. Text duplicates are impossible in the database -------------------------------------


def test_the_database_refuses_a_second_article_with_the_same_first_text(demo_article):
    from django.db import IntegrityError

    twin = Article(
        title="Twin",
        created_by=demo_article.created_by,
        first_content_hash=demo_article.first_content_hash,
    )
    assert demo_article.first_content_hash == demo_article.current_revision.content_hash
    with pytest.raises(IntegrityError), transaction.atomic():
        twin.save()


def test_loading_the_same_text_again_answers_with_the_existing_id(demo_article, editor, demo_text):
    with pytest.raises(DuplicateArticle) as info:
        article_load(user=editor, text=demo_text)
    assert info.value.as_dict()["existing_id"] == demo_article.pk
    assert Article.objects.count() == 1


# --- 4. One retry when PostgreSQL breaks a deadlock ----------------------------------------


class _Deadlock(Exception):
    pgcode = "40P01"


def _deadlock_error() -> Exception:
    from django.db import OperationalError

    error = OperationalError("deadlock detected")
    error.__cause__ = _Deadlock()
    return error


def test_a_deadlocked_service_is_retried_once_when_it_is_the_whole_transaction():
    from annotations.services.locks import retry_deadlock_once

    calls = []

    @retry_deadlock_once
    def service():
        calls.append(1)
        if len(calls) == 1:
            raise _deadlock_error()
        return "done"

    assert service() == "done" and len(calls) == 2


def test_a_second_deadlock_and_other_errors_are_not_retried():
    from django.db import OperationalError

    from annotations.services.locks import retry_deadlock_once

    calls = []

    @retry_deadlock_once
    def always_deadlocks():
        calls.append(1)
        raise _deadlock_error()

    with pytest.raises(OperationalError):
        always_deadlocks()
    assert len(calls) == 2

    @retry_deadlock_once
    def other_error():
        calls.append(1)
        raise OperationalError("connection lost")

    with pytest.raises(OperationalError):
        other_error()
    assert len(calls) == 3


def test_inside_an_outer_transaction_a_deadlock_is_not_retried(db):
    from django.db import OperationalError

    from annotations.services.locks import retry_deadlock_once

    calls = []

    @retry_deadlock_once
    def service():
        calls.append(1)
        raise _deadlock_error()

    with pytest.raises(OperationalError), transaction.atomic():
        service()
    assert len(calls) == 1
