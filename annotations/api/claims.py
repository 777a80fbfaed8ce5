"""Claims, their sources and comments over the API (API.md § Claims).

Input serializers check the shape of a request; the services in
`annotations.services.claims` apply every rule (selector on real text, editable status,
stale version, roles); output serializers shape the answer. `ClaimSerializer` is the one
answer for a claim everywhere (the workflow endpoints return it too).
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable, Mapping
from typing import Any

from django.conf import settings
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
    extend_schema_view,
)
from rest_framework import ISO_8601, generics, serializers, status
from rest_framework.exceptions import NotFound, ParseError, ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.settings import api_settings

from annotations import limits
from annotations.access import get_claim_for
from annotations.api.examples import claims as examples
from annotations.api.filters import ClaimFilter
from annotations.api.pagination import CursorPage
from annotations.api.permissions import IsNewsroomMember, person
from annotations.api.serializers import ModelSerializer
from annotations.models import (
    Article,
    ArticleRevision,
    Assignment,
    AssignmentRole,
    Claim,
    ClaimSource,
    Comment,
    Review,
    SourceKind,
    Stance,
)
from annotations.selectors.articles import article_to_quote
from annotations.selectors.claims import (
    CLAIM_SORTS,
    claims_sorted,
    claims_with_sources_and_reviews,
    comments_on_claim,
    source_of_claim,
    sources_of_claim,
)
from annotations.selectors.matches import KNOWN_CHECK, OUR_CHECK, Confirmed, confirmed_matches
from annotations.services import claims as claim_services

# --- Output -------------------------------------------------------------------------------


class SelectorSerializer(serializers.Serializer):
    """W3C TextQuoteSelector + TextPositionSelector, in code points of the revision text."""

    exact = serializers.CharField(help_text="The quoted words, exactly.")
    prefix = serializers.CharField(help_text="Up to 32 characters before the quote.")
    suffix = serializers.CharField(help_text="Up to 32 characters after the quote.")
    start = serializers.IntegerField(help_text="Offset of the first character.")
    end = serializers.IntegerField(help_text="Offset after the last character (exclusive).")


class ClaimSourceSerializer(serializers.Serializer):
    """A source as attached to a claim: the evidence and the stance it takes."""

    id = serializers.IntegerField(source="source_id", help_text="The source's id.")
    url = serializers.CharField(source="source.url")
    title = serializers.CharField(source="source.title")
    publisher = serializers.CharField(source="source.publisher")
    excerpt = serializers.CharField(source="source.excerpt")
    kind = serializers.ChoiceField(choices=SourceKind.choices, source="source.kind")
    stance = serializers.ChoiceField(choices=Stance.choices)
    accessed_at = serializers.DateField(source="source.accessed_at", allow_null=True)
    archived_url = serializers.CharField(source="source.archived_url")
    created_at = serializers.DateTimeField()


class ReviewSerializer(ModelSerializer):
    reviewer = serializers.SlugRelatedField(slug_field="username", read_only=True)

    class Meta:
        model = Review
        fields = ["id", "reviewer", "decision", "comment", "created_at"]


class CommentSerializer(ModelSerializer):
    author = serializers.SlugRelatedField(slug_field="username", read_only=True)

    class Meta:
        model = Comment
        fields = ["id", "author", "body", "created_at"]


class AssigneeSerializer(ModelSerializer):
    """Someone assigned to a claim or an article (issue 16)."""

    user = serializers.SlugRelatedField(source="person", slug_field="username", read_only=True)
    role = serializers.ChoiceField(choices=AssignmentRole.choices)
    assigned_by = serializers.SlugRelatedField(slug_field="username", read_only=True)

    class Meta:
        model = Assignment
        fields = ["id", "user", "role", "assigned_by", "assigned_at"]
        read_only_fields = fields


#: The two kinds of earlier check, in every answer that names one.
MATCH_KINDS = [
    (KNOWN_CHECK, "Another fact-checker's published check (a known check)"),
    (OUR_CHECK, "One of our own published checks"),
]


class CheckedBeforeSerializer(serializers.Serializer):
    """An earlier check someone confirmed this claim repeats ("Same claim")."""

    kind = serializers.ChoiceField(choices=MATCH_KINDS)
    url = serializers.CharField(help_text="The check; for ours, the public page's #claim-<id>.")
    claim_reviewed = serializers.CharField()
    rating = serializers.CharField(
        source="rating_text", help_text="The earlier verdict in its publisher's words."
    )
    publisher = serializers.CharField()
    date = serializers.DateField(allow_null=True)
    confirmed_by = serializers.CharField(source="decided_by")
    confirmed_at = serializers.DateTimeField(source="decided_at")


#: Serializer context key: {claim id: [Confirmed]} for a page of claims, read once.
CHECKED_BEFORE = "checked_before"


def _username() -> serializers.SlugRelatedField:
    return serializers.SlugRelatedField(slug_field="username", read_only=True, allow_null=True)


class ClaimSerializer(ModelSerializer):
    """One claim with its selector, sources, reviews and `version` (for PATCH)."""

    url = serializers.SerializerMethodField()
    selector = SelectorSerializer(source="*", read_only=True)
    verdict = serializers.SlugRelatedField(slug_field="slug", read_only=True, allow_null=True)
    verdict_label = serializers.CharField(source="verdict.label", read_only=True, allow_null=True)
    sources = ClaimSourceSerializer(source="claim_sources", many=True, read_only=True)
    reviews = ReviewSerializer(many=True, read_only=True)
    created_by = _username()
    updated_by = _username()
    reviewed_by = _username()
    assignees = AssigneeSerializer(
        source="assignments", many=True, read_only=True, help_text="Who is assigned, editors first."
    )
    checked_before = serializers.SerializerMethodField(
        help_text="Earlier checks confirmed to be the same claim, oldest answer first."
    )

    class Meta:
        model = Claim
        fields = [
            "id",
            "url",
            "article",
            "revision",
            "selector",
            "statement",
            "claimant",
            "verdict",
            "verdict_label",
            "explanation",
            "status",
            "anchor_state",
            "version",
            "sources",
            "reviews",
            "created_by",
            "updated_by",
            "reviewed_by",
            "created_at",
            "updated_at",
            "submitted_at",
            "reviewed_at",
            "assignees",
            "checked_before",
        ]
        read_only_fields = fields

    def to_representation(self, instance: Claim) -> dict[str, Any]:
        """The declared fields above, built by hand (issue 17).

        DRF's generic path costs a field object call per value and a list serializer per
        nested relation: at 20 claims it was most of a request's time, and at 100,000 (the
        JSON export walk) 3x the W3C walk. The fields above still describe the schema, and
        tests/api/test_claim_representation.py holds this to DRF's own output for them.
        """
        claim = instance
        verdict_slug, verdict_label = _verdict(claim)
        when = self._when()
        return {
            "id": claim.pk,
            "url": self._claim_url(claim.pk),
            "article": claim.article_id,
            "revision": claim.revision_id,
            "selector": {
                "exact": claim.exact,
                "prefix": claim.prefix,
                "suffix": claim.suffix,
                "start": claim.start,
                "end": claim.end,
            },
            "statement": claim.statement,
            "claimant": claim.claimant,
            "verdict": verdict_slug,
            "verdict_label": verdict_label,
            "explanation": claim.explanation,
            "status": _choice(claim.status),
            "anchor_state": _choice(claim.anchor_state),
            "version": claim.version,
            "sources": _answers(claim, "source_rows", when),
            "reviews": _answers(claim, "review_rows", when),
            "created_by": _person(claim, "created_by"),
            "updated_by": _person(claim, "updated_by"),
            "reviewed_by": _person(claim, "reviewed_by"),
            "created_at": when(claim.created_at),
            "updated_at": when(claim.updated_at),
            "submitted_at": when(claim.submitted_at),
            "reviewed_at": when(claim.reviewed_at),
            "assignees": _answers(claim, "assignee_rows", when),
            "checked_before": self.get_checked_before(claim),
        }

    def _when(self) -> Callable[[Any], Any]:
        # DRF's DateTimeField looks the current time zone up for every value; a request
        # has one, so it is bound once per serializer (issue 17: a tenth of a claims page).
        when = getattr(self, "_when_bound", None)
        if when is None:
            when = self._when_bound = times_as_drf_writes(_current_zone())
        return when

    def _claim_url(self, claim_id: int) -> str:
        # One reverse() and one build_absolute_uri() per serializer, not per claim.
        base = getattr(self, "_claims_url", None)
        if base is None:
            request = self.context.get("request")
            path = reverse("api_claims")
            base = self._claims_url = (
                request.build_absolute_uri(path) if request is not None else path
            )
        return f"{base}{claim_id}/"

    @extend_schema_field(CheckedBeforeSerializer(many=True))
    def get_checked_before(self, claim: Claim) -> Any:
        # A list's page reads every claim's confirmed matches at once (CheckedBeforeMixin);
        # one claim alone costs one query.
        found: dict[int, list[Confirmed]] | None = self.context.get(CHECKED_BEFORE)
        if found is None:
            found = confirmed_matches([claim.pk])
        confirmed = found.get(claim.pk)
        return CheckedBeforeSerializer(confirmed, many=True).data if confirmed else []

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, claim: Claim) -> str:
        return self._claim_url(claim.pk)


#: DRF's own time conversion: `to_representation` above formats as the fields do.
_WHEN = serializers.DateTimeField().to_representation


def times_as_drf_writes(zone: Any) -> Callable[[Any], Any]:
    """DRF's `DateTimeField(default_timezone=zone).to_representation`, quicker for what the
    database gives: an aware datetime is moved to the zone and written by `isoformat()`
    straight, `Z` for UTC, as DRF writes it. DRF's checks around the same two calls were a
    seventh of a 200-claim page (issue 17). Anything else (None, a naive time, a string)
    and any other `DATETIME_FORMAT` go to DRF's own."""
    drf = serializers.DateTimeField(default_timezone=zone).to_representation
    if zone is None or str(api_settings.DATETIME_FORMAT).lower() != ISO_8601:
        return drf

    def when(value: Any) -> Any:
        if value.__class__ is not datetime.datetime or value.tzinfo is None:
            return drf(value)
        try:
            text = value.astimezone(zone).isoformat()
        except OverflowError:  # DRF says so in its own words
            return drf(value)
        return text[:-6] + "Z" if text.endswith("+00:00") else text

    return when


def _current_zone() -> Any:
    return timezone.get_current_timezone() if settings.USE_TZ else None


def _when_row(value: str | None, when: Callable[[Any], Any] = _WHEN) -> str | None:
    """A timestamp from a JSON row (PostgreSQL writes ISO 8601 in the session's UTC) as
    DRF writes one: in the current time zone, `Z` for UTC."""
    return None if value is None else when(datetime.datetime.fromisoformat(value))


#: The JSON rows `claims_with_sources_and_reviews()` puts on each claim.
ROWS = ("source_rows", "review_rows", "assignee_rows")


def _rows(claim: Claim, name: str) -> list[dict[str, Any]]:
    """The claim's JSON rows `name`; for a claim read some other way, one query reads all
    three (and keeps them on the claim), so there is one way to write each answer."""
    if not hasattr(claim, name):
        found = claims_with_sources_and_reviews().filter(pk=claim.pk).values(*ROWS).first()
        for key in ROWS:
            setattr(claim, key, (found or {}).get(key))
    return getattr(claim, name) or []  # NULL: none


#: Each answer's keys in the schema's order (jsonb keeps its own), then its times, which
#: are written as DRF writes them (in the current time zone).
_ANSWER_KEYS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "source_rows": (
        (
            "id",
            "url",
            "title",
            "publisher",
            "excerpt",
            "kind",
            "stance",
            "accessed_at",
            "archived_url",
        ),
        ("created_at",),
    ),
    "review_rows": (("id", "reviewer", "decision", "comment"), ("created_at",)),
    "assignee_rows": (("id", "user", "role", "assigned_by"), ("assigned_at",)),
}


def _answers(claim: Claim, rows: str, when: Callable[[Any], Any]) -> list[dict[str, Any]]:
    """The claim's JSON rows `rows` as the API answers them."""
    plain, times = _ANSWER_KEYS[rows]
    answers = []
    for row in _rows(claim, rows):
        answer = {key: row[key] for key in plain}
        for key in times:
            answer[key] = _when_row(row[key], when)
        answers.append(answer)
    return answers


def _choice(value: Any) -> Any:
    """A choice as DRF's ChoiceField writes it: the plain string, never the enum member."""
    return value if value in ("", None) else str(value)


def _person(claim: Claim, field: str) -> str | None:
    """The username in `field`: annotated by claims_with_sources_and_reviews(), else read
    through the relation."""
    name: Any = getattr(claim, f"{field}_name", _UNREAD)
    return _username_of(getattr(claim, field)) if name is _UNREAD else name


_UNREAD = object()


def _verdict(claim: Claim) -> tuple[str | None, str | None]:
    """The verdict's slug and label: annotated by claims_with_sources_and_reviews(), else
    read through the relation."""
    slug: Any = getattr(claim, "verdict_slug", _UNREAD)
    if slug is not _UNREAD:
        return slug, getattr(claim, "verdict_label")  # noqa: B009 (an annotation, not typed)
    verdict = claim.verdict
    return (verdict.slug, verdict.label) if verdict is not None else (None, None)


def _username_of(user: Any) -> str | None:
    return None if user is None else user.username


def claim_etag(claim: Claim) -> str:
    return f'"claim-{claim.pk}-v{claim.version}"'


_ETAG = re.compile(r'^\s*(?:W/)?"claim-(\d+)-v(\d+)"\s*$')


def version_read(request: Any, claim: Claim, version: int | None) -> int | None:
    """The claim version a request says it read: the `version` field, or `If-Match` with
    the claim's ETag (both: they must agree). None when it gives neither."""
    if_match = request.headers.get("If-Match")
    if not if_match:
        return version
    match = _ETAG.match(if_match)
    if match is None or int(match.group(1)) != claim.pk:
        raise ParseError(
            f"If-Match must be this claim's ETag, like {claim_etag(claim)}; got {if_match[:80]!r}."
        )
    etag_version = int(match.group(2))
    if version is not None and version != etag_version:
        raise ParseError("`version` and If-Match disagree; send one of them.")
    return etag_version


def idempotency_key(request: Any) -> str | None:
    """The `Idempotency-Key` header, if sent (the service checks its shape)."""
    return request.headers.get("Idempotency-Key")


# --- Input --------------------------------------------------------------------------------


class StrictInput(serializers.Serializer):
    """Refuses fields it does not know, so a typo is a 400 rather than silently ignored."""

    def to_internal_value(self, data: Any) -> Any:
        if isinstance(data, Mapping):
            unknown = sorted(set(data) - set(self.fields))
            if unknown:
                raise serializers.ValidationError(
                    {name: ["This field is not accepted here."] for name in unknown}
                )
        return super().to_internal_value(data)


def _text(max_length: int, **kwargs: Any) -> serializers.CharField:
    return serializers.CharField(
        max_length=max_length, required=False, allow_blank=True, trim_whitespace=False, **kwargs
    )


class SelectorInput(StrictInput):
    exact = _text(limits.QUOTE)
    prefix = _text(limits.SELECTOR_CONTEXT)
    suffix = _text(limits.SELECTOR_CONTEXT)
    start = serializers.IntegerField(required=False, allow_null=True, min_value=0)
    end = serializers.IntegerField(required=False, allow_null=True, min_value=0)


class ArticleToQuoteField(serializers.PrimaryKeyRelatedField):
    """DRF's primary-key field, answering with the article and its current revision (the
    service quotes from it) from a prepared read: every claim create runs it (issue 17)."""

    def to_internal_value(self, data: Any) -> Article:
        # As DRF's field with Django's integer lookup: "12" and 12 name the same article;
        # a bool, a list or "twelve" is the wrong type; an id no bigint holds names none.
        if isinstance(data, bool):
            self.fail("incorrect_type", data_type=type(data).__name__)
        try:
            pk = int(data)
        except (TypeError, ValueError):
            self.fail("incorrect_type", data_type=type(data).__name__)
        found = article_to_quote(pk) if -(2**63) <= pk < 2**63 else None
        if found is None:
            self.fail("does_not_exist", pk_value=data)
        assert found is not None  # self.fail raised
        return found


class ClaimCreateInput(StrictInput):
    article = ArticleToQuoteField(
        queryset=Article.objects.select_related("current_revision"),  # for the schema
        error_messages={"does_not_exist": "There is no article with id {pk_value}."},
    )
    revision = serializers.PrimaryKeyRelatedField(
        queryset=ArticleRevision.objects.only("id", "article_id", "number", "text"),
        required=False,
        allow_null=True,
        help_text="Default: the article's current revision.",
        error_messages={"does_not_exist": "There is no revision with id {pk_value}."},
    )
    selector = SelectorInput(
        help_text="Give `start` and `end`, or `exact` (with `prefix`/`suffix` if the quote "
        "occurs more than once)."
    )
    statement = _text(limits.STATEMENT)
    claimant = _text(limits.CLAIMANT)
    verdict = serializers.CharField(
        required=False,
        allow_null=True,
        allow_blank=True,
        max_length=limits.VERDICT_SLUG,
        help_text="Verdict slug.",
    )
    explanation = _text(limits.EXPLANATION)


class ClaimUpdateInput(StrictInput):
    version = serializers.IntegerField(
        required=False,
        min_value=1,
        help_text="The version you read; or send `If-Match` with the ETag instead.",
    )
    statement = _text(limits.STATEMENT)
    claimant = _text(limits.CLAIMANT)
    verdict = serializers.CharField(
        required=False,
        allow_null=True,
        allow_blank=True,
        max_length=limits.VERDICT_SLUG,
        help_text="Verdict slug.",
    )
    explanation = _text(limits.EXPLANATION)


class SourceInput(StrictInput):
    url = _text(limits.URL)
    title = _text(limits.TITLE)
    publisher = _text(limits.PUBLISHER)
    excerpt = _text(limits.EXCERPT)
    kind = serializers.ChoiceField(choices=SourceKind.choices, required=False)
    stance = serializers.ChoiceField(choices=Stance.choices, required=False)
    accessed_at = serializers.DateField(required=False, allow_null=True)
    archived_url = _text(limits.URL)


class CommentInput(StrictInput):
    body = serializers.CharField(max_length=limits.COMMENT, trim_whitespace=False)


# --- Schema ---------------------------------------------------------------------------

_ERR = {
    400: OpenApiResponse(description="Invalid input; the body says which field and why."),
    409: OpenApiResponse(
        description="Stale version, or the claim's status does not allow the change.",
        examples=examples.STALE,
    ),
}

IF_MATCH = OpenApiParameter(
    "If-Match",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    description='The ETag read with GET (e.g. `"claim-42-v3"`); an alternative to `version`.',
)
IDEMPOTENCY_KEY = OpenApiParameter(
    "Idempotency-Key",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    description="Optional; 1–255 printable ASCII characters, e.g. a random UUID. The same "
    "key from the same user within 24 hours answers 201 with the claim the first request "
    "created (header `Idempotent-Replayed: true`) and creates nothing; the same key with "
    "other input answers 422.",
)

# --- Views --------------------------------------------------------------------------------


class OldestFirstPage(CursorPage):
    ordering = "id"
    page_size = limits.API_PAGE
    max_page_size = limits.API_MAX_PAGE


def claim_in_full(request: Request, claim_id: int) -> Claim:
    """The live claim with everything `ClaimSerializer` shows: 403 without a role, 404 if
    unknown or deleted (annotations.access)."""
    return get_claim_for(request.user, claim_id, queryset=claims_with_sources_and_reviews())


class ClaimMixin(generics.GenericAPIView):
    """Views under one live claim (its sources, its comments): the claim is loaded once."""

    permission_classes = [IsNewsroomMember]

    def claim(self) -> Claim:
        if not hasattr(self, "_claim"):
            self._claim = get_claim_for(self.request.user, self.kwargs["claim_id"])
        return self._claim


class CheckedBeforeMixin(generics.GenericAPIView):
    """A list of claims reads its page's confirmed matches in one query, not one per claim."""

    def paginate_queryset(self, queryset: Any) -> Any:
        page = super().paginate_queryset(queryset)
        if page is not None:
            self._checked_before = confirmed_matches([claim.pk for claim in page])
        return page

    def get_serializer_context(self) -> dict[str, Any]:
        context = super().get_serializer_context()
        if hasattr(self, "_checked_before"):
            context[CHECKED_BEFORE] = self._checked_before
        return context


class SortedClaimPage(CursorPage):
    """Claims in the order the request's `sort` chose (`ClaimList.filter_queryset`): a key
    that is never null, then id; ties on the key are paged by the cursor's offset."""

    def get_ordering(self, request: Any, queryset: Any, view: Any) -> tuple[str, ...]:
        return getattr(view, "sort_ordering", ("-id",))


SORT = OpenApiParameter(
    "sort",
    str,
    enum=list(CLAIM_SORTS),
    description="The order of the list: "
    + "; ".join(f"`{name}`: {what}" for name, what in CLAIM_SORTS.items())
    + " Any other value answers 400.",
)


@extend_schema_view(
    get=extend_schema(
        summary="List claims",
        description="Live claims, newest first (best match first with `q`), with cursor "
        "pagination, filters and `sort`. Deleted drafts are not listed. Unknown filter or "
        "sort values answer 400 naming the accepted ones.",
        parameters=[SORT],
        examples=examples.CLAIM_LIST,
    ),
    post=extend_schema(
        summary="Create a claim",
        description="A draft claim on a span of the article's current revision (or "
        "`revision`). The selector must point at real text: with `start`/`end` the text there "
        "must equal `exact`; with only `exact`, the quote must occur once (or `prefix`/"
        "`suffix` must single one occurrence out), else 400 saying how many times it occurs. "
        "Send an `Idempotency-Key` so that a retried or doubled request creates one claim.",
        request=ClaimCreateInput,
        parameters=[IDEMPOTENCY_KEY],
        responses={
            201: ClaimSerializer,
            400: _ERR[400],
            422: OpenApiResponse(
                description="The Idempotency-Key was already used for other input."
            ),
        },
        examples=examples.CLAIM_CREATE,
    ),
)
class ClaimList(CheckedBeforeMixin, generics.ListCreateAPIView):
    serializer_class = ClaimSerializer
    permission_classes = [IsNewsroomMember]
    filterset_class = ClaimFilter
    pagination_class = SortedClaimPage

    def get_queryset(self) -> QuerySet[Claim]:
        return claims_with_sources_and_reviews()

    def filter_queryset(self, queryset: QuerySet[Claim]) -> QuerySet[Claim]:
        """The filters, then `sort` (400 for one it does not know, or relevance without q)."""
        queryset = super().filter_queryset(queryset)
        words = (self.request.query_params.get("q") or "").strip()
        sort = self.request.query_params.get("sort") or ("relevance" if words else "created")
        if sort not in CLAIM_SORTS:
            raise ValidationError(
                {"sort": [f"“{sort[:100]}” is not a sort; use one of {', '.join(CLAIM_SORTS)}."]}
            )
        if sort == "relevance" and not words:
            raise ValidationError({"sort": ["sort=relevance needs q, the words to search for."]})
        queryset, self.sort_ordering = claims_sorted(queryset, sort, words=words)
        return queryset

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        data = ClaimCreateInput(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        selector = {k: v for k, v in values.pop("selector").items() if v is not None}
        claim, replayed = claim_services.claim_create_once(
            user=person(request),
            selector=selector,
            idempotency_key=idempotency_key(request),
            **values,
        )
        context = self.get_serializer_context()
        if replayed:
            claim = claim_in_full(request, claim.pk)
        else:
            # Just made: no sources, reviews or confirmed matches can exist yet, and the
            # service's object already holds its verdict, people and revision — nothing to
            # read again (issue 17: four queries fewer per claim).
            for rows in ROWS:
                setattr(claim, rows, [])
            context[CHECKED_BEFORE] = {}
        body = ClaimSerializer(claim, context=context).data
        headers = {"Location": body["url"], "ETag": claim_etag(claim)}
        if replayed:
            headers["Idempotent-Replayed"] = "true"
        return Response(body, status=status.HTTP_201_CREATED, headers=headers)


@extend_schema_view(
    get=extend_schema(
        summary="One claim",
        description="With its sources, reviews and `version`; the `ETag` header carries "
        "id and version. Deleted claims answer 404.",
        examples=examples.CLAIM_DETAIL,
    ),
    patch=extend_schema(
        summary="Change a claim",
        description="Statement, claimant, verdict, explanation. Must carry the `version` it "
        "read (or `If-Match` with the ETag); a stale one answers 409 with what changed, and "
        "nothing is saved. Approved, rejected and in-review claims answer 409.",
        request=ClaimUpdateInput,
        parameters=[IF_MATCH],
        responses={200: ClaimSerializer, 400: _ERR[400], 409: _ERR[409]},
        examples=examples.CLAIM_UPDATE,
    ),
    delete=extend_schema(
        summary="Delete a draft",
        description="Drafts only (409 otherwise). The claim is kept, hidden, with its history.",
        responses={204: None, 409: _ERR[409]},
    ),
)
class ClaimDetail(generics.GenericAPIView):
    serializer_class = ClaimSerializer
    permission_classes = [IsNewsroomMember]
    pagination_class = None
    filter_backends: list = []
    http_method_names = ["get", "patch", "delete", "head", "options"]

    def get_queryset(self) -> QuerySet[Claim]:
        return claims_with_sources_and_reviews()

    def _answer(self, claim: Claim) -> Response:
        response = Response(self.get_serializer(claim).data)
        response["ETag"] = claim_etag(claim)
        return response

    def get(self, request: Request, claim_id: int) -> Response:
        claim = claim_in_full(request, claim_id)
        if request.headers.get("If-None-Match", "").strip() == claim_etag(claim):
            return Response(
                status=status.HTTP_304_NOT_MODIFIED, headers={"ETag": claim_etag(claim)}
            )
        return self._answer(claim)

    def patch(self, request: Request, claim_id: int) -> Response:
        claim = claim_in_full(request, claim_id)
        data = ClaimUpdateInput(data=request.data)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        version = version_read(request, claim, fields.pop("version", None))
        if version is None:
            raise ParseError(
                "A change must carry the `version` you read (or If-Match with the ETag), so "
                "that nobody's edit is overwritten silently."
            )
        claim_services.claim_update(claim=claim, user=person(request), version=version, **fields)
        return self._answer(claim_in_full(request, claim_id))

    def delete(self, request: Request, claim_id: int) -> Response:
        claim = claim_in_full(request, claim_id)
        claim_services.claim_delete(claim=claim, user=person(request))
        return Response(status=status.HTTP_204_NO_CONTENT)


@extend_schema_view(
    get=extend_schema(
        summary="A claim's sources",
        description="Evidence attached to the claim, oldest first.",
        examples=examples.SOURCE_LIST,
    ),
    post=extend_schema(
        summary="Attach a source",
        description="A new source with its stance on the claim. Needs a title or a URL; "
        "the claim must be editable (draft or changes requested), else 409.",
        request=SourceInput,
        responses={201: ClaimSourceSerializer, 400: _ERR[400], 409: _ERR[409]},
        examples=examples.SOURCE_ATTACH,
    ),
)
class ClaimSourceList(ClaimMixin, generics.ListCreateAPIView):
    serializer_class = ClaimSourceSerializer
    pagination_class = OldestFirstPage
    filter_backends: list = []

    def get_queryset(self) -> QuerySet[ClaimSource]:
        return sources_of_claim(self.claim())

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        claim = self.claim()
        data = SourceInput(data=request.data)
        data.is_valid(raise_exception=True)
        link = claim_services.source_attach(
            claim=claim, user=person(request), **data.validated_data
        )
        return Response(ClaimSourceSerializer(link).data, status=status.HTTP_201_CREATED)


@extend_schema_view(
    patch=extend_schema(
        summary="Edit a source",
        description="Change the source's details or its stance on this claim.",
        request=SourceInput,
        responses={200: ClaimSourceSerializer, 400: _ERR[400], 409: _ERR[409]},
        examples=examples.SOURCE_UPDATE,
    ),
    delete=extend_schema(
        summary="Detach a source",
        description="The source leaves the claim; the history keeps it.",
        responses={204: None, 409: _ERR[409]},
    ),
)
class ClaimSourceDetail(ClaimMixin):
    serializer_class = ClaimSourceSerializer
    pagination_class = None
    filter_backends: list = []
    http_method_names = ["patch", "delete", "options"]

    def get_object(self) -> ClaimSource:
        link = source_of_claim(self.claim(), self.kwargs["source_id"])
        if link is None:
            raise NotFound(
                f"Claim {self.kwargs['claim_id']} has no source {self.kwargs['source_id']}."
            )
        return link

    def patch(self, request: Request, claim_id: int, source_id: int) -> Response:
        link = self.get_object()
        data = SourceInput(data=request.data)
        data.is_valid(raise_exception=True)
        link = claim_services.source_update(
            claim_source=link, user=person(request), **data.validated_data
        )
        return Response(ClaimSourceSerializer(link).data)

    def delete(self, request: Request, claim_id: int, source_id: int) -> Response:
        claim_services.source_detach(claim_source=self.get_object(), user=person(request))
        return Response(status=status.HTTP_204_NO_CONTENT)


@extend_schema_view(
    get=extend_schema(
        summary="A claim's discussion",
        description="Comments, oldest first.",
        examples=examples.COMMENT_LIST,
    ),
    post=extend_schema(
        summary="Comment on a claim",
        description="Editors and reviewers, in every status.",
        request=CommentInput,
        responses={201: CommentSerializer, 400: _ERR[400]},
        examples=examples.COMMENT_ADD,
    ),
)
class ClaimCommentList(ClaimMixin, generics.ListCreateAPIView):
    serializer_class = CommentSerializer
    pagination_class = OldestFirstPage
    filter_backends: list = []

    def get_queryset(self) -> QuerySet[Comment]:
        return comments_on_claim(self.claim())

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        claim = self.claim()
        data = CommentInput(data=request.data)
        data.is_valid(raise_exception=True)
        comment = claim_services.comment_add(
            claim=claim, user=person(request), body=data.validated_data["body"]
        )
        return Response(CommentSerializer(comment).data, status=status.HTTP_201_CREATED)
