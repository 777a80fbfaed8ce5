"""Template helpers for the review partials, so the claim panel can include them with
nothing but `claim` in its context."""

from __future__ import annotations

from typing import Any

from django import template

from annotations.models import ClaimStatus
from annotations.roles import is_editor, is_reviewer
from annotations.selectors.history import claim_history
from annotations.selectors.review import latest_request
from annotations.services.workflow import four_eyes_blocks, steps_for_user

register = template.Library()


@register.simple_tag(takes_context=True)
def workflow_state(context, claim) -> dict[str, Any]:
    """What the workflow partial shows: the steps this user may try, the reviewer's
    latest request when the claim was sent back, and a refusal, if the view had one."""
    request = context.get("request")
    user = getattr(request, "user", None)
    steps = steps_for_user(claim, user) if user is not None else []
    request_review = None
    if claim.status == ClaimStatus.CHANGES_REQUESTED:
        request_review = latest_request(claim)
    own = user is not None and four_eyes_blocks(claim, user)
    return {
        "steps": steps,
        "comment_steps": [s for s in steps if s.comment_required],
        "request": request_review,
        "error": context.get("workflow_error"),
        "four_eyes_note": (own and any(s.name == "approve" for s in steps)),
    }


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
    return is_editor(user)
