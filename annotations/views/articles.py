"""Article pages: the list (home page) and the reading view."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from annotations.models import Article
from annotations.views.access import newsroom_required


@newsroom_required
def article_list(request: HttpRequest) -> HttpResponse:
    articles = Article.objects.select_related("current_revision")[:50]
    return render(request, "annotations/article_list.html", {"articles": articles})


@newsroom_required
def article_detail(request: HttpRequest, article_id: int) -> HttpResponse:
    article = get_object_or_404(Article.objects.select_related("current_revision"), pk=article_id)
    revision = article.current_revision
    paragraphs = revision.text.split("\n\n") if revision else []
    return render(
        request,
        "annotations/article_detail.html",
        {"article": article, "revision": revision, "paragraphs": paragraphs},
    )
