"""Bulk review decisions (issue 16): one decision on many claims, the single-claim rules
applied to each claim (four eyes per claim), a result per claim, and nothing written when
the request as a whole is refused."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from annotations import limits
from annotations.models import (
    Claim,
    ClaimStatus,
    Review,
    WebhookDelivery,
    WebhookEvent,
)
from annotations.selectors.history import ClaimEvent
from annotations.services.claims import claim_update
from annotations.services.errors import InvalidInput, MissingForStep, NotAllowed
from annotations.services.webhooks import webhook_subscription_create
from annotations.services.workflow import claim_submit, claims_review_bulk
from tests.factories import make_claim

pytestmark = pytest.mark.django_db


def submitted(article, user, n=1) -> list[Claim]:
    return [claim_submit(claim=make_claim(article, user), user=user) for _ in range(n)]


def refs(*claims: Claim) -> list[tuple[int, int | None]]:
    return [(claim.pk, claim.version) for claim in claims]


def written() -> tuple[int, int, int]:
    """Reviews, history events and webhook deliveries: what a decision leaves behind."""
    return Review.objects.count(), ClaimEvent.objects.count(), WebhookDelivery.objects.count()


def test_reviewer_cannot_approve_own_claim_but_the_others_in_the_same_request_are_approved(
    demo_article, editor, reviewer
):
    first, second = submitted(demo_article, editor, 2)
    (own,) = submitted(demo_article, reviewer)

    results = claims_review_bulk(claims=refs(first, own, second), step="approve", reviewer=reviewer)

    assert [r.id for r in results] == [first.pk, own.pk, second.pk]
    assert [r.result for r in results] == ["done", "refused", "done"]
    assert results[0].status == ClaimStatus.APPROVED and results[0].version == first.version + 1
    assert results[1].code == "not_allowed" and results[1].http_status == 403
    assert "another reviewer must approve it (four eyes)" in results[1].detail
    statuses = dict(Claim.objects.values_list("pk", "status"))
    assert statuses == {
        first.pk: ClaimStatus.APPROVED,
        own.pk: ClaimStatus.IN_REVIEW,
        second.pk: ClaimStatus.APPROVED,
    }
    assert not Review.objects.filter(claim=own).exists()


def test_a_claim_the_reviewer_changed_this_round_is_refused_for_them_only(
    demo_article, editor, reviewer, reviewer2
):
    touched = make_claim(demo_article, editor)
    touched = claim_update(
        claim=touched, user=reviewer, version=touched.version, claimant="The ministry"
    )
    touched = claim_submit(claim=touched, user=editor)
    (other,) = submitted(demo_article, editor)

    mine = claims_review_bulk(claims=refs(touched, other), step="approve", reviewer=reviewer)
    assert [r.result for r in mine] == ["refused", "done"]
    assert mine[0].code == "not_allowed"

    theirs = claims_review_bulk(claims=refs(touched), step="approve", reviewer=reviewer2)
    assert [r.result for r in theirs] == ["done"]


def test_wrong_status_stale_version_unknown_and_incomplete_claims_are_refused_each_with_its_reason(
    demo_article, editor, reviewer
):
    ready, stale = submitted(demo_article, editor, 2)
    draft = make_claim(demo_article, editor)
    incomplete = claim_submit(claim=make_claim(demo_article, editor, ready=False), user=editor)
    deleted_id = Claim.objects.order_by("-pk").values_list("pk", flat=True).first() + 1000

    results = claims_review_bulk(
        claims=[
            (ready.pk, ready.version),
            (stale.pk, stale.version - 1),
            (draft.pk, draft.version),
            (deleted_id, None),
            (incomplete.pk, None),
        ],
        step="approve",
        reviewer=reviewer,
    )

    by_id = {r.id: r for r in results}
    assert by_id[ready.pk].result == "done"
    assert by_id[stale.pk].code == "stale_version" and by_id[stale.pk].http_status == 409
    assert by_id[stale.pk].as_dict()["current_version"] == stale.version
    assert "changed since you read it" in by_id[stale.pk].detail
    assert by_id[draft.pk].code == "workflow_error" and by_id[draft.pk].http_status == 409
    assert "the claim is draft" in by_id[draft.pk].detail
    assert by_id[deleted_id].as_dict() == {
        "id": deleted_id,
        "result": "refused",
        "detail": f"There is no claim {deleted_id}.",
        "code": "not_found",
        "http_status": 404,
    }
    assert by_id[incomplete.pk].code == "missing_for_step"
    assert by_id[incomplete.pk].as_dict()["missing"] == [
        "a verdict",
        "an explanation",
        "at least one source",
    ]
    assert Claim.objects.get(pk=stale.pk).status == ClaimStatus.IN_REVIEW
    assert Claim.objects.get(pk=draft.pk).status == ClaimStatus.DRAFT


@pytest.mark.parametrize("step", ["request_changes", "reject"])
def test_request_changes_and_reject_without_a_comment_are_refused_for_all(
    step, demo_article, editor, reviewer
):
    claims = submitted(demo_article, editor, 2)
    before = written()
    with pytest.raises(MissingForStep, match="needs a comment saying why; nothing was done"):
        claims_review_bulk(claims=refs(*claims), step=step, reviewer=reviewer, comment="  ")
    assert written() == before
    assert set(Claim.objects.values_list("status", flat=True)) == {ClaimStatus.IN_REVIEW}


def test_request_changes_records_the_comment_on_every_claim(demo_article, editor, reviewer):
    claims = submitted(demo_article, editor, 3)
    results = claims_review_bulk(
        claims=refs(*claims), step="request_changes", reviewer=reviewer, comment="Cite the report."
    )
    assert {r.status for r in results} == {ClaimStatus.CHANGES_REQUESTED}
    assert set(Review.objects.filter(claim__in=claims).values_list("decision", "comment")) == {
        ("changes_requested", "Cite the report.")
    }
    assert Review.objects.filter(claim__in=claims).count() == 3


@pytest.mark.parametrize(
    ("make_refs", "error", "message"),
    [
        (lambda claims: [], InvalidInput, "Choose at least one claim."),
        (
            lambda claims: [(claims[0].pk, None)] * (limits.BULK_REVIEW + 1),
            InvalidInput,
            f"At most {limits.BULK_REVIEW} claims per decision; got {limits.BULK_REVIEW + 1}.",
        ),
        (
            lambda claims: [(claims[0].pk, None), (claims[1].pk, None), (claims[0].pk, 1)],
            InvalidInput,
            "listed twice: ",
        ),
    ],
    ids=["none", "over-the-cap", "twice"],
)
def test_a_refused_request_writes_nothing(
    make_refs, error, message, demo_article, editor, reviewer
):
    claims = submitted(demo_article, editor, 2)
    before = written()
    with pytest.raises(error, match=message):
        claims_review_bulk(claims=make_refs(claims), step="approve", reviewer=reviewer)
    assert written() == before


def test_only_reviewers_decide_and_only_on_review_decisions(demo_article, editor, reviewer):
    claims = submitted(demo_article, editor, 1)
    before = written()
    with pytest.raises(NotAllowed, match="Only reviewers may approve a claim."):
        claims_review_bulk(claims=refs(*claims), step="approve", reviewer=editor)
    for step in ("reopen", "submit", "publish"):
        with pytest.raises(InvalidInput, match="is not a decision on many claims"):
            claims_review_bulk(claims=refs(*claims), step=step, reviewer=reviewer, comment="x")
    assert written() == before


def test_each_decision_leaves_its_history_review_and_webhook_like_a_single_one(
    demo_article, editor, reviewer, staff, settings
):
    settings.FACTCHECK_FETCH_ALLOW_LOOPBACK = True
    webhook_subscription_create(
        user=staff, url="http://127.0.0.1:9/hook", events=[WebhookEvent.CLAIM_APPROVED]
    )
    claims = submitted(demo_article, editor, 2)
    (own,) = submitted(demo_article, reviewer)

    claims_review_bulk(claims=refs(*claims, own), step="approve", reviewer=reviewer)

    deliveries = WebhookDelivery.objects.order_by("pk")
    assert [d.payload["data"]["claim"]["id"] for d in deliveries] == [c.pk for c in claims]
    for claim in claims:
        assert Review.objects.filter(claim=claim, reviewer=reviewer).count() == 1
        event = ClaimEvent.objects.filter(pgh_obj_id=claim.pk).order_by("-pgh_id").first()
        assert event.pgh_context.metadata["action"] == "claim_approve"
    assert not ClaimEvent.objects.filter(
        pgh_obj_id=own.pk, pgh_context__metadata__action="claim_approve"
    ).exists()


def test_queries_grow_by_a_fixed_amount_per_claim(demo_article, editor, reviewer):
    claims = submitted(demo_article, editor, 7)

    def cost(batch: list[Claim]) -> int:
        with CaptureQueriesContext(connection) as queries:
            results = claims_review_bulk(claims=refs(*batch), step="approve", reviewer=reviewer)
        assert all(r.ok for r in results)
        return len(queries)

    cost(claims[:1])  # the reviewer's roles are read once, then cached on the user
    one, two, three = cost(claims[1:2]), cost(claims[2:4]), cost(claims[4:7])
    # One query loads the claims; each then costs what a single approval costs: its
    # savepoint (a transaction of its own outside tests), the article lock, the claim lock,
    # its sources (approval needs one), the save and the review (each with pghistory's
    # context), the article's activity time, the webhook subscriptions, the release; and
    # issue 16's notification of the claim's editor: the claim's people, the notification,
    # their e-mail preferences.
    assert two - one == three - two == 12
    assert one == 1 + 12
