"""Reads for notifications (issue 16): the person's list, newest first."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.db.models import QuerySet

from annotations.models import Notification


def notifications_for(user: User, *, unread: bool = False) -> QuerySet[Notification]:
    """The person's notifications (only theirs), newest first, with who caused each: one
    query a page."""
    notifications = Notification.objects.filter(recipient=user).select_related("actor")
    if unread:
        notifications = notifications.filter(read_at__isnull=True)
    return notifications.order_by("-created_at", "-id")
