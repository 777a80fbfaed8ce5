"""Reads of articles shared by the browser views and the API."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import Length

from annotations.models import Article, ArticleRevision, ClaimStatus

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


def articles_matching(articles: QuerySet[Article], q: str) -> QuerySet[Article]:
    """Articles whose headline or outlet contains ``q`` (case-insensitive)."""
    q = q.strip()
    if not q:
        return articles
    return articles.filter(Q(title__icontains=q) | Q(outlet__icontains=q))


def articles_for_list(*, q: str = "", outlet: str = "") -> QuerySet[Article]:
    """The article list: ``q`` matches the headline or the outlet (case-insensitive,
    served by the trigram index on UPPER(title) and the btree on UPPER(outlet))."""
    articles = articles_matching(articles_with_counts(), q)
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
