"""The review workflow and the audit trail over the API.

    POST /api/v1/claims/{id}/submit/ · approve/ · request-changes/ · reject/ · reopen/
         body {"comment": "..."} → 200 with the claim; 409 for a step the status does not
         allow, 403 for a role that may not take it, 400 when the claim lacks what the step
         needs (or the comment is missing), 404 for no such claim.
    GET  /api/v1/claims/{id}/history/ → every change, oldest first.

Thin views on `annotations.services.workflow.claim_transition` and
`annotations.selectors.history.claim_history`, the same ones the browser and admin use.
"""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from annotations import limits
from annotations.access import get_claim_for
from annotations.api.claims import IF_MATCH, ClaimSerializer, version_read
from annotations.api.examples import workflow as examples
from annotations.api.permissions import IsNewsroomMember, person
from annotations.models import AssignmentRole
from annotations.selectors.claims import claims_with_sources_and_reviews
from annotations.selectors.history import claim_history
from annotations.services.errors import ServiceError
from annotations.services.workflow import STEPS, claim_transition


class StepInput(serializers.Serializer):
    comment = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        max_length=limits.COMMENT,
        trim_whitespace=True,
    )
    version = serializers.IntegerField(
        required=False,
        min_value=1,
        help_text="The claim version you decided on (or send `If-Match` with the ETag). "
        "Optional for compatibility with v1 clients, but send it: a step on a version that "
        "is no longer current answers 409 with what changed.",
    )


class HistoryEntrySerializer(serializers.Serializer):
    at = serializers.DateTimeField()
    user = serializers.CharField(allow_null=True)
    #: Who acted: the username, or "System (new revision N)" for automatic re-anchoring.
    actor = serializers.CharField()
    action = serializers.CharField()
    label = serializers.CharField()
    changes = serializers.DictField(child=serializers.ListField(allow_null=True))
    comment = serializers.CharField(allow_blank=True)
    source = inline_serializer(
        "HistorySource",
        fields={"id": serializers.IntegerField(), "title": serializers.CharField()},
        required=False,
    )
    assignment = inline_serializer(
        "HistoryAssignment",
        fields={
            "person": serializers.CharField(),
            "role": serializers.ChoiceField(choices=AssignmentRole.choices),
        },
        required=False,
        help_text="On `assignment_add` / `assignment_remove`: who, in which role.",
    )


_ERRORS = inline_serializer("WorkflowError", fields={"detail": serializers.CharField()})


class ClaimWorkflowStep(APIView):
    """One workflow step on a claim; the route names the step.

    `submit`: a draft (or a claim sent back) goes to the reviewers — editors.
    `approve`: a claim in review with a verdict, an explanation and at least one source is
    approved and locked — reviewers other than its author and last editor (four eyes).
    `request-changes`, `reject`: a claim in review goes back to its editor, or is rejected
    and kept — reviewers, `comment` required. `reopen`: an approved claim goes back to its
    editor — reviewers, `comment` (the reason) required.

    Every step takes the `version` the person saw (body) or `If-Match` with the claim's
    ETag; when the claim changed since, the step answers 409 naming what changed, and
    nothing happens. Without either, the step applies to the claim as it is (v1 clients).
    """

    permission_classes = [IsNewsroomMember]
    step: str = ""

    @extend_schema(
        request=StepInput,
        parameters=[IF_MATCH],
        responses={200: ClaimSerializer, 400: _ERRORS, 403: _ERRORS, 404: _ERRORS, 409: _ERRORS},
        examples=examples.STEP,
    )
    def post(self, request: Request, claim_id: int, step: str) -> Response:
        if step not in STEPS:  # pragma: no cover - the routes name only real steps
            return Response({"detail": "No such workflow step."}, status=404)
        # Deleted claims are found on purpose: the step is refused saying so (409).
        claim = get_claim_for(request.user, claim_id, with_deleted=True)
        data = StepInput(data=request.data)
        data.is_valid(raise_exception=True)
        version = version_read(request, claim, data.validated_data.get("version"))
        try:
            claim = claim_transition(
                claim=claim,
                user=person(request),
                step=step,
                comment=data.validated_data["comment"],
                version=version,
            )
        except ServiceError as exc:
            return Response(exc.as_dict(), status=exc.status)
        fresh = claims_with_sources_and_reviews().get(pk=claim.pk)
        return Response(ClaimSerializer(fresh, context={"request": request}).data)


#: URL segment → workflow step (the routes in annotations/api/urls.py).
ROUTES = {
    "submit": "submit",
    "approve": "approve",
    "request-changes": "request_changes",
    "reject": "reject",
    "reopen": "reopen",
}


class ClaimHistory(APIView):
    """Every change to the claim and its sources, oldest first: who, when, which step, and
    each field before → after."""

    permission_classes = [IsNewsroomMember]

    @extend_schema(
        responses={200: HistoryEntrySerializer(many=True), 404: OpenApiTypes.OBJECT},
        examples=examples.HISTORY,
    )
    def get(self, request: Request, claim_id: int) -> Response:
        # Deleted claims keep their history, and it can be read.
        claim = get_claim_for(request.user, claim_id, with_deleted=True)
        return Response(HistoryEntrySerializer(claim_history(claim), many=True).data)
