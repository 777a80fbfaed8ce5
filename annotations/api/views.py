"""DRF views: thin, on the same services and selectors as the browser views."""

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import generics
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from annotations import limits
from annotations.api.pagination import CursorPage, FirstPageRead
from annotations.api.permissions import IsNewsroomMember
from annotations.api.serializers import MeSerializer, VerdictSerializer
from annotations.models import Verdict
from annotations.selectors.claims import VERDICT_ORDER, verdicts, verdicts_first_page


class VerdictPage(CursorPage):
    ordering: Any = list(VERDICT_ORDER)
    page_size = limits.API_PAGE
    max_page_size = limits.API_MAX_PAGE

    def paginate_queryset(self, queryset: Any, request: Any, view: Any = None) -> Any:
        # `GET /api/v1/verdicts/` as it comes, no parameter: the first page, compiled once
        # (the cheapest authenticated request of issue 17). With any parameter — a cursor,
        # a page size — DRF reads the queryset as always.
        if not request.query_params:
            queryset = FirstPageRead(
                queryset, verdicts_first_page, VERDICT_ORDER, limits.API_PAGE + 1
            )
        return super().paginate_queryset(queryset, request, view)


class VerdictList(generics.ListAPIView):
    """The newsroom's rating scale, truest first."""

    serializer_class = VerdictSerializer
    permission_classes = [IsNewsroomMember]
    pagination_class = VerdictPage

    def get_queryset(self) -> QuerySet[Verdict]:
        return verdicts()


class Me(APIView):
    """Who this token (or session) belongs to and what their roles allow: the first
    question of a client being set up, and the answer to "why is everything 403?" (an
    account without a role reads nothing, but may ask this)."""

    @extend_schema(summary="Who am I", responses={200: MeSerializer})
    def get(self, request: Request) -> Response:
        return Response(MeSerializer(request.user).data)
