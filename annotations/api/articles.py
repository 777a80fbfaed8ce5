"""API for articles and their revisions: thin views on annotations.services.articles.

- ``GET/POST /api/v1/articles/`` — list (filters ``q``, ``outlet``, ``updated_since``)
  and load (exactly one of ``text``, ``html``, a multipart ``file`` or ``"fetch": true``
  with ``url``).
- ``GET/PATCH /api/v1/articles/{id}/`` — one article; metadata only.
- ``GET/POST /api/v1/articles/{id}/revisions/`` — every revision, oldest first; load a
  new version (answer carries the ``reanchor`` report).
"""

from __future__ import annotations

import django_filters
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
    inline_serializer,
)
from rest_framework import generics, serializers, status
from rest_framework.permissions import SAFE_METHODS, BasePermission
from rest_framework.request import Request
from rest_framework.response import Response

from annotations.api.pagination import CursorPage
from annotations.api.permissions import IsNewsroomMember
from annotations.ingest import KIND_LABELS
from annotations.models import AnchorState, Article, ArticleRevision
from annotations.roles import may_edit
from annotations.selectors.articles import articles_matching, articles_with_counts, claim_counts
from annotations.services.articles import (
    METADATA_FIELDS,
    article_ingest,
    article_update_metadata,
    revision_load,
)

# --- permissions, pagination -------------------------------------------------------


class IsEditorOrReadOnly(BasePermission):
    """Newsroom members read; editors (and reviewers, who are senior editors) write."""

    message = "Only editors may load or change articles."

    def has_permission(self, request, view) -> bool:
        return request.method in SAFE_METHODS or may_edit(request.user)


class ArticlePage(CursorPage):
    ordering = ("-updated_at", "-id")


class RevisionPage(CursorPage):
    ordering = ("number",)


# --- serializers -----------------------------------------------------------------------------


class RevisionSummarySerializer(serializers.ModelSerializer):
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


class RevisionSerializer(serializers.ModelSerializer):
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


class ArticleListSerializer(serializers.ModelSerializer):
    current_revision = RevisionSummarySerializer(read_only=True)
    claim_counts = serializers.SerializerMethodField()

    class Meta:
        model = Article
        fields = ARTICLE_FIELDS

    @extend_schema_field(ClaimCountsSerializer)
    def get_claim_counts(self, article: Article) -> dict[str, int]:
        return claim_counts(article)


class ArticleSerializer(ArticleListSerializer):
    """One article with its current revision's full text and what cleaning removed."""

    current_revision = RevisionSerializer(read_only=True)


class ArticleLoadSerializer(serializers.Serializer):
    """Exactly one of ``text``, ``html``, ``file`` or ``fetch`` (with ``url``)."""

    text = serializers.CharField(required=False, trim_whitespace=False, allow_blank=True)
    html = serializers.CharField(required=False, trim_whitespace=False, allow_blank=True)
    file = serializers.FileField(required=False, help_text="A saved page (.html or .txt).")
    fetch = serializers.BooleanField(required=False, default=False)
    url = serializers.URLField(required=False, allow_blank=True, max_length=2000)
    keep_removed = serializers.BooleanField(
        required=False, default=False, help_text="Keep what cleaning would remove."
    )

    def validate(self, attrs):
        given = [n for n in ("text", "html", "file") if n in attrs] + (
            ["fetch"] if attrs.get("fetch") else []
        )
        if len(given) != 1:
            raise serializers.ValidationError(
                {
                    "detail": "Give exactly one of: text, html, file, or fetch: true with url"
                    + (f" (got {', '.join(given)})." if given else ".")
                }
            )
        if attrs.get("fetch") and not attrs.get("url"):
            raise serializers.ValidationError({"url": ["Give the url to fetch."]})
        return attrs


class ArticleCreateSerializer(ArticleLoadSerializer):
    title = serializers.CharField(required=False, allow_blank=True, max_length=500)
    outlet = serializers.CharField(required=False, allow_blank=True, max_length=200)
    byline = serializers.CharField(required=False, allow_blank=True, max_length=300)
    published_at = serializers.DateTimeField(required=False, allow_null=True)
    as_new_revision = serializers.BooleanField(
        required=False,
        default=False,
        help_text="When the article is already known (same URL or text), add this as its "
        "new revision instead of answering 409.",
    )


class ArticleMetadataSerializer(serializers.Serializer):
    title = serializers.CharField(required=False, max_length=500)
    url = serializers.URLField(required=False, allow_blank=True, max_length=2000)
    outlet = serializers.CharField(required=False, allow_blank=True, max_length=200)
    byline = serializers.CharField(required=False, allow_blank=True, max_length=300)
    published_at = serializers.DateTimeField(required=False, allow_null=True)

    def validate(self, attrs):
        unknown = sorted(set(self.initial_data) - set(METADATA_FIELDS))
        if unknown:
            raise serializers.ValidationError(
                {
                    name: [
                        "Only title, url, outlet, byline and published_at can be changed; "
                        "the text changes only through a new revision (POST "
                        "/api/v1/articles/{id}/revisions/)."
                    ]
                    for name in unknown
                }
            )
        return attrs


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

_LOAD_EXAMPLES = [
    OpenApiExample(
        "Pasted text",
        value={"text": "Headline\n\nFirst paragraph …", "outlet": "CNN"},
        request_only=True,
    ),
    OpenApiExample(
        "Pasted HTML",
        value={
            "html": "<html><head><title>Headline</title></head><body>…</body></html>",
            "url": "https://news.example/story",
        },
        request_only=True,
    ),
    OpenApiExample(
        "Fetch a URL",
        value={"fetch": True, "url": "https://news.example/story"},
        request_only=True,
    ),
    OpenApiExample(
        "Already known",
        value={
            "detail": "This article is already loaded, with the same web address: “Headline”. "
            "Open it, or load this as a new revision of it.",
            "existing_id": 7,
            "existing_title": "Headline",
        },
        response_only=True,
        status_codes=["409"],
    ),
    OpenApiExample(
        "Too large",
        value={
            "detail": "The text is too long to load (2,100,000 characters; the limit is 2,000,000).",  # noqa: E501
            "text": [
                "The text is too long to load (2,100,000 characters; the limit is 2,000,000)."
            ],
            "code": "too_large",
        },
        response_only=True,
        status_codes=["413"],
    ),
]

_ERRORS = {
    400: OpenApiResponse(description="Bad input: `{field: [message], detail: message}`."),
    403: OpenApiResponse(description="No newsroom role, or not an editor."),
    413: OpenApiResponse(description="Body or article text too large."),
    415: OpenApiResponse(description="A binary file, or a URL serving neither HTML nor text."),
}


class ArticleListCreate(generics.ListCreateAPIView):
    """Articles, newest activity first, with claim counts per status; load an article."""

    permission_classes = [IsNewsroomMember, IsEditorOrReadOnly]
    pagination_class = ArticlePage
    serializer_class = ArticleListSerializer
    filterset_class = ArticleFilter

    def get_queryset(self):
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
        examples=_LOAD_EXAMPLES,
    )
    def post(self, request: Request, *args, **kwargs) -> Response:
        payload = ArticleCreateSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = dict(payload.validated_data)
        target = None
        as_revision = request.query_params.get("as_revision")
        if as_revision:
            if not as_revision.isdigit():
                return Response({"as_revision": ["Give an article id."]}, status=400)
            target = get_object_or_404(Article, pk=int(as_revision))
        loaded = article_ingest(
            user=request.user,
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
        article = articles_with_counts().get(pk=loaded.article.pk)
        body = ArticleSerializer(article).data
        if not loaded.created:
            body["reanchor"] = loaded.reanchor
        return Response(body, status=status.HTTP_201_CREATED)


class ArticleDetail(generics.RetrieveUpdateAPIView):
    """One article, its current revision (text, removed, hash) and claim counts."""

    permission_classes = [IsNewsroomMember, IsEditorOrReadOnly]
    serializer_class = ArticleSerializer
    http_method_names = ["get", "patch", "head", "options"]

    def get_queryset(self):
        return articles_with_counts().select_related("current_revision__created_by")

    @extend_schema(
        request=ArticleMetadataSerializer,
        responses={
            200: ArticleSerializer,
            409: OpenApiResponse(description="URL taken."),
            **_ERRORS,
        },
        examples=[
            OpenApiExample("New headline", value={"title": "A better headline"}, request_only=True)
        ],
    )
    def patch(self, request: Request, *args, **kwargs) -> Response:
        article = self.get_object()
        payload = ArticleMetadataSerializer(data=request.data, partial=True)
        payload.is_valid(raise_exception=True)
        article_update_metadata(article=article, user=request.user, **payload.validated_data)
        return Response(ArticleSerializer(self.get_queryset().get(pk=article.pk)).data)


class RevisionListCreate(generics.ListCreateAPIView):
    """Every revision of an article, oldest first; load a new version."""

    permission_classes = [IsNewsroomMember, IsEditorOrReadOnly]
    pagination_class = RevisionPage
    serializer_class = RevisionSerializer
    filter_backends: list = []

    def _article(self) -> Article:
        return get_object_or_404(Article, pk=self.kwargs["article_id"])

    def get_queryset(self):
        article = self._article()
        return ArticleRevision.objects.filter(article=article).select_related("created_by")

    @extend_schema(
        request=ArticleLoadSerializer,
        responses={
            201: RevisionLoadedSerializer,
            409: OpenApiResponse(description="Same text as the current revision."),
            **_ERRORS,
        },
        examples=[
            OpenApiExample(
                "New text", value={"text": "Headline\n\nUpdated paragraph …"}, request_only=True
            ),
            OpenApiExample(
                "Loaded",
                value={
                    "id": 12,
                    "number": 2,
                    "text": "…",
                    "removed": "",
                    "removed_parts": [],
                    "content_hash": "…",
                    "input_format": "text",
                    "source_url": "",
                    "created_by": "ed",
                    "created_at": "2026-11-22T09:30:00Z",
                    "reanchor": {
                        "counts": {"anchored": 3, "moved": 1, "fuzzy": 0, "orphaned": 0},
                        "claims": [{"id": 5, "state": "moved", "start": 120, "end": 161}],
                    },
                },
                response_only=True,
                status_codes=["201"],
            ),
        ],
    )
    def post(self, request: Request, *args, **kwargs) -> Response:
        article = self._article()
        payload = ArticleLoadSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        loaded = revision_load(
            article=article,
            user=request.user,
            text=data.get("text"),
            html=data.get("html"),
            file=data.get("file"),
            fetch=data.get("fetch", False),
            url=data.get("url", ""),
            keep_removed=data.get("keep_removed", False),
        )
        body = RevisionLoadedSerializer(loaded.revision, context={"reanchor": loaded.reanchor})
        return Response(body.data, status=status.HTTP_201_CREATED)
