"""Approved claims as schema.org ClaimReview: `GET /api/v1/claimreviews/` and the public page.

One presenter builds the markup search engines read for fact-checks, used by the API and
embedded in `/published/<article id>/`. Only approved claims are ever presented.

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
from typing import Any

from django.conf import settings
from django.db.models import Max, Min, QuerySet
from django.urls import reverse
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
from annotations.models import Claim, ClaimStatus, Verdict

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
    return Claim.objects.filter(
        deleted_at__isnull=True, status=ClaimStatus.APPROVED
    ).select_related("article", "verdict")


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

    def present(self, claim: Claim) -> dict[str, Any]:
        article = claim.article
        rating: dict[str, Any] = {"@type": "Rating"}
        if claim.verdict and claim.verdict.rating_value > 0:
            rating.update(
                ratingValue=claim.verdict.rating_value,
                bestRating=self.best,
                worstRating=self.worst,
            )
        if claim.verdict:
            rating["alternateName"] = claim.verdict.label
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
        if claim.claimant:
            item["author"] = {"@type": claimant_type(claim.claimant), "name": claim.claimant}
        if article.published_at:
            item["datePublished"] = article.published_at.date().isoformat()
        item["appearance"] = appearance
        reviewed = claim.reviewed_at or claim.updated_at
        return {
            "@context": "https://schema.org",
            "@type": "ClaimReview",
            "url": self.public_url(claim),
            "claimReviewed": claim.statement or claim.exact,
            "datePublished": reviewed.date().isoformat(),
            "author": self.author,
            "reviewRating": rating,
            "itemReviewed": item,
            "reviewBody": claim.explanation,
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
        return approved_claims()

    def get_serializer_context(self) -> dict[str, Any]:
        context = super().get_serializer_context()
        context["presenter"] = ClaimReviewPresenter(public_base(self.request))
        return context
