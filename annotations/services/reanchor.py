"""Re-anchoring: when an article gets a new revision, every claim finds its words again.

``claims_reanchor`` runs when a revision is loaded (``services.articles`` calls it from its
``_after_revision_loaded`` hook). It hands every live claim of the previous revision — and
every claim still orphaned on an older one — to the pure engine in
``annotations.anchoring`` and stores the outcome:

- ``anchored`` / ``moved`` / ``fuzzy``: the claim moves to the new revision with its new
  offsets, quote and context (the quote is what the new text says there, so the database
  check ``end = start + length(exact)`` holds).
- ``orphaned``: the claim stays on the revision it had, with its old offsets and quote; it
  is listed in the workspace's "orphaned claims" section until an editor anchors it again
  (``claim_anchor_manually``). Nothing is ever deleted.

Approved claims whose words changed (a fuzzy placement, or newly orphaned) go back to
review, with the reason in the history and as a comment on the claim; approved claims that
only moved stay approved.

History: every claim written gets one ClaimEvent row (database trigger, also for
``bulk_update``) under a pghistory context ``{"action": "claim_reanchor", "from_revision",
"to_revision", "user", ...}``; the event row holds the new revision, offsets and state,
and the previous event the old ones. Note that pghistory shares one context per request
(nested contexts merge their metadata), so per-claim facts live in the event rows and the
comments, not in the context.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import pghistory
from django.contrib.auth.models import User
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

from annotations.anchoring import Quote, anchor_quotes
from annotations.models import (
    AnchorState,
    Article,
    ArticleRevision,
    Claim,
    ClaimStatus,
    Comment,
)
from annotations.roles import is_editor
from annotations.services.claims import selector_resolve_dict
from annotations.services.errors import InvalidInput, NotAllowed, StaleVersion, WorkflowError
from annotations.services.locks import article_lock

A = AnchorState

#: The fields a re-anchoring writes (one bulk UPDATE for all of them).
_REANCHOR_FIELDS = [
    "revision",
    "exact",
    "prefix",
    "suffix",
    "start",
    "end",
    "anchor_state",
    "status",
    "submitted_at",
    "version",
    "updated_at",
]


@dataclass(frozen=True)
class ReanchoredClaim:
    """One claim's outcome. ``start``/``end`` are on the new revision (None if orphaned)."""

    id: int
    state: str
    start: int | None
    end: int | None

    def as_dict(self) -> dict[str, Any]:
        return {"id": self.id, "state": self.state, "start": self.start, "end": self.end}


@dataclass
class ReanchorReport:
    """What became of the claims when a revision was loaded: counts per state and per claim
    ``{id, state, start, end}``. ``sent_to_review`` lists approved claims sent back."""

    claims: list[ReanchoredClaim] = field(default_factory=list)
    sent_to_review: list[int] = field(default_factory=list)

    @property
    def counts(self) -> dict[str, int]:
        counted = Counter(c.state for c in self.claims)
        return {state: counted.get(state, 0) for state in A.values}

    def as_dict(self) -> dict[str, Any]:
        return {"counts": self.counts, "claims": [c.as_dict() for c in self.claims]}


def _review_reason(state: str, from_number: int, to_number: int) -> str:
    if state == A.FUZZY:
        what = (
            f"its quoted words changed in revision {to_number}; the claim now points at "
            "the closest text, which an editor should confirm"
        )
    else:
        what = (
            f"its quoted words could not be found in revision {to_number}; it stays on "
            f"revision {from_number} as an orphan until an editor anchors it again"
        )
    return f"Sent back to review automatically: {what}."


@transaction.atomic
def claims_reanchor(
    *,
    article: Article,
    previous_revision: ArticleRevision | None,
    revision: ArticleRevision,
    user: User,
) -> ReanchorReport:
    """Move the claims of ``previous_revision`` (and older orphans) onto ``revision``.

    Three queries whatever the number of claims: load (and lock) the claims, one bulk
    UPDATE, one bulk INSERT of the comments explaining why approved claims went back to
    review (only when some did). The history triggers still record one event per claim.
    """
    report = ReanchorReport()
    if previous_revision is None or previous_revision.pk == revision.pk:
        return report
    if revision.article_id != article.pk or previous_revision.article_id != article.pk:
        raise InvalidInput("Both revisions must belong to the article.")

    # Claims of the previous revision, and claims left orphaned on older revisions: the new
    # text may hold their words again (a sentence put back after a mistaken cut).
    claims = list(
        Claim.objects.select_for_update(of=("self",))
        .filter(article=article, deleted_at__isnull=True)
        .filter(Q(revision=previous_revision) | Q(anchor_state=A.ORPHANED))
        .exclude(revision=revision)
        .only("id", *_REANCHOR_FIELDS, "revision_id")
        .order_by("id")
    )
    if not claims:
        return report

    placements = anchor_quotes(
        revision.text, [Quote(c.exact, c.prefix, c.suffix, c.start, c.end) for c in claims]
    )
    now = timezone.now()
    comments: list[Comment] = []
    reasons: dict[str, str] = {}
    for claim, placed in zip(claims, placements, strict=True):
        was_orphan = claim.anchor_state == A.ORPHANED
        state: str
        if placed.state == A.ORPHANED:
            state = A.ORPHANED
            quote_changed = not was_orphan
        else:
            quote_changed = placed.exact != claim.exact
            state = placed.state
            # A placement nobody confirmed yet stays "fuzzy" while its words hold.
            if claim.anchor_state == A.FUZZY and not quote_changed:
                state = A.FUZZY
            claim.revision = revision
            claim.exact, claim.prefix, claim.suffix = placed.exact, placed.prefix, placed.suffix
            # Placed (not orphaned), so the engine gave offsets.
            assert placed.start is not None and placed.end is not None
            claim.start, claim.end = placed.start, placed.end
        claim.anchor_state = state
        if claim.status == ClaimStatus.APPROVED and quote_changed:
            claim.status = ClaimStatus.IN_REVIEW
            claim.submitted_at = now
            reason = _review_reason(state, previous_revision.number, revision.number)
            reasons[str(claim.pk)] = reason
            comments.append(Comment(claim=claim, author=user, body=reason))
            report.sent_to_review.append(claim.pk)
        claim.version += 1
        claim.updated_at = now
        report.claims.append(
            ReanchoredClaim(
                claim.pk,
                state,
                None if state == A.ORPHANED else claim.start,
                None if state == A.ORPHANED else claim.end,
            )
        )

    with pghistory.context(
        user=user.pk,
        action="claim_reanchor",
        from_revision=previous_revision.pk,
        to_revision=revision.pk,
        state=report.counts,
        reasons=reasons,
    ):
        _bulk_write(claims)
        if comments:
            Comment.objects.bulk_create(comments)
    return report


#: (column, SQL type, attribute) for the one UPDATE ... FROM (VALUES ...) of a re-anchoring.
_COLUMNS = [
    ("id", "bigint", "pk"),
    ("revision_id", "bigint", "revision_id"),
    ("exact", "text", "exact"),
    ("prefix", "text", "prefix"),
    ("suffix", "text", "suffix"),
    ("start", "integer", "start"),
    ("end", "integer", "end"),
    ("anchor_state", "varchar", "anchor_state"),
    ("status", "varchar", "status"),
    ("submitted_at", "timestamptz", "submitted_at"),
    ("version", "integer", "version"),
    ("updated_at", "timestamptz", "updated_at"),
]
#: Rows per UPDATE statement (PostgreSQL takes at most 65,535 parameters in one).
_BATCH = 2_000


def _bulk_write(claims: list[Claim]) -> None:
    """One ``UPDATE ... FROM (VALUES ...)`` per 2,000 claims.

    Django's ``bulk_update`` writes ``CASE WHEN id = … THEN …`` for every field, which
    PostgreSQL evaluates row by row: quadratic, 1.5 s for 1,000 claims. A join on a VALUES
    list is linear. The history trigger still fires for every row.
    """
    table = connection.ops.quote_name(Claim._meta.db_table)
    names = ", ".join(connection.ops.quote_name(column) for column, _, _ in _COLUMNS)
    sets = ", ".join(
        f"{connection.ops.quote_name(column)} = v.{connection.ops.quote_name(column)}"
        for column, _, _ in _COLUMNS[1:]
    )
    row = "(" + ", ".join(f"%s::{sql_type}" for _, sql_type, _ in _COLUMNS) + ")"
    with connection.cursor() as cursor:
        for at in range(0, len(claims), _BATCH):
            batch = claims[at : at + _BATCH]
            params = [getattr(claim, attr) for claim in batch for _, _, attr in _COLUMNS]
            cursor.execute(
                f"UPDATE {table} AS c SET {sets} "
                f"FROM (VALUES {', '.join([row] * len(batch))}) AS v ({names}) "
                "WHERE c.id = v.id",
                params,
            )


# --- an editor's corrections ---------------------------------------------------------------


def _lock_for_anchoring(claim: Claim, user: User, version: Any) -> Claim:
    if not is_editor(user):
        raise NotAllowed("Only editors may anchor claims.")
    # The article first, then the claim: the order a version load takes (services.locks),
    # so an anchoring and a load wait for each other instead of deadlocking.
    article_lock(claim.article_id)
    current = (
        Claim.objects.select_for_update(of=("self",))
        .select_related("article__current_revision", "revision")
        .get(pk=claim.pk)
    )
    if current.is_deleted:
        raise WorkflowError("This claim was deleted; it cannot be anchored again.")
    if version not in (None, ""):
        try:
            version_read = int(version)
        except (TypeError, ValueError):
            raise InvalidInput("The version must be a whole number.", field="version") from None
        if version_read != current.version:
            raise StaleVersion(
                f"This claim changed while you were looking at it (version {version_read} → "
                f"{current.version}); nothing was saved. Reload it and try again.",
                current_version=current.version,
            )
    return current


@transaction.atomic
def claim_anchor_manually(
    *, claim: Claim, user: User, selector: dict[str, Any], version: Any = None
) -> Claim:
    """Anchor a claim (orphaned or fuzzy, usually) on text an editor selected in the
    article's current revision. The quote becomes the selected text; ``version``, when
    given, must be the one the editor saw. An approved claim goes back to review."""
    current = _lock_for_anchoring(claim, user, version)
    if current.status == ClaimStatus.REJECTED:
        raise WorkflowError("This claim was rejected and is kept as it was; it cannot move.")
    revision = current.article.current_revision
    if revision is None:
        raise InvalidInput("The article has no text to anchor the claim on.")
    resolved = selector_resolve_dict(revision, selector)
    from_revision, from_state = current.revision, current.anchor_state
    now = timezone.now()
    current.revision = revision
    current.exact, current.prefix, current.suffix = resolved.exact, resolved.prefix, resolved.suffix
    current.start, current.end = resolved.start, resolved.end
    current.anchor_state = A.ANCHORED
    current.version += 1
    current.updated_by = user
    fields = [*_REANCHOR_FIELDS, "updated_by"]
    reason = ""
    if current.status == ClaimStatus.APPROVED:
        current.status = ClaimStatus.IN_REVIEW
        current.submitted_at = now
        reason = (
            f"Sent back to review automatically: {user.get_username()} anchored the claim "
            f"on other words in revision {revision.number}."
        )
    with pghistory.context(
        user=user.pk,
        action="claim_anchor_manually",
        from_revision=from_revision.pk,
        to_revision=revision.pk,
        from_state=from_state,
        state=A.ANCHORED,
        reason=reason,
    ):
        current.save(update_fields=fields)
        if reason:
            Comment.objects.create(claim=current, author=user, body=reason)
    Article.objects.filter(pk=current.article_id).update(updated_at=now)
    return current


@transaction.atomic
def claim_confirm_fuzzy(*, claim: Claim, user: User, version: Any = None) -> Claim:
    """Accept the text a fuzzy re-anchoring found: the claim becomes ``anchored`` there."""
    current = _lock_for_anchoring(claim, user, version)
    if current.anchor_state != A.FUZZY:
        raise WorkflowError(
            f"Only fuzzy placements need confirming; this claim is "
            f"{current.get_anchor_state_display().lower()}."
        )
    now = timezone.now()
    current.anchor_state = A.ANCHORED
    current.version += 1
    current.updated_by = user
    with pghistory.context(
        user=user.pk,
        action="claim_confirm_fuzzy",
        from_state=A.FUZZY,
        state=A.ANCHORED,
        to_revision=current.revision_id,
    ):
        current.updated_at = now
        current.save(update_fields=["anchor_state", "version", "updated_by", "updated_at"])
    Article.objects.filter(pk=current.article_id).update(updated_at=now)
    return current
