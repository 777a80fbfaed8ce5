"""The signed-in person's notifications over the API (issue 16).

    GET  /api/v1/notifications/?unread=true  → mine only, newest first, cursor-paged
    POST /api/v1/notifications/read          → {"ids": [..]} or {"all": true};
                                               answers {"marked": n, "unread": m}

Ids of other people's notifications are ignored (nobody can see or mark another's): the
answer's `marked` counts only the person's own. A body that is neither shape is a 400 and
marks nothing.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import generics, serializers
from rest_framework.exceptions import ParseError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from annotations.api.claims import StrictInput
from annotations.api.permissions import IsNewsroomMember, person
from annotations.api.renderers import JSONParser
from annotations.api.serializers import ModelSerializer
from annotations.models import Notification, NotificationKind
from annotations.selectors.notifications import notifications_for
from annotations.services.notifications import (
    notification_link,
    notifications_mark_read,
    unread_count,
)

TRUE, FALSE = {"true", "1", "yes"}, {"false", "0", "no", ""}


class NotificationSerializer(ModelSerializer):
    kind = serializers.ChoiceField(choices=NotificationKind.choices)
    actor = serializers.SlugRelatedField(slug_field="username", read_only=True, allow_null=True)
    unread = serializers.SerializerMethodField()
    link = serializers.SerializerMethodField(
        help_text="The claim in its workspace, or the article."
    )

    class Meta:
        model = Notification
        fields = ["id", "kind", "text", "claim", "article", "actor", "created_at", "read_at",
                  "unread", "link"]  # fmt: skip
        read_only_fields = fields

    def get_unread(self, notification: Notification) -> bool:
        return notification.read_at is None

    def get_link(self, notification: Notification) -> str:
        return notification_link(notification)


class MarkReadInput(StrictInput):
    ids = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=2**63 - 1),
        required=False,
        allow_empty=False,
        max_length=1000,
    )
    all = serializers.BooleanField(required=False)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if ("ids" in attrs) == (attrs.get("all") is True):
            raise ParseError("Give `ids`, a list of your notification ids, or `all`: true.")
        return attrs


class NotificationList(generics.ListAPIView):
    """My notifications, newest first; `unread=true` for the unread ones only."""

    serializer_class = NotificationSerializer
    permission_classes = [IsNewsroomMember]
    filter_backends: list = []

    def get_queryset(self) -> QuerySet[Notification]:
        if getattr(self, "swagger_fake_view", False):
            return Notification.objects.none()
        raw = self.request.query_params.get("unread", "").strip().lower()
        if raw not in TRUE | FALSE:
            raise ParseError(f"unread is true or false; got {raw[:40]!r}.")
        return notifications_for(person(self.request), unread=raw in TRUE)

    @extend_schema(
        parameters=[OpenApiParameter("unread", OpenApiTypes.BOOL, description="Only unread ones.")]
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)


class NotificationsRead(APIView):
    """Mark notifications read: `{"ids": [..]}` (yours; others' are ignored) or
    `{"all": true}`."""

    permission_classes = [IsNewsroomMember]
    #: JSON only: a form could not carry a list of up to 1,000 ids (Django's field limit).
    parser_classes = [JSONParser]

    @extend_schema(
        request=MarkReadInput,
        responses={
            200: inline_serializer(
                "NotificationsMarked",
                fields={
                    "marked": serializers.IntegerField(help_text="Marked read now."),
                    "unread": serializers.IntegerField(help_text="Still unread."),
                },
            )
        },
    )
    def post(self, request: Request) -> Response:
        data = MarkReadInput(data=request.data)
        data.is_valid(raise_exception=True)
        user = person(request)
        everything = data.validated_data.get("all") is True
        marked = notifications_mark_read(
            user=user,
            ids=None if everything else data.validated_data["ids"],
            everything=everything,
        )
        return Response({"marked": marked, "unread": unread_count(user)})
