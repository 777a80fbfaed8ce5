"""DRF views: thin, on the same services and selectors as the browser views."""

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import generics
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from annotations import limits
from annotations.api.pagination import CursorPage
from annotations.api.permissions import IsNewsroomMember
from annotations.api.serializers import MeSerializer, VerdictSerializer
from annotations.models import Verdict
from annotations.selectors.claims import verdicts


class VerdictPage(CursorPage):
    ordering: Any = ["-rating_value", "id"]
    page_size = limits.API_PAGE
    max_page_size = limits.API_MAX_PAGE


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
