"""Template helpers for the review partials, so the claim panel can include them with
nothing but `claim` in its context."""

from __future__ import annotations

from typing import Any

from django import template

from annotations.models import ClaimStatus
from annotations.roles import is_reviewer, may_edit
from annotations.selectors.history import claim_history
from annotations.selectors.review import latest_request
from annotations.services.workflow import claim_approval_blockers, steps_for_user

register = template.Library()


@register.simple_tag(takes_context=True)
def workflow_state(context, claim) -> dict[str, Any]:
    """What the workflow partial shows: the steps this user may try, why Approve cannot
    succeed (if it cannot), and a refusal, if the view had one. The reviewer's request is
    shown at the top of the panel instead (`review_request`)."""
    request = context.get("request")
    user = getattr(request, "user", None)
    steps = steps_for_user(claim, user) if user is not None else []
    # The service's own rule, so a disabled Approve names exactly what it would refuse.
    blockers = (
        [b.message for b in claim_approval_blockers(claim, user)]
        if any(s.name == "approve" for s in steps)
        else []
    )
    return {
        "steps": steps,
        "comment_steps": [s for s in steps if s.comment_required],
        "error": context.get("workflow_error"),
        "approve_blockers": blockers,
    }


@register.simple_tag(takes_context=True)
def approval_blockers(context, claim) -> list[str]:
    """Why the signed-in reviewer cannot approve `claim` now (empty when they can): the
    review queue disables its Approve and says why, as the claim panel does."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or claim.status != ClaimStatus.IN_REVIEW:
        return []
    return [b.message for b in claim_approval_blockers(claim, user)]


@register.simple_tag
def review_request(claim) -> Any:
    """The reviewer's latest request for changes, shown by the status at the top of the
    panel while the claim is sent back (None otherwise)."""
    if claim.status != ClaimStatus.CHANGES_REQUESTED:
        return None
    return latest_request(claim)


@register.simple_tag
def history_for(claim) -> list[dict[str, Any]]:
    return claim_history(claim)


@register.filter
def history_value(value, field: str = "") -> str:
    """One side of a before → after pair, readable: — for nothing, labels for statuses,
    long text cut."""
    if value is None or value == "":
        return "—"
    if field == "status" and value in ClaimStatus.values:
        return ClaimStatus(value).label
    text = str(value)
    return text if len(text) <= 300 else text[:300] + "…"


@register.filter
def has_reviewer_role(user) -> bool:
    return is_reviewer(user)


@register.filter
def has_editor_role(user) -> bool:
    return may_edit(user)
