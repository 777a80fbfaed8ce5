"""Suggested claims: computed for every stored revision, accepted into a draft claim, or
dismissed (and kept dismissed where the words did not change)."""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from annotations.access import get_suggestion_for
from annotations.models import (
    Claim,
    ClaimStatus,
    Suggestion,
    SuggestionReason,
    SuggestionStatus,
)
from annotations.selectors.suggestions import suggestion_outcomes, suggestions_for_revision
from annotations.services.articles import article_load, revision_load
from annotations.services.claims import claim_create, claim_delete
from annotations.services.errors import NotAllowed, WorkflowError
from annotations.services.suggestions import (
    suggestion_accept,
    suggestion_dismiss,
    suggestions_compute,
)

pytestmark = pytest.mark.django_db

FIVE_TIMES = "hit at least five times"
FORTY_ROUNDS = "an estimated 40 rounds"


def _covering(suggestions, words: str, text: str) -> Suggestion | None:
    at = text.index(words)
    return next((s for s in suggestions if s.start <= at and s.end >= at + len(words)), None)


def _find(article, words: str) -> Suggestion:
    revision = article.current_revision
    found = _covering(suggestions_for_revision(revision), words, revision.text)
    assert found is not None, f"no open suggestion covers {words!r}"
    return found


# --- computing ------------------------------------------------------------------------


def test_loading_an_article_stores_its_suggestions_with_selectors(demo_article):
    revision = demo_article.current_revision
    stored = list(Suggestion.objects.filter(revision=revision))
    assert len(stored) >= 5  # the demo article has six
    for s in stored:
        assert revision.text[s.start : s.end] == s.exact
        assert s.prefix == revision.text[max(0, s.start - 32) : s.start]
        assert s.suffix == revision.text[s.end : s.end + 32]
        assert s.sentence_start <= s.start < s.end <= s.sentence_end
        assert 0 <= s.score <= 1
        assert s.status == SuggestionStatus.OPEN and s.decided_at is None
        assert s.article_id == demo_article.pk


def test_the_demo_quantities_are_among_the_top_eight(demo_article):
    """The issue's "done means", through the service and the selector."""
    revision = demo_article.current_revision
    top = list(suggestions_for_revision(revision)[:8])
    assert _covering(top, FIVE_TIMES, revision.text) is not None
    assert _covering(top, FORTY_ROUNDS, revision.text) is not None
    assert [s.score for s in top] == sorted((s.score for s in top), reverse=True)


@pytest.mark.parametrize("text", ["", "   ", "Headline", "Word.\n\n"])
def test_empty_or_one_word_text_stores_none(editor, demo_article, text):
    revision = demo_article.current_revision
    revision.text = text  # unsaved: the engine only reads it
    Suggestion.objects.filter(revision=revision).delete()
    assert suggestions_compute(revision=revision) == []
    assert not Suggestion.objects.filter(revision=revision).exists()


def test_a_one_word_article_gets_no_suggestions(editor):
    article = article_load(user=editor, text="Breaking", title="One word")
    assert list(suggestions_for_revision(article.current_revision)) == []


def test_a_new_revision_gets_fresh_suggestions(demo_article, editor, demo_text):
    first = demo_article.current_revision
    loaded = revision_load(
        article=demo_article, user=editor, text=demo_text.replace("five times", "six times")
    )
    second = loaded.revision
    assert second.number == 2
    fresh = list(suggestions_for_revision(second))
    assert fresh and all(s.revision_id == second.pk for s in fresh)
    assert _covering(fresh, "hit at least six times", second.text) is not None
    assert Suggestion.objects.filter(revision=first).count() > 0  # the old ones stay


def test_dismissals_carry_over_where_the_words_did_not_change(demo_article, editor, demo_text):
    rounds = _find(demo_article, FORTY_ROUNDS)
    five = _find(demo_article, FIVE_TIMES)
    suggestion_dismiss(suggestion=rounds, user=editor)
    suggestion_dismiss(suggestion=five, user=editor)
    # The five-times sentence changes; the forty-rounds one does not.
    changed = demo_text.replace("five times", "six times")
    second = revision_load(article=demo_article, user=editor, text=changed).revision
    kept = Suggestion.objects.get(revision=second, exact=rounds.exact)
    assert kept.status == SuggestionStatus.DISMISSED
    assert (kept.decided_by, kept.decided_at) == (None, None)  # carried over, not decided
    assert kept not in suggestions_for_revision(second)
    six = _covering(suggestions_for_revision(second), "hit at least six times", second.text)
    assert six is not None and six.status == SuggestionStatus.OPEN


def test_compute_on_a_later_revision_reads_dismissals_then_inserts_once(
    demo_article, editor, demo_text, django_assert_num_queries
):
    second = revision_load(
        article=demo_article, user=editor, text=demo_text + "\n\nA new paragraph was added."
    ).revision
    Suggestion.objects.filter(revision=second).delete()
    # 2 queries: the article's dismissed suggestions, one INSERT of all of them
    with django_assert_num_queries(2):
        made = suggestions_compute(revision=second)
    assert len(made) == Suggestion.objects.filter(revision=second).count() > 0


# --- the list -----------------------------------------------------------------------------


def test_the_list_leaves_out_suggestions_under_a_live_claim(demo_article, editor):
    five = _find(demo_article, FIVE_TIMES)
    claim = claim_create(article=demo_article, user=editor, selector={"exact": "five times"})
    revision = demo_article.current_revision
    assert five not in suggestions_for_revision(revision)
    assert five not in suggestions_for_revision(revision, include_decided=True)
    claim_delete(claim=claim, user=editor)
    assert five in suggestions_for_revision(revision)


def test_the_list_is_one_query(demo_article, django_assert_num_queries):
    # 1 query: open suggestions of the revision, NOT EXISTS an overlapping live claim
    with django_assert_num_queries(1):
        assert len(list(suggestions_for_revision(demo_article.current_revision))) >= 5


def test_include_decided_lists_accepted_and_dismissed_too(demo_article, editor):
    five = _find(demo_article, FIVE_TIMES)
    rounds = _find(demo_article, FORTY_ROUNDS)
    suggestion_accept(suggestion=five, user=editor)
    suggestion_dismiss(suggestion=rounds, user=editor)
    revision = demo_article.current_revision
    listed = set(suggestions_for_revision(revision, include_decided=True))
    assert {five, rounds} <= listed
    assert not {five, rounds} & set(suggestions_for_revision(revision))


# --- accepting ----------------------------------------------------------------------------


def test_accept_creates_a_draft_claim_with_the_selector_and_the_sentence(demo_article, editor):
    five = _find(demo_article, FIVE_TIMES)
    revision = demo_article.current_revision
    claim = suggestion_accept(suggestion=five, user=editor)
    assert claim.status == ClaimStatus.DRAFT
    assert (claim.exact, claim.prefix, claim.suffix, claim.start, claim.end) == (
        five.exact,
        five.prefix,
        five.suffix,
        five.start,
        five.end,
    )
    assert claim.revision_id == revision.pk and claim.created_by == editor
    sentence = " ".join(revision.text[five.sentence_start : five.sentence_end].split())
    assert claim.statement == sentence and FIVE_TIMES in sentence
    five.refresh_from_db()
    assert five.status == SuggestionStatus.ACCEPTED
    assert five.decided_by == editor and five.decided_at is not None
    assert five.claim_id == claim.pk


def test_accepting_twice_makes_one_claim_and_says_which(demo_article, editor, editor2):
    five = _find(demo_article, FIVE_TIMES)
    claim = suggestion_accept(suggestion=five, user=editor)
    stale = Suggestion.objects.get(pk=five.pk)
    stale.status = SuggestionStatus.OPEN  # as a second tab read it before the first accept
    with pytest.raises(WorkflowError, match=f"already accepted as claim {claim.pk}") as refused:
        suggestion_accept(suggestion=stale, user=editor2)
    assert refused.value.status == 409
    assert Claim.objects.filter(article=demo_article).count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_accepts_at_once_make_one_claim(demo_article, editor, editor2):
    five = _find(demo_article, FIVE_TIMES)
    outcomes: list[object] = []
    barrier = threading.Barrier(2)

    def accept(user):
        try:
            barrier.wait()
            outcomes.append(suggestion_accept(suggestion=five, user=user))
        except WorkflowError as exc:
            outcomes.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=accept, args=(u,)) for u in (editor, editor2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(type(o).__name__ for o in outcomes) == ["Claim", "WorkflowError"]
    assert Claim.objects.filter(article=demo_article).count() == 1


def test_accepting_a_dismissed_suggestion_is_refused(demo_article, editor):
    five = _find(demo_article, FIVE_TIMES)
    suggestion_dismiss(suggestion=five, user=editor)
    with pytest.raises(WorkflowError, match="dismissed"):
        suggestion_accept(suggestion=five, user=editor)
    assert not Claim.objects.exists()


def test_accepting_on_an_old_revision_is_refused(demo_article, editor, demo_text):
    five = _find(demo_article, FIVE_TIMES)
    revision_load(article=demo_article, user=editor, text=demo_text + "\n\nOne more line here.")
    with pytest.raises(WorkflowError, match="newer revision"):
        suggestion_accept(suggestion=five, user=editor)
    with pytest.raises(WorkflowError, match="newer revision"):
        suggestion_dismiss(suggestion=five, user=editor)
    five.refresh_from_db()
    assert five.status == SuggestionStatus.OPEN
    assert not Claim.objects.exists()


@pytest.mark.parametrize("persona", ["outsider", "anonymous"])
def test_accept_and_dismiss_refuse_people_without_a_role(demo_article, outsider, persona):
    from django.contrib.auth.models import AnonymousUser

    user = outsider if persona == "outsider" else AnonymousUser()
    five = _find(demo_article, FIVE_TIMES)
    with pytest.raises(NotAllowed, match="Only editors and reviewers"):
        suggestion_accept(suggestion=five, user=user)
    with pytest.raises(NotAllowed):
        suggestion_dismiss(suggestion=five, user=user)
    five.refresh_from_db()
    assert five.status == SuggestionStatus.OPEN and five.decided_at is None
    assert not Claim.objects.exists()


def test_a_reviewer_may_accept(demo_article, reviewer):
    claim = suggestion_accept(suggestion=_find(demo_article, FORTY_ROUNDS), user=reviewer)
    assert claim.created_by == reviewer


# --- dismissing ---------------------------------------------------------------------------


def test_dismiss_records_who_and_when_and_is_idempotent(demo_article, editor, editor2):
    rounds = _find(demo_article, FORTY_ROUNDS)
    dismissed = suggestion_dismiss(suggestion=rounds, user=editor)
    assert dismissed.status == SuggestionStatus.DISMISSED
    assert dismissed.decided_by == editor and dismissed.decided_at is not None
    again = suggestion_dismiss(suggestion=rounds, user=editor2)
    assert again.decided_by == editor and again.decided_at == dismissed.decided_at
    assert rounds not in suggestions_for_revision(demo_article.current_revision)


def test_dismissing_an_accepted_suggestion_is_refused(demo_article, editor):
    five = _find(demo_article, FIVE_TIMES)
    claim = suggestion_accept(suggestion=five, user=editor)
    with pytest.raises(WorkflowError, match=f"already accepted as claim {claim.pk}"):
        suggestion_dismiss(suggestion=five, user=editor)
    five.refresh_from_db()
    assert five.status == SuggestionStatus.ACCEPTED


# --- outcomes and access ------------------------------------------------------------------


def test_outcomes_count_each_reason_by_status_in_one_query(
    demo_article, editor, django_assert_num_queries
):
    five = _find(demo_article, FIVE_TIMES)
    rounds = _find(demo_article, FORTY_ROUNDS)
    suggestion_accept(suggestion=five, user=editor)
    suggestion_dismiss(suggestion=rounds, user=editor)
    # 1 query: suggestions grouped by reason and status
    with django_assert_num_queries(1):
        outcomes = suggestion_outcomes()
    assert set(outcomes) == set(SuggestionReason.values)
    assert outcomes[five.reason]["accepted"] >= 1
    assert outcomes[rounds.reason]["dismissed"] >= 1
    total = sum(sum(by_status.values()) for by_status in outcomes.values())
    assert total == Suggestion.objects.count()


def test_get_suggestion_for_applies_the_access_rule(demo_article, editor, outsider):
    from django.core.exceptions import PermissionDenied
    from django.http import Http404

    five = _find(demo_article, FIVE_TIMES)
    assert get_suggestion_for(editor, five.pk, write=True) == five
    with pytest.raises(PermissionDenied):
        get_suggestion_for(outsider, five.pk)
    with pytest.raises(PermissionDenied):
        get_suggestion_for(outsider, 999_999)  # no role: 403 whatever the id
    for bad in (999_999, "abc", None):
        with pytest.raises(Http404):
            get_suggestion_for(editor, bad)
