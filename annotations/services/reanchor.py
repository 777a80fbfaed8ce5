"""Re-anchoring: when an article gets a new revision, every claim finds its words again.

``claims_reanchor`` runs when a revision is loaded (``services.articles`` calls it in the
loading transaction, after storing a new revision of a known article). It hands every live
claim of the previous revision — and every claim still orphaned on an older one — to the
pure engine in
``annotations.anchoring`` and stores the outcome:

- ``anchored`` / ``moved`` / ``fuzzy``: the claim moves to the new revision with its new
  offsets, quote and context (the quote is what the new text says there, so the database
  check ``end = start + length(exact)`` holds).
- ``orphaned``: the claim stays on the revision it had, with its old offsets and quote; it
  is listed in the workspace's "orphaned claims" section until an editor anchors it again
  (``claim_anchor_manually``). Nothing is ever deleted.

Approved claims whose words changed (a fuzzy placement, or newly orphaned) go back to
review, but nobody decided to unpublish them: what the reviewer approved is copied into
``Claim.published_check`` first, and the public page and the ClaimReview feed keep serving
that copy, dated "the article changed on …; being re-reviewed", until a reviewer approves
the claim again (the new content replaces it) or rejects it (withdrawn). Approved claims
that only moved stay approved. The editor may adjust the statement of such a claim while
it waits (``claim_restate``): its words changed, and the reviewer should see the fix.

History: every claim written gets one ClaimEvent row (database trigger, also for
``bulk_update``) under a pghistory context ``{"action": "claim_reanchor", "actor":
"system", "from_revision", "to_revision", "to_revision_number", "reasons", ...}``: the
timeline names the system ("System (new revision N)"), not the person who happened to
load the revision, and shows the reason. Note that pghistory shares one context per
request (nested contexts merge their metadata), so per-claim facts live in the event rows
and in ``reasons``, keyed by claim id.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import pghistory
from django.contrib.auth.models import User
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

from annotations import limits
from annotations.anchoring import Quote, anchor_quotes
from annotations.models import (
    AnchorState,
    Article,
    ArticleRevision,
    Claim,
    ClaimSource,
    ClaimStatus,
    Comment,
    WebhookEvent,
)
from annotations.roles import EDIT_REFUSED, may_edit
from annotations.services.claims import selector_resolve_dict, with_round_editor
from annotations.services.errors import InvalidInput, NotAllowed, StaleVersion, WorkflowError
from annotations.services.locks import article_lock
from annotations.services.notifications import notify_changed_after_publication
from annotations.services.webhooks import claim_event_data, webhooks_emit

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
    "published_check",
]
#: What a kept published check copies from the claim (besides its verdict and sources).
_CHECK_FIELDS = ("statement", "claimant", "explanation", "reviewed_at", "verdict")


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


def published_check_of(
    claim: Claim,
    links: list[ClaimSource],
    *,
    approved_revision: int,
    changed_revision: int,
    changed_at: datetime,
) -> dict[str, Any]:
    """The approved check as readers saw it, to keep public while the claim is re-reviewed.

    Copied (not referenced) because the editor may change the claim, its statement and,
    once changes are requested, its sources before a reviewer decides again; the verdict's
    label and colour are copied as the reviewer approved them.
    """
    verdict = claim.verdict
    return {
        "statement": claim.statement,
        "exact": claim.exact,
        "claimant": claim.claimant,
        "explanation": claim.explanation,
        "verdict": None
        if verdict is None
        else {
            "slug": verdict.slug,
            "label": verdict.label,
            "rating_value": verdict.rating_value,
            "colour": verdict.colour,
            "description": verdict.description,
        },
        "sources": [
            {
                "title": link.source.title,
                "url": link.source.url,
                "publisher": link.source.publisher,
                "archived_url": link.source.archived_url,
                "stance": link.stance,
            }
            for link in links
        ],
        "reviewed_at": claim.reviewed_at.isoformat() if claim.reviewed_at else None,
        "approved_revision": approved_revision,
        "changed_revision": changed_revision,
        "changed_at": changed_at.isoformat(),
    }


def _links_by_claim(claim_ids: list[int]) -> dict[int, list[ClaimSource]]:
    links: dict[int, list[ClaimSource]] = {pk: [] for pk in claim_ids}
    if claim_ids:
        for link in (
            ClaimSource.objects.filter(claim_id__in=claim_ids)
            .select_related("source")
            .order_by("id")
        ):
            links[link.claim_id].append(link)
    return links


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

    ``user`` loaded the revision; the changes are the system's, and the history says so.
    Three queries whatever the number of claims: load (and lock) the claims with their
    verdicts, one bulk UPDATE, and — only when approved claims go back to review — one
    read of their sources for the published checks they keep. The history triggers still
    record one event per claim.
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
        .live()
        .filter(article=article)
        .filter(Q(revision=previous_revision) | Q(anchor_state=A.ORPHANED))
        .exclude(revision=revision)
        .select_related("verdict")
        .only("id", *_REANCHOR_FIELDS, "revision_id", *_CHECK_FIELDS, "reviewed_by",
              "article", "verdict__slug",
              "verdict__label", "verdict__rating_value", "verdict__colour",
              "verdict__description")
        .order_by("id")
    )  # fmt: skip
    if not claims:
        return report

    placements = anchor_quotes(
        revision.text, [Quote(c.exact, c.prefix, c.suffix, c.start, c.end) for c in claims]
    )
    now = timezone.now()
    reasons: dict[str, str] = {}
    sent_back: list[tuple[Claim, str, str, int]] = []  # claim, old quote, state, old number
    for claim, placed in zip(claims, placements, strict=True):
        was_orphan = claim.anchor_state == A.ORPHANED
        old_exact = claim.exact
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
            reasons[str(claim.pk)] = _review_reason(
                state, previous_revision.number, revision.number
            )
            sent_back.append((claim, old_exact, state, previous_revision.number))
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
    # What the reviewers approved stays public, as they approved it, until they decide.
    links = _links_by_claim([claim.pk for claim, *_ in sent_back])
    for claim, old_exact, _state, old_number in sent_back:
        check = published_check_of(
            claim,
            links[claim.pk],
            approved_revision=old_number,
            changed_revision=revision.number,
            changed_at=revision.created_at or now,
        )
        check["exact"] = old_exact
        claim.published_check = check

    with pghistory.context(
        user=user.pk,
        actor="system",
        action="claim_reanchor",
        from_revision=previous_revision.pk,
        to_revision=revision.pk,
        to_revision_number=revision.number,
        state=report.counts,
        reasons=reasons,
    ):
        _bulk_write(claims)
    if sent_back:
        webhooks_emit(
            WebhookEvent.CLAIM_CHANGED_AFTER_PUBLICATION,
            lambda: [claim_event_data(claim) for claim, *_ in sent_back],
        )
        notify_changed_after_publication(
            claims=[claim for claim, *_ in sent_back],
            actor=user,
            why=f"revision {revision.number} of the article changed its words",
        )
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
    ("published_check", "jsonb", "published_check"),
]
#: Rows per UPDATE statement (PostgreSQL takes at most 65,535 parameters in one).
_BATCH = 2_000


def _param(value: Any, sql_type: str) -> Any:
    if sql_type == "jsonb":
        return None if value is None else json.dumps(value, ensure_ascii=False)
    return value


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
            params = [
                _param(getattr(claim, attr), sql_type)
                for claim in batch
                for _, sql_type, attr in _COLUMNS
            ]
            cursor.execute(
                f"UPDATE {table} AS c SET {sets} "
                f"FROM (VALUES {', '.join([row] * len(batch))}) AS v ({names}) "
                "WHERE c.id = v.id",
                params,
            )


# --- an editor's corrections ---------------------------------------------------------------


def _lock_for_anchoring(claim: Claim, user: User, version: Any) -> Claim:
    if not may_edit(user):
        raise NotAllowed(EDIT_REFUSED.format(action="anchor claims"))
    # The article first, then the claim: the order a version load takes (services.locks),
    # so an anchoring and a load wait for each other instead of deadlocking.
    article_lock(claim.article_id)
    current = (
        Claim.objects.select_for_update(of=("self",))
        .select_related("article__current_revision", "revision", "verdict")
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
    if current.status == ClaimStatus.APPROVED:
        # Moving an approved claim is no decision to unpublish it: keep what was approved.
        current.published_check = published_check_of(
            current,
            _links_by_claim([current.pk])[current.pk],
            approved_revision=from_revision.number,
            changed_revision=revision.number,
            changed_at=revision.created_at or now,
        )
    current.revision = revision
    current.exact, current.prefix, current.suffix = resolved.exact, resolved.prefix, resolved.suffix
    current.start, current.end = resolved.start, resolved.end
    current.anchor_state = A.ANCHORED
    current.version += 1
    current.updated_by = user
    # Choosing the words that are checked is a change of what the claim says (four eyes).
    current.round_editors = with_round_editor(current, user)
    fields = [*_REANCHOR_FIELDS, "updated_by", "round_editors"]
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
    if reason:
        webhooks_emit(
            WebhookEvent.CLAIM_CHANGED_AFTER_PUBLICATION, lambda: claim_event_data(current)
        )
        notify_changed_after_publication(
            claims=[current], actor=user, why=f"{user.get_username()} anchored it on other words"
        )
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


@transaction.atomic
def claim_restate(*, claim: Claim, user: User, statement: str, version: Any) -> Claim:
    """Adjust the statement of an approved claim that a new revision sent back to review.

    Its words changed (and "Anchor again" may have moved it onto new ones), but it is in
    review, where nothing else may change: the statement alone is the editor's to fix, so
    the reviewer sees the check as it should read. The published copy stays as approved;
    four eyes counts the editor as its last editor. ``version`` is the one the editor saw.
    """
    current = _lock_for_anchoring(claim, user, version)
    if version in (None, ""):
        raise InvalidInput(
            "The save must carry the claim's version (a whole number).", field="version"
        )
    if current.published_check is None or current.status != ClaimStatus.IN_REVIEW:
        raise WorkflowError(
            "Only an approved claim that a new revision sent back to review can have its "
            "statement adjusted here; this one is "
            f"{current.get_status_display().lower()}, so change it in the claim panel."
        )
    if not isinstance(statement, str):
        raise InvalidInput("The statement must be text.", field="statement")
    statement = statement.strip()
    if "\x00" in statement:
        raise InvalidInput("The statement holds a NUL character.", field="statement")
    if not statement:
        raise InvalidInput("The statement is empty; say what is being checked.", field="statement")
    if len(statement) > limits.STATEMENT:
        raise InvalidInput(
            f"The statement is {len(statement):,} characters long; "
            f"the limit is {limits.STATEMENT:,}.",
            field="statement",
        )
    if statement == current.statement:
        return current
    now = timezone.now()
    current.statement = statement
    current.version += 1
    current.updated_by = user
    current.updated_at = now
    current.round_editors = with_round_editor(current, user)  # four eyes: the editor's words
    with pghistory.context(user=user.pk, action="claim_restate"):
        current.save(
            update_fields=["statement", "version", "updated_by", "updated_at", "round_editors"]
        )
    Article.objects.filter(pk=current.article_id).update(updated_at=now)
    return current
