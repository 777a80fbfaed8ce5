"""Reads for re-anchoring: the claims that need an editor, and what a load did to claims.

Shared by the report page, the orphaned-claims section's actions and the workspace
(through `views.panel.orphaned_claims_context`), and the revision diff page.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q, QuerySet

from annotations import models
from annotations.models import AnchorState, Article, ArticleRevision, Claim, ClaimStatus

#: pghistory makes the event model at import time; the type checker cannot see it.
ClaimEvent: Any = models.ClaimEvent  # type: ignore[attr-defined]

A = AnchorState


def _attention(article: Article) -> QuerySet[Claim]:
    return (
        Claim.objects.live()
        .filter(article=article)
        .select_related("verdict", "revision")
        .order_by("revision__number", "start", "id")
    )


@dataclass
class Attention:
    """The claims of an article that need an editor after a new revision."""

    orphaned: list[Claim] = field(default_factory=list)
    fuzzy: list[Claim] = field(default_factory=list)
    #: Approved claims whose words changed, in review with their approved check kept public:
    #: the editor may adjust their statement (``services.reanchor.claim_restate``).
    rereview: list[Claim] = field(default_factory=list)


def claims_needing_attention(article: Article) -> Attention:
    """Orphaned, fuzzy and re-reviewed claims in one query (a claim may be in two lists)."""
    attention = Attention()
    rereview = Q(published_check__isnull=False, status=ClaimStatus.IN_REVIEW)
    for claim in _attention(article).filter(Q(anchor_state__in=[A.ORPHANED, A.FUZZY]) | rereview):
        if claim.anchor_state == A.ORPHANED:
            attention.orphaned.append(claim)
        elif claim.anchor_state == A.FUZZY:
            attention.fuzzy.append(claim)
        if claim.published_check is not None and claim.status == ClaimStatus.IN_REVIEW:
            attention.rereview.append(claim)
    return attention


# --- the report of one load -----------------------------------------------------------------


@dataclass
class ReportRow:
    """One claim as the re-anchoring left it, and as it is now."""

    claim: Claim
    state: str  # the state the re-anchoring gave it
    start: int | None
    end: int | None
    exact: str


@dataclass
class StoredReport:
    revision: ArticleRevision
    rows: dict[str, list[ReportRow]] = field(default_factory=dict)

    @property
    def counts(self) -> dict[str, int]:
        return {state: len(self.rows.get(state, [])) for state in A.values}

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def sections(self) -> list[tuple[str, str, list[ReportRow]]]:
        return [(state, A(state).label, self.rows.get(state, [])) for state in A.values]


def reanchor_report_for(revision: ArticleRevision) -> StoredReport:
    """What loading ``revision`` did to the claims, read back from their history: the
    ClaimEvents written under the ``claim_reanchor`` context that targeted this revision
    (one query, with each claim's current row and verdict)."""
    events = (
        ClaimEvent.objects.filter(
            pgh_obj__article_id=revision.article_id,
            pgh_context__metadata__action="claim_reanchor",
            pgh_context__metadata__to_revision=revision.pk,
        )
        .select_related("pgh_obj__verdict", "pgh_obj__revision")
        .order_by("pgh_obj_id", "pgh_id")
    )
    latest: dict[int, ClaimEvent] = {}
    for event in events:
        latest[event.pgh_obj_id] = event  # the last event per claim wins
    report = StoredReport(revision=revision)
    for event in latest.values():
        row = ReportRow(
            claim=event.pgh_obj,
            state=event.anchor_state,
            start=None if event.anchor_state == A.ORPHANED else event.start,
            end=None if event.anchor_state == A.ORPHANED else event.end,
            exact=event.exact,
        )
        report.rows.setdefault(event.anchor_state, []).append(row)
    for rows in report.rows.values():
        rows.sort(key=lambda r: (r.start if r.start is not None else -1, r.claim.pk))
    return report


# --- diffs between revisions ------------------------------------------------------------------

_TOKENS = re.compile(r"\s+|\w+|[^\w\s]")
#: Unchanged stretches longer than this are shortened to their ends.
_CONTEXT = 240


@dataclass(frozen=True)
class DiffPiece:
    op: str  # "equal" | "insert" | "delete" | "skip"
    text: str


@dataclass
class RevisionDiff:
    pieces: list[DiffPiece]
    inserted_words: int
    deleted_words: int

    @property
    def identical(self) -> bool:
        return not (self.inserted_words or self.deleted_words) and all(
            p.op in ("equal", "skip") for p in self.pieces
        )


def _word_count(tokens: list[str]) -> int:
    return sum(1 for t in tokens if t.strip())


def _space_after(text: str, at: int) -> int:
    found = re.compile(r"\s").search(text, at)
    return found.start() if found else len(text)


def _space_before(text: str, at: int) -> int:
    found = text.rfind(" ", 0, at)
    newline = text.rfind("\n", 0, at)
    return max(found, newline) + 1 if max(found, newline) >= 0 else 0


def revision_diff(old: str, new: str, *, context: int = _CONTEXT) -> RevisionDiff:
    """A word-level diff (difflib on words, spaces and punctuation), with long unchanged
    stretches shortened to ``context`` characters on each side of a change."""
    a, b = _TOKENS.findall(old), _TOKENS.findall(new)
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    pieces: list[DiffPiece] = []
    inserted = deleted = 0
    opcodes = matcher.get_opcodes()
    for index, (tag, i1, i2, j1, j2) in enumerate(opcodes):
        if tag == "equal":
            text = "".join(a[i1:i2])
            first, last = index == 0, index == len(opcodes) - 1
            head = 0 if first else context
            tail = 0 if last else context
            if len(text) > head + tail + 40:
                # Cut on white space, so no word is split between shown and skipped text.
                cut_head = _space_after(text, head) if head else 0
                cut_tail = _space_before(text, len(text) - tail) if tail else len(text)
                if cut_head >= cut_tail:
                    pieces.append(DiffPiece("equal", text))
                    continue
                if cut_head:
                    pieces.append(DiffPiece("equal", text[:cut_head]))
                pieces.append(DiffPiece("skip", text[cut_head:cut_tail]))
                if cut_tail < len(text):
                    pieces.append(DiffPiece("equal", text[cut_tail:]))
            else:
                pieces.append(DiffPiece("equal", text))
            continue
        if tag in ("delete", "replace"):
            pieces.append(DiffPiece("delete", "".join(a[i1:i2])))
            deleted += _word_count(a[i1:i2])
        if tag in ("insert", "replace"):
            pieces.append(DiffPiece("insert", "".join(b[j1:j2])))
            inserted += _word_count(b[j1:j2])
    return RevisionDiff(pieces, inserted, deleted)


def revisions_for_diff(article: Article) -> list[ArticleRevision]:
    """Every revision of the article with its text (the diff page compares two of them),
    oldest first, in one query."""
    return list(
        ArticleRevision.objects.filter(article=article).only("id", "number", "text", "article_id")
    )
