"""Webhook subscriptions and their delivery log over the API (issue 15). Staff only.

    GET    /api/v1/webhooks/                 → subscriptions (with their secrets)
    POST   /api/v1/webhooks/                 → subscribe: {"url", "events", "description"}; 201
    GET    /api/v1/webhooks/{id}/            → one
    PATCH  /api/v1/webhooks/{id}/            → change url / events / description / is_active;
                                               {"rotate_secret": true} issues a new secret
    DELETE /api/v1/webhooks/{id}/            → unsubscribe (the log goes with it); 204
    GET    /api/v1/webhooks/{id}/deliveries/ → the delivery log, newest first, each with its
                                               attempts (response code, time, error)
    POST   /api/v1/webhook-deliveries/{id}/send-again → one more try now; 202

Deliveries are signed per the Standard Webhooks specification (docs/api.md shows how a
receiver verifies them).
"""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, QuerySet
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import generics, serializers, status
from rest_framework.exceptions import ParseError
from rest_framework.permissions import BasePermission
from rest_framework.request import Request
from rest_framework.response import Response

from annotations.api.pagination import CursorPage
from annotations.api.permissions import IsNewsroomMember, person
from annotations.api.serializers import ModelSerializer
from annotations.models import WebhookAttempt, WebhookDelivery, WebhookEvent, WebhookSubscription
from annotations.services.webhooks import (
    MANAGE_REFUSED,
    may_manage_webhooks,
    webhook_send_again,
    webhook_subscription_create,
    webhook_subscription_delete,
    webhook_subscription_update,
)


class IsStaff(BasePermission):
    message = MANAGE_REFUSED

    def has_permission(self, request: Any, view: Any) -> bool:
        if not hasattr(view, request.method.lower()):
            return True  # a method the route does not take: 405 for everyone, as elsewhere
        return may_manage_webhooks(request.user)


PERMISSIONS = [IsNewsroomMember, IsStaff]


class SubscriptionSerializer(ModelSerializer):
    events = serializers.ListField(
        child=serializers.ChoiceField(choices=WebhookEvent.choices), allow_empty=False
    )
    secret = serializers.CharField(
        read_only=True,
        help_text="Signs every delivery (Standard Webhooks, `whsec_…`). Give it to the receiver.",
    )
    created_by = serializers.SlugRelatedField(slug_field="username", read_only=True)

    class Meta:
        model = WebhookSubscription
        fields = ["id", "url", "events", "description", "is_active", "secret", "created_by",
                  "created_at"]  # fmt: skip
        read_only_fields = ["id", "secret", "created_by", "created_at"]


class AttemptSerializer(ModelSerializer):
    requested_by = serializers.SlugRelatedField(slug_field="username", read_only=True)

    class Meta:
        model = WebhookAttempt
        fields = ["number", "attempted_at", "response_status", "error", "duration_ms",
                  "requested_by"]  # fmt: skip
        read_only_fields = fields


class DeliverySerializer(ModelSerializer):
    attempts = AttemptSerializer(many=True, read_only=True)

    class Meta:
        model = WebhookDelivery
        fields = ["id", "message_id", "event", "status", "attempt_count", "next_attempt_at",
                  "created_at", "delivered_at", "payload", "attempts"]  # fmt: skip
        read_only_fields = fields


def _body(request: Request) -> dict[str, Any]:
    data = request.data
    if not isinstance(data, dict):
        raise ParseError(
            'Send a JSON object, e.g. {"url": "https://…", "events": ["claim.approved"]}.'
        )
    return dict(data)


SUBSCRIBE_INPUT = inline_serializer(
    "WebhookSubscribeInput",
    fields={
        "url": serializers.URLField(),
        "events": serializers.ListField(child=serializers.ChoiceField(WebhookEvent.choices)),
        "description": serializers.CharField(required=False),
        "is_active": serializers.BooleanField(required=False),
    },
)


class SubscriptionList(generics.ListAPIView):
    permission_classes = PERMISSIONS
    serializer_class = SubscriptionSerializer
    pagination_class = CursorPage

    def get_queryset(self) -> QuerySet[WebhookSubscription]:
        return WebhookSubscription.objects.select_related("created_by")

    @extend_schema(request=SUBSCRIBE_INPUT, responses={201: SubscriptionSerializer})
    def post(self, request: Request) -> Response:
        fields = _body(request)
        unknown = set(fields) - {"url", "events", "description", "is_active"}
        if unknown:
            raise ParseError(f"Unknown fields: {', '.join(sorted(unknown))}.")
        subscription = webhook_subscription_create(
            user=person(request),
            url=fields.get("url"),
            events=fields.get("events"),
            description=fields.get("description", ""),
            is_active=fields.get("is_active", True) is not False,
        )
        return Response(SubscriptionSerializer(subscription).data, status=status.HTTP_201_CREATED)


class SubscriptionDetail(generics.GenericAPIView):
    permission_classes = PERMISSIONS
    serializer_class = SubscriptionSerializer
    lookup_url_kwarg = "subscription_id"

    def get_queryset(self) -> QuerySet[WebhookSubscription]:
        return WebhookSubscription.objects.select_related("created_by")

    def get(self, request: Request, subscription_id: int) -> Response:
        return Response(SubscriptionSerializer(self.get_object()).data)

    @extend_schema(
        request=inline_serializer(
            "WebhookUpdateInput",
            fields={
                "url": serializers.URLField(required=False),
                "events": serializers.ListField(
                    child=serializers.ChoiceField(WebhookEvent.choices), required=False
                ),
                "description": serializers.CharField(required=False),
                "is_active": serializers.BooleanField(required=False),
                "rotate_secret": serializers.BooleanField(required=False),
            },
        )
    )
    def patch(self, request: Request, subscription_id: int) -> Response:
        subscription = webhook_subscription_update(
            subscription=self.get_object(), user=person(request), **_body(request)
        )
        return Response(SubscriptionSerializer(subscription).data)

    def delete(self, request: Request, subscription_id: int) -> Response:
        webhook_subscription_delete(subscription=self.get_object(), user=person(request))
        return Response(status=status.HTTP_204_NO_CONTENT)


class DeliveryList(generics.ListAPIView):
    """The delivery log of one subscription, newest first."""

    permission_classes = PERMISSIONS
    serializer_class = DeliverySerializer
    pagination_class = CursorPage

    def get_queryset(self) -> QuerySet[WebhookDelivery]:
        if getattr(self, "swagger_fake_view", False):  # drf-spectacular reading the view
            return WebhookDelivery.objects.none()
        subscription = generics.get_object_or_404(
            WebhookSubscription, pk=self.kwargs["subscription_id"]
        )
        return WebhookDelivery.objects.filter(subscription=subscription).prefetch_related(
            Prefetch("attempts", WebhookAttempt.objects.select_related("requested_by"))
        )


class DeliverySendAgain(generics.GenericAPIView):
    permission_classes = PERMISSIONS
    serializer_class = DeliverySerializer
    lookup_url_kwarg = "delivery_id"
    queryset = WebhookDelivery.objects.all()

    @extend_schema(request=None, responses={202: DeliverySerializer})
    def post(self, request: Request, delivery_id: int) -> Response:
        delivery = webhook_send_again(delivery=self.get_object(), user=person(request))
        return Response(DeliverySerializer(delivery).data, status=status.HTTP_202_ACCEPTED)
