"""Reads of claims, their sources and comments, for the browser and the API: each a fixed
number of queries, whatever the number of claims (see tests/views/test_workspace.py and
the query-count pins in tests/api/)."""

from __future__ import annotations

import functools
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.contrib.postgres.aggregates import JSONBAgg
from django.db.models import (
    F,
    IntegerField,
    JSONField,
    OuterRef,
    Prefetch,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce, JSONObject

from annotations import limits
from annotations.models import (
    AnchorState,
    Article,
    Assignment,
    Claim,
    ClaimSource,
    ClaimStatus,
    Comment,
    Review,
    Verdict,
)
from annotations.selectors.prepared import PreparedRead
from annotations.selectors.search import claim_relevance


def claims_for_article(article: Article) -> QuerySet[Claim]:
    """Live (not deleted) claims of an article, each with its verdict and the number of
    the revision it refers to, in one query."""
    return (
        Claim.objects.live()
        .filter(article=article)
        .select_related("verdict")
        .annotate(revision_number=F("revision__number"))
        .order_by("start", "end", "id")
    )


def claims_with_sources_and_reviews() -> QuerySet[Claim]:
    """Live claims with their verdict, their editors' usernames and — as JSON rows the
    database builds in the same query — their sources (oldest first), reviews with
    reviewers, and who is assigned: everything the API's claim answer shows, in ONE query
    (issue 17).

    These were three prefetches; building and running them was two fifths of fetching an
    article with its claims. `ClaimSerializer` writes its answer from `source_rows`,
    `review_rows` and `assignee_rows` (each a JSON array, or None when there are none)."""
    return _claims_with_rows().all()  # a clone of its own for every caller


@functools.cache
def _claims_with_rows() -> QuerySet[Claim]:
    # Built once per process and never run itself: Django took longer to build the three
    # JSON subqueries than PostgreSQL took to read a page of 200 claims with them (issue
    # 17). Nothing in it depends on the time or the request; the router picks the
    # database when a clone runs.
    return Claim.objects.live().annotate(
        # The answer names the verdict by slug and label and people by username: columns,
        # not a Verdict and three User objects a claim (a page of 200 built 200 Verdicts).
        verdict_slug=F("verdict__slug"),
        verdict_label=F("verdict__label"),
        created_by_name=F("created_by__username"),
        updated_by_name=F("updated_by__username"),
        reviewed_by_name=F("reviewed_by__username"),
        source_rows=_json_rows(
            ClaimSource.objects.all(),
            ("id",),
            id="source_id",
            url="source__url",
            title="source__title",
            publisher="source__publisher",
            excerpt="source__excerpt",
            kind="source__kind",
            stance="stance",
            accessed_at="source__accessed_at",
            archived_url="source__archived_url",
            created_at="created_at",
        ),
        review_rows=_json_rows(
            Review.objects.all(),
            ("created_at", "id"),
            id="id",
            reviewer="reviewer__username",
            decision="decision",
            comment="comment",
            created_at="created_at",
        ),
        assignee_rows=_json_rows(
            Assignment.objects.all(),
            ("role", "person__username", "id"),
            id="id",
            user="person__username",
            role="role",
            assigned_by="assigned_by__username",
            assigned_at="assigned_at",
        ),
    )


def _json_rows(related: QuerySet[Any], order: tuple[str, ...], **fields: str) -> Subquery:
    """The outer claim's `related` rows in `order` as one JSON array of objects of `fields`
    (NULL when there are none).

    One `jsonb_agg`, not an array of jsonb (ArraySubquery): psycopg2 parsed that array and
    Django decoded each element on its own; this is one JSON document a claim (issue 17:
    with the changes beside it, 50 pages of the JSON claims export went from 1.2× the time
    of 50 W3C pages to level with it, in-process)."""
    return Subquery(
        related.filter(claim=OuterRef("pk"))
        .order_by()
        .values("claim")
        .annotate(rows=JSONBAgg(JSONObject(**fields), order_by=order))
        .values("rows"),
        output_field=JSONField(),
    )


def assignees() -> QuerySet[Assignment]:
    """Assignments with the person and who assigned them, editors first (for a prefetch)."""
    return Assignment.objects.select_related("person", "assigned_by").order_by(
        "role", "person__username", "id"
    )


def claims_of_article(article: Article) -> list[Claim]:
    """An article's live claims in text order, with everything the API's claim answer
    shows (`claims_with_sources_and_reviews`): 1 query for any number of claims, its SQL
    compiled once per process (every fetch of an article with its claims runs it)."""
    return _CLAIMS_OF_ARTICLE(article_id=article.pk)


_CLAIMS_OF_ARTICLE = PreparedRead(
    lambda article_id: (
        claims_with_sources_and_reviews()
        .filter(article_id=article_id)
        .order_by("start", "end", "id")
    ),
    article_id=-1,
)


def sources_of_claim(claim: Claim) -> QuerySet[ClaimSource]:
    """A claim's sources, each link with its source, in one query."""
    return ClaimSource.objects.filter(claim=claim).select_related("source")


def source_of_claim(claim: Claim, source_id: int) -> ClaimSource | None:
    """The link between `claim` and source `source_id` (with the source), or None."""
    link = sources_of_claim(claim).filter(source_id=source_id).first()
    if link is not None:
        link.claim = claim  # the caller's claim: no second read of it
    return link


def comments_on_claim(claim: Claim) -> QuerySet[Comment]:
    """A claim's comments, each with its author, in one query."""
    return Comment.objects.filter(claim=claim).select_related("author")


@dataclass
class Workspace:
    """Everything the reading view shows about an article's claims."""

    #: Claims on the shown revision that have a place in its text (highlighted).
    highlighted: list[Claim]
    #: Every live claim, in reading order: the shown revision first, then older ones.
    claims: list[Claim]
    #: The claims the list shows after filtering.
    listed: list[Claim]
    status_counts: dict[str, int] = field(default_factory=dict)
    verdict_counts: dict[str, int] = field(default_factory=dict)
    unrated_count: int = 0
    on_other_revisions: int = 0


def claims_for_workspace(
    article: Article, revision_id: int | None, *, status: str = "", verdict: str = ""
) -> Workspace:
    """One query: the article's live claims, split and counted in Python.

    ``verdict`` is a verdict slug, or ``"none"`` for claims without a verdict.
    """
    claims = list(claims_for_article(article))
    # revision_number: annotated by claims_for_article.
    claims.sort(
        key=lambda c: (c.revision_id != revision_id, -(getattr(c, "revision_number", 0) or 0))
    )
    highlighted = [
        c for c in claims if c.revision_id == revision_id and c.anchor_state != AnchorState.ORPHANED
    ]
    status_counts = Counter(c.status for c in claims)
    verdict_counts = Counter(c.verdict.slug for c in claims if c.verdict)
    listed = [
        c
        for c in claims
        if (not status or c.status == status)
        and (
            not verdict
            or (verdict == "none" and c.verdict is None)
            or (c.verdict is not None and c.verdict.slug == verdict)
        )
    ]
    return Workspace(
        highlighted=highlighted,
        claims=claims,
        listed=listed,
        status_counts={s: status_counts.get(s, 0) for s in ClaimStatus.values},
        verdict_counts=dict(verdict_counts),
        unrated_count=sum(1 for c in claims if c.verdict is None),
        on_other_revisions=sum(1 for c in claims if c.revision_id != revision_id),
    )


def verdicts() -> QuerySet[Verdict]:
    """The newsroom's rating scale."""
    return Verdict.objects.all()


#: The rating scale as the API lists it: truest first, the id breaking ties (a cursor
#: needs a unique order).
VERDICT_ORDER = ("-rating_value", "id")

_VERDICTS_FIRST_PAGE = PreparedRead(
    lambda: verdicts().order_by(*VERDICT_ORDER)[: limits.API_PAGE + 1]
)


def verdicts_first_page() -> list[Verdict]:
    """The API's first page of the rating scale at the default size, and the verdict after
    it if there is one (`API_PAGE` + 1 rows, as the cursor paginator reads a page).

    A client asks for this before anything else, and often (issue 17: the cheapest
    authenticated request): its SQL is compiled once per process, not on every call.
    """
    return _VERDICTS_FIRST_PAGE()


def verdict_scale() -> list[Verdict]:
    return list(verdicts())


def claim_for_panel(claim_id: int) -> Claim:
    """One claim with everything its panel shows: 3 queries (claim with article, revision
    number, verdict and editors; sources; comments with authors)."""
    return (
        Claim.objects.select_related("article", "verdict", "created_by", "updated_by", "deleted_by")
        .annotate(revision_number=F("revision__number"))
        .prefetch_related(
            Prefetch(
                "claim_sources",
                queryset=ClaimSource.objects.select_related("source").order_by("id"),
            ),
            Prefetch("comments", queryset=Comment.objects.select_related("author")),
        )
        .get(pk=claim_id)
    )


# --- Sorting a list of claims that is paged by cursor (the API, issue 16) ------------------

#: API sorts: name → what it means. Each orders by one key a cursor can hold (never null),
#: then by id; the queue's sorts (selectors.review.QUEUE_SORTS) share the names.
CLAIM_SORTS = {
    "created": "Newest created first (the default without `q`).",
    "oldest": "Longest waiting first: submitted longest ago (never submitted: created).",
    "newest": "Most recently submitted first (never submitted: created).",
    "article": "By the article's headline, A to Z.",
    "editor": "By the username of the claim's creator, A to Z.",
    "verdict": "By verdict in the scale's order (True first), claims without one last.",
    "relevance": "Best match to `q` first (the default with `q`; needs `q`).",
}
_SORT_KEYS = {
    "created": ("-id",),
    "oldest": ("sort_waiting", "id"),
    "newest": ("-sort_waiting", "-id"),
    "article": ("sort_article", "id"),
    "editor": ("sort_editor", "id"),
    "verdict": ("-sort_verdict", "id"),
    "relevance": ("-relevance", "-id"),
}


def claims_sorted(
    claims: QuerySet[Claim], sort: str, *, words: str = ""
) -> tuple[QuerySet[Claim], tuple[str, ...]]:
    """`claims` with the key `sort` orders by, and that ordering (key first, then id) for a
    cursor to page by. ``words``: the search (needed by, and only read for, relevance)."""
    if sort == "oldest" or sort == "newest":
        claims = claims.annotate(sort_waiting=Coalesce("submitted_at", "created_at"))
    elif sort == "article":
        claims = claims.annotate(sort_article=F("article__title"))
    elif sort == "editor":
        claims = claims.annotate(sort_editor=F("created_by__username"))
    elif sort == "verdict":
        no_verdict = Value(-1)
        claims = claims.annotate(
            sort_verdict=Coalesce("verdict__rating_value", no_verdict, output_field=IntegerField())
        )
    elif sort == "relevance":
        claims = claims.annotate(relevance=claim_relevance(words))
    return claims, _SORT_KEYS[sort]
