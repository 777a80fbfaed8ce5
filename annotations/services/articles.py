"""Loading articles: every revision's text is fixed here, once."""

from __future__ import annotations

import hashlib

import pghistory
from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.db.models import Max

from annotations.models import Article, ArticleRevision, InputFormat
from annotations.services.errors import InvalidInput


def content_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@transaction.atomic
def revision_create(
    *,
    article: Article,
    text: str,
    raw: str,
    input_format: str,
    removed: str,
    user: AbstractBaseUser,
    source_url: str = "",
) -> ArticleRevision:
    """Add the next immutable revision to an article and make it current."""
    if not text.strip():
        raise InvalidInput("The article has no text.", field="text")
    # Lock the article row so two loads cannot take the same revision number.
    Article.objects.select_for_update().filter(pk=article.pk).first()
    last = article.revisions.aggregate(n=Max("number"))["n"] or 0
    revision = ArticleRevision.objects.create(
        article=article,
        number=last + 1,
        text=text,
        raw=raw,
        input_format=input_format,
        removed=removed,
        content_hash=content_hash(text),
        source_url=source_url,
        created_by=user,
    )
    article.current_revision = revision
    article.save(update_fields=["current_revision", "updated_at"])
    return revision


@transaction.atomic
def article_create(
    *,
    title: str,
    text: str,
    user: AbstractBaseUser,
    raw: str = "",
    input_format: str = InputFormat.TEXT,
    removed: str = "",
    url: str = "",
    outlet: str = "",
    byline: str = "",
    published_at=None,
) -> Article:
    """Create an article with its first revision from text that is already canonical."""
    with pghistory.context(action="article_create"):
        article = Article.objects.create(
            title=title[:500],
            url=url,
            outlet=outlet,
            byline=byline,
            published_at=published_at,
            created_by=user,
        )
        revision_create(
            article=article,
            text=text,
            raw=raw or text,
            input_format=input_format,
            removed=removed,
            user=user,
            source_url=url,
        )
    return article


def article_load(
    *,
    user: AbstractBaseUser,
    text: str,
    title: str = "",
    url: str = "",
    outlet: str = "",
    byline: str = "",
    published_at=None,
) -> Article:
    """Load pasted text as a new article: clean it once, keep what was removed."""
    from annotations.ingest import clean_text

    cleaned = clean_text(text)
    return article_create(
        title=title or cleaned.headline_guess,
        text=cleaned.text,
        raw=text,
        removed=cleaned.removed,
        input_format=InputFormat.TEXT,
        user=user,
        url=url,
        outlet=outlet,
        byline=byline,
        published_at=published_at,
    )
