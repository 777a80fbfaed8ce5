"""Formatting for the review partials and the site's navigation. No queries: the views pass
the history, the workflow steps, the approval blockers and the reviewer's request in the
context (see `annotations.views.panel`)."""

from __future__ import annotations

from typing import Any

from django import template

from annotations.models import ClaimStatus
from annotations.presenters.workspace import epoch_ms as presented_epoch_ms
from annotations.roles import is_newsroom_member, is_reviewer, may_edit

register = template.Library()


@register.filter
def history_value(value: Any, field: str = "") -> str:
    """One side of a before → after pair, readable: — for nothing, labels for statuses,
    long text cut."""
    if value is None or value == "":
        return "—"
    if field == "status" and value in ClaimStatus.values:
        return ClaimStatus(value).label
    text = str(value)
    return text if len(text) <= 300 else text[:300] + "…"


@register.filter
def has_reviewer_role(user: Any) -> bool:
    """`{% if user|has_reviewer_role %}`: may this person approve, send back or reject?"""
    return is_reviewer(user)


@register.filter(name="may_edit")
def may_edit_filter(user: Any) -> bool:
    """`{% if user|may_edit %}`: may this person write claims (editors and reviewers)?"""
    return may_edit(user)


@register.filter
def epoch_ms(value: Any) -> int | str:
    """A time as milliseconds since 1970, as the live events carry it (live.js compares)."""
    return presented_epoch_ms(value)


@register.filter
def is_member(user: Any) -> bool:
    """`{% if user|is_member %}`: has this person a newsroom role (the bell, "My work")?"""
    return is_newsroom_member(user)
