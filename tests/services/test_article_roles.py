"""Article services check the role themselves, as the claim and workflow services do: an
account without a newsroom role loads and changes nothing, whoever calls the service."""

from __future__ import annotations

import pytest

from annotations.models import Article, ArticleRevision
from annotations.services.articles import (
    article_create,
    article_ingest,
    article_load,
    article_update_metadata,
    revision_create,
    revision_keep_removed,
    revision_load,
)
from annotations.services.errors import NotAllowed

pytestmark = pytest.mark.django_db

REFUSED = "Only editors and reviewers may"


def test_an_outsider_cannot_load_an_article(outsider):
    for load in (article_ingest, article_load):
        with pytest.raises(NotAllowed, match=REFUSED):
            load(user=outsider, text="Headline\n\nA paragraph.")
    with pytest.raises(NotAllowed, match=REFUSED):
        article_create(user=outsider, title="Headline", text="A paragraph.")
    assert not Article.objects.exists()


def test_an_outsider_cannot_add_a_revision(outsider, demo_article, demo_text):
    with pytest.raises(NotAllowed, match=REFUSED):
        revision_load(article=demo_article, user=outsider, text=demo_text + "\n\nMore.")
    with pytest.raises(NotAllowed, match=REFUSED):
        revision_create(
            article=demo_article, user=outsider, text="x", raw="x", input_format="text", removed=""
        )
    with pytest.raises(NotAllowed, match=REFUSED):
        revision_keep_removed(
            article=demo_article, revision=demo_article.current_revision, user=outsider
        )
    assert ArticleRevision.objects.filter(article=demo_article).count() == 1


def test_an_outsider_cannot_change_metadata(outsider, demo_article):
    with pytest.raises(NotAllowed, match=REFUSED):
        article_update_metadata(article=demo_article, user=outsider, title="Changed")
    demo_article.refresh_from_db()
    assert demo_article.title != "Changed"


def test_a_reviewer_may_load_and_change_articles(reviewer):
    article = article_load(user=reviewer, text="Headline\n\nA paragraph.")
    article_update_metadata(article=article, user=reviewer, title="Better")
    assert Article.objects.get().title == "Better"
