"""DRF views: thin, on the same services and selectors as the browser views."""

from typing import Any

from django.db.models import QuerySet
from rest_framework import generics

from annotations import limits
from annotations.api.pagination import CursorPage
from annotations.api.permissions import IsNewsroomMember
from annotations.api.serializers import VerdictSerializer
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
