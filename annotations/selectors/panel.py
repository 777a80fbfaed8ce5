"""Reads for the claim panel: the claim with everything the panel shows, and the
reviewer's latest request for changes shown at its top."""

from __future__ import annotations

from django.db.models import F, Prefetch, QuerySet

from annotations.models import Claim, ClaimSource, ClaimStatus, Comment, Review, ReviewDecision
from annotations.selectors.archives import latest_archive_annotations


def claims_for_panel() -> QuerySet[Claim]:
    """Claims with everything their panel shows, for `access.get_claim_for(queryset=…)`:
    3 queries for one claim (the claim with article, revision number, verdict and editors;
    its sources; its comments with authors)."""
    return (
        Claim.objects.select_related("article", "verdict", "created_by", "updated_by", "deleted_by")
        .annotate(revision_number=F("revision__number"))
        .prefetch_related(
            Prefetch(
                "claim_sources",
                # With each source's latest snapshot (archived, archiving, failed).
                queryset=ClaimSource.objects.select_related("source")
                .annotate(**latest_archive_annotations())
                .order_by("id"),
            ),
            Prefetch("comments", queryset=Comment.objects.select_related("author")),
        )
    )


def review_request_for(claim: Claim) -> Review | None:
    """The reviewer's latest request for changes (or reason to reopen) while the claim is
    sent back: one query then, none otherwise."""
    if claim.status != ClaimStatus.CHANGES_REQUESTED:
        return None
    return (
        Review.objects.filter(
            claim=claim,
            decision__in=[ReviewDecision.CHANGES_REQUESTED, ReviewDecision.REOPENED],
        )
        .select_related("reviewer")
        .order_by("-created_at", "-id")
        .first()
    )
