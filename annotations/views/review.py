"""The review workflow in the browser: workflow buttons, the reviewer's queue, the
editor's queue and a claim's history timeline.

Every step goes through `annotations.services.workflow.claim_transition`. An htmx request
gets the refreshed partial back, with the `claimChanged` client event (detail: `id`,
`status`, `step`) so the workspace can refresh the highlight's marker and its list. A
refused step answers with its status (400, 403, 409) and the same partial carrying the
refusal; the partials' root elements tell htmx to swap those answers too.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST, require_safe
from django_htmx.http import trigger_client_event

from annotations.forms.claims import WorkflowStepForm
from annotations.models import Claim, ClaimStatus
from annotations.selectors.history import claim_history
from annotations.selectors.review import (
    claims_for_editor,
    claims_with_details,
    quote_in_context,
    review_queue,
    status_counts,
)
from annotations.services.errors import ServiceError
from annotations.services.workflow import STEPS, claim_transition
from annotations.views.access import editor_required, newsroom_required, reviewer_required

#: The htmx event sent after every workflow step (detail: id, status, step).
CLAIM_CHANGED = "claimChanged"
MY_CLAIMS_SECTIONS = [
    (ClaimStatus.CHANGES_REQUESTED, "Needs changes", "No claim of yours was sent back."),
    (ClaimStatus.DRAFT, "Drafts", "No drafts."),
    (ClaimStatus.IN_REVIEW, "In review", "None of your claims is waiting for a reviewer."),
]
PARTIALS = {
    "workflow": "annotations/partials/claim_workflow.html",
    "review_item": "annotations/partials/review_item.html",
}


def _claim_or_404(claim_id: int) -> Claim:
    # Deleted claims are found on purpose: a step on one is refused with its reason.
    return get_object_or_404(Claim.objects.select_related("verdict", "article"), pk=claim_id)


def _review_item(claim_id: int) -> Claim:
    claim = claims_with_details(Claim.objects.filter(pk=claim_id)).get()
    return _decorate(claim)


def _decorate(claim: Claim) -> Claim:
    claim.quote = quote_in_context(claim.revision.text, claim.start, claim.end)
    claim.sources = list(claim.claim_sources.all())
    return claim


def _safe_next(request: HttpRequest, fallback: str) -> str:
    target = request.POST.get("next") or request.META.get("HTTP_REFERER", "")
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}):
        return target
    return fallback


@require_safe
@newsroom_required
def claim_workflow(request: HttpRequest, claim_id: int) -> HttpResponse:
    """The workflow partial on its own (the claim panel includes it)."""
    claim = _claim_or_404(claim_id)
    return render(request, PARTIALS["workflow"], {"claim": claim})


@require_POST
@newsroom_required
def claim_workflow_step(request: HttpRequest, claim_id: int, step: str) -> HttpResponse:
    """Take one workflow step: access → input → service → the refreshed partial."""
    step = step.replace("-", "_")
    if step not in STEPS:
        raise Http404("No such workflow step.")
    claim = _claim_or_404(claim_id)
    partial = request.POST.get("partial", "workflow")
    template = PARTIALS.get(partial, PARTIALS["workflow"])
    form = WorkflowStepForm(request.POST)
    error, status = None, 200
    if not form.is_valid():  # e.g. a NUL character, which the database cannot store
        error, status = next(iter(form.errors.values()))[0], 400
    else:
        try:
            claim = claim_transition(
                claim=claim,
                user=request.user,
                step=step,
                comment=form.cleaned_data["comment"],
                version=form.cleaned_data["version"],
            )
        except ServiceError as exc:
            error, status = exc.message, exc.status
    if not request.htmx:
        if status == 403:
            raise PermissionDenied(error)
        if error:
            messages.error(request, error)
        else:
            messages.success(request, f"{STEPS[step].label}: done.")
        return redirect(_safe_next(request, reverse("article_detail", args=[claim.article_id])))
    context = {
        "claim": _review_item(claim.pk) if partial == "review_item" else claim,
        "workflow_error": error,
        "comment": request.POST.get("comment", "") if error else "",
        "done_step": None if error else STEPS[step],
    }
    response = render(request, template, context, status=status)
    if not error:
        trigger_client_event(
            response, CLAIM_CHANGED, {"id": claim.pk, "status": claim.status, "step": step}
        )
    return response


@require_safe
@newsroom_required
def claim_history_view(request: HttpRequest, claim_id: int) -> HttpResponse:
    """The history timeline partial (refreshed by the claim panel on `claimChanged`)."""
    claim = _claim_or_404(claim_id)
    return render(
        request,
        "annotations/partials/claim_history.html",
        {"claim": claim, "history": claim_history(claim)},
    )


@require_safe
@reviewer_required
def review_queue_view(request: HttpRequest) -> HttpResponse:
    """Every claim in review across articles, oldest first, to approve or send back."""
    claims = [_decorate(claim) for claim in review_queue()]
    counts = status_counts()
    counts_labels = [(status, (label, counts[status])) for status, label in ClaimStatus.choices]
    return render(
        request,
        "annotations/review_queue.html",
        {"claims": claims, "counts": counts, "counts_labels": counts_labels},
    )


@require_safe
@editor_required
def my_claims(request: HttpRequest) -> HttpResponse:
    """The editor's own open claims: sent back (with the comment), drafts, in review."""
    groups = claims_for_editor(request.user)
    sections = [
        {"status": status, "title": title, "empty": empty, "claims": groups[status]}
        for status, title, empty in MY_CLAIMS_SECTIONS
    ]
    for section in sections:
        for claim in section["claims"]:
            claim.sources = list(claim.claim_sources.all())
    return render(request, "annotations/my_claims.html", {"sections": sections})
