"""DRF views: thin, on the same services and selectors as the browser views."""

from rest_framework import generics

from annotations.api.pagination import CursorPage
from annotations.api.permissions import IsNewsroomMember
from annotations.api.serializers import VerdictSerializer
from annotations.models import Verdict


class VerdictPage(CursorPage):
    ordering = ["-rating_value", "id"]
    page_size = 50


class VerdictList(generics.ListAPIView):
    """The newsroom's rating scale, truest first."""

    serializer_class = VerdictSerializer
    permission_classes = [IsNewsroomMember]
    pagination_class = VerdictPage
    queryset = Verdict.objects.all()
