"""Re-anchoring in the browser: the report after a load, the orphaned-claims section's
actions (anchor again by selecting text, confirm a fuzzy placement, adjust the statement of
an approved claim sent back to review) and revision diffs."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST, require_safe
from django_htmx.http import trigger_client_event

from annotations.access import get_article_for, get_claim_for
from annotations.models import Article, ArticleRevision, Claim
from annotations.selectors.reanchor import (
    reanchor_report_for,
    revision_diff,
    revisions_for_diff,
)
from annotations.services.errors import ServiceError
from annotations.services.reanchor import (
    claim_anchor_manually,
    claim_confirm_fuzzy,
    claim_restate,
)
from annotations.views.access import NewsroomRequest, editor_required, newsroom_required
from annotations.views.panel import orphaned_claims_context

SELECTOR_FIELDS = ("exact", "prefix", "suffix", "start", "end")


def workspace_url(article_id: int, claim_id: int | None = None) -> str:
    url = reverse("article_detail", args=[article_id])
    return f"{url}?claim={claim_id}" if claim_id else url


@require_safe
@newsroom_required
def reanchor_report(request: NewsroomRequest, article_id: int, number: int) -> HttpResponse:
    revision = get_object_or_404(
        ArticleRevision.objects.select_related("article__current_revision").defer(
            "text", "raw", "removed"
        ),
        article_id=article_id,
        number=number,
    )
    article = revision.article
    context = {"article": article, "revision": revision, "report": reanchor_report_for(revision)}
    # The claims to anchor again are those of the current text: shown under its report only.
    context["on_current_revision"] = revision.pk == article.current_revision_id
    if context["on_current_revision"]:
        context.update(orphaned_claims_context(request.user, article))
    return render(request, "annotations/reanchor_report.html", context)


def _partial(
    request: NewsroomRequest,
    article: Article,
    *,
    error: str = "",
    notice: str = "",
    status: int = 200,
) -> HttpResponse:
    context = orphaned_claims_context(request.user, article)
    context.update(error=error, notice=notice)
    return render(request, "annotations/partials/orphaned_claims.html", context, status=status)


def _answer(
    request: NewsroomRequest,
    claim: Claim,
    *,
    action: str,
    notice: str = "",
    error: str = "",
    status: int = 200,
) -> HttpResponse:
    """htmx: the refreshed section (errors shown in it; reanchor.js swaps 4xx answers of this
    section). Plain POST: back to the workspace with a message."""
    if not request.htmx:
        if error:
            messages.error(request, error)
        else:
            messages.success(request, notice)
        return redirect(workspace_url(claim.article_id, claim.pk))
    response = _partial(request, claim.article, error=error, notice=notice, status=status)
    if not error:
        trigger_client_event(
            response, "factcheck:claims-changed", {"claim": claim.pk, "action": action}
        )
    return response


def _claim(request: NewsroomRequest, claim_id: int) -> Claim:
    # Deleted claims are 404: there is nothing left to anchor.
    return get_claim_for(
        request.user, claim_id, write=True, queryset=Claim.objects.select_related("article")
    )


@require_POST
@editor_required
def claim_anchor(request: NewsroomRequest, claim_id: int) -> HttpResponse:
    claim = _claim(request, claim_id)
    selector = {name: request.POST.get(name) for name in SELECTOR_FIELDS}
    try:
        claim = claim_anchor_manually(
            claim=claim, user=request.user, selector=selector, version=request.POST.get("version")
        )
    except ServiceError as exc:
        return _answer(request, claim, action="anchor", error=exc.message, status=exc.status)
    notice = f"Anchored “{claim.exact[:60]}” at its new place."
    return _answer(request, claim, action="anchored", notice=notice)


@require_POST
@editor_required
def claim_confirm_placement(request: NewsroomRequest, claim_id: int) -> HttpResponse:
    claim = _claim(request, claim_id)
    try:
        claim = claim_confirm_fuzzy(
            claim=claim, user=request.user, version=request.POST.get("version")
        )
    except ServiceError as exc:
        return _answer(request, claim, action="confirm", error=exc.message, status=exc.status)
    notice = f"Confirmed the placement of “{claim.exact[:60]}”."
    return _answer(request, claim, action="confirmed", notice=notice)


@require_POST
@editor_required
def claim_restate_view(request: NewsroomRequest, claim_id: int) -> HttpResponse:
    """Adjust the statement of an approved claim a new revision sent back to review."""
    claim = _claim(request, claim_id)
    try:
        claim = claim_restate(
            claim=claim,
            user=request.user,
            statement=request.POST.get("statement", ""),
            version=request.POST.get("version"),
        )
    except ServiceError as exc:
        return _answer(request, claim, action="restate", error=exc.message, status=exc.status)
    notice = f"Saved the statement: “{claim.statement[:60]}”. The reviewer sees it in the queue."
    return _answer(request, claim, action="restated", notice=notice)


def _number(value: str | None) -> int | None:
    try:
        return int(value) if value else None
    except ValueError:
        return None


@require_safe
@newsroom_required
def revision_diff_view(request: NewsroomRequest, article_id: int) -> HttpResponse:
    article = get_article_for(request.user, article_id)
    revisions = revisions_for_diff(article)
    by_number = {r.number: r for r in revisions}
    latest = max(by_number) if by_number else None
    to_n = _number(request.GET.get("to")) or latest
    from_n = _number(request.GET.get("from"))
    if from_n is None and to_n is not None:
        from_n = to_n - 1 if to_n - 1 in by_number else to_n
    old = by_number.get(from_n) if from_n is not None else None
    new = by_number.get(to_n) if to_n is not None else None
    context = {"article": article, "revisions": revisions, "old": old, "new": new}
    if old is None or new is None:
        context["error"] = "Choose two revisions of this article to compare."
        return render(request, "annotations/revision_diff.html", context, status=404)
    context["diff"] = revision_diff(old.text, new.text)
    return render(request, "annotations/revision_diff.html", context)
