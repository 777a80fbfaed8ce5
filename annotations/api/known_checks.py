"""Known checks over the API (issue 13): fact-checks published elsewhere.

    POST /api/v1/known-checks/import → the import report: 201 when something was created,
             200 when every item was already known (updated or unchanged). The body is one
             of: JSON (`application/json` or `application/ld+json`: ClaimReview JSON-LD, an
             array, a `@graph`, or Fact Check Tools `claims:search` results); an HTML page
             (`text/html`), whose embedded JSON-LD is read; or a multipart upload whose
             `file` is either. One bad item → 400 naming it, and nothing is written.
    GET  /api/v1/known-checks/ → cursor-paginated, newest import first; filters `q`,
             `publisher`, `language`, `reviewed_since`. Beside `next`, `previous` and
             `results`, `matching`: {"vectors": done, "of": total}, how many known checks
             have the vector that matching by meaning needs (they are computed after an
             import, outside requests; until then a check is matched by its words).
    GET  /api/v1/known-checks/{id}/ → one.

Reading is for newsroom members; importing for those who may edit (the service decides).
"""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import QuerySet
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from rest_framework import generics, parsers, serializers, status
from rest_framework.exceptions import ParseError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from annotations import limits
from annotations.api.examples import known_checks as examples
from annotations.api.pagination import CursorPage
from annotations.api.permissions import IsNewsroomMember, person
from annotations.api.renderers import JSONLDParser, JSONParser, MultiPartParser, SizeLimitedMixin
from annotations.api.serializers import ModelSerializer
from annotations.models import KnownCheck
from annotations.selectors.known_checks import (
    known_checks,
    known_checks_in_language,
    known_checks_matching,
)
from annotations.services.known_checks import known_checks_import
from annotations.services.matching import embedding_progress

# --- output --------------------------------------------------------------------------------


class RatingSerializer(serializers.Serializer):
    text = serializers.CharField(source="rating_text", help_text="The publisher's own words.")
    value = serializers.FloatField(source="rating_value", allow_null=True)
    best = serializers.FloatField(source="best_rating", allow_null=True)
    worst = serializers.FloatField(source="worst_rating", allow_null=True)


class PublisherSerializer(serializers.Serializer):
    name = serializers.CharField(source="publisher_name")
    url = serializers.CharField(source="publisher_url")


class KnownCheckSerializer(ModelSerializer):
    """A fact-check published elsewhere, as API.md promises it."""

    rating = RatingSerializer(source="*", read_only=True)
    publisher = PublisherSerializer(source="*", read_only=True)
    date = serializers.DateField(
        source="review_date", allow_null=True, help_text="When the review was published."
    )

    class Meta:
        model = KnownCheck
        fields = [
            "id",
            "claim_reviewed",
            "claimant",
            "rating",
            "publisher",
            "url",
            "date",
            "language",
            "title",
            "imported_at",
            "updated_at",
        ]
        read_only_fields = fields


IMPORT_REPORT = inline_serializer(
    "KnownCheckImportReport",
    fields={
        "created": serializers.IntegerField(),
        "updated": serializers.IntegerField(),
        "unchanged": serializers.IntegerField(),
        "duplicates": serializers.IntegerField(
            help_text="Items whose URL a later item of the same import has (it is kept)."
        ),
        "ignored": serializers.IntegerField(
            help_text="JSON-LD objects of other types, left alone."
        ),
        "items": inline_serializer(
            "KnownCheckImportItem",
            fields={
                "index": serializers.IntegerField(help_text="Counting from 1, in order found."),
                "url": serializers.CharField(),
                "result": serializers.ChoiceField(
                    choices=["created", "updated", "unchanged", "duplicate"]
                ),
                "id": serializers.IntegerField(allow_null=True),
            },
            many=True,
        ),
    },
)


class KnownCheckUploadSerializer(serializers.Serializer):
    file = serializers.FileField(help_text="A JSON / JSON-LD file, or a saved HTML page.")


# --- input ---------------------------------------------------------------------------------


class _RawBody(parsers.BaseParser):
    def parse(self, stream, media_type=None, parser_context=None):
        return stream.read() if stream is not None else b""


class HTMLParser(SizeLimitedMixin, _RawBody):
    """A page as the body (`text/html`): the service reads its embedded JSON-LD."""

    media_type = "text/html"

    def parse(self, stream, media_type=None, parser_context=None):
        body = super().parse(stream, media_type, parser_context)  # after the size check
        try:
            return body.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise ParseError("The HTML page is not UTF-8 text.") from None


class KnownCheckFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        method="filter_q",
        max_length=limits.SEARCH,
        help_text="Words in the claim reviewed or the claimant (case-insensitive).",
    )
    publisher = django_filters.CharFilter(
        field_name="publisher_name",
        lookup_expr="iexact",
        max_length=limits.PUBLISHER,
        help_text="The publisher's name, exactly (any case).",
    )
    language = django_filters.CharFilter(
        method="filter_language",
        max_length=limits.LANGUAGE_TAG,
        help_text='A BCP 47 tag: "en" finds "en" and "en-GB".',
    )
    reviewed_since = django_filters.DateFilter(
        field_name="review_date",
        lookup_expr="gte",
        help_text="Only reviews published on or after this date (YYYY-MM-DD).",
    )

    class Meta:
        model = KnownCheck
        fields = ["q", "publisher", "language", "reviewed_since"]

    def filter_q(self, queryset, name, value):
        return known_checks_matching(queryset, value)

    def filter_language(self, queryset, name, value):
        return known_checks_in_language(queryset, value)


# --- views ---------------------------------------------------------------------------------


class KnownCheckPage(CursorPage):
    """A cursor page, plus how far the vectors are computed (`matching`)."""

    def get_paginated_response(self, data: Any) -> Response:
        response = super().get_paginated_response(data)
        progress = embedding_progress()
        response.data["matching"] = {"vectors": progress.done, "of": progress.total}
        return response

    def get_paginated_response_schema(self, schema: dict[str, Any]) -> dict[str, Any]:
        paginated = super().get_paginated_response_schema(schema)
        paginated["properties"]["matching"] = {
            "type": "object",
            "description": "How many known checks (all of them, not only this page's) have "
            "the vector matching by meaning needs; the rest are matched by their words "
            "until the background fill reaches them.",
            "properties": {
                "vectors": {"type": "integer", "example": 10375},
                "of": {"type": "integer", "example": 10375},
            },
            "required": ["vectors", "of"],
        }
        paginated.setdefault("required", []).append("matching")
        return paginated


class KnownCheckList(generics.ListAPIView):
    """Fact-checks published elsewhere, newest import first."""

    permission_classes = [IsNewsroomMember]
    serializer_class = KnownCheckSerializer
    filterset_class = KnownCheckFilter
    pagination_class = KnownCheckPage

    def get_queryset(self) -> QuerySet[KnownCheck]:
        return known_checks()

    @extend_schema(summary="List known checks", examples=examples.LIST)
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)


class KnownCheckDetail(generics.RetrieveAPIView):
    permission_classes = [IsNewsroomMember]
    serializer_class = KnownCheckSerializer

    def get_queryset(self) -> QuerySet[KnownCheck]:
        return known_checks()

    @extend_schema(summary="One known check", examples=examples.DETAIL)
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)


class KnownCheckImport(APIView):
    """Import ClaimReviews, all or nothing, as `import_claimreviews` does."""

    permission_classes = [IsNewsroomMember]
    parser_classes = [JSONParser, JSONLDParser, HTMLParser, MultiPartParser]

    @extend_schema(
        summary="Import known checks (schema.org ClaimReview)",
        request={
            "application/json": OpenApiTypes.OBJECT,
            "application/ld+json": OpenApiTypes.OBJECT,
            "text/html": OpenApiTypes.STR,
            "multipart/form-data": KnownCheckUploadSerializer,
        },
        responses={
            200: IMPORT_REPORT,
            201: IMPORT_REPORT,
            400: OpenApiResponse(
                OpenApiTypes.OBJECT,
                description="`detail` names the bad item (its number and URL) and what is "
                "wrong with it; `item` and `item_url` repeat them. Nothing was written.",
            ),
            403: OpenApiResponse(OpenApiTypes.OBJECT, description="No role, or may not edit."),
        },
        examples=examples.IMPORT,
    )
    def post(self, request: Request) -> Response:
        data: Any = request.data
        if request.content_type.startswith("multipart/"):
            upload = KnownCheckUploadSerializer(data=request.data)
            upload.is_valid(raise_exception=True)
            data = upload.validated_data["file"].read()
        elif not isinstance(data, str if request.content_type.startswith("text/") else dict | list):
            raise ParseError("Send a JSON object or array, an HTML page, or a file upload.")
        report = known_checks_import(data=data, user=person(request))
        answer = status.HTTP_201_CREATED if report.created else status.HTTP_200_OK
        return Response(report.as_dict(), status=answer)
