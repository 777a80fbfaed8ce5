"""API permissions: the same roles as the browser (annotations.roles)."""

from rest_framework.permissions import BasePermission

from annotations.roles import NO_ROLE_MESSAGE, is_newsroom_member


class IsNewsroomMember(BasePermission):
    """Editors, reviewers and admins; anyone else sees nothing under /api/v1/."""

    message = NO_ROLE_MESSAGE

    def has_permission(self, request, view) -> bool:
        return is_newsroom_member(request.user)
