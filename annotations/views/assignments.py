"""Assignment in the browser (issue 16): the "Assigned" section of the claim panel and of
the article page, and "My work".

The section is an htmx partial with a stable id (`assignments-claim-<id>`,
`assignments-article-<id>`): the panel and the article page ask for it once they are on
the page (hx-trigger "load"), so they cost no query of their own. Adding and removing
answer with the section again (400 with the refusal in it); without JavaScript the same
addresses show the section on a page of its own and redirect back to it.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from annotations.access import get_article_for, get_claim_for
from annotations.forms.assignments import AssignmentForm
from annotations.models import Assignment
from annotations.roles import may_edit
from annotations.selectors.assignments import assignments_of, eligible_people, my_work
from annotations.services.assignments import assignment_add, assignment_remove
from annotations.services.errors import ServiceError
from annotations.views.access import NewsroomRequest, newsroom_required

SECTION = "annotations/partials/assignments.html"
PAGE = "annotations/assignments_page.html"


def _target(kind: str, request: NewsroomRequest, pk: int, *, write: bool = False) -> Any:
    if kind == "claim":
        return get_claim_for(request.user, pk, write=write, with_deleted=True)
    return get_article_for(request.user, pk, write=write)


def section_context(kind: str, target: Any, user: Any, *, error: str = "") -> dict:
    """What assignments.html shows: 1 query for the people assigned, 1 for who could be
    (only for those who may assign)."""
    assignments = assignments_of(**{kind: target})
    url_name = f"{kind}_assignments"
    for assignment in assignments:
        assignment.remove_url = reverse(
            f"{kind}_assignment_remove", args=[target.pk, assignment.pk]
        )
    may_assign = may_edit(user) and not getattr(target, "is_deleted", False)
    return {
        "kind": kind,
        "target": target,
        "section_id": f"assignments-{kind}-{target.pk}",
        "section_url": reverse(url_name, args=[target.pk]),
        "assignments": assignments,
        "people": list(eligible_people()) if may_assign else [],
        "may_assign": may_assign,
        "assign_error": error,
    }


def _answer(
    request: NewsroomRequest, kind: str, target: Any, *, error: str = "", status: int = 200
) -> HttpResponse:
    if request.method == "POST" and not request.htmx:
        if error:
            messages.error(request, error)
        return redirect(reverse(f"{kind}_assignments", args=[target.pk]))
    context = section_context(kind, target, request.user, error=error)
    # In the claim panel (under its h2) the section is an h3; on the article page and on a
    # page of its own, an h2.
    context["heading"] = 3 if kind == "claim" and request.htmx else 2
    return render(request, SECTION if request.htmx else PAGE, context, status=status)


def _add(request: NewsroomRequest, kind: str, pk: int) -> HttpResponse:
    if request.method != "POST":
        return _answer(request, kind, _target(kind, request, pk))
    target = _target(kind, request, pk, write=True)
    form = AssignmentForm(request.POST)
    if not form.is_valid():
        return _answer(request, kind, target, error=_first_error(form), status=400)
    try:
        assignment_add(
            user=request.user,
            person=form.cleaned_data["person"],
            role=form.cleaned_data["role"],
            **{kind: target},
        )
    except ServiceError as exc:
        return _answer(request, kind, target, error=exc.message, status=exc.status)
    return _answer(request, kind, target)


def _remove(request: NewsroomRequest, kind: str, pk: int, assignment_id: int) -> HttpResponse:
    target = _target(kind, request, pk, write=True)
    assignment = Assignment.objects.filter(pk=assignment_id, **{kind: target}).first()
    if assignment is None:
        return _answer(
            request, kind, target, error="This assignment was already removed.", status=409
        )
    try:
        assignment_remove(user=request.user, assignment=assignment)
    except ServiceError as exc:
        return _answer(request, kind, target, error=exc.message, status=exc.status)
    return _answer(request, kind, target)


def _first_error(form: AssignmentForm) -> str:
    return " ".join(str(errors[0]) for errors in form.errors.values())


#: The section's address: shown with GET (and HEAD), added to with POST.
_get_or_post = require_http_methods(["GET", "HEAD", "POST"])


@_get_or_post
@newsroom_required
def claim_assignments(request: NewsroomRequest, claim_id: int) -> HttpResponse:
    """The claim's "Assigned" section (GET); assign someone (POST: person, role)."""
    return _add(request, "claim", claim_id)


@require_POST
@newsroom_required
def claim_assignment_remove(
    request: NewsroomRequest, claim_id: int, assignment_id: int
) -> HttpResponse:
    return _remove(request, "claim", claim_id, assignment_id)


@_get_or_post
@newsroom_required
def article_assignments(request: NewsroomRequest, article_id: int) -> HttpResponse:
    """The article's "Assigned" section (GET); assign someone (POST: person, role)."""
    return _add(request, "article", article_id)


@require_POST
@newsroom_required
def article_assignment_remove(
    request: NewsroomRequest, article_id: int, assignment_id: int
) -> HttpResponse:
    return _remove(request, "article", article_id, assignment_id)


@require_safe
@newsroom_required
def my_work_view(request: NewsroomRequest) -> HttpResponse:
    """Articles and claims assigned to me, claims by status with counts. 2 queries for the
    work, whatever its size."""
    return render(request, "annotations/my_work.html", {"work": my_work(request.user)})
