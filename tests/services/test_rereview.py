"""An approved check a new revision sends back to review stays published until a person
decides (issue 10, item 4): the kept copy, who decides, the history's actor, and the
editor's statement fix."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, transaction

from annotations.models import Claim, ClaimEvent, ClaimStatus
from annotations.selectors.history import claim_history
from annotations.services.errors import InvalidInput, NotAllowed, StaleVersion, WorkflowError
from annotations.services.reanchor import claim_anchor_manually, claim_restate
from annotations.services.workflow import (
    claim_approve,
    claim_reject,
    claim_request_changes,
    claim_submit,
)
from tests.services.test_reanchor import DELETED, TYPO, approved, load_edit

pytestmark = pytest.mark.django_db


@pytest.fixture
def sent_back(demo_article, editor, reviewer, verdicts, demo_text):
    """An approved claim whose words a new revision changed (a fuzzy placement)."""
    claim = approved(demo_article, editor, reviewer, verdicts, TYPO)
    claim.refresh_from_db()
    revision = load_edit(demo_article, editor, demo_text).revision
    return Claim.objects.get(pk=claim.pk), claim, revision


def test_the_kept_copy_is_what_the_reviewer_approved(sent_back, verdicts):
    claim, before, revision = sent_back
    kept = claim.published_check
    assert claim.status == ClaimStatus.IN_REVIEW
    assert kept["exact"] == TYPO and claim.exact != TYPO  # the approved words, not the new
    assert kept["statement"] == before.statement
    assert kept["explanation"] == "Checked against the UN Command's footage."
    assert kept["verdict"]["label"] == verdicts["true"].label
    assert kept["sources"] == [
        {
            "title": "UNC video",
            "url": "https://example.org/unc",
            "publisher": "",
            "archived_url": "",
            "stance": "supports",
        }
    ]
    assert kept["reviewed_at"] == before.reviewed_at.isoformat()
    assert (kept["approved_revision"], kept["changed_revision"]) == (1, revision.number)
    assert kept["changed_at"] == revision.created_at.isoformat()


def test_orphaned_approved_claims_keep_their_copy_too(
    demo_article, editor, reviewer, verdicts, demo_text
):
    claim = approved(demo_article, editor, reviewer, verdicts, DELETED)
    load_edit(demo_article, editor, demo_text)
    claim.refresh_from_db()
    assert claim.anchor_state == "orphaned"
    assert claim.published_check["exact"] == DELETED


def test_approving_again_publishes_the_new_content_and_drops_the_copy(sent_back, reviewer2):
    claim, _, _ = sent_back
    claim = claim_approve(claim=claim, reviewer=reviewer2)
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.APPROVED
    assert claim.published_check is None


def test_rejecting_withdraws_the_copy(sent_back, reviewer2):
    claim, _, _ = sent_back
    claim_reject(claim=claim, reviewer=reviewer2, comment="The new text retracts it.")
    claim.refresh_from_db()
    assert (claim.status, claim.published_check) == (ClaimStatus.REJECTED, None)


def test_requesting_changes_keeps_the_copy_until_the_claim_is_decided(sent_back, reviewer2, editor):
    claim, _, _ = sent_back
    claim_request_changes(claim=claim, reviewer=reviewer2, comment="Fix the statement.")
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.CHANGES_REQUESTED
    assert claim.published_check is not None
    claim = claim_submit(claim=claim, user=editor)
    claim.refresh_from_db()
    assert claim.published_check is not None


def test_the_database_refuses_a_kept_copy_outside_re_review(sent_back):
    claim, _, _ = sent_back
    with pytest.raises(IntegrityError), transaction.atomic():
        Claim.objects.filter(pk=claim.pk).update(status=ClaimStatus.APPROVED)
    with pytest.raises(IntegrityError), transaction.atomic():
        Claim.objects.filter(pk=claim.pk).update(status=ClaimStatus.DRAFT)


def test_the_history_names_the_system_not_the_person_who_loaded(sent_back, editor):
    claim, _, revision = sent_back
    (entry,) = [e for e in claim_history(claim) if e["action"] == "claim_reanchor"]
    assert entry["user"] is None
    assert entry["actor"] == f"System (new revision {revision.number})"
    assert "Sent back to review automatically" in entry["comment"]
    assert entry["changes"]["status"] == ["approved", "in_review"]
    # Other entries keep naming their people.
    assert any(e["actor"] == editor.username for e in claim_history(claim))


# --- the editor's statement fix --------------------------------------------------------------


def test_editor_adjusts_the_statement_of_a_re_reviewed_claim(sent_back, editor2):
    claim, before, _ = sent_back
    restated = claim_restate(
        claim=claim,
        user=editor2,
        statement="  Soldiers converged a few feet behind him and opened fire.  ",
        version=claim.version,
    )
    restated.refresh_from_db()
    assert restated.statement == "Soldiers converged a few feet behind him and opened fire."
    assert restated.status == ClaimStatus.IN_REVIEW
    assert (restated.version, restated.updated_by) == (claim.version + 1, editor2)
    # The public copy stays what the reviewer approved.
    assert restated.published_check["statement"] == before.statement
    entry = claim_history(restated)[-1]
    assert (entry["action"], entry["actor"]) == ("claim_restate", editor2.username)
    assert entry["label"] == "Adjusted the statement"


def test_after_anchor_again_the_statement_can_follow_the_new_words(
    demo_article, editor, reviewer, verdicts, demo_text
):
    claim = approved(demo_article, editor, reviewer, verdicts, DELETED)
    revision = load_edit(demo_article, editor, demo_text).revision
    words = "Heat-signature video shows him lying by a retaining wall"
    start = revision.text.index(words)
    claim = claim_anchor_manually(
        claim=Claim.objects.get(pk=claim.pk),
        user=editor,
        selector={"exact": words, "start": start, "end": start + len(words)},
    )
    claim = claim_restate(claim=claim, user=editor, statement=words, version=claim.version)
    claim.refresh_from_db()
    assert (claim.exact, claim.statement) == (words, words)
    assert claim.published_check["exact"] == DELETED  # still the approved check in public


@pytest.mark.parametrize(
    ("statement", "version", "error", "message"),
    [
        ("", "@", InvalidInput, "The statement is empty"),
        ("x" * 5_001, "@", InvalidInput, "the limit is 5,000"),
        ("Bad\x00", "@", InvalidInput, "NUL"),
        ("New words", None, InvalidInput, "must carry the claim's version"),
        ("New words", "abc", InvalidInput, "whole number"),
        ("New words", "@-1", StaleVersion, "changed while you were looking"),
    ],
)
def test_bad_statement_fixes_are_refused_and_change_nothing(
    sent_back, editor, statement, version, error, message
):
    claim, _, _ = sent_back
    if isinstance(version, str) and version.startswith("@"):
        version = claim.version + int(version[1:] or 0)
    events = ClaimEvent.objects.count()
    with pytest.raises(error, match=message):
        claim_restate(claim=claim, user=editor, statement=statement, version=version)
    assert Claim.objects.get(pk=claim.pk).statement == claim.statement
    assert ClaimEvent.objects.count() == events


def test_only_claims_sent_back_by_a_revision_take_a_statement_fix(in_review, editor):
    with pytest.raises(WorkflowError, match="sent back to review"):
        claim_restate(claim=in_review, user=editor, statement="New", version=in_review.version)
    assert Claim.objects.get(pk=in_review.pk).statement == in_review.statement


def test_outsiders_cannot_fix_the_statement(sent_back, outsider):
    claim, _, _ = sent_back
    with pytest.raises(NotAllowed):
        claim_restate(claim=claim, user=outsider, statement="New", version=claim.version)


def test_a_reviewer_who_fixed_the_statement_cannot_approve_it(sent_back, reviewer2, editor):
    """Four eyes counts the statement fix, even after someone else edits after them."""
    claim, _, _ = sent_back
    claim = claim_restate(
        claim=claim,
        user=reviewer2,
        statement="The soldiers fired about 40 rounds.",
        version=claim.version,
    )
    claim = claim_restate(
        claim=claim,
        user=editor,
        statement="Soldiers fired about 40 rounds at him.",
        version=claim.version,
    )
    with pytest.raises(NotAllowed, match="four eyes"):
        claim_approve(claim=claim, reviewer=reviewer2)
    assert Claim.objects.get(pk=claim.pk).status == ClaimStatus.IN_REVIEW


def test_a_reviewer_who_anchored_the_claim_again_cannot_approve_it(
    demo_article, editor, reviewer, reviewer2, verdicts, demo_text
):
    claim = approved(demo_article, editor, reviewer, verdicts, DELETED)
    revision = load_edit(demo_article, editor, demo_text).revision
    claim = Claim.objects.get(pk=claim.pk)
    claim = claim_anchor_manually(
        claim=claim,
        user=reviewer2,
        selector={"exact": "converged just a few feet behind him"},
        version=claim.version,
    )
    claim = claim_restate(
        claim=claim, user=editor, statement="Soldiers converged behind him.", version=claim.version
    )
    assert claim.revision_id == revision.pk
    with pytest.raises(NotAllowed, match="four eyes"):
        claim_approve(claim=claim, reviewer=reviewer2)
