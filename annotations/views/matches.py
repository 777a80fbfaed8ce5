""" "Checked before?" in the claim panel (issue 13): the earlier checks a claim matches, and a
person's answer for each ("Same claim" / "Not the same").

The panel carries only a placeholder that asks for this section once it is on the page
(`hx-trigger="load"`), so opening or creating a claim never waits for the matcher. The
answer posts to the same address and gets the section back, re-rendered with who answered
and when, focus back on the answered button. A refusal (a deleted claim, an earlier check
that is not one, a role that may not answer) answers with the section and the message in
place, with the honest status; swap-policy.js swaps it like the panel's refusals. Without
JavaScript the section is a page of its own, and an answer redirects back to it.
"""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from annotations.forms.matches import MatchAnswerForm
from annotations.models import Claim, KnownCheck, MatchDecision
from annotations.selectors.matches import KNOWN_CHECK
from annotations.services.errors import InvalidInput, ServiceError
from annotations.services.matching import match_decide
from annotations.views.access import NewsroomRequest, newsroom_required
from annotations.views.claims import _form_error, announce
from annotations.views.panel import matches_claim, matches_context

MATCHES = "annotations/partials/claim_matches.html"
MATCHES_PAGE = "annotations/claim_matches_page.html"

RECORDED = {
    MatchDecision.SAME: "Recorded: the same claim as this earlier check.",
    MatchDecision.NOT_SAME: "Recorded: not the same claim as this earlier check.",
}


def _section(
    request: NewsroomRequest, claim: Claim, *, error: str = "", status: int = 200
) -> HttpResponse:
    """The section (for htmx), or the page around it (without JavaScript)."""
    context = matches_context(claim, request.user, error=error)
    template = MATCHES if request.htmx else MATCHES_PAGE
    return render(request, template, context, status=status)


def _earlier(kind: str, pk: int) -> tuple[KnownCheck | None, Claim | None]:
    """(known check, earlier claim): the earlier check named by the form, as `match_decide`
    takes it. An id that names nothing is the input's fault (400, in place), not a missing
    page."""
    if kind == KNOWN_CHECK:
        check = KnownCheck.objects.defer("embedding").filter(pk=pk).first()
        if check is None:
            raise InvalidInput(f"There is no known check {pk}; reload the list.", field="id")
        return check, None
    claim = Claim.objects.filter(pk=pk).first()
    if claim is None:
        raise InvalidInput(f"There is no published check {pk}; reload the list.", field="id")
    return None, claim


@require_http_methods(["GET", "HEAD", "POST"])
@newsroom_required
def claim_matches_view(request: NewsroomRequest, claim_id: int) -> HttpResponse:
    """GET: the section. POST (kind, id, decision, score): record the answer through
    `match_decide` (who may answer is its rule) and answer with the section again."""
    claim = matches_claim(request.user, claim_id)
    if request.method != "POST":
        return _section(request, claim)
    form = MatchAnswerForm(request.POST)
    if not form.is_valid():
        return _section(request, claim, error=_form_error(form), status=400)
    answer = form.answer()
    try:
        known_check, earlier_claim = _earlier(answer["kind"], answer["id"])
        match_decide(
            claim=claim,
            user=request.user,
            decision=answer["decision"],
            known_check=known_check,
            earlier_claim=earlier_claim,
            score=answer["score"],
        )
    except ServiceError as exc:
        return _section(request, claim, error=exc.message, status=exc.status)
    if not request.htmx:
        return redirect(reverse("claim_matches", args=[claim.pk]), permanent=False)
    key = f"{answer['kind']}:{answer['id']}:{answer['decision']}"
    response = _section(request, claim)
    return announce(response, RECORDED[answer["decision"]], f'[data-match-answer="{key}"]')
