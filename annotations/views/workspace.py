"""The editor's workspace: the reading view of an article with its highlighted claims, the
claims list, the claims to anchor again and the claim panel (issue #4). The panel's htmx
endpoints are in claims.py; what each piece shows is composed in panel.py."""

from __future__ import annotations

from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_safe

from annotations.access import get_article_for
from annotations.selectors.live import live_event_latest
from annotations.views.access import NewsroomRequest, newsroom_required
from annotations.views.panel import (
    empty_panel_context,
    orphaned_claims_context,
    panel_claim,
    panel_context,
    workspace_context,
)

ARTICLE_TEXT = "annotations/partials/article_text.html"


@require_safe
@newsroom_required
def article_detail(request: NewsroomRequest, article_id: int) -> HttpResponse:
    """The reading view. `?claim=<id>` opens that claim's panel (the page without htmx)."""
    # 1 query: the article with its current revision (the text).
    article = get_article_for(request.user, article_id)
    context = workspace_context(article, request.GET)
    context.update(orphaned_claims_context(request.user, article))
    # Where the page's live stream starts: nothing changed after this render is missed.
    context["live_after"] = live_event_latest(article.pk)
    claim_id = request.GET.get("claim", "")
    if claim_id.isdigit():
        try:
            claim = panel_claim(request.user, int(claim_id))
        except Http404:
            pass
        else:
            if claim.article_id == article.pk:
                context.update(panel_context(request.user, claim, verdicts=context["verdicts"]))
            else:
                context.update(empty_panel_context())
    return render(request, "annotations/workspace.html", context)


@require_safe
@newsroom_required
def article_text_view(request: NewsroomRequest, article_id: int) -> HttpResponse:
    """The highlighted text alone: the workspace re-fetches it on `claimChanged`."""
    # 1 query: the article with its current revision (the text).
    article = get_article_for(request.user, article_id)
    if not request.htmx:
        return redirect("article_detail", article.pk)
    # The text only: no verdict scale (it feeds the claims list's filters).
    context = workspace_context(article, request.GET, verdicts=[])
    return render(request, ARTICLE_TEXT, context)
