""" "Checked before?": recording a person's answer, and filling vectors outside requests.

`match_decide` records "Same claim" or "Not the same" for a claim and one earlier check
(a known check, or one of our published claims). Nothing is linked any other way.

`embeddings_fill` computes the e5 vectors that matching lacks: known checks without one,
and our published checks whose words changed. Tens of milliseconds per text, so never in a
request: `embeddings_fill_soon()` (called by an import or an approval, inside its
transaction) enqueues the `embeddings_fill_job` task on the job queue (annotations/jobs.py),
so a rolled-back change asks for nothing and a worker starts only once it is committed. The
job works through the backlog in batches, each its own transaction, rows claimed with SKIP
LOCKED so several workers share the work; run again (a retry, a lost worker), it picks up
what is left. The `embed_known_checks` command does the same in the foreground with
progress.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from annotations.jobs import job
from annotations.matching import MODEL_VERSION, to_bytes
from annotations.models import (
    Claim,
    ClaimMatch,
    ClaimVector,
    KnownCheck,
    MatchDecision,
)
from annotations.presenters.claimreview import published_check
from annotations.roles import EDIT_REFUSED, is_reviewer, may_edit
from annotations.selectors.exports import claims_for_claimreview
from annotations.selectors.matches import claim_passage, passage_sha256
from annotations.services.errors import InvalidInput, NotAllowed, WorkflowError

__all__ = [
    "EmbeddingProgress",
    "embedding_progress",
    "embeddings_fill",
    "embeddings_fill_job",
    "embeddings_fill_soon",
    "match_decide",
]

#: Texts embedded per transaction.
FILL_BATCH = 32


def match_decide(
    *,
    claim: Claim,
    user: User,
    decision: str,
    known_check: KnownCheck | None = None,
    earlier_claim: Claim | None = None,
    score: float | None = None,
) -> ClaimMatch:
    """Record (or change) a person's answer: is this earlier check the same claim?

    Editors and reviewers may answer; the answer is theirs, dated, and in the history. A
    deleted claim takes no answer; an earlier claim must be one of our published checks.
    """
    if not (may_edit(user) or is_reviewer(user)):
        raise NotAllowed(EDIT_REFUSED.format(action="say whether a claim was checked before"))
    if decision not in MatchDecision.values:
        raise InvalidInput(
            f"“{decision}” is not an answer; say {MatchDecision.SAME!s} (same claim) or "
            f"{MatchDecision.NOT_SAME!s} (not the same).",
            field="decision",
        )
    if (known_check is None) == (earlier_claim is None):
        raise InvalidInput(
            "Name one earlier check: a known check or one of our published claims.",
            field="known_check",
        )
    if claim.is_deleted:
        raise WorkflowError("This claim was deleted; it takes no answer.")
    if earlier_claim is not None:
        if earlier_claim.pk == claim.pk:
            raise InvalidInput("A claim is not an earlier check of itself.", field="claim")
        if not claims_for_claimreview().filter(pk=earlier_claim.pk).exists():
            raise InvalidInput(
                f"Claim {earlier_claim.pk} is not a published check, so it cannot be an "
                "earlier check.",
                field="claim",
            )
    if score is not None and not 0 <= score <= 1:
        raise InvalidInput("The score is between 0 and 1.", field="score")
    match, _ = ClaimMatch.objects.update_or_create(
        claim=claim,
        known_check=known_check,
        earlier_claim=earlier_claim,
        defaults={
            "decision": decision,
            "decided_by": user,
            "decided_at": timezone.now(),
            "score": score,
        },
    )
    return match


# --- Vectors, outside requests ------------------------------------------------------------


@dataclass(frozen=True)
class EmbeddingProgress:
    done: int
    total: int

    @property
    def pending(self) -> int:
        return self.total - self.done


def embedding_progress() -> EmbeddingProgress:
    """How many known checks have their vector (one query)."""
    from django.db.models import Count, Q

    counts = KnownCheck.objects.aggregate(
        total=Count("id"),
        done=Count("id", filter=Q(embedding__isnull=False, embedding_model=MODEL_VERSION)),
    )
    return EmbeddingProgress(done=counts["done"], total=counts["total"])


def _fill_known_batch(batch: int) -> int:
    from annotations.matching import embed_passages
    from annotations.matching.evaluation import passage_text

    with transaction.atomic():
        rows = list(
            KnownCheck.objects.filter(embedding__isnull=True)
            .order_by("id")
            .select_for_update(skip_locked=True)
            .values_list("id", "claim_reviewed", "title")[:batch]
        )
        if not rows:
            return 0
        vectors = embed_passages([passage_text(claim, title) for _, claim, title in rows])
        for (pk, _, _), vector in zip(rows, vectors, strict=True):
            KnownCheck.objects.filter(pk=pk).update(
                embedding=to_bytes(vector), embedding_model=MODEL_VERSION
            )
    return len(rows)


def _fill_ours() -> int:
    """Our published checks whose vector is missing or was computed from other words."""
    from annotations.matching import embed_passages

    stale = []
    for claim in claims_for_claimreview().select_related("match_vector"):
        check = published_check(claim)
        text = claim_passage(check.statement or check.exact, check.claimant)
        digest = passage_sha256(text)
        vector = getattr(claim, "match_vector", None)
        if vector is None or vector.text_sha256 != digest or vector.model != MODEL_VERSION:
            stale.append((claim.pk, text, digest))
    if not stale:
        return 0
    vectors = embed_passages([text for _, text, _ in stale])
    for (pk, _, digest), vector in zip(stale, vectors, strict=True):
        ClaimVector.objects.update_or_create(
            claim_id=pk,
            defaults={"text_sha256": digest, "model": MODEL_VERSION, "vector": to_bytes(vector)},
        )
    return len(stale)


def embeddings_fill(
    *, batch: int = FILL_BATCH, progress: Callable[[EmbeddingProgress], None] | None = None
) -> int:
    """Compute every missing vector; returns how many were computed. Each batch commits
    on its own, so a search sees the vectors as they come and a crash loses one batch."""
    done = _fill_ours()
    while True:
        filled = _fill_known_batch(batch)
        if not filled:
            break
        done += filled
        if progress is not None:
            progress(embedding_progress())
    return done


@job()
def embeddings_fill_job() -> int:
    """The job behind `embeddings_fill_soon`: every missing vector, as `embeddings_fill`."""
    return embeddings_fill()


def embeddings_fill_soon() -> None:
    """Ask a worker to fill the missing vectors, in the current transaction: a change that
    rolls back asks for nothing. One job not yet started is enough (it sees every
    committed row when it starts), so none is added while one waits for its first run (a
    job waiting to be retried after a failure does not count: that may take an hour).

    Off when `FACTCHECK_MATCHING_BACKGROUND` is false (tests call `embeddings_fill`)."""
    if not getattr(settings, "FACTCHECK_MATCHING_BACKGROUND", True):
        return
    waiting = DBTaskResult.objects.filter(
        task_path=embeddings_fill_job.module_path, status=TaskResultStatus.READY, worker_ids=[]
    )
    if not waiting.exists():
        embeddings_fill_job.enqueue()
