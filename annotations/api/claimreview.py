"""Approved claims as schema.org ClaimReview: `GET /api/v1/claimreviews/`.

The claims come from `selectors.exports.claims_for_claimreview()` (the filters of
/api/v1/claims/ narrow them), with each page's later appearances (claims in later articles
confirmed to repeat one, `with_later_appearances`) read in one query; their shape from
`presenters.claimreview` — the same presenter the public page `/published/<article id>/`
embeds.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from rest_framework import generics, serializers
from rest_framework.renderers import JSONRenderer

from annotations.api.errors import JSONErrorsMixin
from annotations.api.examples.exports import CLAIMREVIEW_LIST_SCHEMA
from annotations.api.filters import ClaimFilter
from annotations.api.pagination import CursorPage
from annotations.api.permissions import IsNewsroomMember
from annotations.api.renderers import JSONLDRenderer
from annotations.models import Claim
from annotations.presenters.claimreview import ClaimReviewPresenter
from annotations.replica import replica_reads
from annotations.selectors.exports import (
    claims_for_claimreview,
    verdict_rating_scale,
    with_later_appearances,
)
from annotations.site import public_base_url


def claimreview_presenter(request: Any = None) -> ClaimReviewPresenter:
    """The presenter on this site's base URL and the newsroom's current scale (one query)."""
    return ClaimReviewPresenter(public_base_url(request), scale=verdict_rating_scale())


class ClaimReviewSerializer(serializers.BaseSerializer):
    """Wraps the presenter so the list view can paginate it like any other."""

    def to_representation(self, instance: Claim) -> dict[str, Any]:
        presenter = self.context.get("presenter")
        if presenter is None:
            presenter = claimreview_presenter(self.context.get("request"))
            self.context["presenter"] = presenter
        return presenter.present(instance)


@CLAIMREVIEW_LIST_SCHEMA
class ClaimReviewList(JSONErrorsMixin, generics.ListAPIView):
    permission_classes = [IsNewsroomMember]
    renderer_classes = [JSONRenderer, JSONLDRenderer]
    serializer_class = ClaimReviewSerializer
    filterset_class = ClaimFilter
    pagination_class = CursorPage

    def get(self, request, *args, **kwargs):
        with replica_reads(request):  # a feed may lag by a few seconds
            return super().get(request, *args, **kwargs)

    def get_queryset(self) -> QuerySet[Claim]:
        return claims_for_claimreview()

    def paginate_queryset(self, queryset: Any) -> Any:
        page = super().paginate_queryset(queryset)
        return with_later_appearances(page) if page is not None else None

    def get_serializer_context(self) -> dict[str, Any]:
        context = super().get_serializer_context()
        context["presenter"] = claimreview_presenter(self.request)
        return context
