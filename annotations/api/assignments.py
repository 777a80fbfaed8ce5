"""Assignments of articles and claims, over the API (issue 16).

    GET    /api/v1/claims/{id}/assignments/         → who is assigned, editors first
    POST   /api/v1/claims/{id}/assignments/         → {"user": "<username or id>", "role":
                                                      "editor" | "reviewer"}; 201
    DELETE /api/v1/claims/{id}/assignments/{aid}/   → unassign; 204
    (the same under /api/v1/articles/{id}/assignments/)

An unknown user, a role the person does not hold, or a person already assigned in that
role answer 400 naming the problem; nothing is written. Claims and articles show their
`assignees` too.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import User
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import NotFound
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from annotations.access import get_article_for, get_claim_for
from annotations.api.claims import AssigneeSerializer, StrictInput
from annotations.api.permissions import IsNewsroomMember, person
from annotations.models import Assignment, AssignmentRole
from annotations.selectors.assignments import assignments_of
from annotations.services.assignments import assignment_add, assignment_remove


class AssignmentInput(StrictInput):
    user = serializers.CharField(max_length=150, help_text="Username or numeric user id.")
    role = serializers.ChoiceField(
        choices=AssignmentRole.choices,
        error_messages={
            "invalid_choice": "“{input}” is not a role; use one of: "
            + ", ".join(AssignmentRole.values)
            + "."
        },
    )

    def validate_user(self, value: str) -> User:
        value = value.strip()
        lookup: dict[str, Any] = {"username": value}
        if value.isascii() and value.isdigit() and len(value) < 19:
            lookup = {"pk": int(value)}
        found = User.objects.filter(**lookup).first()
        if found is None:
            raise serializers.ValidationError(
                f"There is no user “{value[:150]}” (give a username or a numeric id)."
            )
        return found


_ERRORS = {
    400: OpenApiResponse(description="Unknown user, a role they do not hold, or a duplicate."),
}


class _Assignments(APIView):
    permission_classes = [IsNewsroomMember]
    noun = ""

    def target(self, request: Request, write: bool = False) -> dict[str, Any]:
        raise NotImplementedError

    def _list(self, target: dict[str, Any]) -> Response:
        return Response(AssigneeSerializer(assignments_of(**target), many=True).data)

    def get(self, request: Request, **kwargs: Any) -> Response:
        return self._list(self.target(request))

    def post(self, request: Request, **kwargs: Any) -> Response:
        target = self.target(request, write=True)
        data = AssignmentInput(data=request.data)
        data.is_valid(raise_exception=True)
        assignment = assignment_add(
            user=person(request),
            person=data.validated_data["user"],
            role=data.validated_data["role"],
            **target,
        )
        assignment = Assignment.objects.select_related("person", "assigned_by").get(
            pk=assignment.pk
        )
        return Response(AssigneeSerializer(assignment).data, status=status.HTTP_201_CREATED)


class _AssignmentDetail(APIView):
    permission_classes = [IsNewsroomMember]
    http_method_names = ["delete", "options"]

    def target(self, request: Request) -> dict[str, Any]:
        raise NotImplementedError

    def delete(self, request: Request, assignment_id: int, **kwargs: Any) -> Response:
        target = self.target(request)
        assignment = Assignment.objects.filter(pk=assignment_id, **target).first()
        if assignment is None:
            raise NotFound(f"There is no assignment {assignment_id} here.")
        assignment_remove(user=person(request), assignment=assignment)
        return Response(status=status.HTTP_204_NO_CONTENT)


def _claim(request: Request, claim_id: Any, write: bool = False) -> dict[str, Any]:
    return {"claim": get_claim_for(request.user, claim_id, write=write)}


def _article(request: Request, article_id: Any, write: bool = False) -> dict[str, Any]:
    return {"article": get_article_for(request.user, article_id, write=write)}


_LIST = extend_schema(responses={200: AssigneeSerializer(many=True)})
_ADD = extend_schema(request=AssignmentInput, responses={201: AssigneeSerializer, **_ERRORS})
_DELETE = extend_schema(responses={204: None})


class ClaimAssignmentList(_Assignments):
    """Who is assigned to a claim, as editor or reviewer; assign someone."""

    def target(self, request: Request, write: bool = False) -> dict[str, Any]:
        return _claim(request, self.kwargs["claim_id"], write)

    @_LIST
    def get(self, request: Request, **kwargs: Any) -> Response:
        return super().get(request, **kwargs)

    @_ADD
    def post(self, request: Request, **kwargs: Any) -> Response:
        return super().post(request, **kwargs)


class ClaimAssignmentDetail(_AssignmentDetail):
    """Unassign someone from a claim."""

    def target(self, request: Request) -> dict[str, Any]:
        return _claim(request, self.kwargs["claim_id"], True)

    @_DELETE
    def delete(self, request: Request, assignment_id: int, **kwargs: Any) -> Response:
        return super().delete(request, assignment_id, **kwargs)


class ArticleAssignmentList(_Assignments):
    """Who is assigned to an article, as editor or reviewer; assign someone."""

    def target(self, request: Request, write: bool = False) -> dict[str, Any]:
        return _article(request, self.kwargs["article_id"], write)

    @_LIST
    def get(self, request: Request, **kwargs: Any) -> Response:
        return super().get(request, **kwargs)

    @_ADD
    def post(self, request: Request, **kwargs: Any) -> Response:
        return super().post(request, **kwargs)


class ArticleAssignmentDetail(_AssignmentDetail):
    """Unassign someone from an article."""

    def target(self, request: Request) -> dict[str, Any]:
        return _article(request, self.kwargs["article_id"], True)

    @_DELETE
    def delete(self, request: Request, assignment_id: int, **kwargs: Any) -> Response:
        return super().delete(request, assignment_id, **kwargs)
