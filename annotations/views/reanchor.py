"""Re-anchoring in the browser: the report after a load, the orphaned-claims section's
actions (anchor again by selecting text, confirm a fuzzy placement, adjust the statement of
an approved claim sent back to review) and revision diffs."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST, require_safe
from django_htmx.http import trigger_client_event

from annotations.models import Article, ArticleRevision, Claim
from annotations.selectors.reanchor import reanchor_report_for, revision_diff
from annotations.services.errors import ServiceError
from annotations.services.reanchor import (
    claim_anchor_manually,
    claim_confirm_fuzzy,
    claim_restate,
)
from annotations.templatetags.reanchor_tags import orphaned_claims_context
from annotations.views.access import editor_required, newsroom_required

SELECTOR_FIELDS = ("exact", "prefix", "suffix", "start", "end")


def workspace_url(article_id: int, claim_id: int | None = None) -> str:
    url = reverse("article_detail", args=[article_id])
    return f"{url}?claim={claim_id}" if claim_id else url


@require_safe
@newsroom_required
def reanchor_report(request: HttpRequest, article_id: int, number: int) -> HttpResponse:
    revision = get_object_or_404(
        ArticleRevision.objects.select_related("article__current_revision").defer(
            "text", "raw", "removed"
        ),
        article_id=article_id,
        number=number,
    )
    report = reanchor_report_for(revision)
    return render(
        request,
        "annotations/reanchor_report.html",
        {"article": revision.article, "revision": revision, "report": report},
    )


def _partial(
    request: HttpRequest, article: Article, *, error: str = "", notice: str = "", status=200
) -> HttpResponse:
    context = orphaned_claims_context(request, article)
    context.update(error=error, notice=notice)
    return render(request, "annotations/partials/orphaned_claims.html", context, status=status)


def _answer(
    request: HttpRequest,
    claim: Claim,
    *,
    action: str,
    notice: str = "",
    error: str = "",
    status=200,
) -> HttpResponse:
    """htmx: the refreshed section (errors shown in it; reanchor.js swaps 4xx answers of this
    section). Plain POST: back to the workspace with a message."""
    if not getattr(request, "htmx", False):
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


def _claim_or_404(claim_id: int) -> Claim:
    return get_object_or_404(Claim.objects.live().select_related("article"), pk=claim_id)


@require_POST
@editor_required
def claim_anchor(request: HttpRequest, claim_id: int) -> HttpResponse:
    claim = _claim_or_404(claim_id)
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
def claim_confirm_placement(request: HttpRequest, claim_id: int) -> HttpResponse:
    claim = _claim_or_404(claim_id)
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
def claim_restate_view(request: HttpRequest, claim_id: int) -> HttpResponse:
    """Adjust the statement of an approved claim a new revision sent back to review."""
    claim = _claim_or_404(claim_id)
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
        return int(value) if value not in (None, "") else None
    except ValueError:
        return None


@require_safe
@newsroom_required
def revision_diff_view(request: HttpRequest, article_id: int) -> HttpResponse:
    article = get_object_or_404(Article.objects.select_related("current_revision"), pk=article_id)
    revisions = list(
        ArticleRevision.objects.filter(article=article).only("id", "number", "text", "article_id")
    )
    by_number = {r.number: r for r in revisions}
    latest = max(by_number) if by_number else None
    to_n = _number(request.GET.get("to")) or latest
    from_n = _number(request.GET.get("from"))
    if from_n is None and to_n is not None:
        from_n = to_n - 1 if to_n - 1 in by_number else to_n
    old, new = by_number.get(from_n), by_number.get(to_n)
    context = {"article": article, "revisions": revisions, "old": old, "new": new}
    if old is None or new is None:
        context["error"] = "Choose two revisions of this article to compare."
        return render(request, "annotations/revision_diff.html", context, status=404)
    context["diff"] = revision_diff(old.text, new.text)
    return render(request, "annotations/revision_diff.html", context)
