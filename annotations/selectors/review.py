"""Reads for the review workflow: the reviewer's queue, the editor's queue, the counts.

Each list is one query for the claims (with their article, revision, verdict and people)
plus one for all their sources, however long the list grows.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Count, OuterRef, Prefetch, QuerySet, Subquery

from annotations.models import Claim, ClaimSource, ClaimStatus, Review, ReviewDecision

#: At most this many characters of the sentence are shown on each side of the quote.
CONTEXT_LIMIT = 300
_SENTENCE_END = re.compile(r"[.!?…][\"'”’)\]]*\s+|\n")


@dataclass(frozen=True)
class QuoteInContext:
    """The sentence a quote sits in, split around the quote for display."""

    before: str
    exact: str
    after: str


def quote_in_context(text: str, start: int, end: int) -> QuoteInContext:
    """The sentence (or sentences) around text[start:end], cut at CONTEXT_LIMIT a side."""
    sentence_start = 0
    for match in _SENTENCE_END.finditer(text, 0, start):
        sentence_start = match.end()
    after_match = _SENTENCE_END.search(text, end)
    sentence_end = after_match.start() + 1 if after_match else len(text)
    if after_match and text[after_match.start()] == "\n":
        sentence_end = after_match.start()
    sentence_end = max(sentence_end, end)
    before = text[sentence_start:start]
    after = text[end:sentence_end]
    if len(before) > CONTEXT_LIMIT:
        before = "…" + before[-CONTEXT_LIMIT:].lstrip()
    if len(after) > CONTEXT_LIMIT:
        after = after[:CONTEXT_LIMIT].rstrip() + "…"
    return QuoteInContext(before.lstrip(), text[start:end], after.rstrip())


def _latest_review(field: str, *decisions: str) -> Subquery:
    reviews = Review.objects.filter(claim=OuterRef("pk"))
    if decisions:
        reviews = reviews.filter(decision__in=decisions)
    return Subquery(reviews.order_by("-created_at", "-id").values(field)[:1])


def claims_with_details(claims: QuerySet[Claim]) -> QuerySet[Claim]:
    return (
        claims.select_related("article", "revision", "verdict", "created_by", "updated_by")
        .defer("revision__raw", "revision__removed")
        .prefetch_related(
            Prefetch(
                "claim_sources",
                queryset=ClaimSource.objects.select_related("source").order_by("id"),
            )
        )
        .annotate(
            last_review_comment=_latest_review("comment"),
            last_review_decision=_latest_review("decision"),
            last_reviewer=_latest_review("reviewer__username"),
        )
    )


def live_claims() -> QuerySet[Claim]:
    return Claim.objects.filter(deleted_at__isnull=True)


def review_queue() -> QuerySet[Claim]:
    """Every claim in review, across articles, the longest waiting first."""
    return claims_with_details(live_claims().filter(status=ClaimStatus.IN_REVIEW)).order_by(
        "submitted_at", "id"
    )


def status_counts() -> dict[str, int]:
    """How many live claims there are in each status (every status present, 0 if none)."""
    counts = dict.fromkeys(ClaimStatus.values, 0)
    rows = live_claims().values("status").annotate(n=Count("id")).order_by()
    counts.update({row["status"]: row["n"] for row in rows})
    return counts


def claims_for_editor(user: AbstractBaseUser) -> dict[str, list[Claim]]:
    """The editor's own open claims, grouped: those sent back first (with the reviewer's
    comment), then drafts, then those waiting for a reviewer. One query plus sources."""
    groups: dict[str, list[Claim]] = {
        ClaimStatus.CHANGES_REQUESTED: [],
        ClaimStatus.DRAFT: [],
        ClaimStatus.IN_REVIEW: [],
    }
    claims = claims_with_details(
        live_claims().filter(created_by=user, status__in=list(groups))
    ).annotate(
        request_comment=_latest_review(
            "comment", ReviewDecision.CHANGES_REQUESTED, ReviewDecision.REOPENED
        ),
        request_reviewer=_latest_review(
            "reviewer__username", ReviewDecision.CHANGES_REQUESTED, ReviewDecision.REOPENED
        ),
    )
    for claim in claims.order_by("-updated_at", "-id"):
        groups[claim.status].append(claim)
    return groups


def latest_request(claim: Claim) -> Review | None:
    """The reviewer's latest request for changes (or reason to reopen), if any."""
    return (
        Review.objects.filter(
            claim=claim,
            decision__in=[ReviewDecision.CHANGES_REQUESTED, ReviewDecision.REOPENED],
        )
        .select_related("reviewer")
        .order_by("-created_at", "-id")
        .first()
    )
