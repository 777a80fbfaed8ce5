""" "Checked before?": our published checks join the candidates and leave them with the
workflow, answers are recorded by the people allowed to give them, vectors are filled
outside requests, and a search costs the same number of queries whatever the corpus."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from annotations.models import ClaimMatch, ClaimVector, KnownCheck, MatchDecision
from annotations.selectors import matches
from annotations.services import matching
from annotations.services.articles import article_load
from annotations.services.claims import claim_create, claim_delete
from annotations.services.errors import InvalidInput, NotAllowed, WorkflowError
from annotations.services.known_checks import known_checks_import
from annotations.services.workflow import claim_approve, claim_reopen

pytestmark = pytest.mark.django_db

LATER_TEXT = (
    "A defector was hit at least five times by his comrades' fire as he ran across the "
    "border at Panmunjom, the Joint Chiefs of Staff said.\n\nHe survived."
)


@pytest.fixture(autouse=True)
def _fresh_index():
    matches.index_reset()
    yield
    matches.index_reset()


@pytest.fixture
def approved(in_review, reviewer):
    return claim_approve(claim=in_review, reviewer=reviewer)


@pytest.fixture
def later_claim(editor2):
    article = article_load(user=editor2, text=LATER_TEXT, title="Defector shot at border")
    return claim_create(article=article, user=editor2, selector={"exact": "hit at least five"})


def review(url: str, claim: str, rating: str = "False") -> dict:
    return {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "url": url,
        "claimReviewed": claim,
        "reviewRating": {"@type": "Rating", "alternateName": rating},
        "author": {"@type": "Organization", "name": "Other Checkers"},
    }


def known(n: int) -> list[dict]:
    topics = ["vaccines", "elections", "wind turbines", "tax", "crime", "the moon"]
    return [
        review(f"https://checks.test/{i}", f"A claim number {i} about {topics[i % 6]}.")
        for i in range(n)
    ]


def test_an_approved_check_is_matched_and_leaves_when_reopened(approved, later_claim, reviewer):
    found = matches.matches_for_claim(later_claim)
    assert [(m.kind, m.id) for m in found][:1] == [(matches.OUR_CHECK, approved.pk)]
    first = found[0]
    assert first.rating_text == approved.verdict.label
    assert first.url.endswith(f"/published/{approved.article_id}/#claim-{approved.pk}")
    assert first.article_title == approved.article.title
    # A claim is never its own match.
    assert all(m.id != approved.pk for m in matches.matches_for_claim(approved))

    claim_reopen(claim=approved, reviewer=reviewer, comment="New footage")
    assert matches.matches_for_claim(later_claim) == []


def test_a_draft_is_not_an_earlier_check(draft, later_claim):
    assert matches.matches_for_claim(later_claim) == []


def test_answers_are_recorded_changed_and_on_the_record(approved, later_claim, editor2):
    answer = matching.match_decide(
        claim=later_claim,
        user=editor2,
        decision=MatchDecision.SAME,
        earlier_claim=approved,
        score=0.9,
    )
    assert (answer.decided_by, answer.score) == (editor2, 0.9)
    shown = matches.matches_for_claim(later_claim)[0]
    assert (shown.decision, shown.decided_by) == ("same", "ed2")
    matching.match_decide(
        claim=later_claim, user=editor2, decision="not_same", earlier_claim=approved
    )
    assert ClaimMatch.objects.get().decision == "not_same"
    assert list(
        ClaimMatch.pgh_event_model.objects.order_by("pgh_id").values_list("decision", flat=True)
    ) == ["same", "not_same"]
    # Both sides: the earlier check lists where it appeared again (only while "same").
    assert matches.later_appearances([approved.pk]) == {}
    matching.match_decide(claim=later_claim, user=editor2, decision="same", earlier_claim=approved)
    (appearance,) = matches.later_appearances([approved.pk])[approved.pk]
    assert (appearance.claim_id, appearance.article_title) == (
        later_claim.pk,
        "Defector shot at border",
    )
    (confirmed,) = matches.confirmed_matches([later_claim.pk])[later_claim.pk]
    assert (confirmed.kind, confirmed.id, confirmed.decided_by) == ("our_check", approved.pk, "ed2")


def test_a_confirmed_check_stays_listed_when_it_falls_out_of_the_top(later_claim, editor2):
    known_checks_import(data=known(3), user=None)
    far = KnownCheck.objects.get(url="https://checks.test/2")
    matching.match_decide(claim=later_claim, user=editor2, decision="same", known_check=far)
    found = matches.matches_for_claim(later_claim, k=1)
    # The best match (shared words only), then the confirmed one from further down.
    assert [(m.id == far.pk, m.decision) for m in found] == [(False, None), (True, "same")]


@pytest.mark.parametrize(
    ("who", "allowed"),
    [("editor", True), ("reviewer", True), ("staff", True), ("outsider", False)],
)
def test_who_may_answer(request, who, allowed, later_claim):
    known_checks_import(data=known(1), user=None)
    check = KnownCheck.objects.get()
    user = request.getfixturevalue(who)
    if allowed:
        matching.match_decide(claim=later_claim, user=user, decision="same", known_check=check)
        assert ClaimMatch.objects.filter(decided_by=user).count() == 1
    else:
        with pytest.raises(NotAllowed, match="say whether a claim was checked before"):
            matching.match_decide(claim=later_claim, user=user, decision="same", known_check=check)
        assert not ClaimMatch.objects.exists()


def test_bad_answers_are_refused_and_nothing_is_written(approved, later_claim, editor2, draft):
    known_checks_import(data=known(1), user=None)
    check = KnownCheck.objects.get()
    cases = [
        (InvalidInput, "is not an answer", {"decision": "maybe", "known_check": check}),
        (InvalidInput, "Name one earlier check", {"decision": "same"}),
        (
            InvalidInput,
            "Name one earlier check",
            {"decision": "same", "known_check": check, "earlier_claim": approved},
        ),
        (InvalidInput, "between 0 and 1", {"decision": "same", "known_check": check, "score": 2}),
    ]
    for error, message, kwargs in cases:
        with pytest.raises(error, match=message):
            matching.match_decide(claim=later_claim, user=editor2, **kwargs)
    with pytest.raises(InvalidInput, match="not an earlier check of itself"):
        matching.match_decide(claim=approved, user=editor2, decision="same", earlier_claim=approved)
    other = claim_create(article=draft.article, user=editor2, selector={"exact": "40 rounds"})
    with pytest.raises(InvalidInput, match=f"Claim {other.pk} is not a published check"):
        matching.match_decide(claim=later_claim, user=editor2, decision="same", earlier_claim=other)
    claim_delete(claim=later_claim, user=editor2)
    later_claim.refresh_from_db()
    with pytest.raises(WorkflowError, match="deleted"):
        matching.match_decide(claim=later_claim, user=editor2, decision="same", known_check=check)
    assert not ClaimMatch.objects.exists()


def test_a_reworded_import_makes_the_vector_stale_and_the_same_words_keep_it(db):
    known_checks_import(data=known(2), user=None)
    assert matching.embeddings_fill() == 2
    reworded = known(2)
    reworded[0]["claimReviewed"] = "Something else entirely."
    reworded[1]["reviewRating"]["alternateName"] = "Mostly false"  # not matched by
    known_checks_import(data=reworded, user=None)
    stale = KnownCheck.objects.filter(embedding__isnull=True)
    assert list(stale.values_list("url", flat=True)) == ["https://checks.test/0"]
    assert matching.embedding_progress() == matching.EmbeddingProgress(done=1, total=2)
    assert matching.embeddings_fill() == 1


def test_our_checks_get_vectors_and_new_words_make_them_stale(approved, later_claim):
    assert matching.embeddings_fill() == 1
    vector = ClaimVector.objects.get(claim=approved)
    found = matches.matches_for_claim(later_claim)
    assert found[0].id == approved.pk
    ClaimVector.objects.filter(pk=vector.pk).update(text_sha256="0" * 64)
    assert matching.embeddings_fill() == 1  # recomputed: the words it was made from differ
    assert matching.embeddings_fill() == 0


def test_a_text_search_keeps_the_language_asked_for_and_the_unknown(db):
    items = [
        {
            **review("https://checks.test/es", "Las vacunas contienen microchips."),
            "inLanguage": "es",
        },
        review("https://checks.test/xx", "Vaccines contain microchips."),
    ]
    items[0]["reviewRating"]["inLanguage"] = "es"
    known_checks_import(data=items, user=None)
    KnownCheck.objects.filter(url__endswith="/es").update(language="es")
    KnownCheck.objects.filter(url__endswith="/xx").update(language="en")
    found = matches.matches_for_text("vacunas microchips", language="es")
    assert [m.url for m in found] == ["https://checks.test/es"]
    assert len(matches.matches_for_text("microchips vacunas vaccines")) == 2
    assert matches.matches_for_text("   ") == []


@pytest.mark.parametrize("corpus", [1, 40])
def test_a_search_costs_the_same_queries_whatever_the_corpus(corpus, approved, later_claim):
    known_checks_import(data=known(corpus), user=None)
    matching.embeddings_fill()
    matches.matches_for_claim(later_claim)  # builds the index
    later_claim.refresh_from_db()
    with CaptureQueriesContext(connection) as queries:
        found = matches.matches_for_claim(later_claim)
    assert found
    # signature, the claim's revision text, the known checks shown, our checks shown, answers
    assert len(queries) == 5, [q["sql"][:80] for q in queries]


# The vector fill as a job (enqueued in the import's or the approval's transaction, never
# for a rolled-back one, run by a worker): tests/jobs/test_enqueue.py.


def test_a_confirmed_earlier_check_counts_while_it_is_published(
    approved, later_claim, editor2, reviewer
):
    matching.match_decide(claim=later_claim, user=editor2, decision="same", earlier_claim=approved)
    assert list(matches.confirmed_matches([later_claim.pk])) == [later_claim.pk]
    claim_reopen(claim=approved, reviewer=reviewer, comment="New footage")
    assert matches.confirmed_matches([later_claim.pk]) == {}
    assert ClaimMatch.objects.filter(decision="same").count() == 1  # the answer stays
