"""Claims as W3C Web Annotations, served per the Web Annotation Protocol.

- `GET /api/v1/annotations/` — the container: an `AnnotationCollection` with `total`,
  `first` and `last`; `?page=<token>` gives an `AnnotationPage` with `items`, `next`,
  `prev`, `partOf` and `startIndex`. Pages go by keyset on the claim id (see
  `AnnotationPager`): `page=first`, `page=last`, or the opaque token of a `next`/`prev`
  link. The filters of `/api/v1/claims/` apply. The `Prefer` header chooses full
  descriptions (default) or only IRIs (`oa#PreferContainedIRIs`), or a minimal container
  (`ldp#PreferMinimalContainer`, first page as an IRI).
- `GET /api/v1/annotations/{id}` — one claim as an `Annotation`.
- `POST /api/v1/annotations/` — a W3C Annotation with a `TextQuoteSelector` on a known
  article's URL becomes a draft claim (`claim_create`), `201` with `Location`. Exports
  import back as the same claims.

A claim maps to an Annotation thus: `motivation` "assessing"; bodies, each a
`TextualBody` told apart by `purpose` and `label` — the verdict (assessing, label
"verdict"), the statement (describing), the explanation (commenting), the claimant
(identifying) — and each source as a `SpecificResource` (purpose linking) on its URL, with
its `stance` (supports, refutes, context): a term of the app's own JSON-LD context,
`/ns/factcheck.jsonld`, listed after the W3C one (`annotation_context`). The
`target` is the article (its URL, or the app's page when it has none) with a
`TextQuoteSelector` and a `TextPositionSelector` in code points of the revision's
canonical text.
"""

from __future__ import annotations

import hashlib
import re
from collections import defaultdict
from typing import Any
from urllib.parse import urlencode, urlparse

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Count, F, Max, QuerySet
from django.http import HttpRequest, JsonResponse
from django.shortcuts import get_object_or_404
from django.urls import Resolver404, resolve, reverse
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_safe
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, extend_schema
from rest_framework import generics, status
from rest_framework.exceptions import ParseError
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response

from annotations.api.claims import claim_etag
from annotations.api.errors import JSONErrorsMixin
from annotations.api.filters import ClaimFilter, filter_claims
from annotations.api.pagination import PageToken, page_size_of
from annotations.api.permissions import IsNewsroomMember
from annotations.api.renderers import (
    ANNO_CONTENT_TYPE,
    ANNO_PROFILE,
    JSONLDParser,
    JSONLDRenderer,
    JSONParser,
)
from annotations.models import Article, Claim, ClaimSource, Verdict
from annotations.services import claims as claim_services
from annotations.services.errors import InvalidInput, InvalidSelector, ServiceError

LDP = "http://www.w3.org/ns/ldp#"
OA = "http://www.w3.org/ns/oa#"
PREFER_IRIS = OA + "PreferContainedIRIs"
PREFER_DESCRIPTIONS = OA + "PreferContainedDescriptions"
PREFER_MINIMAL = LDP + "PreferMinimalContainer"
CONSTRAINED_BY = "http://www.w3.org/TR/annotation-protocol/"

DEFAULT_PAGE_SIZE = 50
MAX_PAGE_SIZE = 200
#: At most this many bodies in one imported annotation (each source is one, and each is a
#: write with its history): 6,000 once ran past the worker's timeout.
MAX_IMPORT_BODIES = 100


def context_document(base: str) -> dict[str, Any]:
    """The app's JSON-LD context: the terms the W3C vocabulary has no word for."""
    return {
        "@context": {
            "factcheck": f"{base}{reverse('factcheck_context')}#",
            # How a source bears on the claim: "supports", "refutes" or "context".
            "stance": {"@id": "factcheck:stance"},
        }
    }


def annotation_context(base: str) -> list[str]:
    """`@context` of every annotation, page and collection: the W3C context first (the
    profile clients ask for), then the app's extension terms."""
    return [ANNO_PROFILE, f"{base}{reverse('factcheck_context')}"]


@require_safe
def factcheck_context(request: HttpRequest) -> JsonResponse:
    """`/ns/factcheck.jsonld`: public, as W3C's context is, so any JSON-LD processor can
    expand an export; cached for a day and readable from other origins."""
    response = JsonResponse(context_document(base_url(request)), content_type="application/ld+json")
    patch_cache_control(response, public=True, max_age=86400)
    response["Access-Control-Allow-Origin"] = "*"
    return response


class TooManyBodies(ServiceError):
    """An imported annotation carries more bodies than one request may write."""

    status = 413


# --- Presenting ---------------------------------------------------------------------------


def base_url(request: Any = None) -> str:
    """Scheme and host for absolute ids: the request's, else FACTCHECK_PUBLIC_URL."""
    if request is not None:
        return request.build_absolute_uri("/").rstrip("/")
    return (settings.FACTCHECK_PUBLIC_URL or "http://localhost").rstrip("/")


def claims_for_annotations() -> QuerySet[Claim]:
    """Live claims with what an Annotation shows of their article, verdict and creator.

    Annotated columns, not `select_related` models: a page of 200 builds 200 model
    instances, not 800 (their sources come from `sources_by_claim`, one query).
    """
    return Claim.objects.live().annotate(
        article_url=F("article__url"),
        verdict_label=F("verdict__label"),
        creator_name=F(f"created_by__{get_user_model().USERNAME_FIELD}"),
    )


def sources_by_claim(claim_ids: list[int]) -> dict[int, list[tuple[str, str, str]]]:
    """Each claim's sources as (url, title, stance), oldest link first: one query for a page."""
    found: dict[int, list[tuple[str, str, str]]] = defaultdict(list)
    links = (
        ClaimSource.objects.filter(claim_id__in=claim_ids)
        .order_by("id")
        .values_list("claim_id", "source__url", "source__title", "stance")
    )
    for claim_id, url, title, stance in links:
        found[claim_id].append((url, title, stance))
    return found


class AnnotationPresenter:
    """Builds W3C Annotations; computes the URL prefixes once, not once per claim."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.context = annotation_context(base)
        self.annotation_prefix = base + reverse("api_annotations")
        self.article_page = base + reverse("article_detail", args=[0])[: -len("0/")]

    def annotation_id(self, claim_id: int) -> str:
        return f"{self.annotation_prefix}{claim_id}"

    def article_url(self, claim: Claim) -> str:
        return claim.article_url or f"{self.article_page}{claim.article_id}/"

    def present_all(self, claims: list[Claim]) -> list[dict[str, Any]]:
        """Claims from `claims_for_annotations()` as Annotations (one query for sources)."""
        sources = sources_by_claim([c.pk for c in claims])
        return [self.present(c, sources.get(c.pk, [])) for c in claims]

    def present(self, claim: Claim, sources: list[tuple[str, str, str]]) -> dict[str, Any]:
        body: list[dict[str, Any]] = []
        if claim.verdict_id:
            body.append(_textual(claim.verdict_label, "assessing", "verdict"))
        if claim.statement:
            body.append(_textual(claim.statement, "describing", "statement"))
        if claim.explanation:
            body.append(_textual(claim.explanation, "commenting", "explanation"))
        if claim.claimant:
            body.append(_textual(claim.claimant, "identifying", "claimant"))
        for url, title, stance in sources:
            if url:
                resource = {"type": "SpecificResource", "purpose": "linking", "source": url}
                if title:  # an untitled source is its URL; no empty label
                    resource["label"] = title
                body.append({**resource, "stance": stance})
            else:
                body.append({**_textual(title, "linking", "source"), "stance": stance})
        return {
            "@context": self.context,
            "id": self.annotation_id(claim.pk),
            "type": "Annotation",
            "motivation": "assessing",
            "created": claim.created_at.isoformat(),
            "modified": claim.updated_at.isoformat(),
            "creator": {"type": "Person", "nickname": claim.creator_name},
            "body": body,
            "target": {
                "type": "SpecificResource",
                "source": self.article_url(claim),
                "selector": [
                    {
                        "type": "TextQuoteSelector",
                        "exact": claim.exact,
                        "prefix": claim.prefix,
                        "suffix": claim.suffix,
                    },
                    {"type": "TextPositionSelector", "start": claim.start, "end": claim.end},
                ],
            },
        }


def _textual(value: str, purpose: str, label: str) -> dict[str, Any]:
    return {
        "type": "TextualBody",
        "purpose": purpose,
        "label": label,
        "value": value,
        "format": "text/plain",
    }


# --- Protocol details ---------------------------------------------------------------------


def prefer_of(request: Any) -> str:
    """Which representation the `Prefer` header asks for: descriptions, iris or minimal."""
    header = request.headers.get("Prefer", "")
    include = " ".join(re.findall(r'include\s*=\s*"([^"]*)"', header))
    if PREFER_MINIMAL in include:
        return "minimal"
    if PREFER_IRIS in include:
        return "iris"
    return "descriptions"


def _with_query(url: str, params: dict[str, Any]) -> str:
    query = urlencode([(k, v) for k, v in params.items() if v not in (None, "")], doseq=True)
    return f"{url}?{query}" if query else url


class AnnotationPager:
    """The container and its pages, paged by keyset on the claim id.

    Each page is one index range scan (`id > last seen` ascending, or `id < first seen`
    descending and reversed), however deep it is; the `last` page is the tail read
    backwards, cut so that its boundaries are those of a walk from `first`. The opaque
    `page` token (`PageToken`) carries the id, the page's `startIndex` and the `total`:
    the collection (or `page=first` / `page=last`) counts once, the links carry it on, so
    a walk does not pay a COUNT(*) per page (half a page's cost at 100,000 claims).
    """

    def __init__(
        self,
        queryset: QuerySet[Claim],
        *,
        presenter: AnnotationPresenter,
        params: dict[str, list[str]],
        size: int,
        prefer: str,
    ) -> None:
        self.queryset = queryset
        self.presenter = presenter
        self.params = {k: v for k, v in params.items() if k != "page"}
        self.size = size
        self.prefer = prefer
        self.container_id = _with_query(presenter.annotation_prefix, self.params)

    def page_url(self, token: PageToken) -> str:
        return _with_query(
            self.presenter.annotation_prefix, {**self.params, "page": token.encode()}
        )

    def collection(self) -> dict[str, Any]:
        stats = self.queryset.order_by().aggregate(total=Count("id"), modified=Max("updated_at"))
        data: dict[str, Any] = {
            "@context": self.presenter.context,
            "id": self.container_id,
            "type": "AnnotationCollection",
            "label": f"{settings.FACTCHECK_NEWSROOM_NAME}: checked claims",
            "total": stats["total"],
        }
        if stats["modified"]:
            data["modified"] = stats["modified"].isoformat()
        first = PageToken("first")
        data["first"] = (
            self.page_url(first)
            if self.prefer == "minimal"
            else self.page(first, total=stats["total"], embedded=True)
        )
        data["last"] = self.page_url(PageToken("last"))
        return data

    def _rows(self, token: PageToken, total: int) -> tuple[list[Claim], int, bool, bool]:
        """The page's claims in id order, its startIndex, and whether prev and next exist."""
        forward = self.queryset.order_by("id")
        backward = self.queryset.order_by("-id")
        size = self.size
        if token.direction == "first":
            rows = list(forward[: size + 1])
            return rows[:size], 0, False, len(rows) > size
        if token.direction == "after":
            rows = list(forward.filter(id__gt=token.key)[: size + 1])
            return rows[:size], token.index, bool(rows), len(rows) > size
        if token.direction == "last":
            size = total % size or size  # the tail a walk from `first` ends with
            rows = list(backward[: size + 1])
            tail = rows[:size][::-1]
            return tail, max(0, total - len(tail)), len(rows) > size, False
        rows = list(backward.filter(id__lt=token.key)[: size + 1])  # "before"
        more = len(rows) > size
        return rows[:size][::-1], token.index if more else 0, more, bool(rows)

    def page(self, token: PageToken, *, total: int, embedded: bool) -> dict[str, Any]:
        rows, start, has_prev, has_next = self._rows(token, total)
        body: dict[str, Any] = {} if embedded else {"@context": self.presenter.context}
        body.update({"id": self.page_url(token), "type": "AnnotationPage"})
        if not embedded:
            body["partOf"] = {
                "id": self.container_id,
                "type": "AnnotationCollection",
                "total": total,
            }
        body["startIndex"] = start
        if has_next:
            body["next"] = self.page_url(PageToken("after", rows[-1].pk, start + len(rows), total))
        if has_prev:
            body["prev"] = self.page_url(
                PageToken("before", rows[0].pk, max(0, start - self.size), total)
            )
        body["items"] = (
            [self.presenter.annotation_id(c.pk) for c in rows]
            if self.prefer == "iris"
            else self.presenter.present_all(rows)
        )
        return body


class AnnotationViewMixin(JSONErrorsMixin):
    permission_classes = [IsNewsroomMember]
    renderer_classes = [JSONLDRenderer, JSONRenderer]
    pagination_class = None

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        if response.status_code < 400 and isinstance(
            getattr(request, "accepted_renderer", None), JSONLDRenderer
        ):
            response.content_type = ANNO_CONTENT_TYPE
        response["Vary"] = "Accept, Prefer, Authorization, Cookie"
        if response.status_code == 200 and not response.has_header("ETag"):
            # Hash the bytes sent (rendered once, here) rather than serialise the data twice.
            response.render()
            response["ETag"] = f'W/"{hashlib.sha256(response.content).hexdigest()[:32]}"'
        return response


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
        _textual("Mostly true", "assessing", "verdict"),
        _textual("The soldier was hit at least five times.", "describing", "statement"),
        _textual("Hospital records list six gunshot wounds.", "commenting", "explanation"),
        _textual("United Nations Command", "identifying", "claimant"),
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
            "page_size", OpenApiTypes.INT, description=f"1 to {MAX_PAGE_SIZE}, default 50."
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


class AnnotationContainer(AnnotationViewMixin, generics.GenericAPIView):
    parser_classes = [JSONLDParser, JSONParser]
    filterset_class = ClaimFilter
    queryset = Claim.objects.none()

    @CONTAINER_GET_SCHEMA
    def get(self, request):
        queryset = filter_claims(claims_for_annotations(), request.query_params)
        pager = AnnotationPager(
            queryset,
            presenter=AnnotationPresenter(base_url(request)),
            params={k: request.query_params.getlist(k) for k in request.query_params},
            size=page_size_of(request, default=DEFAULT_PAGE_SIZE, maximum=MAX_PAGE_SIZE),
            prefer=prefer_of(request),
        )
        token = PageToken.decode(request.query_params.get("page"))
        if token is None:
            data = pager.collection()
        else:
            total = token.total if token.total is not None else queryset.order_by().count()
            data = pager.page(token, total=total, embedded=False)
        response = Response(data)  # its ETag: a hash of the rendered body (finalize_response)
        if token is None:
            response["Link"] = (
                f'<{LDP}BasicContainer>; rel="type", <{CONSTRAINED_BY}>; rel="{LDP}constrainedBy"'
            )
            response["Accept-Post"] = ANNO_CONTENT_TYPE
        if request.headers.get("Prefer"):
            response["Preference-Applied"] = "return=representation"
        return response

    @CONTAINER_POST_SCHEMA
    def post(self, request):
        if not isinstance(request.data, dict):
            raise ParseError("The body must be one W3C Annotation: a JSON object.")
        claim = annotation_import(request.data, user=request.user, request=request)
        claim = claims_for_annotations().get(pk=claim.pk)
        (data,) = AnnotationPresenter(base_url(request)).present_all([claim])
        return Response(
            data,
            status=status.HTTP_201_CREATED,
            headers={"Location": data["id"], "ETag": claim_etag(claim)},
        )


DETAIL_SCHEMA = extend_schema(
    operation_id="v1_annotation_retrieve",
    summary="One claim as a W3C annotation",
    description="Target source = the article; selector = [TextQuoteSelector, "
    "TextPositionSelector]. Deleted claims answer 404.",
    responses={200: OpenApiTypes.OBJECT},
    examples=[OpenApiExample("An annotation", value=ANNOTATION_EXAMPLE, response_only=True)],
)


class AnnotationDetail(AnnotationViewMixin, generics.GenericAPIView):
    queryset = Claim.objects.none()
    filter_backends: list = []

    @DETAIL_SCHEMA
    def get(self, request, claim_id: int):
        claim = get_object_or_404(claims_for_annotations(), pk=claim_id)
        (data,) = AnnotationPresenter(base_url(request)).present_all([claim])
        response = Response(data)
        response["ETag"] = claim_etag(claim)
        response["Link"] = f'<{LDP}Resource>; rel="type", <{OA}Annotation>; rel="type"'
        return response


# --- Importing ----------------------------------------------------------------------------


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _iri(value: Any) -> str:
    if isinstance(value, dict):
        value = value.get("id") or value.get("@id")
    return value if isinstance(value, str) else ""


def _article_for(source: str, request: Any) -> Article:
    if not source:
        raise InvalidInput(
            "The annotation's target needs a source: the article's URL.", field="target"
        )
    article = Article.objects.select_related("current_revision").filter(url=source).first()
    if article is None:
        # The app's own article page, as exported for articles that have no URL.
        try:
            match = resolve(urlparse(source).path)
        except Resolver404:
            match = None
        if match is not None and match.url_name == "article_detail":
            article = (
                Article.objects.select_related("current_revision")
                .filter(pk=match.kwargs.get("article_id"))
                .first()
            )
    if article is None:
        raise InvalidInput(
            f"No loaded article has the URL “{source[:200]}”; load it first with "
            "POST /api/v1/articles/.",
            field="target",
        )
    return article


def _selector_of(target: dict[str, Any]) -> dict[str, Any]:
    selectors = _as_list(target.get("selector"))
    quote = next(
        (s for s in selectors if isinstance(s, dict) and s.get("type") == "TextQuoteSelector"),
        None,
    )
    if quote is None or not isinstance(quote.get("exact"), str) or not quote["exact"]:
        raise InvalidSelector(
            "The annotation's target needs a TextQuoteSelector with an exact quote.",
            field="selector",
        )
    selector = {k: quote.get(k) or "" for k in ("exact", "prefix", "suffix")}
    if not all(isinstance(v, str) for v in selector.values()):
        raise InvalidSelector("The TextQuoteSelector's exact, prefix and suffix must be text.")
    position = next(
        (s for s in selectors if isinstance(s, dict) and s.get("type") == "TextPositionSelector"),
        None,
    )
    if position is not None:
        selector["start"], selector["end"] = position.get("start"), position.get("end")
    return selector


def _fields_from_bodies(data: dict[str, Any]) -> tuple[dict[str, Any], list[dict[str, str]]]:
    fields: dict[str, Any] = {}
    sources: list[dict[str, str]] = []
    comments: list[str] = []
    if isinstance(data.get("bodyValue"), str):
        comments.append(data["bodyValue"])
    for body in _as_list(data.get("body")):
        if isinstance(body, str):
            sources.append({"url": body, "title": ""})
            continue
        if not isinstance(body, dict):
            continue
        purposes = _as_list(body.get("purpose"))
        label = body.get("label") if isinstance(body.get("label"), str) else ""
        value = body.get("value") if isinstance(body.get("value"), str) else ""
        if body.get("type") == "SpecificResource" or (
            "linking" in purposes and body.get("type") != "TextualBody"
        ):
            url = _iri(body.get("source")) or _iri(body)
            sources.append({"url": url, "title": label, **_stance_of(body)})
        elif label == "verdict" or "assessing" in purposes:
            fields["verdict"] = _verdict_slug(value)
        elif label == "statement" or "describing" in purposes:
            fields["statement"] = value
        elif label == "claimant" or "identifying" in purposes:
            fields["claimant"] = value
        elif label == "source" and value:
            sources.append({"url": "", "title": value, **_stance_of(body)})
        elif "tagging" in purposes:
            continue
        elif value:
            comments.append(value)
    if comments:
        fields["explanation"] = "\n\n".join(comments)
    return fields, sources


def _stance_of(body: dict[str, Any]) -> dict[str, Any]:
    """A source body's `stance` (the app's extension term), if it has one; the service
    refuses a value it does not know, with the accepted ones."""
    return {"stance": body["stance"]} if "stance" in body else {}


def _verdict_slug(value: str) -> str:
    verdict = Verdict.objects.filter(label__iexact=value.strip()).first()
    return verdict.slug if verdict else value.strip()


@transaction.atomic
def annotation_import(data: dict[str, Any], *, user: Any, request: Any = None) -> Claim:
    """A W3C Annotation becomes a draft claim (and its sources), through the services."""
    bodies = len(_as_list(data.get("body")))
    if bodies > MAX_IMPORT_BODIES:
        raise TooManyBodies(
            f"An annotation may carry at most {MAX_IMPORT_BODIES} bodies; this one has "
            f"{bodies:,}. Import the claim with fewer sources and add the rest with "
            "POST /api/v1/claims/{id}/sources/.",
            max_bodies=MAX_IMPORT_BODIES,
        )
    targets = [t for t in _as_list(data.get("target")) if isinstance(t, dict)]
    if not targets:
        raise InvalidInput(
            "The annotation needs a target object with a source and a TextQuoteSelector.",
            field="target",
        )
    target = targets[0]
    article = _article_for(_iri(target.get("source")), request)
    selector = _selector_of(target)
    fields, sources = _fields_from_bodies(data)
    try:
        with transaction.atomic():
            claim = claim_services.claim_create(
                article=article, user=user, selector=selector, **fields
            )
    except InvalidSelector:
        if "start" not in selector:
            raise
        # Positions from another tool (or an older revision) may not fit this text: the
        # quote (with its prefix and suffix) is the authority, as the W3C model intends.
        selector = {k: selector[k] for k in ("exact", "prefix", "suffix")}
        claim = claim_services.claim_create(article=article, user=user, selector=selector, **fields)
    for source in sources:
        claim_services.source_attach(claim=claim, user=user, **source)
    return claim
