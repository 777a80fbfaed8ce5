"""Approved claims as schema.org ClaimReview: `GET /api/v1/claimreviews/` and the public page.

One presenter builds the markup search engines read for fact-checks, used by the API and
embedded in `/published/<article id>/`. Only what a reviewer approved is ever presented:
an approved claim as it is, or — for an approved claim that a new revision of the article
sent back to review without anyone deciding to withdraw it — the copy of the check kept
when it left (`Claim.published_check`), until a reviewer approves or rejects it again.

- `url` is the public page plus `#claim-<id>` (several claims on one page).
- `author` is the newsroom (FACTCHECK_NEWSROOM_NAME / _URL).
- `reviewRating`: `ratingValue` on the newsroom's scale, `bestRating`/`worstRating` its
  ends (verdicts rated 0, "not on the scale", carry only `alternateName`).
- `itemReviewed` is a `Claim`: `author` the claimant (an Organization when the name
  looks like one, else a Person), `datePublished` the article's publication date (left
  out when unknown: when it was loaded is not when it was said), `appearance` the
  article as a `CreativeWork` with `url` and `headline`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from types import SimpleNamespace
from typing import Any

from django.conf import settings
from django.db.models import Max, Min, Q, QuerySet
from django.urls import reverse
from django.utils.dateparse import parse_datetime
from drf_spectacular.utils import (
    OpenApiExample,
    extend_schema,
    extend_schema_view,
)
from rest_framework import generics, serializers
from rest_framework.renderers import JSONRenderer

from annotations.api.errors import JSONErrorsMixin
from annotations.api.filters import ClaimFilter
from annotations.api.pagination import CursorPage
from annotations.api.permissions import IsNewsroomMember
from annotations.api.renderers import JSONLDRenderer
from annotations.models import Claim, ClaimStatus, Stance, Verdict

_ORGANISATION_WORDS = re.compile(
    r"\b(ministry|department|agency|office|government|council|committee|command|party|"
    r"association|university|institute|police|army|navy|force|forces|company|corporation|"
    r"corp|inc|ltd|news|times|post|bank|fund|union|commission|authority|court|parliament|"
    r"congress|senate|administration|organization|organisation|group|foundation|white house|"
    r"kremlin|un|nato|who|cdc)\b",
    re.IGNORECASE,
)


def claimant_type(name: str) -> str:
    return "Organization" if _ORGANISATION_WORDS.search(name) else "Person"


def approved_claims() -> QuerySet[Claim]:
    return (
        Claim.objects.live()
        .filter(status=ClaimStatus.APPROVED)
        .select_related("article", "verdict")
    )


def published_claims() -> QuerySet[Claim]:
    """Claims whose check is public: approved ones, and approved ones a new revision sent
    back to review (they keep the check a reviewer approved until a reviewer decides)."""
    return (
        Claim.objects.live()
        .filter(Q(status=ClaimStatus.APPROVED) | Q(published_check__isnull=False))
        .select_related("article", "verdict")
    )


@dataclass
class PublishedCheck:
    """What readers see of one claim: the approved claim itself, or its kept copy.

    ``changed_at`` / ``changed_revision`` are set only for a kept copy: the article changed
    then, and the check is being re-reviewed. ``sources`` hold ClaimSource-shaped objects
    (``.source.title``, ``.get_stance_display()`` …) so one template shows both kinds.
    """

    claim: Claim
    statement: str
    exact: str
    claimant: str
    explanation: str
    verdict: Any
    reviewed_at: datetime | None
    sources: list[Any] = field(default_factory=list)
    changed_at: datetime | None = None
    changed_revision: int | None = None

    @property
    def id(self) -> int:
        return self.claim.pk

    @property
    def article(self):
        return self.claim.article


def _kept_source(data: dict[str, Any]) -> SimpleNamespace:
    stance = data.get("stance") or Stance.SUPPORTS
    label = Stance(stance).label if stance in Stance.values else str(stance)
    return SimpleNamespace(
        source=SimpleNamespace(
            title=data.get("title", ""),
            # As Source.display_title: an untitled source shows its address.
            display_title=data.get("title") or data.get("url", ""),
            url=data.get("url", ""),
            publisher=data.get("publisher", ""),
            archived_url=data.get("archived_url", ""),
        ),
        stance=stance,
        get_stance_display=lambda: label,
    )


def published_check(claim: Claim, *, with_sources: bool = False) -> PublishedCheck:
    """The check readers see for a claim of `published_claims()` (sources only when the
    caller prefetched `claim_sources`, as the public page does)."""
    kept = claim.published_check
    if kept is None:
        return PublishedCheck(
            claim=claim,
            statement=claim.statement,
            exact=claim.exact,
            claimant=claim.claimant,
            explanation=claim.explanation,
            verdict=claim.verdict,
            reviewed_at=claim.reviewed_at,
            sources=list(claim.claim_sources.all()) if with_sources else [],
        )
    verdict = kept.get("verdict")
    reviewed_at = kept.get("reviewed_at")
    changed_at = kept.get("changed_at")
    return PublishedCheck(
        claim=claim,
        statement=kept.get("statement", ""),
        exact=kept.get("exact", claim.exact),
        claimant=kept.get("claimant", ""),
        explanation=kept.get("explanation", ""),
        verdict=SimpleNamespace(**verdict) if verdict else None,
        reviewed_at=parse_datetime(reviewed_at) if reviewed_at else None,
        sources=[_kept_source(s) for s in kept.get("sources", [])],
        changed_at=parse_datetime(changed_at) if changed_at else claim.updated_at,
        changed_revision=kept.get("changed_revision"),
    )


def public_base(request: Any = None) -> str:
    if settings.FACTCHECK_PUBLIC_URL:
        return settings.FACTCHECK_PUBLIC_URL.rstrip("/")
    if request is not None:
        return request.build_absolute_uri("/").rstrip("/")
    return "http://localhost"


class ClaimReviewPresenter:
    def __init__(self, base: str) -> None:
        self.base = base
        scale = Verdict.objects.filter(rating_value__gt=0).aggregate(
            best=Max("rating_value"), worst=Min("rating_value")
        )
        self.best, self.worst = scale["best"] or 1, scale["worst"] or 1
        self.author = {
            "@type": "Organization",
            "name": settings.FACTCHECK_NEWSROOM_NAME,
            "url": settings.FACTCHECK_NEWSROOM_URL,
        }
        self.page_prefix = base + reverse("public_article", args=[0])[: -len("0/")]

    def public_url(self, claim: Claim) -> str:
        return f"{self.page_prefix}{claim.article_id}/#claim-{claim.pk}"

    def present(self, claim: Claim | PublishedCheck) -> dict[str, Any]:
        check = claim if isinstance(claim, PublishedCheck) else published_check(claim)
        article = check.claim.article
        rating: dict[str, Any] = {"@type": "Rating"}
        if check.verdict and check.verdict.rating_value > 0:
            rating.update(
                ratingValue=check.verdict.rating_value,
                bestRating=self.best,
                worstRating=self.worst,
            )
        if check.verdict:
            rating["alternateName"] = check.verdict.label
        appearance: dict[str, Any] = {
            "@type": "CreativeWork",
            # Without the original URL, the public page is where readers can see it
            # (the workspace needs a login).
            "url": article.url or f"{self.page_prefix}{article.pk}/",
            "headline": article.title,
        }
        if article.outlet:
            appearance["publisher"] = {"@type": "Organization", "name": article.outlet}
        if article.published_at:
            appearance["datePublished"] = article.published_at.date().isoformat()
        item: dict[str, Any] = {"@type": "Claim"}
        if check.claimant:
            item["author"] = {"@type": claimant_type(check.claimant), "name": check.claimant}
        if article.published_at:
            item["datePublished"] = article.published_at.date().isoformat()
        item["appearance"] = appearance
        reviewed = check.reviewed_at or check.claim.updated_at
        return {
            "@context": "https://schema.org",
            "@type": "ClaimReview",
            "url": self.public_url(check.claim),
            "claimReviewed": check.statement or check.exact,
            "datePublished": reviewed.date().isoformat(),
            "author": self.author,
            "reviewRating": rating,
            "itemReviewed": item,
            "reviewBody": check.explanation,
        }


CLAIMREVIEW_EXAMPLE = {
    "@context": "https://schema.org",
    "@type": "ClaimReview",
    "url": "https://factcheck.example.org/published/7/#claim-42",
    "claimReviewed": "The soldier was hit at least five times.",
    "datePublished": "2026-11-20",
    "author": {
        "@type": "Organization",
        "name": "factcheck newsroom",
        "url": "https://factcheck.example.org/",
    },
    "reviewRating": {
        "@type": "Rating",
        "ratingValue": 5,
        "bestRating": 6,
        "worstRating": 1,
        "alternateName": "Mostly true",
    },
    "itemReviewed": {
        "@type": "Claim",
        "author": {"@type": "Organization", "name": "United Nations Command"},
        "datePublished": "2017-11-22",
        "appearance": {
            "@type": "CreativeWork",
            "url": "https://edition.example.com/2026/11/22/asia/defector-video",
            "headline": "Video shows North Korean defector’s harrowing escape amid gunfire",
        },
    },
    "reviewBody": "Hospital records list six gunshot wounds.",
}


class ClaimReviewSerializer(serializers.BaseSerializer):
    """Wraps the presenter so the list view can paginate it like any other."""

    def to_representation(self, claim: Claim) -> dict[str, Any]:
        presenter = self.context.get("presenter")
        if presenter is None:
            presenter = ClaimReviewPresenter(public_base(self.context.get("request")))
            self.context["presenter"] = presenter
        return presenter.present(claim)


class ClaimReviewSchema(serializers.Serializer):
    """The shape of one ClaimReview, for the OpenAPI schema (the presenter builds it)."""

    def get_fields(self):
        return {
            "@context": serializers.CharField(),
            "@type": serializers.CharField(),
            "url": serializers.URLField(),
            "claimReviewed": serializers.CharField(),
            "datePublished": serializers.DateField(),
            "author": serializers.DictField(),
            "reviewRating": serializers.DictField(),
            "itemReviewed": serializers.DictField(),
            "reviewBody": serializers.CharField(),
        }


@extend_schema_view(
    get=extend_schema(
        summary="Approved claims as schema.org ClaimReview",
        filters=True,
        description=(
            "Approved claims only, newest first, each a schema.org `ClaimReview` JSON-LD "
            "(an approved claim that a new revision of its article sent back to review keeps "
            "its approved check here until a reviewer approves or rejects it again) "
            "object (`@context` https://schema.org) with claimReviewed, reviewRating, "
            "itemReviewed (a Claim with author, datePublished and appearance), author (the "
            "newsroom), datePublished and url (the public page + `#claim-<id>`). The filters "
            "of /api/v1/claims/ apply (a `status` other than approved selects nothing)."
        ),
        responses={200: ClaimReviewSchema},
        examples=[
            OpenApiExample(
                "A page of ClaimReviews",
                value=CLAIMREVIEW_EXAMPLE,
                response_only=True,
            )
        ],
    )
)
class ClaimReviewList(JSONErrorsMixin, generics.ListAPIView):
    permission_classes = [IsNewsroomMember]
    renderer_classes = [JSONRenderer, JSONLDRenderer]
    serializer_class = ClaimReviewSerializer
    filterset_class = ClaimFilter
    pagination_class = CursorPage

    def get_queryset(self) -> QuerySet[Claim]:
        return published_claims()

    def get_serializer_context(self) -> dict[str, Any]:
        context = super().get_serializer_context()
        context["presenter"] = ClaimReviewPresenter(public_base(self.request))
        return context
