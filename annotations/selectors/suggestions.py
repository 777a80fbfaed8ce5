"""Reads of suggested claims: a revision's list, and the outcome counts by which the
check-worthiness model is judged in use."""

from __future__ import annotations

from django.db.models import Count, Exists, OuterRef, Q, QuerySet

from annotations.models import (
    ArticleRevision,
    Claim,
    Suggestion,
    SuggestionReason,
    SuggestionStatus,
)


def _overlaps_a_live_claim() -> Exists:
    """A live claim of the suggestion's revision sharing at least one code point with it."""
    return Exists(
        Claim.objects.live().filter(
            revision_id=OuterRef("revision_id"),
            start__lt=OuterRef("end"),
            end__gt=OuterRef("start"),
        )
    )


def suggestions_for_revision(
    revision: ArticleRevision, *, include_decided: bool = False
) -> QuerySet[Suggestion]:
    """The revision's open suggestions, best first (-score, start), leaving out any that
    overlaps a live claim of the revision (someone already marked those words), in one
    query (a NOT EXISTS subquery).

    ``include_decided`` adds the accepted and dismissed ones (an accepted suggestion
    overlaps its own claim, so the overlap rule applies to open ones only).
    """
    open_and_free = Q(status=SuggestionStatus.OPEN) & ~_overlaps_a_live_claim()
    wanted = open_and_free | ~Q(status=SuggestionStatus.OPEN) if include_decided else open_and_free
    return (
        Suggestion.objects.filter(revision=revision)
        .filter(wanted)
        .order_by("-score", "start", "id")
    )


def suggestion_outcomes() -> dict[str, dict[str, int]]:
    """How many suggestions of each reason are open, accepted and dismissed, in one
    GROUP BY query; every reason and status is present (0 when none)."""
    counts = {
        reason: {status: 0 for status in SuggestionStatus.values}
        for reason in SuggestionReason.values
    }
    rows = (
        Suggestion.objects.order_by()
        .values("reason", "status")
        .annotate(n=Count("id"))
        .values_list("reason", "status", "n")
    )
    for reason, status, n in rows:
        counts.setdefault(reason, {s: 0 for s in SuggestionStatus.values})[status] = n
    return counts


__all__ = ["suggestion_outcomes", "suggestions_for_revision"]
