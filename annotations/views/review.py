"""The review workflow in the browser: workflow buttons, the reviewer's queue, the
editor's queue and a claim's history timeline.

Every step goes through `annotations.services.workflow.claim_transition`. An htmx request
gets the refreshed partial back, with the `claimChanged` client event (detail: `id`,
`status`, `step`) so the workspace can refresh the highlight's marker and its list. A
refused step answers with its status (400, 403, 409) and the same partial carrying the
refusal; swap-policy.js (loaded by base.html) tells htmx to swap those answers too.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.core.paginator import Page
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST, require_safe
from django_htmx.http import trigger_client_event

from annotations.access import get_claim_for
from annotations.forms.claims import WorkflowStepForm
from annotations.forms.review import BulkReviewForm, MyClaimsForm, ReviewQueueForm
from annotations.models import Claim, ClaimStatus
from annotations.selectors.review import (
    EDITOR_SECTIONS,
    PastTheEnd,
    claims_for_results,
    claims_with_details,
    editor_claims_pages,
    quote_in_context,
    review_queue_page,
    status_counts,
)
from annotations.services.errors import ServiceError
from annotations.services.workflow import (
    STEPS,
    BulkDecision,
    claim_transition,
    claims_review_bulk,
)
from annotations.views.access import (
    NewsroomRequest,
    editor_required,
    newsroom_required,
    reviewer_required,
)
from annotations.views.panel import approve_blockers, history_context, workflow_context

#: The htmx event sent after every workflow step (detail: id, status, step).
CLAIM_CHANGED = "claimChanged"
#: The htmx event sent after a bulk decision changed any claim: the queue reloads its list.
CLAIMS_REVIEWED = "claimsReviewed"
MY_CLAIMS_SECTIONS = {
    ClaimStatus.CHANGES_REQUESTED: ("Needs changes", "No claim of yours was sent back."),
    ClaimStatus.DRAFT: ("Drafts", "No drafts."),
    ClaimStatus.IN_REVIEW: ("In review", "None of your claims is waiting for a reviewer."),
    ClaimStatus.APPROVED: ("Approved", "None of your claims has been approved yet."),
}
PARTIALS = {
    "workflow": "annotations/partials/claim_workflow.html",
    "review_item": "annotations/partials/review_item.html",
}


def _claim(request: NewsroomRequest, claim_id: int) -> Claim:
    # Deleted claims are found on purpose: a step on one is refused with its reason.
    return get_claim_for(
        request.user,
        claim_id,
        with_deleted=True,
        queryset=Claim.objects.select_related("verdict", "article"),
    )


def _review_item(user: User, claim_id: int) -> Claim:
    claim = get_claim_for(
        user, claim_id, with_deleted=True, queryset=claims_with_details(Claim.objects.all())
    )
    return _decorate(claim, user)


def _decorate(claim: Any, user: User) -> Claim:
    """What review_item.html shows besides the claim's fields: the sentence around the
    quote, the sources, and why Approve is disabled (no query: the sources are
    prefetched)."""
    claim.quote = quote_in_context(claim.revision.text, claim.start, claim.end)
    claim.sources = list(claim.claim_sources.all())
    claim.approve_blockers = approve_blockers(claim, user)
    return claim


def _safe_next(request: HttpRequest, fallback: str) -> str:
    target = request.POST.get("next") or request.META.get("HTTP_REFERER", "")
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}):
        return target
    return fallback


@require_safe
@newsroom_required
def claim_workflow(request: NewsroomRequest, claim_id: int) -> HttpResponse:
    """The workflow partial on its own (the claim panel includes it)."""
    claim = _claim(request, claim_id)
    context = {"claim": claim, **workflow_context(claim, request.user)}
    return render(request, PARTIALS["workflow"], context)


@require_POST
@newsroom_required
def claim_workflow_step(request: NewsroomRequest, claim_id: int, step: str) -> HttpResponse:
    """Take one workflow step: access → input → service → the refreshed partial."""
    step = step.replace("-", "_")
    if step not in STEPS:
        raise Http404("No such workflow step.")
    claim = _claim(request, claim_id)
    partial = request.POST.get("partial", "workflow")
    template = PARTIALS.get(partial, PARTIALS["workflow"])
    form = WorkflowStepForm(request.POST)
    error, status = None, 200
    if not form.is_valid():  # e.g. a NUL character, which the database cannot store
        error, status = str(next(iter(form.errors.values()))[0]), 400
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
    context: dict[str, Any] = {
        "workflow_error": error,
        "comment": request.POST.get("comment", "") if error else "",
        "done_step": None if error else STEPS[step],
    }
    if partial == "review_item":
        context["claim"] = _review_item(request.user, claim.pk)
    else:
        context.update(claim=claim, **workflow_context(claim, request.user, error=error))
    response = render(request, template, context, status=status)
    if not error:
        now = claim.get_status_display().lower()
        trigger_client_event(
            response, CLAIM_CHANGED, {"id": claim.pk, "status": claim.status, "step": step}
        )
        # Said in the live region by swap-policy.js (a refusal is read from the partial).
        trigger_client_event(
            response,
            "factcheck:announce",
            {"message": f"{STEPS[step].label}: done. The claim is now {now}."},
            after="settle",
        )
    return response


@require_safe
@newsroom_required
def claim_history_view(request: NewsroomRequest, claim_id: int) -> HttpResponse:
    """The history timeline partial (refreshed by the claim panel on `claimChanged`)."""
    claim = _claim(request, claim_id)
    return render(request, "annotations/partials/claim_history.html", history_context(claim))


@require_safe
@reviewer_required
def review_queue_view(request: NewsroomRequest) -> HttpResponse:
    """Claims across articles, in review by default and the longest waiting first, paged;
    filtered by status, article, editor, verdict and age, and sorted. A bad filter answers
    400 with the form saying what was wrong, and lists nothing."""
    form = ReviewQueueForm.from_query(request.GET)
    valid = form.is_valid()
    filters = form.selector_input() if valid else {}
    if valid and form.cleaned_data.get("assigned"):
        filters["assignee"] = request.user
    counts = status_counts(**filters)
    context: dict = {"form": form, "page": None, "claims": [], "error": ""}
    if valid:
        try:
            page = review_queue_page(
                page=form.page_number,
                status=form.chosen_status,
                counts=counts,
                sort=form.chosen_sort,
                **filters,
            )
        except PastTheEnd as exc:
            context["error"] = str(exc)
        else:
            claims = [_decorate(claim, request.user) for claim in page.object_list]
            context.update(page=page, claims=claims)
    else:
        context["error"] = " ".join(str(m) for errors in form.errors.values() for m in errors)
    context.update(
        counts=counts,
        status=form.chosen_status if valid else ClaimStatus.IN_REVIEW,
        counts_labels=[(value, label, counts[value]) for value, label in ClaimStatus.choices],
        article=filters.get("article"),
    )
    return render(
        request, "annotations/review_queue.html", context, status=400 if context["error"] else 200
    )


@require_POST
@reviewer_required
def review_bulk_view(request: NewsroomRequest) -> HttpResponse:
    """One decision on the ticked claims of the queue, each on its own
    (`claims_review_bulk`): the results, claim by claim. htmx gets the results partial (and
    `claimsReviewed`, so the list reloads); without JavaScript, a page with the results and
    a link back to the queue. A refused request (nothing ticked, no comment where one is
    needed, too many) answers 400 with the message, and nothing is written."""
    form = BulkReviewForm(request.POST)
    error, status = "", 200
    results: list[BulkDecision] = []
    claims: dict[int, Claim] = {}
    decision = STEPS.get(request.POST.get("decision", ""))
    if not form.is_valid():
        error, status = " ".join(str(m) for errors in form.errors.values() for m in errors), 400
    else:
        try:
            results = claims_review_bulk(
                claims=form.cleaned_data["claim"],
                step=form.cleaned_data["decision"],
                reviewer=request.user,
                comment=form.cleaned_data["comment"],
            )
        except ServiceError as exc:
            error, status = exc.message, exc.status
        else:
            claims = claims_for_results([result.id for result in results])
    rows = [{"result": r, "claim": claims.get(r.id)} for r in results]
    done = sum(r.ok for r in results)
    context = {
        "bulk_error": error,
        "rows": rows,
        "decision": decision,
        "done": done,
        "refused": len(rows) - done,
        "next": _safe_next(request, reverse("review_queue")),
    }
    if not request.htmx:
        return render(request, "annotations/review_bulk.html", context, status=status)
    response = render(request, "annotations/partials/bulk_results.html", context, status=status)
    if rows:
        if done:
            trigger_client_event(response, CLAIMS_REVIEWED, {"done": done})
        trigger_client_event(
            response,
            "factcheck:announce",
            {"message": f"{decision.label if decision else 'Decision'}: {done} done, "
                        f"{len(rows) - done} refused.", "focus": "#bulk-results-title"},
            after="settle",
        )  # fmt: skip
    return response


def _section_url(request: HttpRequest, status: str, page: Page | None, step: int) -> str:
    """The link to a "My claims" section's previous or next page, other sections' pages kept."""
    if page is None or not (page.has_previous() if step < 0 else page.has_next()):
        return ""
    query = request.GET.copy()
    query[f"page_{status}"] = str(page.number + step)
    return f"?{query.urlencode()}#my-claims-{status}"


@require_safe
@editor_required
def my_claims(request: NewsroomRequest) -> HttpResponse:
    """The editor's own claims, each section paged: sent back (with the comment), drafts,
    in review, and approved (with a link to the public page)."""
    form = MyClaimsForm(request.GET, sections=EDITOR_SECTIONS)
    error, status, pages = "", 200, {}
    if not form.is_valid():
        error, status = str(next(iter(form.errors.values()))[0]), 400
    else:
        try:
            pages = editor_claims_pages(request.user, form.pages())
        except PastTheEnd as exc:
            title = MY_CLAIMS_SECTIONS[ClaimStatus(exc.which)][0]
            error, status = f"“{title}”: {exc}", 400
    sections = []
    for section_status, (title, empty) in MY_CLAIMS_SECTIONS.items():
        page = pages.get(section_status)
        claims = list(page.object_list) if page else []
        for claim in claims:
            claim.sources = list(claim.claim_sources.all())
        sections.append(
            {
                "status": section_status,
                "title": title,
                "empty": empty,
                "page": page,
                "claims": claims,
                "prev_url": _section_url(request, section_status, page, -1),
                "next_url": _section_url(request, section_status, page, +1),
            }
        )
    return render(
        request, "annotations/my_claims.html", {"sections": sections, "error": error}, status=status
    )
