"""Suggested claims in the workspace (issue 14): the list, accepting one (one action from a
suggestion to a draft claim with its panel open) and dismissing one.

Answers follow the panel's (views/claims.py): an acceptance answers like "Add claim", with
the new claim's panel and, out of band, the text, the claims list and the suggestions; a
dismissal answers with the suggestions and the text. A refusal (accepted by a colleague
meanwhile, dismissed, a newer revision) answers with the suggestions list as it is now and
the service's message, retargeted to the list whatever the form's target, with the honest
status; swap-policy.js swaps it in place and focuses the message. Without JavaScript the
forms post and the answers redirect to the workspace.
"""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST, require_safe
from django_htmx.http import reswap, retarget

from annotations.access import get_article_for, get_suggestion_for
from annotations.models import Suggestion
from annotations.services.errors import ServiceError
from annotations.services.suggestions import suggestion_accept, suggestion_dismiss
from annotations.views.access import NewsroomRequest, editor_required, newsroom_required
from annotations.views.claims import announce, panel_response
from annotations.views.panel import suggestions_context, workspace_context

SUGGESTION_LIST = "annotations/partials/suggestion_list.html"
SUGGESTION_RESPONSE = "annotations/partials/suggestion_response.html"

ACCEPTED = "Claim added from the suggestion."
DISMISSED = "Suggestion dismissed."


def _workspace(article_id: int, claim_id: int | None = None) -> HttpResponse:
    query = f"?claim={claim_id}" if claim_id else ""
    return redirect(f"{reverse('article_detail', args=[article_id])}{query}")


def _refused(request: NewsroomRequest, suggestion: Suggestion, exc: ServiceError) -> HttpResponse:
    """The suggestions as they are now, with the service's message, in the list's place."""
    article = get_article_for(request.user, suggestion.article_id)
    context = suggestions_context(article, error=exc.message)
    response = render(request, SUGGESTION_LIST, context, status=exc.status)
    return reswap(retarget(response, "#suggestion-list"), "outerHTML")


def _next_focus(dismissed: Suggestion, remaining: list[Suggestion]) -> str:
    """Where focus goes after a dismissal: the suggestion ranked next, else the previous
    one, else the list's heading."""
    rank = (-dismissed.score, dismissed.start, dismissed.pk)
    after = [s for s in remaining if (-s.score, s.start, s.pk) > rank]
    target = after[0] if after else (remaining[-1] if remaining else None)
    if target is None:
        return "#suggestion-list-title"
    return f'[data-suggestion-accept="{target.pk}"]'


@require_safe
@newsroom_required
def suggestion_list_view(request: NewsroomRequest, article_id: int) -> HttpResponse:
    """The list alone: the workspace re-fetches it on `claimChanged` (a claim created,
    moved or deleted elsewhere hides or shows the suggestions under it)."""
    # 1 query: the article with its current revision.
    article = get_article_for(request.user, article_id)
    if not request.htmx:
        return _workspace(article.pk)
    return render(request, SUGGESTION_LIST, suggestions_context(article))


@require_POST
@editor_required
def suggestion_accept_view(request: NewsroomRequest, suggestion_id: int) -> HttpResponse:
    """One action from a suggestion to a draft claim: its panel opens on the claimant (the
    selector and the statement are filled in), the text and the lists follow."""
    suggestion = get_suggestion_for(request.user, suggestion_id, write=True)
    try:
        claim = suggestion_accept(suggestion=suggestion, user=request.user)
    except ServiceError as exc:
        return _refused(request, suggestion, exc)
    if not request.htmx:
        return _workspace(claim.article_id, claim.pk)
    article = get_article_for(request.user, claim.article_id)
    response = panel_response(request, claim.pk, article=article, notice=ACCEPTED, focus="claimant")
    return announce(response, ACCEPTED)


@require_POST
@editor_required
def suggestion_dismiss_view(request: NewsroomRequest, suggestion_id: int) -> HttpResponse:
    """Dismiss a suggestion for this article (recorded): the list and the text without it."""
    suggestion = get_suggestion_for(request.user, suggestion_id, write=True)
    try:
        suggestion_dismiss(suggestion=suggestion, user=request.user)
    except ServiceError as exc:
        return _refused(request, suggestion, exc)
    if not request.htmx:
        return _workspace(suggestion.article_id)
    article = get_article_for(request.user, suggestion.article_id)
    # The text and the list only: no verdict scale (it feeds the claims list's filters).
    context = workspace_context(article, request.POST, verdicts=[])
    response = render(request, SUGGESTION_RESPONSE, context)
    return announce(response, DISMISSED, _next_focus(suggestion, context["suggestions"]))
