"""Re-anchoring claims when a new revision of an article is loaded (issue #7)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from annotations.models import AnchorState, Claim, ClaimEvent, ClaimStatus, Comment
from annotations.services.articles import revision_create, revision_load
from annotations.services.claims import claim_create, claim_update, source_attach
from annotations.services.errors import InvalidSelector, StaleVersion, WorkflowError
from annotations.services.reanchor import (
    claim_anchor_manually,
    claim_confirm_fuzzy,
    claims_reanchor,
)
from annotations.services.workflow import claim_approve, claim_submit

pytestmark = pytest.mark.django_db

HEADLINE = "Video shows North Korean defector’s harrowing escape amid gunfire"
MOVES = "The defector was hit at least five times, but lives."
TYPO = "other North Korean soldiers converge just a few feet behind him and open fire"
DELETED = "They drag him further toward their side, taking a significant risk."
ADDED = "This story has been updated with the latest video from the border."


def edited(text: str) -> str:
    """A newsroom update: a paragraph added at the top, a word fixed, a sentence cut."""
    head, rest = text.split("\n\n", 1)
    new = f"{head}\n\n{ADDED}\n\n{rest}"
    new = new.replace("soldiers converge just", "soldiers converged just")
    return new.replace(DELETED + "\n\n", "")


def claim_on(article, user, quote: str) -> Claim:
    return claim_create(article=article, user=user, selector={"exact": quote})


def approved(article, editor, reviewer, verdicts, quote: str) -> Claim:
    claim = claim_on(article, editor, quote)
    claim = claim_update(
        claim=claim,
        user=editor,
        version=claim.version,
        statement=quote,  # the tests look for the published statement by its words
        verdict=verdicts["true"],
        explanation="Checked against the UN Command's footage.",
    )
    source_attach(claim=claim, user=editor, url="https://example.org/unc", title="UNC video")
    claim_submit(claim=claim, user=editor)
    return claim_approve(claim=claim, reviewer=reviewer)


@pytest.fixture
def claims(demo_article, editor):
    return {
        name: claim_on(demo_article, editor, quote)
        for name, quote in [
            ("anchored", HEADLINE),
            ("moved", MOVES),
            ("fuzzy", TYPO),
            ("orphaned", DELETED),
        ]
    }


def load_edit(article, editor, demo_text):
    return revision_load(article=article, user=editor, text=edited(demo_text))


def test_each_claim_gets_the_state_its_words_deserve(demo_article, editor, demo_text, claims):
    first = demo_article.current_revision
    loaded = load_edit(demo_article, editor, demo_text)
    new = loaded.revision
    got = {name: Claim.objects.get(pk=c.pk) for name, c in claims.items()}

    assert {name: c.anchor_state for name, c in got.items()} == {
        "anchored": "anchored",
        "moved": "moved",
        "fuzzy": "fuzzy",
        "orphaned": "orphaned",
    }
    for name in ("anchored", "moved", "fuzzy"):
        claim = got[name]
        assert claim.revision_id == new.pk
        assert new.text[claim.start : claim.end] == claim.exact
        assert claim.version == claims[name].version + 1
    assert got["moved"].start == new.text.index(MOVES)
    assert got["fuzzy"].exact == TYPO.replace("converge", "converged")
    assert got["fuzzy"].prefix == new.text[got["fuzzy"].start - 32 : got["fuzzy"].start]
    # The orphan stays where it was, with its quote, on the old revision.
    orphan = got["orphaned"]
    assert (orphan.revision_id, orphan.exact) == (first.pk, DELETED)
    assert first.text[orphan.start : orphan.end] == DELETED


def test_the_report_counts_states_and_places_each_claim(demo_article, editor, demo_text, claims):
    report = load_edit(demo_article, editor, demo_text).reanchor
    assert report["counts"] == {"anchored": 1, "moved": 1, "fuzzy": 1, "orphaned": 1}
    by_id = {row["id"]: row for row in report["claims"]}
    moved = Claim.objects.get(pk=claims["moved"].pk)
    assert by_id[moved.pk] == {"id": moved.pk, "state": "moved", "start": moved.start,
                               "end": moved.end}  # fmt: skip
    assert by_id[claims["orphaned"].pk] == {
        "id": claims["orphaned"].pk,
        "state": "orphaned",
        "start": None,
        "end": None,
    }


def test_nothing_is_ever_deleted(demo_article, editor, demo_text, claims):
    before = Claim.objects.count()
    load_edit(demo_article, editor, demo_text)
    assert Claim.objects.count() == before
    assert Claim.objects.filter(deleted_at__isnull=False).count() == 0


def test_approved_claims_whose_words_changed_go_back_to_review(
    demo_article, editor, reviewer, verdicts, demo_text
):
    fuzzy = approved(demo_article, editor, reviewer, verdicts, TYPO)
    orphan = approved(demo_article, editor, reviewer, verdicts, DELETED)
    moved = approved(demo_article, editor, reviewer, verdicts, MOVES)

    load_edit(demo_article, editor, demo_text)

    fuzzy.refresh_from_db()
    orphan.refresh_from_db()
    moved.refresh_from_db()
    assert (fuzzy.anchor_state, fuzzy.status) == ("fuzzy", ClaimStatus.IN_REVIEW)
    assert (orphan.anchor_state, orphan.status) == ("orphaned", ClaimStatus.IN_REVIEW)
    assert (moved.anchor_state, moved.status) == ("moved", ClaimStatus.APPROVED)
    # The reason is in the history's context, which names the system as the actor; no
    # comment is credited to the person who loaded the revision.
    assert not Comment.objects.filter(claim__in=[fuzzy, orphan, moved]).exists()
    event = ClaimEvent.objects.filter(pgh_obj=fuzzy).latest("pgh_id")
    reason = event.pgh_context.metadata["reasons"][str(fuzzy.pk)]
    assert "Sent back to review automatically" in reason and "changed" in reason
    event = ClaimEvent.objects.filter(pgh_obj=orphan).latest("pgh_id")
    assert event.status == ClaimStatus.IN_REVIEW
    assert event.pgh_context.metadata["actor"] == "system"
    assert "could not be found" in event.pgh_context.metadata["reasons"][str(orphan.pk)]
    # Only the claims whose words changed keep a published copy while re-reviewed.
    assert fuzzy.published_check["exact"] == TYPO
    assert orphan.published_check["exact"] == DELETED
    assert moved.published_check is None


def test_each_reanchoring_is_recorded_in_the_claims_history(
    demo_article, editor, demo_text, claims
):
    first = demo_article.current_revision
    old = claims["moved"]
    new = load_edit(demo_article, editor, demo_text).revision

    before, after = ClaimEvent.objects.filter(pgh_obj=old).order_by("pgh_id")
    assert (before.revision_id, before.start, before.end) == (first.pk, old.start, old.end)
    assert (after.revision_id, after.anchor_state) == (new.pk, "moved")
    assert after.start == new.text.index(MOVES)
    metadata = after.pgh_context.metadata
    assert metadata["action"] == "claim_reanchor"
    assert metadata["from_revision"] == first.pk
    assert metadata["to_revision"] == new.pk
    assert metadata["actor"] == "system"
    assert metadata["to_revision_number"] == new.number
    # The orphan's history says it was tried and kept on its revision.
    orphan_event = ClaimEvent.objects.filter(pgh_obj=claims["orphaned"]).latest("pgh_id")
    assert (orphan_event.anchor_state, orphan_event.revision_id) == ("orphaned", first.pk)


def test_older_orphans_are_tried_again_on_each_new_revision(
    demo_article, editor, demo_text, claims
):
    load_edit(demo_article, editor, demo_text)
    # The cut sentence comes back in revision 3: the orphan finds its words again.
    loaded = revision_load(article=demo_article, user=editor, text=demo_text)
    orphan = Claim.objects.get(pk=claims["orphaned"].pk)
    assert orphan.anchor_state in ("anchored", "moved")
    assert orphan.revision_id == loaded.revision.pk
    assert loaded.revision.text[orphan.start : orphan.end] == DELETED


def test_unconfirmed_fuzzy_placements_stay_fuzzy(demo_article, editor, demo_text, claims):
    load_edit(demo_article, editor, demo_text)
    revision = demo_article.revisions.order_by("-number").first()
    revision_load(article=demo_article, user=editor, text=revision.text + "\n\nA late note.")
    fuzzy = Claim.objects.get(pk=claims["fuzzy"].pk)
    assert fuzzy.anchor_state == "fuzzy"
    assert fuzzy.revision.number == 3


def test_deleted_claims_are_left_alone(demo_article, editor, demo_text, claims):
    from annotations.services.claims import claim_delete

    gone = claim_delete(claim=claims["moved"], user=editor)
    report = load_edit(demo_article, editor, demo_text).reanchor
    assert gone.pk not in {row["id"] for row in report["claims"]}
    assert Claim.objects.get(pk=gone.pk).revision_id == gone.revision_id


def test_query_count_does_not_grow_with_the_number_of_claims(editor, reviewer, verdicts):
    from annotations.services.articles import article_load

    counts = []
    for n in (4, 40):
        quotes = ["Officials say the bridge will reopen in spring."] + [
            f"unique claim number {n}-{i:03d}." for i in range(1, n)
        ]
        article = article_load(user=editor, text=f"Headline {n}\n\n" + "\n\n".join(quotes))
        claims = [claim_on(article, editor, quote) for quote in quotes]
        for claim in claims[:2]:
            approved_claim = claim_update(
                claim=claim, user=editor, version=claim.version, verdict=verdicts["false"],
                explanation="No.",
            )  # fmt: skip
            source_attach(claim=approved_claim, user=editor, url="https://example.org", title="x")
            claim_submit(claim=approved_claim, user=editor)
            claim_approve(claim=approved_claim, reviewer=reviewer)
        kept = quotes[1:]  # the first claim's sentence is cut
        previous = article.current_revision
        revision = revision_create(
            article=article, text=f"Headline {n}\n\nNew lead.\n\n" + "\n\n".join(kept), raw="",
            input_format="text", removed="", user=editor,
        )  # fmt: skip
        with CaptureQueriesContext(connection) as queries:
            report = claims_reanchor(
                article=article, previous_revision=previous, revision=revision, user=editor
            )
        assert report.counts["orphaned"] == 1
        assert report.counts["moved"] == n - 1
        assert report.sent_to_review == [claims[0].pk]
        counts.append(len(queries))
    # savepoint, claims (locked, with verdicts), sources of the approved claims sent back
    # (for the published copy they keep), bulk UPDATE, the webhook subscriptions that want
    # "claim.changed_after_publication" (none here: one query), the notification to the
    # reviewer who approved it and their e-mail preference (issue 16), release
    assert counts == [8, 8]


def test_first_revision_has_nothing_to_reanchor(demo_article, editor):
    report = claims_reanchor(
        article=demo_article,
        previous_revision=None,
        revision=demo_article.current_revision,
        user=editor,
    )
    assert report.as_dict() == {
        "counts": {"anchored": 0, "moved": 0, "fuzzy": 0, "orphaned": 0},
        "claims": [],
    }


# --- an editor's corrections ------------------------------------------------------------------


def test_editor_anchors_an_orphan_again_by_selecting_text(
    demo_article, editor2, editor, demo_text, claims
):
    new = load_edit(demo_article, editor, demo_text).revision
    orphan = Claim.objects.get(pk=claims["orphaned"].pk)
    words = "Heat-signature video shows him lying by a retaining wall"
    start = new.text.index(words)
    claim = claim_anchor_manually(
        claim=orphan,
        user=editor2,
        selector={"exact": words, "start": start, "end": start + len(words)},
        version=orphan.version,
    )
    claim.refresh_from_db()
    assert (claim.anchor_state, claim.revision_id, claim.exact) == ("anchored", new.pk, words)
    assert claim.prefix == new.text[start - 32 : start]
    assert claim.version == orphan.version + 1
    event = ClaimEvent.objects.filter(pgh_obj=claim).latest("pgh_id")
    assert event.pgh_context.metadata["action"] == "claim_anchor_manually"
    assert event.pgh_context.metadata["from_state"] == "orphaned"
    assert event.pgh_context.metadata["user"] == editor2.pk


def test_manual_anchoring_refuses_a_selection_that_is_not_in_the_text(
    demo_article, editor, demo_text, claims
):
    load_edit(demo_article, editor, demo_text)
    orphan = Claim.objects.get(pk=claims["orphaned"].pk)
    with pytest.raises(InvalidSelector):
        claim_anchor_manually(claim=orphan, user=editor, selector={"exact": DELETED})
    orphan.refresh_from_db()
    assert orphan.anchor_state == "orphaned"


def test_manual_anchoring_refuses_a_stale_version(demo_article, editor, demo_text, claims):
    load_edit(demo_article, editor, demo_text)
    orphan = Claim.objects.get(pk=claims["orphaned"].pk)
    with pytest.raises(StaleVersion):
        claim_anchor_manually(
            claim=orphan, user=editor, selector={"exact": MOVES}, version=orphan.version - 1
        )


def test_manual_anchoring_of_an_approved_claim_sends_it_back_to_review(
    demo_article, editor, editor2, reviewer, verdicts
):
    claim = approved(demo_article, editor, reviewer, verdicts, MOVES)
    claim = claim_anchor_manually(claim=claim, user=editor2, selector={"exact": HEADLINE})
    assert claim.status == ClaimStatus.IN_REVIEW
    assert "anchored the claim on other words" in Comment.objects.get(claim=claim).body
    # Moving it decided nothing about publication: the approved check is kept.
    claim.refresh_from_db()
    assert claim.published_check["exact"] == MOVES
    assert claim.published_check["verdict"]["slug"] == "true"


def test_editor_confirms_a_fuzzy_placement(demo_article, editor, demo_text, claims):
    load_edit(demo_article, editor, demo_text)
    fuzzy = Claim.objects.get(pk=claims["fuzzy"].pk)
    claim = claim_confirm_fuzzy(claim=fuzzy, user=editor, version=fuzzy.version)
    assert claim.anchor_state == AnchorState.ANCHORED
    assert Claim.objects.get(pk=fuzzy.pk).anchor_state == "anchored"
    event = ClaimEvent.objects.filter(pgh_obj=fuzzy).latest("pgh_id")
    assert event.pgh_context.metadata["action"] == "claim_confirm_fuzzy"
    with pytest.raises(WorkflowError):
        claim_confirm_fuzzy(claim=claim, user=editor)


def test_outsiders_cannot_anchor_claims(demo_article, editor, outsider, demo_text, claims):
    from annotations.services.errors import NotAllowed

    load_edit(demo_article, editor, demo_text)
    with pytest.raises(NotAllowed):
        claim_confirm_fuzzy(claim=claims["fuzzy"], user=outsider)
    with pytest.raises(NotAllowed):
        claim_anchor_manually(claim=claims["orphaned"], user=outsider, selector={"exact": MOVES})
