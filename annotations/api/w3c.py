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
  article's URL becomes a draft claim (`services.annotations.annotation_import`), `201`
  with `Location`. Exports import back as the same claims.

This module speaks the protocol (paging, `Prefer`, headers); the claims come from
`selectors.exports`, their shape from `presenters.w3c`, and the import is a service.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from typing import Any, cast
from urllib.parse import urlencode

from django.conf import settings
from django.db.models import QuerySet
from django.http import HttpRequest, JsonResponse
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_safe
from rest_framework import generics, status
from rest_framework.exceptions import ParseError
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response

from annotations import limits
from annotations.access import get_claim_for
from annotations.api.claims import claim_etag
from annotations.api.errors import JSONErrorsMixin
from annotations.api.examples.exports import (
    CONTAINER_GET_SCHEMA,
    CONTAINER_POST_SCHEMA,
    DETAIL_SCHEMA,
)
from annotations.api.filters import ClaimFilter, filter_claims
from annotations.api.pagination import PageToken, page_size_of
from annotations.api.permissions import IsNewsroomMember
from annotations.api.renderers import (
    ANNO_CONTENT_TYPE,
    JSONLDParser,
    JSONLDRenderer,
    JSONParser,
)
from annotations.models import Claim
from annotations.presenters.w3c import AnnotationPresenter, context_document
from annotations.replica import replica_reads
from annotations.selectors.exports import (
    AnnotationRow,
    claims_for_annotations,
    claims_keyset_page,
    claims_summary,
    claims_total,
    sources_by_claim,
)
from annotations.selectors.matches import confirmed_matches
from annotations.services.annotations import annotation_import
from annotations.site import public_base_url

LDP = "http://www.w3.org/ns/ldp#"
OA = "http://www.w3.org/ns/oa#"
PREFER_IRIS = OA + "PreferContainedIRIs"
PREFER_DESCRIPTIONS = OA + "PreferContainedDescriptions"
PREFER_MINIMAL = LDP + "PreferMinimalContainer"
CONSTRAINED_BY = "http://www.w3.org/TR/annotation-protocol/"


@require_safe
def factcheck_context(request: HttpRequest) -> JsonResponse:
    """`/ns/factcheck.jsonld`: public, as W3C's context is, so any JSON-LD processor can
    expand an export; cached for a day and readable from other origins."""
    response = JsonResponse(
        context_document(public_base_url(request)), content_type="application/ld+json"
    )
    patch_cache_control(response, public=True, max_age=86400)
    response["Access-Control-Allow-Origin"] = "*"
    return response


def present(
    presenter: AnnotationPresenter, claims: Sequence[AnnotationRow]
) -> list[dict[str, Any]]:
    """Claims of `claims_for_annotations()` as Annotations (two more queries: their
    sources, their confirmed earlier checks)."""
    ids = [c.pk for c in claims]
    return presenter.present_all(claims, sources_by_claim(ids), confirmed_matches(ids))


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

    Each page is one index range scan (`claims_keyset_page`), however deep it is. The
    opaque `page` token (`PageToken`) carries the id, the page's `startIndex` and the
    `total`: the collection (or `page=first` / `page=last`) counts once, the links carry
    it on, so a walk does not pay a COUNT(*) per page (half a page's cost at 100,000
    claims).
    """

    def __init__(
        self,
        queryset: QuerySet[AnnotationRow],
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
        total, modified = claims_summary(self.queryset)
        data: dict[str, Any] = {
            "@context": self.presenter.context,
            "id": self.container_id,
            "type": "AnnotationCollection",
            "label": f"{settings.FACTCHECK_NEWSROOM_NAME}: checked claims",
            "total": total,
        }
        if modified:
            data["modified"] = modified.isoformat()
        first = PageToken("first")
        data["first"] = (
            self.page_url(first)
            if self.prefer == "minimal"
            else self.page(first, total=total, embedded=True)
        )
        data["last"] = self.page_url(PageToken("last"))
        return data

    def page(self, token: PageToken, *, total: int, embedded: bool) -> dict[str, Any]:
        found = claims_keyset_page(
            self.queryset,
            direction=token.direction,
            key=token.key,
            index=token.index,
            size=self.size,
            total=total,
        )
        rows, start = found.rows, found.start
        body: dict[str, Any] = {} if embedded else {"@context": self.presenter.context}
        body.update({"id": self.page_url(token), "type": "AnnotationPage"})
        if not embedded:
            body["partOf"] = {
                "id": self.container_id,
                "type": "AnnotationCollection",
                "total": total,
            }
        body["startIndex"] = start
        if found.has_next:
            body["next"] = self.page_url(PageToken("after", rows[-1].pk, start + len(rows), total))
        if found.has_prev:
            body["prev"] = self.page_url(
                PageToken("before", rows[0].pk, max(0, start - self.size), total)
            )
        body["items"] = (
            [self.presenter.annotation_id(c.pk) for c in rows]
            if self.prefer == "iris"
            else present(self.presenter, rows)
        )
        return body


class AnnotationView(JSONErrorsMixin, generics.GenericAPIView):
    """What every annotation endpoint answers with: JSON-LD with the W3C profile, Vary
    and a weak ETag over the bytes sent."""

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


class AnnotationContainer(AnnotationView):
    parser_classes = [JSONLDParser, JSONParser]
    filterset_class = ClaimFilter
    queryset = Claim.objects.none()

    @CONTAINER_GET_SCHEMA
    def get(self, request):
        with replica_reads(request):  # an export may lag by a few seconds
            return self._get(request)

    def _get(self, request):
        queryset = filter_claims(claims_for_annotations(), request.query_params, request)
        pager = AnnotationPager(
            queryset,
            presenter=AnnotationPresenter(public_base_url(request)),
            params={k: request.query_params.getlist(k) for k in request.query_params},
            size=page_size_of(request, default=limits.API_PAGE, maximum=limits.API_MAX_PAGE),
            prefer=prefer_of(request),
        )
        token = PageToken.decode(request.query_params.get("page"))
        if token is None:
            data = pager.collection()
        else:
            total = token.total if token.total is not None else claims_total(queryset)
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
        claim = annotation_import(data=request.data, user=request.user)
        claim = claims_for_annotations().get(pk=claim.pk)
        (data,) = present(AnnotationPresenter(public_base_url(request)), [claim])
        return Response(
            data,
            status=status.HTTP_201_CREATED,
            headers={"Location": data["id"], "ETag": claim_etag(claim)},
        )


class AnnotationDetail(AnnotationView):
    queryset = Claim.objects.none()
    filter_backends: list = []

    @DETAIL_SCHEMA
    def get(self, request, claim_id: int):
        claim = cast(  # loaded from claims_for_annotations(), so with its columns
            AnnotationRow,
            get_claim_for(request.user, claim_id, queryset=claims_for_annotations()),
        )
        (data,) = present(AnnotationPresenter(public_base_url(request)), [claim])
        response = Response(data)
        response["ETag"] = claim_etag(claim)
        response["Link"] = f'<{LDP}Resource>; rel="type", <{OA}Annotation>; rel="type"'
        return response
