"""API for articles and their revisions: thin views on annotations.services.articles.

- ``GET/POST /api/v1/articles/`` — list (filters ``q``, ``outlet``, ``updated_since``)
  and load (exactly one of ``text``, ``html``, a multipart ``file`` or ``"fetch": true``
  with ``url``).
- ``GET/PATCH /api/v1/articles/{id}/`` — one article; metadata only.
- ``GET/POST /api/v1/articles/{id}/revisions/`` — every revision, oldest first; load a
  new version (answer carries the ``reanchor`` report).
"""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import Prefetch, QuerySet
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
    inline_serializer,
)
from rest_framework import generics, serializers, status
from rest_framework.exceptions import ParseError
from rest_framework.permissions import SAFE_METHODS
from rest_framework.request import Request
from rest_framework.response import Response

from annotations import limits
from annotations.access import get_article_for
from annotations.api.claims import CHECKED_BEFORE, AssigneeSerializer, ClaimSerializer
from annotations.api.examples import articles as examples
from annotations.api.pagination import CursorPage
from annotations.api.permissions import IsNewsroomMember, person
from annotations.api.serializers import ModelSerializer
from annotations.ingest import KIND_LABELS
from annotations.models import AnchorState, Article, ArticleRevision
from annotations.selectors.articles import (
    article_in_detail,
    articles_in_detail,
    articles_matching,
    articles_with_counts,
    claim_counts,
    revisions_with_text,
)
from annotations.selectors.claims import assignees, claims_of_article
from annotations.selectors.matches import confirmed_matches_of_article
from annotations.services.articles import (
    article_ingest,
    article_update_metadata,
    articles_ingest_bulk,
    revision_load,
)

# --- pagination ------------------------------------------------------------------------


class ArticlePage(CursorPage):
    ordering: Any = ("-updated_at", "-id")
    page_size = limits.API_PAGE
    max_page_size = limits.API_MAX_PAGE


class RevisionPage(CursorPage):
    ordering = "number"
    page_size = limits.API_PAGE
    max_page_size = limits.API_MAX_PAGE


# --- serializers -----------------------------------------------------------------------------


class RevisionSummarySerializer(ModelSerializer):
    class Meta:
        model = ArticleRevision
        fields = ["id", "number", "content_hash", "input_format", "source_url", "created_at"]


class RemovedPartSerializer(serializers.Serializer):
    """One removed piece: what it was and where it stood (``at``, an offset in ``text``)."""

    n = serializers.IntegerField(help_text="Its number; POST it to keep this piece.")
    # A plain string, not an enum: a second enum named "kind" (sources have one) makes
    # drf-spectacular warn, and the list of kinds may grow.
    kind = serializers.CharField(help_text="One of: " + ", ".join(sorted(KIND_LABELS)) + ".")
    text = serializers.CharField()
    at = serializers.IntegerField(
        min_value=0, help_text="Offset in `text` (code points) where the piece stood."
    )


class RevisionSerializer(ModelSerializer):
    created_by = serializers.CharField(source="created_by.get_username", read_only=True)
    removed_parts = RemovedPartSerializer(many=True, read_only=True)

    class Meta:
        model = ArticleRevision
        fields = [
            "id",
            "number",
            "text",
            "removed",
            "removed_parts",
            "content_hash",
            "input_format",
            "source_url",
            "created_by",
            "created_at",
        ]


class ClaimCountsSerializer(serializers.Serializer):
    draft = serializers.IntegerField()
    in_review = serializers.IntegerField()
    changes_requested = serializers.IntegerField()
    approved = serializers.IntegerField()
    rejected = serializers.IntegerField()


ARTICLE_FIELDS = [
    "id",
    "title",
    "url",
    "outlet",
    "byline",
    "published_at",
    "created_at",
    "updated_at",
    "current_revision",
    "claim_counts",
]


class ArticleListSerializer(ModelSerializer):
    current_revision = RevisionSummarySerializer(read_only=True)
    claim_counts = serializers.SerializerMethodField()

    class Meta:
        model = Article
        fields = ARTICLE_FIELDS

    @extend_schema_field(ClaimCountsSerializer)
    def get_claim_counts(self, article: Article) -> dict[str, int]:
        return claim_counts(article)


class ArticleSerializer(ArticleListSerializer):
    """One article with its current revision's full text, what cleaning removed, and who
    is assigned to it."""

    current_revision = RevisionSerializer(read_only=True)
    assignees = AssigneeSerializer(
        source="assignments", many=True, read_only=True, help_text="Who is assigned, editors first."
    )

    class Meta(ArticleListSerializer.Meta):
        fields = [*ARTICLE_FIELDS, "assignees"]


class ArticleWithClaimsSerializer(ArticleSerializer):
    """`GET /api/v1/articles/{id}/?include=claims`: the article and its live claims."""

    claims = ClaimSerializer(many=True, read_only=True, required=False)

    class Meta(ArticleSerializer.Meta):
        fields = [*ARTICLE_FIELDS, "assignees", "claims"]


# The service (`article_prepare`) refuses anything but exactly one way in, for the
# browser's form and the API alike: these shapes do not repeat that rule.
class ArticleLoadSerializer(serializers.Serializer):
    """Exactly one of ``text``, ``html``, ``file`` or ``fetch`` (with ``url``)."""

    text = serializers.CharField(required=False, trim_whitespace=False, allow_blank=True)
    html = serializers.CharField(required=False, trim_whitespace=False, allow_blank=True)
    file = serializers.FileField(required=False, help_text="A saved page (.html or .txt).")
    fetch = serializers.BooleanField(required=False, default=False)
    url = serializers.URLField(required=False, allow_blank=True, max_length=limits.URL)
    keep_removed = serializers.BooleanField(
        required=False, default=False, help_text="Keep what cleaning would remove."
    )


class ArticleCreateSerializer(ArticleLoadSerializer):
    title = serializers.CharField(required=False, allow_blank=True, max_length=limits.TITLE)
    outlet = serializers.CharField(required=False, allow_blank=True, max_length=limits.OUTLET)
    byline = serializers.CharField(required=False, allow_blank=True, max_length=limits.BYLINE)
    published_at = serializers.DateTimeField(required=False, allow_null=True)
    as_new_revision = serializers.BooleanField(
        required=False,
        default=False,
        help_text="When the article is already known (same URL or text), add this as its "
        "new revision instead of answering 409.",
    )


# The metadata an editor may change; any other field is handed to
# `article_update_metadata`, which refuses it (the text changes only by revision).
class ArticleMetadataSerializer(serializers.Serializer):
    title = serializers.CharField(required=False, max_length=limits.TITLE)
    url = serializers.URLField(required=False, allow_blank=True, max_length=limits.URL)
    outlet = serializers.CharField(required=False, allow_blank=True, max_length=limits.OUTLET)
    byline = serializers.CharField(required=False, allow_blank=True, max_length=limits.BYLINE)
    published_at = serializers.DateTimeField(required=False, allow_null=True)

    def service_input(self) -> dict[str, Any]:
        """The checked fields, and the unknown ones as sent, for the service to refuse."""
        unknown = {name: self.initial_data[name] for name in self.initial_data}
        for name in self.fields:
            unknown.pop(name, None)
        return {**unknown, **self.validated_data}


REANCHOR_REPORT = inline_serializer(
    "ReanchorReport",
    fields={
        "counts": inline_serializer(
            "ReanchorCounts",
            fields={state: serializers.IntegerField() for state in AnchorState.values},
        ),
        "claims": inline_serializer(
            "ReanchoredClaim",
            fields={
                "id": serializers.IntegerField(),
                "state": serializers.ChoiceField(choices=AnchorState.choices),
                "start": serializers.IntegerField(allow_null=True),
                "end": serializers.IntegerField(allow_null=True),
            },
            many=True,
        ),
    },
)


class RevisionLoadedSerializer(RevisionSerializer):
    reanchor = serializers.SerializerMethodField()

    class Meta(RevisionSerializer.Meta):
        fields = [*RevisionSerializer.Meta.fields, "reanchor"]

    @extend_schema_field(REANCHOR_REPORT)
    def get_reanchor(self, revision):
        return self.context.get("reanchor")


# --- filters ---------------------------------------------------------------------------------


class ArticleFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        method="filter_q", label="Words in the headline or the outlet (case-insensitive)."
    )
    outlet = django_filters.CharFilter(
        field_name="outlet", lookup_expr="iexact", label="The outlet, exactly (any case)."
    )
    updated_since = django_filters.IsoDateTimeFilter(
        field_name="updated_at", lookup_expr="gte", label="Only articles active since then."
    )

    class Meta:
        model = Article
        fields = ["q", "outlet", "updated_since"]

    def filter_q(self, queryset, name, value):
        return articles_matching(queryset, value)


# --- views -----------------------------------------------------------------------------------

_ERRORS = {
    400: OpenApiResponse(description="Bad input: `{field: [message], detail: message}`."),
    403: OpenApiResponse(description="No newsroom role, or not an editor."),
    413: OpenApiResponse(description="Body or article text too large."),
    415: OpenApiResponse(description="A binary file, or a URL serving neither HTML nor text."),
}


def _writes(request: Request) -> bool:
    return request.method not in SAFE_METHODS


class ArticleListCreate(generics.ListCreateAPIView):
    """Articles, newest activity first, with claim counts per status; load an article."""

    permission_classes = [IsNewsroomMember]
    pagination_class = ArticlePage
    serializer_class = ArticleListSerializer
    filterset_class = ArticleFilter

    def get_queryset(self) -> QuerySet[Article]:
        return articles_with_counts()

    @extend_schema(
        request=ArticleCreateSerializer,
        parameters=[
            OpenApiParameter(
                "as_revision",
                OpenApiTypes.INT,
                description="Load the input as a new revision of this article id.",
            )
        ],
        responses={
            201: ArticleSerializer,
            409: OpenApiResponse(description="Already loaded: `existing_id` names it."),
            **_ERRORS,
        },
        examples=examples.LOAD,
    )
    def post(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        payload = ArticleCreateSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = dict(payload.validated_data)
        target = None
        as_revision = request.query_params.get("as_revision")
        if as_revision:
            if not as_revision.isdigit():
                return Response({"as_revision": ["Give an article id."]}, status=400)
            target = get_article_for(request.user, as_revision, write=True)
        loaded = article_ingest(
            user=person(request),
            text=data.get("text"),
            html=data.get("html"),
            file=data.get("file"),
            fetch=data.get("fetch", False),
            url=data.get("url", ""),
            title=data.get("title", ""),
            outlet=data.get("outlet", ""),
            byline=data.get("byline", ""),
            published_at=data.get("published_at"),
            keep_removed=data.get("keep_removed", False),
            as_revision_of=target,
            duplicate_as_revision=data.get("as_new_revision", False),
        )
        article = get_article_for(request.user, loaded.article.pk, queryset=articles_in_detail())
        body = ArticleSerializer(article).data
        if not loaded.created:
            body["reanchor"] = loaded.reanchor
        return Response(body, status=status.HTTP_201_CREATED)


class ArticleBulkLoad(generics.GenericAPIView):
    """Many articles in one request (issue 17): each is created, a duplicate or refused on
    its own, and the answer says which, item by item."""

    permission_classes = [IsNewsroomMember]
    serializer_class = ArticleSerializer

    @extend_schema(
        summary="Load many articles",
        description=f'`{{"articles": [...]}}`, at most {limits.BULK_ARTICLES}, each with '
        "`text` or `html` and optional `title`, `url`, `outlet`, `byline`, `published_at`, "
        "`keep_removed` (URLs to fetch are loaded one by one). Answers 207 with one result per "
        "item, in order: `created` with `id`, `duplicate` with `existing_id`, or `refused` "
        "with `detail` (and `field`). A refused item changes nothing; the others still load.",
        request=inline_serializer(
            "ArticleBulkInput",
            fields={"articles": serializers.ListField(child=serializers.DictField())},
        ),
        responses={
            207: inline_serializer(
                "ArticleBulkReport",
                fields={
                    "created": serializers.IntegerField(),
                    "duplicates": serializers.IntegerField(),
                    "refused": serializers.IntegerField(),
                    "results": inline_serializer(
                        "ArticleBulkItem",
                        fields={
                            "index": serializers.IntegerField(help_text="From 1."),
                            "result": serializers.ChoiceField(
                                choices=["created", "duplicate", "refused"]
                            ),
                            "id": serializers.IntegerField(required=False),
                            "existing_id": serializers.IntegerField(required=False),
                            "detail": serializers.CharField(required=False),
                            "field": serializers.CharField(required=False),
                        },
                        many=True,
                    ),
                },
            ),
            **_ERRORS,
        },
    )
    def post(self, request: Request) -> Response:
        data = request.data
        if not isinstance(data, dict) or set(data) != {"articles"}:
            raise ParseError('Send {"articles": [...]}, a list of articles to load.')
        results = articles_ingest_bulk(user=person(request), items=data["articles"])
        counts = {kind: sum(r.result == kind for r in results) for kind in
                  ("created", "duplicate", "refused")}  # fmt: skip
        return Response(
            {
                "created": counts["created"],
                "duplicates": counts["duplicate"],
                "refused": counts["refused"],
                "results": [r.as_dict() for r in results],
            },
            status=207,
        )


class ArticleDetail(generics.RetrieveUpdateAPIView):
    """One article, its current revision (text, removed, hash) and claim counts."""

    permission_classes = [IsNewsroomMember]
    serializer_class = ArticleSerializer
    http_method_names = ["get", "patch", "head", "options"]

    def get_queryset(self) -> QuerySet[Article]:
        return articles_in_detail().prefetch_related(Prefetch("assignments", queryset=assignees()))

    def get_object(self) -> Article:
        return get_article_for(
            self.request.user,
            self.kwargs["pk"],
            write=_writes(self.request),
            queryset=self.get_queryset(),
        )

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "include",
                str,
                enum=["claims"],
                description="`claims`: the article's live claims too, in text order, each as "
                "`GET /api/v1/claims/{id}/` shows it — the article and its claims in one "
                "request.",
            )
        ],
        responses={200: ArticleWithClaimsSerializer, **_ERRORS},
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        include = request.query_params.get("include", "")
        if include not in ("", "claims"):
            raise ParseError(f"include takes one value, claims; got {include!r}.")
        article = get_article_for(request.user, self.kwargs["pk"], read=article_in_detail)
        body = ArticleSerializer(article, context=self.get_serializer_context()).data
        if include == "claims":
            claims = claims_of_article(article)
            context = {
                **self.get_serializer_context(),
                CHECKED_BEFORE: confirmed_matches_of_article(article.pk),
            }
            # One claim serializer, no list serializer: DRF's list serializer and its child
            # point at each other, a cycle holding the claims past the request until the
            # garbage collector runs (see CursorPage.get_paginated_response).
            answer = ClaimSerializer(context=context)
            body["claims"] = [answer.to_representation(claim) for claim in claims]
        return Response(body)

    @extend_schema(
        request=ArticleMetadataSerializer,
        responses={
            200: ArticleSerializer,
            409: OpenApiResponse(description="URL taken."),
            **_ERRORS,
        },
        examples=examples.METADATA,
    )
    def patch(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        article = self.get_object()
        payload = ArticleMetadataSerializer(data=request.data, partial=True)
        payload.is_valid(raise_exception=True)
        article_update_metadata(article=article, user=person(request), **payload.service_input())
        return Response(ArticleSerializer(self.get_object()).data)


class RevisionListCreate(generics.ListCreateAPIView):
    """Every revision of an article, oldest first; load a new version."""

    permission_classes = [IsNewsroomMember]
    pagination_class = RevisionPage
    serializer_class = RevisionSerializer
    filter_backends: list = []

    def _article(self) -> Article:
        # Article.objects: the current revision's text is not needed here.
        return get_article_for(
            self.request.user,
            self.kwargs["article_id"],
            write=_writes(self.request),
            queryset=Article.objects.all(),
        )

    def get_queryset(self) -> QuerySet[ArticleRevision]:
        return revisions_with_text(self._article())

    @extend_schema(
        request=ArticleLoadSerializer,
        responses={
            201: RevisionLoadedSerializer,
            409: OpenApiResponse(description="Same text as the current revision."),
            **_ERRORS,
        },
        examples=examples.REVISION_LOAD,
    )
    def post(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        article = self._article()
        payload = ArticleLoadSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        loaded = revision_load(
            article=article,
            user=person(request),
            text=data.get("text"),
            html=data.get("html"),
            file=data.get("file"),
            fetch=data.get("fetch", False),
            url=data.get("url", ""),
            keep_removed=data.get("keep_removed", False),
        )
        body = RevisionLoadedSerializer(loaded.revision, context={"reanchor": loaded.reanchor})
        return Response(body.data, status=status.HTTP_201_CREATED)
