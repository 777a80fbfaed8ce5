"""The review workflow: every allowed transition and every refusal, through the services.

A refusal changes nothing and is not recorded as a change: the claim's status and version
stay, and no ClaimEvent row (the pghistory audit trail) or Review row is written.
"""

from __future__ import annotations

import pytest
from django.test import override_settings

from annotations.models import Claim, ClaimStatus, Review, ReviewDecision
from annotations.selectors.history import ClaimEvent
from annotations.services.claims import (
    claim_delete,
    claim_update,
    source_attach,
    source_detach,
)
from annotations.services.errors import MissingForStep, NotAllowed, WorkflowError
from annotations.services.workflow import (
    STEPS,
    claim_approve,
    claim_reject,
    claim_reopen,
    claim_request_changes,
    claim_submit,
    claim_transition,
    missing_for_approval,
    steps_allowed_from,
    steps_for_user,
)
from tests.factories import make_claim


@pytest.fixture
def approved(in_review, reviewer):
    return claim_approve(claim=in_review, reviewer=reviewer)


def assert_unchanged(claim: Claim, events_before: int, reviews_before: int) -> None:
    fresh = Claim.objects.get(pk=claim.pk)
    assert (fresh.status, fresh.version) == (claim.status, claim.version)
    assert ClaimEvent.objects.filter(pgh_obj_id=claim.pk).count() == events_before
    assert Review.objects.filter(claim=claim).count() == reviews_before


def refused(claim: Claim, error: type[Exception], match: str, **kwargs):
    events = ClaimEvent.objects.filter(pgh_obj_id=claim.pk).count()
    reviews = Review.objects.filter(claim=claim).count()
    with pytest.raises(error, match=match) as info:
        claim_transition(claim=claim, **kwargs)
    assert_unchanged(claim, events, reviews)
    return info.value


# --- Allowed transitions -------------------------------------------------------------------


def test_editor_submits_a_draft(draft, editor):
    claim = claim_submit(claim=draft, user=editor)
    assert claim.status == ClaimStatus.IN_REVIEW
    assert claim.submitted_at is not None
    assert claim.version == draft.version + 1
    assert not claim.reviews.exists()


def test_editor_resubmits_a_claim_sent_back(in_review, editor, reviewer):
    sent_back = claim_request_changes(claim=in_review, reviewer=reviewer, comment="Add a source.")
    claim = claim_submit(claim=sent_back, user=editor)
    assert claim.status == ClaimStatus.IN_REVIEW
    assert claim.submitted_at >= sent_back.submitted_at


def test_reviewer_approves_a_complete_claim(in_review, reviewer):
    claim = claim_approve(claim=in_review, reviewer=reviewer)
    assert claim.status == ClaimStatus.APPROVED
    assert claim.reviewed_by == reviewer and claim.reviewed_at is not None
    review = claim.reviews.get()
    assert (review.decision, review.reviewer, review.comment) == (
        ReviewDecision.APPROVED,
        reviewer,
        "",
    )


def test_reviewer_requests_changes_with_a_comment(in_review, reviewer):
    claim = claim_request_changes(claim=in_review, reviewer=reviewer, comment="  Name the source. ")
    assert claim.status == ClaimStatus.CHANGES_REQUESTED
    review = claim.reviews.get()
    assert (review.decision, review.comment) == (
        ReviewDecision.CHANGES_REQUESTED,
        "Name the source.",
    )


def test_reviewer_rejects_with_a_comment_and_the_claim_is_kept(in_review, reviewer):
    claim = claim_reject(claim=in_review, reviewer=reviewer, comment="Not a factual claim.")
    assert claim.status == ClaimStatus.REJECTED
    assert Claim.objects.filter(pk=claim.pk, deleted_at__isnull=True).exists()
    assert claim.reviews.get().decision == ReviewDecision.REJECTED


def test_reviewer_reopens_an_approved_claim_with_a_reason(approved, reviewer2, editor):
    claim = claim_reopen(claim=approved, reviewer=reviewer2, comment="New figures came out.")
    assert claim.status == ClaimStatus.CHANGES_REQUESTED
    assert claim.reviews.last().decision == ReviewDecision.REOPENED
    # Reopened, the editor may change it again and resubmit.
    claim = claim_update(claim=claim, user=editor, version=claim.version, explanation="Updated.")
    assert claim_submit(claim=claim, user=editor).status == ClaimStatus.IN_REVIEW


def test_staff_may_take_every_step(demo_article, staff, editor):
    claim = make_claim(demo_article, editor)
    claim = claim_submit(claim=claim, user=staff)
    claim = claim_approve(claim=claim, reviewer=staff)
    claim = claim_reopen(claim=claim, reviewer=staff, comment="Check again.")
    assert claim.status == ClaimStatus.CHANGES_REQUESTED


def test_reviewer_may_approve_a_claim_another_reviewer_created_and_edited(
    demo_article, reviewer, reviewer2
):
    claim = make_claim(demo_article, reviewer2)
    claim = claim_submit(claim=claim, user=reviewer2)
    assert claim_approve(claim=claim, reviewer=reviewer).status == ClaimStatus.APPROVED


@override_settings(FACTCHECK_FOUR_EYES=False)
def test_one_person_desk_may_approve_its_own_claim_when_four_eyes_is_off(demo_article, reviewer):
    claim = claim_submit(claim=make_claim(demo_article, reviewer), user=reviewer)
    assert claim_approve(claim=claim, reviewer=reviewer).status == ClaimStatus.APPROVED


def test_the_step_table_matches_the_diagram():
    assert {s.name for s in steps_allowed_from(ClaimStatus.DRAFT)} == {"submit"}
    assert {s.name for s in steps_allowed_from(ClaimStatus.IN_REVIEW)} == {
        "approve",
        "request_changes",
        "reject",
    }
    assert {s.name for s in steps_allowed_from(ClaimStatus.CHANGES_REQUESTED)} == {"submit"}
    assert {s.name for s in steps_allowed_from(ClaimStatus.APPROVED)} == {"reopen"}
    assert steps_allowed_from(ClaimStatus.REJECTED) == []
    assert {name for name, s in STEPS.items() if s.comment_required} == {
        "request_changes",
        "reject",
        "reopen",
    }


def test_steps_for_user_show_each_role_its_buttons(in_review, draft, editor, reviewer, outsider):
    assert [s.name for s in steps_for_user(in_review, reviewer)] == [
        "approve",
        "request_changes",
        "reject",
    ]
    assert steps_for_user(in_review, editor) == []
    assert steps_for_user(in_review, outsider) == []


def test_steps_for_user_offer_nothing_on_a_deleted_claim(demo_article, editor):
    claim = make_claim(demo_article, editor, ready=False)
    claim = claim_delete(claim=claim, user=editor)
    assert steps_for_user(claim, editor) == []


# --- Refusals ------------------------------------------------------------------------------


def test_approving_without_a_source_is_refused_naming_what_is_missing(
    demo_article, editor, reviewer
):
    claim = make_claim(demo_article, editor)
    source_detach(claim_source=claim.claim_sources.get(), user=editor)
    claim = claim_submit(claim=Claim.objects.get(pk=claim.pk), user=editor)
    error = refused(claim, MissingForStep, "at least one source", user=reviewer, step="approve")
    assert error.status == 400
    assert error.extra["missing"] == ["at least one source"]


def test_approving_a_bare_claim_lists_everything_missing(demo_article, editor, reviewer):
    claim = claim_submit(claim=make_claim(demo_article, editor, ready=False), user=editor)
    error = refused(claim, MissingForStep, "needs a verdict, an explanation and at least one "
                    "source", user=reviewer, step="approve")  # fmt: skip
    assert error.extra["missing"] == ["a verdict", "an explanation", "at least one source"]
    assert missing_for_approval(claim) == error.extra["missing"]


def test_reviewer_cannot_approve_own_claim(demo_article, reviewer):
    claim = claim_submit(claim=make_claim(demo_article, reviewer), user=reviewer)
    error = refused(claim, NotAllowed, "four eyes", user=reviewer, step="approve")
    assert error.status == 403


def test_reviewer_cannot_approve_a_claim_they_last_edited(in_review, editor, reviewer):
    sent_back = claim_request_changes(claim=in_review, reviewer=reviewer, comment="Fix the date.")
    # The reviewer, who is also an editor, fixes it themselves.
    fixed = claim_update(
        claim=sent_back, user=reviewer, version=sent_back.version, claimant="The Pentagon"
    )
    claim = claim_submit(claim=fixed, user=editor)
    refused(claim, NotAllowed, "changed what it says", user=reviewer, step="approve")


def test_a_source_change_counts_as_an_edit_for_four_eyes(in_review, editor, reviewer):
    sent_back = claim_request_changes(claim=in_review, reviewer=reviewer, comment="More sources.")
    source_attach(claim=sent_back, user=reviewer, title="Second source")
    claim = claim_submit(claim=Claim.objects.get(pk=sent_back.pk), user=editor)
    refused(claim, NotAllowed, "four eyes", user=reviewer, step="approve")


def test_editing_an_approved_claim_as_an_editor_is_refused(approved, editor):
    events = ClaimEvent.objects.filter(pgh_obj_id=approved.pk).count()
    with pytest.raises(WorkflowError, match="approved and locked; a reviewer must reopen it"):
        claim_update(claim=approved, user=editor, version=approved.version, claimant="Someone")
    with pytest.raises(WorkflowError, match="approved and locked"):
        source_attach(claim=approved, user=editor, title="Late source")
    assert_unchanged(approved, events, 1)
    assert Claim.objects.get(pk=approved.pk).claimant == "Joint Chiefs of Staff"


def test_skipping_a_step_from_draft_to_approved_is_refused(draft, reviewer):
    error = refused(
        draft,
        WorkflowError,
        r"Cannot approve: the claim is draft\. Steps allowed from draft: submit\.",
        user=reviewer,
        step="approve",
    )
    assert error.status == 409


@pytest.mark.parametrize(
    ("status_fixture", "step", "allowed"),
    [
        ("draft", "reject", "submit"),
        ("draft", "reopen", "submit"),
        ("in_review", "submit", "approve, request_changes, reject"),
        ("in_review", "reopen", "approve, request_changes, reject"),
        ("approved", "approve", "reopen"),
        ("approved", "submit", "reopen"),
        ("approved", "reject", "reopen"),
    ],
)
def test_a_step_the_status_does_not_allow_names_the_status_and_allowed_steps(
    request, status_fixture, step, allowed, staff
):
    claim = request.getfixturevalue(status_fixture)
    error = refused(claim, WorkflowError, f"Steps allowed from .*: {allowed}\\.", user=staff,
                    step=step, comment="why")  # fmt: skip
    assert error.status == 409


def test_nothing_is_allowed_from_rejected(in_review, reviewer, staff):
    claim = claim_reject(claim=in_review, reviewer=reviewer, comment="Opinion, not fact.")
    for step in STEPS:
        refused(claim, WorkflowError, "rejected.*: none", user=staff, step=step, comment="x")


@pytest.mark.parametrize("step", ["reject", "request_changes"])
def test_a_comment_less_rejection_or_request_is_refused(in_review, reviewer, step):
    for comment in ["", "   \n "]:
        error = refused(
            in_review, MissingForStep, "needs a comment", user=reviewer, step=step, comment=comment
        )
        assert error.field == "comment" and error.status == 400


def test_reopening_without_a_reason_is_refused(approved, reviewer2):
    refused(approved, MissingForStep, "Reopen needs a comment", user=reviewer2, step="reopen")


def test_an_over_long_comment_is_refused(in_review, reviewer):
    refused(in_review, MissingForStep, "longer than 10,000", user=reviewer, step="reject",
            comment="x" * 10_001)  # fmt: skip


def test_a_workflow_call_on_a_deleted_claim_is_refused(demo_article, editor, staff):
    claim = claim_delete(claim=make_claim(demo_article, editor), user=editor)
    for step in STEPS:
        error = refused(claim, WorkflowError, "was deleted", user=staff, step=step, comment="x")
        assert error.status == 409


def test_an_editor_cannot_take_reviewer_steps(in_review, editor2):
    for step in ["approve", "request_changes", "reject"]:
        error = refused(in_review, NotAllowed, "Only reviewers", user=editor2, step=step,
                        comment="x")  # fmt: skip
        assert error.status == 403


def test_an_editor_cannot_reopen(approved, editor2):
    refused(approved, NotAllowed, "Only reviewers", user=editor2, step="reopen", comment="x")


def test_an_account_without_a_role_cannot_submit(draft, outsider):
    refused(draft, NotAllowed, "Only editors", user=outsider, step="submit")


def test_an_unknown_step_is_refused(draft, editor):
    refused(draft, WorkflowError, "not a workflow step", user=editor, step="publish")
