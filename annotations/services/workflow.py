"""The review workflow: every status change of a claim, in one place.

    draft ──submit──► in_review ──approve──► approved ──reopen──► changes_requested
                        │  ▲  └──reject──► rejected (kept, never deleted)
        request_changes │  │ submit
                        ▼  │
                 changes_requested

Browser views, the API and the admin call `claim_transition` (or its named wrappers); a
step the status does not allow is refused naming the status and the steps it allows.
Refusals raise before anything is written, so they leave no trace in the history.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import pghistory
from django.conf import settings
from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from annotations import limits
from annotations.models import Article, Claim, ClaimStatus, Review, ReviewDecision, WebhookEvent
from annotations.roles import EDIT_REFUSED, is_reviewer, may_edit
from annotations.services.claims import CONTENT_FIELDS, claim_changes_since, claim_update
from annotations.services.errors import (
    InvalidInput,
    MissingForStep,
    NotAllowed,
    ServiceError,
    StaleVersion,
    WorkflowError,
)
from annotations.services.locks import article_lock, retry_deadlock_once
from annotations.services.matching import embeddings_fill_soon
from annotations.services.notifications import notify_claim_decision
from annotations.services.webhooks import claim_event_data, webhooks_emit

S = ClaimStatus


@dataclass(frozen=True)
class Step:
    name: str
    label: str
    sources: frozenset[str]
    target: str
    #: "editor" or "reviewer": who may take the step.
    role: str
    comment_required: bool
    decision: str | None  # the Review recorded, if any


STEPS: dict[str, Step] = {
    step.name: step
    for step in [
        Step("submit", "Submit for review", frozenset({S.DRAFT, S.CHANGES_REQUESTED}),
             S.IN_REVIEW, "editor", False, None),
        Step("approve", "Approve", frozenset({S.IN_REVIEW}), S.APPROVED, "reviewer", False,
             ReviewDecision.APPROVED),
        Step("request_changes", "Request changes", frozenset({S.IN_REVIEW}),
             S.CHANGES_REQUESTED, "reviewer", True, ReviewDecision.CHANGES_REQUESTED),
        Step("reject", "Reject", frozenset({S.IN_REVIEW}), S.REJECTED, "reviewer", True,
             ReviewDecision.REJECTED),
        Step("reopen", "Reopen", frozenset({S.APPROVED}), S.CHANGES_REQUESTED, "reviewer",
             True, ReviewDecision.REOPENED),
    ]
}  # fmt: skip


def steps_allowed_from(status: str) -> list[Step]:
    return [step for step in STEPS.values() if status in step.sources]


def steps_for_user(claim: Claim, user: User) -> list[Step]:
    """The steps this user could try now (buttons to show); rules still apply on click."""
    if claim.is_deleted:
        return []
    allowed = []
    for step in steps_allowed_from(claim.status):
        if step.role == "reviewer" and not is_reviewer(user):
            continue
        if step.role == "editor" and not may_edit(user):
            continue
        allowed.append(step)
    return allowed


def missing_for_approval(claim: Claim) -> list[str]:
    """What the claim lacks for approval. With the sources prefetched (the review queue),
    `exists()` answers from the prefetched rows: no query per item."""
    missing = []
    if claim.verdict_id is None:
        missing.append("a verdict")
    if not claim.explanation.strip():
        missing.append("an explanation")
    if not claim.claim_sources.exists():
        missing.append("at least one source")
    return missing


def claim_approval_blockers(claim: Claim, reviewer: User) -> list[ServiceError]:
    """Why `reviewer` cannot approve `claim` as it stands, in the order `claim_transition`
    checks them: four eyes (403), then what the claim lacks (400). Empty when approval can
    succeed (status and role aside). `claim_transition` raises the first one; the claim
    panel disables Approve and shows their messages up front, so the button and the
    service can never disagree."""
    blockers: list[ServiceError] = []
    if four_eyes_blocks(claim, reviewer):
        blockers.append(
            NotAllowed(
                "You created this claim or changed what it says or its sources in this review "
                "round, so another reviewer must approve it (four eyes)."
            )
        )
    missing = missing_for_approval(claim)
    if missing:
        blockers.append(
            MissingForStep(
                "Cannot approve yet: the claim needs " + _join(missing) + ".", missing=missing
            )
        )
    return blockers


def _status_label(status: str) -> str:
    return S(status).label.lower()


#: Steps that end a review round: the claim goes back to its editors, and whoever changes
#: it next starts the list of people who may not approve it afresh.
ROUND_ENDING_STEPS = frozenset({"request_changes", "reopen"})


def four_eyes_blocks(claim: Claim, user: User) -> bool:
    """True when four eyes keeps `user` from approving: they created the claim, edited it
    last, or changed its statement, claimant, verdict, explanation or sources in this
    review round (someone else editing after them does not make it another's work)."""
    if not settings.FACTCHECK_FOUR_EYES:
        return False
    return user.pk in {claim.created_by_id, claim.updated_by_id, *claim.round_editors}


def _version_read(version: Any) -> int | None:
    if version is None or version == "":
        return None
    if isinstance(version, bool):
        raise InvalidInput("The version must be a whole number.", field="version")
    try:
        return int(version)
    except (TypeError, ValueError):
        raise InvalidInput("The version must be a whole number.", field="version") from None


def _check_version(current: Claim, spec: Step, version_read: int | None) -> None:
    """Refuse a step taken on a version of the claim the user did not see, saying what
    changed since: a reviewer who read verdict "false" must not approve "true"."""
    if version_read is None or version_read == current.version:
        return
    changes = claim_changes_since(current, version_read, fields=(*CONTENT_FIELDS, "status"))
    if "status" in changes:
        changes["status"] = [
            _status_label(value) if value in S.values else value for value in changes["status"]
        ]
    described = "; ".join(
        f"{field}: “{before or '—'}” → “{after or '—'}”"
        for field, (before, after) in changes.items()
    )
    raise StaleVersion(
        f"This claim changed since you read it (version {version_read} → {current.version}). "
        + (f"Changed: {described}. " if described else "")
        + f"Nothing was done: read it again, then {spec.label.lower()} it if you still mean to.",
        current_version=current.version,
        changes=changes,
    )


@retry_deadlock_once
@transaction.atomic
def claim_transition(
    *, claim: Claim, user: User, step: str, comment: str = "", version: Any = None
) -> Claim:
    """Take one workflow step. Checks, in order: the claim exists (not deleted), the status
    allows the step, the user's role may take it, the version the user saw is the current
    one (when given), four eyes, the comment, the substance.

    Locks the article, then the claim: the order every claim write and a version load use.
    """
    if step not in STEPS:
        raise WorkflowError(f"“{step}” is not a workflow step; steps are {', '.join(STEPS)}.")
    spec = STEPS[step]
    version_read = _version_read(version)
    article_lock(claim.article_id)
    current = Claim.objects.select_for_update(of=("self",)).get(pk=claim.pk)
    if current.is_deleted:
        raise WorkflowError(
            f"This claim was deleted on {current.deleted_at:%Y-%m-%d %H:%M}; "
            "no workflow step applies to it."
        )
    if current.status not in spec.sources:
        allowed = steps_allowed_from(current.status)
        allowed_text = ", ".join(s.name for s in allowed) if allowed else "none"
        raise WorkflowError(
            f"Cannot {spec.label.lower()}: the claim is {_status_label(current.status)}. "
            f"Steps allowed from {_status_label(current.status)}: {allowed_text}."
        )
    if spec.role == "reviewer" and not is_reviewer(user):
        raise NotAllowed(f"Only reviewers may {spec.label.lower()} a claim.")
    if spec.role == "editor" and not may_edit(user):
        raise NotAllowed(EDIT_REFUSED.format(action="submit a claim for review"))
    _check_version(current, spec, version_read)
    approval_blockers = claim_approval_blockers(current, user) if step == "approve" else []
    if approval_blockers and isinstance(approval_blockers[0], NotAllowed):
        raise approval_blockers[0]  # four eyes: before the comment, as a 403
    comment = (comment or "").strip()
    if spec.comment_required and not comment:
        raise MissingForStep(f"{spec.label} needs a comment saying why.", field="comment")
    if len(comment) > limits.COMMENT:
        raise MissingForStep(
            f"The comment is longer than {limits.COMMENT:,} characters.", field="comment"
        )
    if approval_blockers:
        raise approval_blockers[0]

    now = timezone.now()
    previous = current.status
    current.status = spec.target
    current.version += 1
    update_fields = ["status", "version", "updated_at"]
    if step == "submit":
        current.submitted_at = now
        update_fields.append("submitted_at")
    if step in ROUND_ENDING_STEPS:
        current.round_editors = []
        update_fields.append("round_editors")
    if spec.decision:
        current.reviewed_by = user
        current.reviewed_at = now
        update_fields += ["reviewed_by", "reviewed_at"]
    if step in ("approve", "reject") and current.published_check is not None:
        # A reviewer decided on a claim a new revision sent back: approving publishes the
        # new content instead of the kept copy, rejecting withdraws it (services.reanchor).
        current.published_check = None
        update_fields.append("published_check")
    with pghistory.context(
        user=user.pk, action=f"claim_{step}", comment=comment, from_status=previous
    ):
        current.save(update_fields=update_fields)
        if spec.decision:
            Review.objects.create(
                claim=current, reviewer=user, decision=spec.decision, comment=comment
            )
    Article.objects.filter(pk=current.article_id).update(updated_at=now)
    if step == "approve":
        embeddings_fill_soon()  # a new published check: matched by meaning too, soon
    if step in _WEBHOOK_EVENTS:
        webhooks_emit(_WEBHOOK_EVENTS[step], lambda: claim_event_data(current))
    notify_claim_decision(claim=current, actor=user, step=step)
    return current


#: The workflow steps a CMS hears about (services.webhooks).
_WEBHOOK_EVENTS = {"approve": WebhookEvent.CLAIM_APPROVED, "reopen": WebhookEvent.CLAIM_REOPENED}


def _join(items: list[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def claim_submit(*, claim: Claim, user: User, comment: str = "", version: Any = None) -> Claim:
    return claim_transition(claim=claim, user=user, step="submit", comment=comment, version=version)


def claim_approve(*, claim: Claim, reviewer: User, comment: str = "", version: Any = None) -> Claim:
    """Approve a claim in review. Raises naming what is missing."""
    return claim_transition(
        claim=claim, user=reviewer, step="approve", comment=comment, version=version
    )


def claim_request_changes(
    *, claim: Claim, reviewer: User, comment: str, version: Any = None
) -> Claim:
    return claim_transition(
        claim=claim, user=reviewer, step="request_changes", comment=comment, version=version
    )


def claim_reject(*, claim: Claim, reviewer: User, comment: str, version: Any = None) -> Claim:
    return claim_transition(
        claim=claim, user=reviewer, step="reject", comment=comment, version=version
    )


def claim_reopen(*, claim: Claim, reviewer: User, comment: str, version: Any = None) -> Claim:
    return claim_transition(
        claim=claim, user=reviewer, step="reopen", comment=comment, version=version
    )


@retry_deadlock_once
@transaction.atomic
def claim_update_and_submit(*, claim: Claim, user: User, version: Any, **fields: Any) -> Claim:
    """Save the editor's edits and submit the claim for review, as one change: "Submit
    for review" with unsaved edits used to be refused, leaving two clicks the editor
    could take in the wrong order. Both steps run through their own services with their
    own rules; if either refuses, neither is written."""
    saved = claim_update(claim=claim, user=user, version=version, **fields)
    return claim_transition(claim=saved, user=user, step="submit")


# --- many claims, one decision (issue 16) -------------------------------------------------

#: The decisions a reviewer may take on many claims at once.
BULK_STEPS = ("approve", "request_changes", "reject")


@dataclass(frozen=True, slots=True)
class BulkDecision:
    """What became of one claim of a bulk decision: ``done`` (with the claim's new status
    and version) or ``refused`` (with the single-claim refusal's message, its code and the
    HTTP status the one-claim endpoint would have answered)."""

    id: int
    result: str
    status: str = ""
    version: int | None = None
    detail: str = ""
    code: str = ""
    http_status: int | None = None
    extra: dict[str, Any] | None = None

    @property
    def ok(self) -> bool:
        return self.result == "done"

    def as_dict(self) -> dict[str, Any]:
        body: dict[str, Any] = {"id": self.id, "result": self.result}
        if self.ok:
            body.update(status=self.status, version=self.version)
        else:
            body.update(detail=self.detail, code=self.code, http_status=self.http_status)
            body.update(self.extra or {})
        return body


def _error_code(exc: ServiceError) -> str:
    """`StaleVersion` → ``stale_version``: the refusal's kind, stable for API clients."""
    name = type(exc).__name__
    return "".join(f"_{c.lower()}" if c.isupper() else c for c in name).lstrip("_")


def claims_review_bulk(
    *,
    claims: Sequence[tuple[int, int | None]],
    step: str,
    reviewer: User,
    comment: str = "",
) -> list[BulkDecision]:
    """Take one review decision (approve, request changes, reject) on many claims, each on
    its own. ``claims`` is ``(claim id, version read or None)`` per claim, in the order the
    results come back.

    Refused as a whole, before anything is written: a step that is not a decision, a user
    who is not a reviewer, no claims, more than `limits.BULK_REVIEW`, a claim listed twice,
    a missing comment where the step needs one (request changes, reject) or one too long.

    Otherwise each claim goes through `claim_transition`, the single-claim path with every
    rule it has (status, version, four eyes, what approval needs), history and webhooks
    included, in its own transaction (a savepoint when the caller holds one): a refused
    claim changes nothing and undoes nothing of the others. Not one transaction for all, on
    purpose: each claim locks its article then itself, and holding those locks across many
    articles would invite deadlocks that roll back every decision taken so far.
    """
    if step not in BULK_STEPS:
        raise InvalidInput(
            f"“{step}” is not a decision on many claims; use one of {', '.join(BULK_STEPS)}.",
            field="decision",
        )
    spec = STEPS[step]
    if not is_reviewer(reviewer):
        raise NotAllowed(f"Only reviewers may {spec.label.lower()} a claim.")
    if not claims:
        raise InvalidInput("Choose at least one claim.", field="claims")
    if len(claims) > limits.BULK_REVIEW:
        raise InvalidInput(
            f"At most {limits.BULK_REVIEW} claims per decision; got {len(claims)}. "
            "Decide on them in several batches.",
            field="claims",
        )
    ids = [claim_id for claim_id, _ in claims]
    twice = sorted({claim_id for claim_id in ids if ids.count(claim_id) > 1})
    if twice:
        raise InvalidInput(
            "Each claim may be listed once; listed twice: "
            + ", ".join(str(claim_id) for claim_id in twice)
            + ".",
            field="claims",
        )
    comment = (comment or "").strip()
    if spec.comment_required and not comment:
        raise MissingForStep(
            f"{spec.label} needs a comment saying why; nothing was done.", field="comment"
        )
    if len(comment) > limits.COMMENT:
        raise MissingForStep(
            f"The comment is longer than {limits.COMMENT:,} characters.", field="comment"
        )
    # Deleted claims are found on purpose: the step refuses them saying so.
    found = Claim.objects.only("id", "article_id").in_bulk(ids)
    results = []
    for claim_id, version in claims:
        claim = found.get(claim_id)
        if claim is None:
            results.append(
                BulkDecision(
                    claim_id,
                    "refused",
                    detail=f"There is no claim {claim_id}.",
                    code="not_found",
                    http_status=404,
                )
            )
            continue
        try:
            done = claim_transition(
                claim=claim, user=reviewer, step=step, comment=comment, version=version
            )
        except ServiceError as exc:
            extra = {k: v for k, v in exc.extra.items() if k in ("current_version", "missing")}
            results.append(
                BulkDecision(
                    claim_id,
                    "refused",
                    detail=exc.message,
                    code=_error_code(exc),
                    http_status=exc.status,
                    extra=extra or None,
                )
            )
        else:
            results.append(BulkDecision(claim_id, "done", status=done.status, version=done.version))
    return results
