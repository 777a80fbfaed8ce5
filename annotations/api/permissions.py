"""API permissions: the same roles as the browser (annotations.roles)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import User
from rest_framework.exceptions import NotAuthenticated
from rest_framework.permissions import BasePermission

from annotations.roles import NO_ROLE_MESSAGE, is_newsroom_member


class IsNewsroomMember(BasePermission):
    """Editors, reviewers and admins; anyone else sees nothing under /api/v1/."""

    message = NO_ROLE_MESSAGE

    def has_permission(self, request: Any, view: Any) -> bool:
        return is_newsroom_member(request.user)


def person(request: Any) -> User:
    """The signed-in person behind a request, typed as the services take it.

    Every view under /api/v1/ sits behind `IsNewsroomMember`, so by the time a view calls
    a service `request.user` is a real account; this narrows `User | AnonymousUser` once,
    here, instead of at every call.
    """
    user = request.user
    if not isinstance(user, User):
        raise NotAuthenticated()
    return user
