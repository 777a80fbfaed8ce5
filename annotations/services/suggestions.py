"""Suggested claims: computing them for a revision, accepting one, dismissing one.

The check-worthiness engine (`annotations.checkworthiness.suggest`) proposes spans; these
services store them and record what a person decided. A suggestion never becomes a claim
by itself: `suggestion_accept` creates a draft claim through `claim_create`, so every rule
a claim obeys holds for it too.

Locks follow the one order (services.locks): the article first, then the suggestion.
"""

from __future__ import annotations

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from annotations import limits
from annotations.anchoring import context_for
from annotations.checkworthiness import suggest
from annotations.models import (
    Article,
    ArticleRevision,
    Claim,
    Suggestion,
    SuggestionStatus,
)
from annotations.roles import EDIT_REFUSED, may_edit
from annotations.services.claims import claim_create
from annotations.services.errors import NotAllowed, WorkflowError
from annotations.services.locks import article_lock

__all__ = [
    "MAX_SUGGESTIONS",
    "suggestion_accept",
    "suggestion_dismiss",
    "suggestion_statement",
    "suggestions_compute",
]


#: At most this many suggestions are stored per revision, the best first: an ordinary article
#: has tens; a very long text (a 2 MB transcript) would otherwise store thousands nobody reads.
MAX_SUGGESTIONS = 300


def _require_editor(user: User) -> None:
    if not may_edit(user):
        raise NotAllowed(EDIT_REFUSED.format(action="accept or dismiss suggestions"))


@transaction.atomic
def suggestions_compute_once(*, revision_id: int) -> list[Suggestion]:
    """The suggestions of a revision loaded in bulk, by the job its load enqueued: computed
    unless the revision has some already (a job that ran twice stores them once; the
    revision row is locked so two runs at once cannot both store them)."""
    revision = ArticleRevision.objects.select_for_update().get(pk=revision_id)
    Article.objects.filter(pk=revision.article_id, current_revision=revision).update(
        suggestions_pending=False
    )
    if Suggestion.objects.filter(revision_id=revision_id).exists():
        return []
    return suggestions_compute(revision=revision)


def suggestions_compute(*, revision: ArticleRevision) -> list[Suggestion]:
    """Run the engine on the revision's text and store its suggestions, best first (at
    most ``MAX_SUGGESTIONS``).

    A suggestion whose words and context (exact, prefix, suffix) equal those of a
    dismissed suggestion of the same article stays dismissed (nobody decided it again, so
    decided_by/at stay empty). Empty or one-word text stores nothing.

    Not atomic by itself (a savepoint would cost two queries per load): the loading
    transaction that stores the revision runs it. Queries: none when the engine finds
    nothing; otherwise one INSERT, plus one SELECT of the article's dismissals when the
    revision is not the article's first (a first revision has nothing to carry over).
    """
    text = revision.text
    found = suggest(text, limit=MAX_SUGGESTIONS)
    if not found:
        return []
    dismissed: set[tuple[str, str, str]] = set()
    if revision.number > 1:
        dismissed = set(
            Suggestion.objects.filter(
                article_id=revision.article_id, status=SuggestionStatus.DISMISSED
            ).values_list("exact", "prefix", "suffix")
        )
    rows = []
    for item in found:
        prefix, suffix = context_for(text, item.start, item.end)
        status = (
            SuggestionStatus.DISMISSED
            if (item.exact, prefix, suffix) in dismissed
            else SuggestionStatus.OPEN
        )
        rows.append(
            Suggestion(
                article_id=revision.article_id,
                revision=revision,
                exact=item.exact,
                prefix=prefix,
                suffix=suffix,
                start=item.start,
                end=item.end,
                sentence_start=item.sentence_start,
                sentence_end=item.sentence_end,
                score=item.score,
                reason=item.reason,
                status=status,
            )
        )
    return Suggestion.objects.bulk_create(rows)


def suggestion_statement(text: str, suggestion: Suggestion) -> str:
    """The accepted claim's statement: the suggestion's sentence, white space collapsed
    (as `statement_default` does); the quote itself when the sentence is too long."""
    sentence = " ".join(text[suggestion.sentence_start : suggestion.sentence_end].split())
    if not sentence or len(sentence) > limits.STATEMENT:
        return suggestion.exact
    return sentence


def _lock(suggestion: Suggestion) -> tuple[Suggestion, int | None]:
    """Lock the article, then the suggestion; return the locked suggestion (with its
    revision and article) and the article's current revision id as of the lock."""
    current_revision_id = article_lock(suggestion.article_id)
    locked = (
        Suggestion.objects.select_for_update(of=("self",))
        .select_related("revision", "article")
        .get(pk=suggestion.pk)
    )
    return locked, current_revision_id


def _ensure_current(suggestion: Suggestion, current_revision_id: int | None, verb: str) -> None:
    if suggestion.revision_id != current_revision_id:
        raise WorkflowError(
            f"This suggestion is on revision {suggestion.revision.number}, and the article "
            f"has a newer revision: it can no longer be {verb}. Reload the article to see "
            "the current suggestions."
        )


def _already_accepted(suggestion: Suggestion) -> WorkflowError:
    return WorkflowError(
        f"This suggestion was already accepted as claim {suggestion.claim_id}.",
        claim=suggestion.claim_id,
    )


@transaction.atomic
def suggestion_accept(*, suggestion: Suggestion, user: User) -> Claim:
    """Accept an open suggestion of the article's current revision: a draft claim with
    its selector, and the sentence as the statement. Records who accepted it and when.

    Raises NotAllowed without edit rights, WorkflowError when the suggestion was already
    accepted (naming the claim) or dismissed, or the article has a newer revision. The
    suggestion row is locked, so a double accept makes one claim.
    """
    _require_editor(user)
    suggestion, current_revision_id = _lock(suggestion)
    if suggestion.status == SuggestionStatus.ACCEPTED:
        raise _already_accepted(suggestion)
    if suggestion.status == SuggestionStatus.DISMISSED:
        raise WorkflowError(
            "This suggestion was dismissed; it can no longer be accepted. Select the words "
            "to make a claim of them instead."
        )
    _ensure_current(suggestion, current_revision_id, "accepted")
    revision = suggestion.revision
    claim = claim_create(
        article=suggestion.article,
        user=user,
        revision=revision,
        selector={
            "exact": suggestion.exact,
            "prefix": suggestion.prefix,
            "suffix": suggestion.suffix,
            "start": suggestion.start,
            "end": suggestion.end,
        },
        statement=suggestion_statement(revision.text, suggestion),
    )
    suggestion.status = SuggestionStatus.ACCEPTED
    suggestion.decided_by = user
    suggestion.decided_at = timezone.now()
    suggestion.claim = claim
    suggestion.save(update_fields=["status", "decided_by", "decided_at", "claim"])
    return claim


@transaction.atomic
def suggestion_dismiss(*, suggestion: Suggestion, user: User) -> Suggestion:
    """Dismiss an open suggestion of the article's current revision, recording who and
    when; later revisions keep it dismissed where its words did not change.

    Dismissing a dismissed suggestion changes nothing and answers with it; an accepted
    one, or one of an older revision, is a WorkflowError.
    """
    _require_editor(user)
    suggestion, current_revision_id = _lock(suggestion)
    if suggestion.status == SuggestionStatus.DISMISSED:
        return suggestion
    if suggestion.status == SuggestionStatus.ACCEPTED:
        raise _already_accepted(suggestion)
    _ensure_current(suggestion, current_revision_id, "dismissed")
    suggestion.status = SuggestionStatus.DISMISSED
    suggestion.decided_by = user
    suggestion.decided_at = timezone.now()
    suggestion.save(update_fields=["status", "decided_by", "decided_at"])
    return suggestion
