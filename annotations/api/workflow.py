"""The review workflow and the audit trail over the API.

    POST /api/v1/claims/{id}/submit/ · approve/ · request-changes/ · reject/ · reopen/
         body {"comment": "..."} → 200 with the claim; 409 for a step the status does not
         allow, 403 for a role that may not take it, 400 when the claim lacks what the step
         needs (or the comment is missing), 404 for no such claim.
    GET  /api/v1/claims/{id}/history/ → every change, oldest first.
    POST /api/v1/claims/bulk-review/ body {"decision", "comment", "claims": [{"id",
         "version"}, ...]} → 207 with a result per claim (issue 16); 400 for a bad body,
         403 for a role that may not decide — in both cases nothing is written.

Thin views on `annotations.services.workflow.claim_transition` and
`annotations.selectors.history.claim_history`, the same ones the browser and admin use.
"""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.exceptions import PermissionDenied
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from annotations import limits
from annotations.access import get_claim_for
from annotations.api.claims import IF_MATCH, ClaimSerializer, version_read
from annotations.api.examples import workflow as examples
from annotations.api.permissions import IsNewsroomMember, person
from annotations.models import AssignmentRole
from annotations.roles import is_reviewer
from annotations.selectors.claims import claims_with_sources_and_reviews
from annotations.selectors.history import claim_history
from annotations.services.errors import ServiceError
from annotations.services.workflow import BULK_STEPS, STEPS, claim_transition, claims_review_bulk


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


# --- One decision on many claims (issue 16) -------------------------------------------------

#: The decisions `bulk-review/` takes, and what becomes of each claim.
BULK_DECISIONS = [(step, STEPS[step].label) for step in BULK_STEPS]
BULK_RESULTS = [
    ("done", "The decision was taken: `status` and `version` are the claim's now."),
    ("refused", "Nothing changed on this claim: `detail` says why, `code` names the kind."),
]


class BulkClaimRef(serializers.Serializer):
    id = serializers.IntegerField(min_value=1, max_value=2**63 - 1)
    version = serializers.IntegerField(
        required=False,
        min_value=1,
        max_value=2**31 - 1,
        help_text="The version you decided on; a claim changed since is refused (409-style) "
        "with what changed. Optional, as for the one-claim steps, but send it.",
    )

    def to_internal_value(self, data: object) -> dict:
        if isinstance(data, dict):
            unknown = sorted(set(data) - {"id", "version"})
            if unknown:
                raise serializers.ValidationError(
                    f"Unknown fields: {', '.join(map(str, unknown))} (each claim is "
                    '{"id": …, "version": …}).'
                )
        return super().to_internal_value(data)


class BulkReviewInput(serializers.Serializer):
    decision = serializers.ChoiceField(choices=BULK_DECISIONS)
    comment = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        max_length=limits.COMMENT,
        help_text="Required for request_changes and reject; recorded on every claim.",
    )
    claims = serializers.ListField(
        child=BulkClaimRef(),
        allow_empty=False,
        max_length=limits.BULK_REVIEW,
        error_messages={
            "max_length": f"At most {limits.BULK_REVIEW} claims per decision; decide on them "
            "in several batches.",
            "empty": "Choose at least one claim.",
        },
    )

    def validate(self, attrs: dict) -> dict:
        unknown = sorted(set(self.initial_data) - set(self.fields))
        if unknown:
            raise serializers.ValidationError(
                {name: ["Unknown field: this request takes decision, comment and claims."]
                 for name in unknown}
            )  # fmt: skip
        return attrs


BULK_ITEM = inline_serializer(
    "BulkReviewItem",
    fields={
        "id": serializers.IntegerField(),
        "result": serializers.ChoiceField(choices=BULK_RESULTS),
        "status": serializers.CharField(required=False, help_text="When done."),
        "version": serializers.IntegerField(required=False, help_text="When done."),
        "detail": serializers.CharField(required=False, help_text="When refused: why."),
        "code": serializers.CharField(
            required=False,
            help_text="When refused: `not_allowed` (four eyes), `workflow_error` (status), "
            "`stale_version`, `missing_for_step`, `not_found`, `invalid_input`.",
        ),
        "http_status": serializers.IntegerField(
            required=False, help_text="When refused: what the one-claim step would answer."
        ),
        "current_version": serializers.IntegerField(required=False),
        "missing": serializers.ListField(child=serializers.CharField(), required=False),
    },
    many=True,
)


class ClaimBulkReview(APIView):
    """Approve, request changes on, or reject many claims in one request.

    Each claim goes through the same step as `POST /api/v1/claims/{id}/approve/` (and
    `request-changes/`, `reject/`), with all its rules, four eyes included, and on its own:
    a refused claim changes nothing and undoes nothing of the others. The answer is 207 with
    one result per claim, in the order sent. The request as a whole is refused (400, nothing
    written) for a bad body, no claims or more than the cap, a claim listed twice, or a
    missing comment where the decision needs one; 403 for someone who is not a reviewer.
    """

    permission_classes = [IsNewsroomMember]
    #: The refusal for a member who is not a reviewer (before the body is read).
    not_reviewer = "Only reviewers may approve, send back or reject claims."

    @extend_schema(
        summary="Decide on many claims",
        request=BulkReviewInput,
        responses={
            207: inline_serializer(
                "BulkReviewReport",
                fields={
                    "done": serializers.IntegerField(),
                    "refused": serializers.IntegerField(),
                    "results": BULK_ITEM,
                },
            ),
            400: OpenApiResponse(_ERRORS, description="A bad body: nothing was written."),
            403: _ERRORS,
        },
        examples=examples.BULK_REVIEW,
    )
    def post(self, request: Request) -> Response:
        if not is_reviewer(request.user):
            raise PermissionDenied(self.not_reviewer)
        data = BulkReviewInput(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        try:
            results = claims_review_bulk(
                claims=[(ref["id"], ref.get("version")) for ref in values["claims"]],
                step=values["decision"],
                reviewer=person(request),
                comment=values["comment"],
            )
        except ServiceError as exc:
            return Response(exc.as_dict(), status=exc.status)
        done = sum(result.ok for result in results)
        return Response(
            {
                "done": done,
                "refused": len(results) - done,
                "results": [result.as_dict() for result in results],
            },
            status=207,
        )
