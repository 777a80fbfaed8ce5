"""OpenAPI examples and schema blocks of the exports: W3C annotations, ClaimReview, CSV.

Each block is the `extend_schema` its view wears; the examples are built with the
presenters' own pieces where they can be, so they cannot drift from what is served.
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import serializers

from annotations import limits
from annotations.presenters.w3c import ANNO_PROFILE, textual_body

# --- W3C annotations ----------------------------------------------------------------------

EXAMPLE_CONTEXT = [ANNO_PROFILE, "https://factcheck.example.org/ns/factcheck.jsonld"]
ANNOTATION_EXAMPLE = {
    "@context": EXAMPLE_CONTEXT,
    "id": "https://factcheck.example.org/api/v1/annotations/42",
    "type": "Annotation",
    "motivation": "assessing",
    "created": "2026-11-20T09:00:00+00:00",
    "modified": "2026-11-20T12:00:00+00:00",
    "creator": {"type": "Person", "nickname": "ed"},
    "body": [
        textual_body("Mostly true", "assessing", "verdict"),
        textual_body("The soldier was hit at least five times.", "describing", "statement"),
        textual_body("Hospital records list six gunshot wounds.", "commenting", "explanation"),
        textual_body("United Nations Command", "identifying", "claimant"),
        {
            "type": "SpecificResource",
            "purpose": "linking",
            "source": "https://example.org/hospital-briefing",
            "label": "Hospital briefing",
            "stance": "supports",
        },
    ],
    "target": {
        "type": "SpecificResource",
        "source": "https://edition.example.com/2026/11/22/asia/defector-video",
        "selector": [
            {
                "type": "TextQuoteSelector",
                "exact": "hit at least five times",
                "prefix": "The defector was ",
                "suffix": ", but lives.",
            },
            {"type": "TextPositionSelector", "start": 1234, "end": 1257},
        ],
    },
}
CONTAINER_EXAMPLE = {
    "@context": EXAMPLE_CONTEXT,
    "id": "https://factcheck.example.org/api/v1/annotations/",
    "type": "AnnotationCollection",
    "label": "factcheck newsroom: checked claims",
    "total": 1,
    "modified": "2026-11-20T12:00:00+00:00",
    "first": {
        "id": "https://factcheck.example.org/api/v1/annotations/?page=first",
        "type": "AnnotationPage",
        "startIndex": 0,
        "items": [ANNOTATION_EXAMPLE],
    },
    "last": "https://factcheck.example.org/api/v1/annotations/?page=last",
}
PREFER_PARAMETER = OpenApiParameter(
    "Prefer",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    description=(
        'e.g. `return=representation;include="http://www.w3.org/ns/oa#PreferContainedIRIs"` '
        "for item IRIs only; `...#PreferContainedDescriptions` (the default) for full "
        "annotations; `http://www.w3.org/ns/ldp#PreferMinimalContainer` for no items."
    ),
)

CONTAINER_GET_SCHEMA = extend_schema(
    operation_id="v1_annotations_container",
    summary="W3C annotation container",
    description=(
        "Without `page`: the `AnnotationCollection` (`total`, `first`, `last`, the first "
        "page embedded). With `page` (`first`, `last`, or the opaque token of a `next` or "
        "`prev` link): an `AnnotationPage` (`items`, `next`, `prev`, `partOf`, "
        "`startIndex`), read by keyset on the claim id, so every page costs the same. A "
        "token the API did not hand out is 400. Served as "
        '`application/ld+json; profile="http://www.w3.org/ns/anno.jsonld"` with the '
        "Web Annotation Protocol's Link, ETag, Allow and Vary headers. The filters of "
        "/api/v1/claims/ apply."
    ),
    filters=True,
    parameters=[
        OpenApiParameter(
            "page",
            OpenApiTypes.STR,
            description="`first`, `last`, or the token of a `next`/`prev` link (opaque).",
        ),
        OpenApiParameter(
            "page_size",
            OpenApiTypes.INT,
            description=f"1 to {limits.API_MAX_PAGE}, default {limits.API_PAGE}.",
        ),
        PREFER_PARAMETER,
    ],
    responses={200: OpenApiTypes.OBJECT},
    examples=[OpenApiExample("The container", value=CONTAINER_EXAMPLE, response_only=True)],
)
CONTAINER_POST_SCHEMA = extend_schema(
    summary="Import a W3C annotation as a draft claim",
    description=(
        "A W3C `Annotation` whose `target.source` is a loaded article's URL (or its page "
        "in this app) and whose selector includes a `TextQuoteSelector` (a "
        "`TextPositionSelector` is used when it still matches the current text). Bodies map "
        "back by `purpose`/`label` as in the export (Hypothesis-style comment bodies become "
        "the explanation; linked resources become sources). `201` with `Location`."
    ),
    request={"application/ld+json": OpenApiTypes.OBJECT, "application/json": OpenApiTypes.OBJECT},
    responses={201: OpenApiTypes.OBJECT},
    examples=[
        OpenApiExample("An annotation", value=ANNOTATION_EXAMPLE, request_only=True),
        OpenApiExample(
            "Created", value=ANNOTATION_EXAMPLE, response_only=True, status_codes=["201"]
        ),
    ],
)
DETAIL_SCHEMA = extend_schema(
    operation_id="v1_annotation_retrieve",
    summary="One claim as a W3C annotation",
    description="Target source = the article; selector = [TextQuoteSelector, "
    "TextPositionSelector]. Deleted claims answer 404.",
    responses={200: OpenApiTypes.OBJECT},
    examples=[OpenApiExample("An annotation", value=ANNOTATION_EXAMPLE, response_only=True)],
)

# --- ClaimReview --------------------------------------------------------------------------

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


class ClaimReviewSchema(serializers.Serializer):
    """The shape of one ClaimReview, for the OpenAPI schema (the presenter builds it)."""

    def get_fields(self) -> dict[str, Any]:
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


CLAIMREVIEW_LIST_SCHEMA = extend_schema_view(
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

# --- CSV ----------------------------------------------------------------------------------

CSV_EXAMPLE = (
    "\ufeffclaim_id,article_id,article_headline,article_url,quote,start,end,statement,claimant,"
    "verdict,rating_value,explanation,status,anchor_state,sources,created_by,reviewer,"
    "created_at,updated_at,submitted_at,reviewed_at\r\n"
    "42,7,Video shows North Korean defector’s harrowing escape,https://example.org/a,"
    "hit at least five times,1234,1257,The soldier was hit at least five times.,UNC,"
    'Mostly true,5,"Records list six wounds, not five.",approved,anchored,'
    "supports: Hospital briefing <https://example.org/b>,ed,rev,"
    "2026-11-20T09:00:00+00:00,2026-11-20T12:00:00+00:00,2026-11-20T10:00:00+00:00,"
    "2026-11-20T12:00:00+00:00\r\n"
)

CSV_EXPORT_SCHEMA = extend_schema(
    summary="Export claims as CSV",
    description=(
        "Every claim the filters of `/api/v1/claims/` select, one row each, oldest first, "
        "streamed. RFC 4180, UTF-8 with a byte-order mark; `sources` holds "
        "`stance: title <url>` entries joined by ` | `; a text cell starting with "
        "`=`, `+`, `-`, `@`, tab or CR gets a leading apostrophe so spreadsheets never run "
        "it as a formula. Unknown filter values answer 400 (JSON) before any row is sent."
    ),
    filters=True,
    responses={
        (200, "text/csv"): OpenApiResponse(
            response=OpenApiTypes.STR,
            description="The CSV file.",
            examples=[OpenApiExample("Two lines", value=CSV_EXAMPLE)],
        )
    },
)
