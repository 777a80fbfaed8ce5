"""Reads of articles shared by the browser views and the API."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import Length

from annotations.models import Article, ArticleRevision, Assignment, Claim, ClaimStatus
from annotations.selectors.prepared import PreparedRead

#: The annotation each claim-count column is stored under: ``<status>_count``.
STATUS_COUNT_FIELDS = {status: f"{status}_count" for status in ClaimStatus.values}


def _claim_counts() -> dict[str, Count]:
    live = Q(claims__deleted_at__isnull=True)
    return {
        field: Count("claims", filter=live & Q(claims__status=status))
        for status, field in STATUS_COUNT_FIELDS.items()
    }


def articles_with_counts() -> QuerySet[Article]:
    """Articles with their current revision and one ``<status>_count`` per claim status,
    counted in the same query (GROUP BY article), newest activity first."""
    return (
        Article.objects.select_related("current_revision")
        .annotate(**_claim_counts())
        .order_by("-updated_at", "-id")
    )


def articles_in_detail() -> QuerySet[Article]:
    """Articles as one article's answer shows them: claim counts, the current revision
    (text included) and who loaded it, in one query."""
    return articles_with_counts().select_related("current_revision__created_by")


def article_in_detail(article_id: int) -> Article | None:
    """`articles_in_detail()`'s article `article_id` and who is assigned to it (set as
    `prefetch_related("assignments")` would), or None: two queries whose SQL is compiled
    once per process, for the API's busiest read."""
    found = _ARTICLE_IN_DETAIL(article_id=article_id)
    if not found:
        return None
    article = found[0]
    # Where `prefetch_related` keeps what it read: `article.assignments.all()` answers from it.
    article._prefetched_objects_cache = {  # type: ignore[attr-defined]
        "assignments": _ASSIGNEES(article_id=article_id)
    }
    return article


def article_to_quote(article_id: int) -> Article | None:
    """The article with its current revision, as a new claim quotes from it, or None
    (its SQL compiled once per process: every claim create reads it)."""
    found = _ARTICLE_TO_QUOTE(article_id=article_id)
    return found[0] if found else None


_ARTICLE_TO_QUOTE = PreparedRead(
    lambda article_id: Article.objects.select_related("current_revision").filter(pk=article_id),
    article_id=-1,
)
_ARTICLE_IN_DETAIL = PreparedRead(
    lambda article_id: articles_in_detail().filter(pk=article_id), article_id=-1
)
_ASSIGNEES = PreparedRead(
    lambda article_id: (
        Assignment.objects.select_related("person", "assigned_by")
        .filter(article_id=article_id)
        .order_by("role", "person__username", "id")
    ),
    article_id=-1,
)


def articles_matching(articles: QuerySet[Article], q: str) -> QuerySet[Article]:
    """Articles whose headline or outlet contains ``q`` (case-insensitive)."""
    q = q.strip()
    if not q:
        return articles
    return articles.filter(Q(title__icontains=q) | Q(outlet__icontains=q))


def article_ids_with_claims_matching(q: str) -> QuerySet[Claim, Any]:
    """Ids of articles with a live claim whose quote, statement or claimant contains ``q``
    (case-insensitive; each column has a trigram index on its UPPER())."""
    words = Q(exact__icontains=q) | Q(statement__icontains=q) | Q(claimant__icontains=q)
    return Claim.objects.live().filter(words).values("article_id")


def articles_for_list(*, q: str = "", outlet: str = "") -> QuerySet[Article]:
    """The article list: ``q`` matches the headline, the outlet, or the quote, statement or
    claimant of any of the article's claims ("40 rounds" finds the article that quotes it).

    The claims are an uncorrelated ``IN`` subquery, which PostgreSQL runs once (a hashed
    subplan over the claims' trigram indexes) rather than once per article."""
    articles = articles_with_counts()
    q = q.strip()
    if q:
        articles = articles.filter(
            Q(title__icontains=q)
            | Q(outlet__icontains=q)
            | Q(pk__in=article_ids_with_claims_matching(q))
        )
    outlet = outlet.strip()
    if outlet:
        articles = articles.filter(outlet__iexact=outlet)
    return articles


def claim_counts(article: Article) -> dict[str, int]:
    """``{status: n}`` from an article annotated by ``articles_with_counts``."""
    return {status: getattr(article, field, 0) for status, field in STATUS_COUNT_FIELDS.items()}


def revisions_for_article(article: Article) -> QuerySet[ArticleRevision]:
    """Every revision of an article, oldest first, without loading the texts."""
    return (
        ArticleRevision.objects.filter(article=article)
        .select_related("created_by")
        .defer("text", "raw", "removed")
        .annotate(removed_length=Length("removed"))
        .order_by("number")
    )


def revisions_with_text(article: Article) -> QuerySet[ArticleRevision]:
    """Every revision of an article with its text and who loaded it, in one query."""
    return ArticleRevision.objects.filter(article=article).select_related("created_by")
