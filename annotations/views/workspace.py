"""The editor's workspace: the reading view of an article with its highlighted claims, the
claims list and the claim panel (issue #4). The panel's htmx endpoints are in claims.py."""

from __future__ import annotations

from functools import cache

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template import TemplateDoesNotExist
from django.template.loader import get_template
from django.urls import NoReverseMatch, reverse
from django.views.decorators.http import require_safe

from annotations.highlights import render_segments
from annotations.models import Article, ClaimStatus
from annotations.selectors.claims import claims_for_workspace, verdict_scale
from annotations.views.access import newsroom_required

ORPHANED_PARTIAL = "annotations/partials/orphaned_claims.html"
ARTICLE_TEXT = "annotations/partials/article_text.html"


@cache
def template_exists(name: str, *url_names: str) -> bool:
    """Is a partial another engineer is building there yet (with the URLs it links to)?"""
    try:
        get_template(name)
        for url_name in url_names:
            reverse(url_name, args=[0])
    except (TemplateDoesNotExist, NoReverseMatch):
        return False
    return True


def list_filters(data) -> dict[str, str]:
    """The claims list's filters, from a GET query or from the fields htmx includes."""
    status = data.get("filter_status", "")
    return {
        "status": status if status in ClaimStatus.values else "",
        "verdict": (data.get("filter_verdict", "") or "")[:40],
    }


def workspace_context(article: Article, data, *, verdicts=None) -> dict:
    """What article_text.html and claim_list.html need: 1 query (+1 for the scale)."""
    revision = article.current_revision
    filters = list_filters(data)
    workspace = claims_for_workspace(article, revision.pk if revision else None, **filters)
    verdicts = verdict_scale() if verdicts is None else verdicts
    return {
        "article": article,
        "revision": revision,
        "paragraphs": render_segments(revision.text, workspace.highlighted) if revision else [],
        "workspace": workspace,
        "filters": filters,
        "verdicts": verdicts,
        "verdict_filter_options": [
            (v.slug, v.label, workspace.verdict_counts.get(v.slug, 0)) for v in verdicts
        ],
        "status_filter_options": [
            (value, label, workspace.status_counts[value]) for value, label in ClaimStatus.choices
        ],
    }


@require_safe
@newsroom_required
def article_detail(request: HttpRequest, article_id: int) -> HttpResponse:
    """The reading view. `?claim=<id>` opens that claim's panel (the page without htmx)."""
    # 1 query: the article with its current revision (the text).
    article = get_object_or_404(Article.objects.select_related("current_revision"), pk=article_id)
    context = workspace_context(article, request.GET)
    context["orphaned_partial"] = template_exists(
        ORPHANED_PARTIAL, "claim_anchor", "claim_confirm_placement"
    )
    claim_id = request.GET.get("claim", "")
    if claim_id.isdigit():
        from annotations.views.claims import panel_context

        try:
            context.update(panel_context(request, int(claim_id), verdicts=context["verdicts"]))
        except Http404:
            pass
        else:
            if context["claim"].article_id != article.pk:
                context.update(claim=None)
    return render(request, "annotations/workspace.html", context)


@require_safe
@newsroom_required
def article_text_view(request: HttpRequest, article_id: int) -> HttpResponse:
    """The highlighted text alone: the workspace re-fetches it on `claimChanged`."""
    # 1 query: the article with its current revision (the text).
    article = get_object_or_404(Article.objects.select_related("current_revision"), pk=article_id)
    if not request.htmx:
        return redirect("article_detail", article.pk)
    return render(request, ARTICLE_TEXT, workspace_context(article, request.GET))
