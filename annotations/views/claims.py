"""The claim panel's htmx endpoints: create from a selection, save, delete, sources,
comments, and the filtered claims list.

Errors, decided once (see docs/decisions.md): every refused change answers with the partial
it concerns, showing the service's message and keeping what the editor typed, with the
honest status (400, 403, 409). swap-policy.js (every page) tells htmx to swap 4xx answers,
so the message lands where the editor is looking, under DEBUG=1 too. Successes say what
happened with the `factcheck:announce` client event (`announce`). Without JavaScript the
same views degrade: GETs redirect to the full workspace page.
"""

from __future__ import annotations

from typing import Any

from django.forms import Form
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST, require_safe
from django_htmx.http import trigger_client_event

from annotations.access import get_article_for
from annotations.forms.claims import ClaimCreateForm, ClaimForm, CommentForm, SourceForm
from annotations.models import Article, Claim, ClaimSource
from annotations.services.claims import (
    claim_create,
    claim_delete,
    claim_update,
    comment_add,
    source_attach,
    source_detach,
    source_update,
)
from annotations.services.errors import ServiceError, StaleVersion
from annotations.services.workflow import STEPS, claim_update_and_submit
from annotations.views.access import NewsroomRequest, editor_required, newsroom_required
from annotations.views.panel import (
    comments_context,
    empty_panel_context,
    panel_claim,
    panel_context,
    sources_context,
    workspace_context,
)

PANEL = "annotations/partials/claim_panel.html"
PANEL_RESPONSE = "annotations/partials/claim_panel_response.html"
SOURCES = "annotations/partials/claim_sources.html"
COMMENTS = "annotations/partials/claim_comments.html"
CLAIM_LIST = "annotations/partials/claim_list.html"


#: The client event swap-policy.js listens for: detail {message, focus}. Sent after the
#: swap has settled, so `focus` (a CSS selector) names an element of the new content.
ANNOUNCE = "factcheck:announce"


def announce(response: HttpResponse, message: str, focus: str = "") -> HttpResponse:
    """Say what happened in the page's polite live region (and where focus goes)."""
    return trigger_client_event(
        response, ANNOUNCE, {"message": message, "focus": focus}, after="settle"
    )


def _form_error(form: Form) -> str:
    for errors in form.errors.values():
        return str(errors[0])
    return "The form is not valid."


def panel_response(
    request: NewsroomRequest,
    claim: Claim | int | None,
    *,
    status: int = 200,
    article: Article | None = None,
    **kwargs: Any,
) -> HttpResponse:
    """The panel (for a claim, or empty when `claim` is None; an id is loaded afresh after
    a change); with `article`, also the article text and the claims list, swapped out of
    band (their highlights changed)."""
    if claim is None:
        context = empty_panel_context(**kwargs)
    else:
        if isinstance(claim, int):
            claim = panel_claim(request.user, claim)
        context = panel_context(request.user, claim, **kwargs)
    template = PANEL
    if article is not None:
        context.update(workspace_context(article, request.POST, verdicts=context.get("verdicts")))
        context["oob"] = True
        template = PANEL_RESPONSE
    return render(request, template, context, status=status)


@require_safe
@newsroom_required
def claim_panel(request: NewsroomRequest, claim_id: int) -> HttpResponse:
    """The panel. `?refresh=1` (after `claimChanged`) keeps the focus where it is, or with
    `done=<step>` moves it to that step's result message."""
    claim = panel_claim(request.user, claim_id)
    if not request.htmx:
        return redirect(f"{reverse('article_detail', args=[claim.article_id])}?claim={claim.pk}")
    if request.GET.get("refresh"):
        done_step = STEPS.get(request.GET.get("done", ""))
        return panel_response(
            request, claim, done_step=done_step, focus="done" if done_step else ""
        )
    return panel_response(request, claim)


@require_POST
@editor_required
def claim_create_view(request: NewsroomRequest, article_id: int) -> HttpResponse:
    """One request from a selection to a claim: creates it and answers with its panel, the
    new highlights and the new list."""
    article = get_article_for(request.user, article_id, write=True)
    form = ClaimCreateForm(request.POST)
    if not form.is_valid():
        return panel_response(request, None, error=_form_error(form), focus="error", status=400)
    try:
        claim = claim_create(article=article, user=request.user, **form.service_input())
    except ServiceError as exc:
        return panel_response(request, None, error=exc.message, focus="error", status=exc.status)
    response = panel_response(
        request, claim.pk, article=article, notice="Claim added.", focus="claimant"
    )
    return announce(response, "Claim added.")


@require_POST
@editor_required
def claim_save(request: NewsroomRequest, claim_id: int) -> HttpResponse:
    """Save the claim form; with `then=submit` ("Save and submit"), save and submit it for
    review in one change (`claim_update_and_submit`): either both happen or neither."""
    claim = panel_claim(request.user, claim_id, write=True)
    form = ClaimForm(request.POST)
    if not form.is_valid():
        return panel_response(
            request, claim, form=form, error=_form_error(form), focus="error", status=400
        )
    submit = request.POST.get("then") == "submit"
    save = claim_update_and_submit if submit else claim_update
    try:
        save(claim=claim, user=request.user, version=form.version_read(), **form.content())
    except StaleVersion as exc:
        return panel_response(
            request, claim, form=form, conflict=exc, focus="error", status=exc.status
        )
    except ServiceError as exc:
        form.add_service_error(exc)
        return panel_response(
            request, claim, form=form, error=exc.message, focus="error", status=exc.status
        )
    notice = "Saved and submitted for review." if submit else "Saved."
    response = panel_response(
        request, claim.pk, article=claim.article, notice=notice, focus="notice"
    )
    # No claimChanged: this answer already carries the new panel (status, workflow,
    # history), the highlights and the list; the event would only fetch them again.
    return announce(response, notice)


@require_POST
@editor_required
def claim_delete_view(request: NewsroomRequest, claim_id: int) -> HttpResponse:
    claim = panel_claim(request.user, claim_id, write=True)
    try:
        claim_delete(claim=claim, user=request.user)
    except ServiceError as exc:
        return panel_response(request, claim, error=exc.message, focus="error", status=exc.status)
    article = get_article_for(request.user, claim.article_id)
    notice = f"Deleted the draft claim “{claim.exact[:60]}”. Its history is kept."
    return announce(
        panel_response(request, None, article=article, notice=notice, focus="notice"), notice
    )


def _sources(
    request: NewsroomRequest, claim: Claim, *, status: int = 200, **kwargs: Any
) -> HttpResponse:
    """The sources partial; after a change, of the claim loaded afresh."""
    claim = panel_claim(request.user, claim.pk) if status == 200 else claim
    return render(request, SOURCES, sources_context(claim, request.user, **kwargs), status=status)


@require_POST
@editor_required
def source_add_view(request: NewsroomRequest, claim_id: int) -> HttpResponse:
    claim = panel_claim(request.user, claim_id, write=True)
    form = SourceForm(request.POST)
    if not form.is_valid():  # shape only (text without NUL); the service checks the content
        return _sources(request, claim, add_form=form, error=_form_error(form), status=400)
    try:
        link = source_attach(claim=claim, user=request.user, **form.service_input())
    except ServiceError as exc:
        form.add_service_error(exc)
        return _sources(request, claim, add_form=form, error=exc.message, status=exc.status)
    return announce(_sources(request, claim), "Source added.", f"#claim-source-{link.pk}")


@require_POST
@editor_required
def source_edit_view(request: NewsroomRequest, claim_id: int, claim_source_id: int) -> HttpResponse:
    claim = panel_claim(request.user, claim_id, write=True)
    claim_source = get_object_or_404(
        ClaimSource.objects.select_related("source", "claim"), pk=claim_source_id, claim=claim
    )
    form = SourceForm(request.POST)
    if not form.is_valid():  # a field left out of cleaned_data must not become a partial save
        edited = (claim_source.pk, form)
        return _sources(request, claim, edited=edited, error=_form_error(form), status=400)
    try:
        source_update(claim_source=claim_source, user=request.user, **form.service_input())
    except ServiceError as exc:
        form.add_service_error(exc)
        return _sources(
            request, claim, edited=(claim_source.pk, form), error=exc.message, status=exc.status
        )
    return announce(_sources(request, claim), "Source saved.", f"#claim-source-{claim_source.pk}")


@require_POST
@editor_required
def source_remove_view(
    request: NewsroomRequest, claim_id: int, claim_source_id: int
) -> HttpResponse:
    claim = panel_claim(request.user, claim_id, write=True)
    claim_source = get_object_or_404(
        ClaimSource.objects.select_related("claim"), pk=claim_source_id, claim=claim
    )
    try:
        source_detach(claim_source=claim_source, user=request.user)
    except ServiceError as exc:
        return _sources(request, claim, error=exc.message, status=exc.status)
    return announce(_sources(request, claim), "Source removed.", "#claim-sources-title")


@require_POST
@newsroom_required
def comment_add_view(request: NewsroomRequest, claim_id: int) -> HttpResponse:
    claim = panel_claim(request.user, claim_id)  # who may comment: comment_add decides
    form = CommentForm(request.POST)
    if not form.is_valid():
        context = comments_context(claim, request.user, form=form, error=_form_error(form))
        return render(request, COMMENTS, context, status=400)
    try:
        comment_add(claim=claim, user=request.user, body=form.cleaned_data.get("body", ""))
    except ServiceError as exc:
        form.add_service_error(exc)
        context = comments_context(claim, request.user, form=form, error=exc.message)
        return render(request, COMMENTS, context, status=exc.status)
    fresh = panel_claim(request.user, claim_id)
    response = render(request, COMMENTS, comments_context(fresh, request.user))
    return announce(response, "Comment added.")


@require_safe
@newsroom_required
def claim_list_view(request: NewsroomRequest, article_id: int) -> HttpResponse:
    """The claims list, filtered by status and verdict (`filter_status`, `filter_verdict`)."""
    article = get_article_for(request.user, article_id)
    if not request.htmx:
        query = request.GET.urlencode()
        return redirect(f"{reverse('article_detail', args=[article.pk])}?{query}")
    context = workspace_context(article, request.GET, with_suggestions=False)
    return render(request, CLAIM_LIST, context)
