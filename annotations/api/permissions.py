"""API permissions: the same roles as the browser (annotations.roles)."""

from rest_framework.permissions import BasePermission

from annotations.roles import is_newsroom_member, is_reviewer


class IsNewsroomMember(BasePermission):
    """Editors, reviewers and admins; anyone else sees nothing under /api/v1/."""

    message = "Your account has no newsroom role (editor or reviewer)."

    def has_permission(self, request, view) -> bool:
        return is_newsroom_member(request.user)


class IsReviewer(BasePermission):
    message = "Only reviewers may take this step."

    def has_permission(self, request, view) -> bool:
        return is_reviewer(request.user)
