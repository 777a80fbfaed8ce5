"""Assignment (issue 16): who is the editor, who the reviewer, of an article or a claim.

Rules, decided once:

- **Who may assign or unassign:** any member who may edit (editors, reviewers, staff), for
  either role. A newsroom hands work around; the check that matters is on the person
  assigned, not on who hands it over.
- **Who may be assigned:** an active member holding the role: as editor, anyone who may edit
  (reviewers are senior editors); as reviewer, a reviewer (or staff).
- Several people per role; the same person once per role and target (the database holds
  both this and "exactly one target"). A claim inherits nothing from its article.
- Every assignment and removal is recorded (pghistory insert and delete events, with who
  did it), so the claim's history says "Assigned X as reviewer · Y".
- The person assigned is notified (not when they assigned themselves).
"""

from __future__ import annotations

from typing import Any

import pghistory
from django.contrib.auth.models import User
from django.db import IntegrityError, transaction

from annotations.models import Article, Assignment, AssignmentRole, Claim
from annotations.roles import EDIT_REFUSED, is_reviewer, may_edit
from annotations.services.errors import InvalidInput, NotAllowed, WorkflowError
from annotations.services.notifications import notify_assigned

ROLE_CHOICES_TEXT = ", ".join(AssignmentRole.values)


def may_hold(person: Any, role: str) -> bool:
    """Whether `person` may be assigned in `role` (an active member with that role)."""
    if role == AssignmentRole.REVIEWER:
        return is_reviewer(person)
    return may_edit(person)


def _role(value: Any) -> str:
    if not isinstance(value, str) or value not in AssignmentRole.values:
        raise InvalidInput(
            f"“{value}” is not a role; use one of: {ROLE_CHOICES_TEXT}.", field="role"
        )
    return value


def _target_name(article: Article | None, claim: Claim | None) -> str:
    if claim is not None:
        words = claim.statement or claim.exact
        return f"the claim “{words[:80]}{'…' if len(words) > 80 else ''}”"
    assert article is not None
    return f"the article “{article.title[:80]}”"


@transaction.atomic
def assignment_add(
    *,
    user: User,
    person: User,
    role: Any,
    article: Article | None = None,
    claim: Claim | None = None,
) -> Assignment:
    """Assign `person` as `role` (editor or reviewer) to `article` or `claim` (exactly one).
    Refuses, naming why: a user who may not edit (403); an unknown role; a person without
    the role; a person already assigned in that role; a deleted claim."""
    if not may_edit(user):
        raise NotAllowed(EDIT_REFUSED.format(action="assign people"))
    if (article is None) == (claim is None):
        raise InvalidInput("Assign to an article or to a claim, exactly one of them.")
    role = _role(role)
    if claim is not None and claim.is_deleted:
        raise WorkflowError("This claim was deleted; nobody can be assigned to it.")
    if not may_hold(person, role):
        label = "an editor or a reviewer" if role == AssignmentRole.EDITOR else "a reviewer"
        raise InvalidInput(
            f"{person.get_username()} is not {label}, so cannot be assigned as {role}.",
            field="user",
        )
    target: dict[str, Any] = {"claim": claim} if claim is not None else {"article": article}
    duplicate = InvalidInput(
        f"{person.get_username()} is already assigned as {role}.", field="user"
    )
    if Assignment.objects.filter(**target, person=person, role=role).exists():
        raise duplicate
    try:
        with transaction.atomic(), pghistory.context(user=user.pk, action="assignment_add"):
            assignment = Assignment.objects.create(
                **target, person=person, role=role, assigned_by=user
            )
    except IntegrityError:  # the same assignment made at the same moment by someone else
        raise duplicate from None
    notify_assigned(assignment=assignment, actor=user, what=_target_name(article, claim))
    return assignment


@transaction.atomic
def assignment_remove(*, user: User, assignment: Assignment) -> None:
    """Unassign. Any member who may edit may; the history keeps who and when."""
    if not may_edit(user):
        raise NotAllowed(EDIT_REFUSED.format(action="unassign people"))
    with pghistory.context(user=user.pk, action="assignment_remove"):
        deleted, _ = Assignment.objects.filter(pk=assignment.pk).delete()
    if not deleted:
        raise WorkflowError("This assignment was already removed.")
