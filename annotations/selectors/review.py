"""Reads for the review workflow: the reviewer's queue, the editor's queue, the counts.

Both lists are paged. Each page is one query for the claims (with their article, revision,
verdict and people) plus one for all their sources; the counts per status are one grouped
query, which also gives the paginator its total, so no page costs a `COUNT(*)` of its own.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import User
from django.core.paginator import EmptyPage, Page, Paginator
from django.db.models import (
    Count,
    F,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    prefetch_related_objects,
)
from django.utils import timezone
from django.utils.functional import cached_property

from annotations import limits
from annotations.models import (
    LIVE,
    Article,
    Claim,
    ClaimSource,
    ClaimStatus,
    Review,
    ReviewDecision,
)
from annotations.selectors.assignments import claims_assigned_to
from annotations.selectors.search import claim_relevance, claim_search

#: Claims on one page of the review queue and of each "My claims" section.
PAGE_SIZE = limits.QUEUE_PAGE
#: How the review queue can be sorted: name → (label, ordering).
QUEUE_SORTS: dict[str, tuple[str, tuple[Any, ...]]] = {
    "oldest": ("Longest waiting first", (F("submitted_at").asc(nulls_last=True), "id")),
    "newest": ("Newest first", (F("submitted_at").desc(nulls_last=True), "-id")),
    "updated": ("Recently edited first", ("-updated_at", "-id")),
    "article": ("Article (headline A–Z)", ("article__title", "article_id", "id")),
    "editor": ("Editor (A–Z)", ("created_by__username", "id")),
    "verdict": (
        "Verdict (True first, none last)",
        (F("verdict__rating_value").desc(nulls_last=True), "id"),
    ),
    #: Only with a search (`words`): the form refuses it otherwise.
    "relevance": ("Best match first (search)", (F("relevance").desc(), "id")),
}

#: At most this many characters of the sentence are shown on each side of the quote.
CONTEXT_LIMIT = 300
_SENTENCE_END = re.compile(r"[.!?…][\"'”’)\]]*\s+|\n")


@dataclass(frozen=True)
class QuoteInContext:
    """The sentence a quote sits in, split around the quote for display."""

    before: str
    exact: str
    after: str


def quote_in_context(text: str, start: int, end: int) -> QuoteInContext:
    """The sentence (or sentences) around text[start:end], cut at CONTEXT_LIMIT a side."""
    sentence_start = 0
    for match in _SENTENCE_END.finditer(text, 0, start):
        sentence_start = match.end()
    after_match = _SENTENCE_END.search(text, end)
    sentence_end = after_match.start() + 1 if after_match else len(text)
    if after_match and text[after_match.start()] == "\n":
        sentence_end = after_match.start()
    sentence_end = max(sentence_end, end)
    before = text[sentence_start:start]
    after = text[end:sentence_end]
    if len(before) > CONTEXT_LIMIT:
        before = "…" + before[-CONTEXT_LIMIT:].lstrip()
    if len(after) > CONTEXT_LIMIT:
        after = after[:CONTEXT_LIMIT].rstrip() + "…"
    return QuoteInContext(before.lstrip(), text[start:end], after.rstrip())


def _latest_review(field: str, *decisions: str) -> Subquery:
    reviews = Review.objects.filter(claim=OuterRef("pk"))
    if decisions:
        reviews = reviews.filter(decision__in=decisions)
    return Subquery(reviews.order_by("-created_at", "-id").values(field)[:1])


def sources_prefetch() -> Prefetch:
    """A claim's sources with their stance, oldest link first (one query for a page)."""
    return Prefetch(
        "claim_sources", queryset=ClaimSource.objects.select_related("source").order_by("id")
    )


def claims_with_details(claims: QuerySet[Claim], *, sources: bool = True) -> QuerySet[Claim]:
    claims = claims.select_related(
        "article", "revision", "verdict", "created_by", "updated_by"
    ).defer("revision__raw", "revision__removed")
    if sources:
        claims = claims.prefetch_related(sources_prefetch())
    return claims.annotate(
        last_review_comment=_latest_review("comment"),
        last_review_decision=_latest_review("decision"),
        last_reviewer=_latest_review("reviewer__username"),
    )


class PastTheEnd(EmptyPage):
    """A page number after a list's last page (``which`` names the list)."""

    def __init__(self, number: int, last: int, which: str = "") -> None:
        super().__init__(f"There is no page {number}: the last page is {last}.")
        self.number, self.last, self.which = number, last, which


def page_or_refuse(paginator: Paginator, number: int, which: str = "") -> Page:
    try:
        return paginator.page(number)
    except EmptyPage as exc:
        raise PastTheEnd(number, paginator.num_pages, which) from exc


class CountedPaginator(Paginator):
    """A Paginator told its total, when a grouped count already has it (no `COUNT(*)`)."""

    def __init__(self, object_list: Any, per_page: int, *, count: int) -> None:
        super().__init__(object_list, per_page)
        self._known_count = count

    @cached_property
    def count(self) -> int:
        return self._known_count


def _queue_filter(
    *,
    article: Article | None = None,
    editor: User | None = None,
    verdict: str = "",
    min_age_days: int | None = None,
    words: str = "",
    assignee: User | None = None,
) -> Q:
    """Every queue filter but the status, so the counts per status can share it."""
    where = LIVE
    if words:
        where &= claim_search(words)
    if assignee is not None:
        where &= claims_assigned_to(assignee)
    if article is not None:
        where &= Q(article=article)
    if editor is not None:
        where &= Q(created_by=editor)
    if verdict == "none":
        where &= Q(verdict__isnull=True)
    elif verdict:
        where &= Q(verdict__slug=verdict)
    if min_age_days:
        where &= Q(submitted_at__lte=timezone.now() - dt.timedelta(days=min_age_days))
    return where


def review_queue(
    *,
    status: str = ClaimStatus.IN_REVIEW,
    sort: str = "oldest",
    **filters: Any,
) -> QuerySet[Claim]:
    """Claims across articles in one status (in review by default), the longest waiting
    first. ``filters``: ``article``, ``editor`` (who created the claim), ``verdict`` (a slug,
    or ``"none"``), ``min_age_days`` (submitted at least that many days ago), ``words`` (a
    search: selectors.search; sort "relevance" ranks by it), ``assignee`` (assigned to that
    person, in either role)."""
    claims = Claim.objects.filter(_queue_filter(**filters), status=status)
    if sort == "relevance":
        claims = claims.annotate(relevance=claim_relevance(filters.get("words", "")))
    return claims_with_details(claims).order_by(*QUEUE_SORTS[sort][1])


def status_counts(**filters: Any) -> dict[str, int]:
    """How many live claims there are in each status (every status present, 0 if none),
    under the queue's other filters: what clicking a status would list."""
    counts = dict.fromkeys(ClaimStatus.values, 0)
    rows = Claim.objects.filter(_queue_filter(**filters)).values("status").annotate(n=Count("id"))
    counts.update({row["status"]: row["n"] for row in rows.order_by()})
    return counts


def review_queue_page(*, page: int, status: str, counts: dict[str, int], **options: Any) -> Page:
    """One page of the queue; raises PastTheEnd after the last one."""
    queue = review_queue(status=status, **options)
    return page_or_refuse(CountedPaginator(queue, PAGE_SIZE, count=counts[status]), page)


#: "My claims": the editor's sections, in the order they are shown.
EDITOR_SECTIONS = (
    ClaimStatus.CHANGES_REQUESTED,
    ClaimStatus.DRAFT,
    ClaimStatus.IN_REVIEW,
    ClaimStatus.APPROVED,
)


def editor_claim_counts(user: User) -> dict[str, int]:
    """How many of the editor's live claims each section holds: one grouped query."""
    counts: dict[str, int] = dict.fromkeys(EDITOR_SECTIONS, 0)
    rows = (
        Claim.objects.live()
        .filter(created_by=user, status__in=EDITOR_SECTIONS)
        .values("status")
        .annotate(n=Count("id"))
        .order_by()
    )
    counts.update({row["status"]: row["n"] for row in rows})
    return counts


def editor_claims(user: User, status: str) -> QuerySet[Claim]:
    """The editor's own claims in one status, most recently changed first, with the
    reviewer's latest request for changes (shown on those sent back). Without sources:
    the caller fetches them once for every section's page."""
    return (
        claims_with_details(
            Claim.objects.live().filter(created_by=user, status=status), sources=False
        )
        .defer("revision__text")  # the list shows the quote, not the sentence around it
        .annotate(
            request_comment=_latest_review(
                "comment", ReviewDecision.CHANGES_REQUESTED, ReviewDecision.REOPENED
            ),
            request_reviewer=_latest_review(
                "reviewer__username", ReviewDecision.CHANGES_REQUESTED, ReviewDecision.REOPENED
            ),
        )
        .order_by("-updated_at", "-id")
    )


def editor_claims_pages(user: User, pages: dict[str, int]) -> dict[str, Page]:
    """One page of each "My claims" section (``pages``: status → page number; raises
    PastTheEnd after a section's last page). One grouped count, one query per section that
    has claims, and one for every listed claim's sources."""
    counts = editor_claim_counts(user)
    result: dict[str, Page] = {}
    for status in EDITOR_SECTIONS:
        claims = editor_claims(user, status) if counts[status] else Claim.objects.none()
        paginator = CountedPaginator(claims, PAGE_SIZE, count=counts[status])
        result[status] = page_or_refuse(paginator, pages.get(status, 1), status)
        result[status].object_list = list(result[status].object_list)
    listed = [claim for page in result.values() for claim in page.object_list]
    prefetch_related_objects(listed, sources_prefetch())
    return result


def claims_for_results(ids: list[int]) -> dict[int, Claim]:
    """The claims a bulk decision named, with their article's headline, to list the results
    (one query; unknown ids are simply absent)."""
    return (
        Claim.objects.filter(pk__in=ids)
        .select_related("article")
        .only("id", "exact", "status", "article_id", "article__title")
        .in_bulk()
    )
