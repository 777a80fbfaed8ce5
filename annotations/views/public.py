"""The public page of an article's approved fact-checks: `/published/<article id>/`.

No login. Only approved checks appear, each with the anchor `#claim-<id>` that the
ClaimReview `url` points at, and the same ClaimReview JSON-LD the API serves is embedded
in a `<script type="application/ld+json">`. An article with no published check answers 404,
like an unknown one: its headline and byline are newsroom work in progress, and a public
URL must not tell the world which articles the desk is checking. An approved claim that a
new revision of the article sent back to review stays, as it was approved, with a dated
note that the article changed and the check is being re-reviewed: only a reviewer's
decision takes a check off this page.

Under a check, the later articles that repeated its claim ("Also appeared in"), as people
confirmed them with "Same claim" (issue 13): the article's title and its own address, and
the date; not who confirmed it (newsroom accounts are not public).
"""

from __future__ import annotations

import json
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.safestring import SafeString, mark_safe
from django.views.decorators.http import require_safe

from annotations.presenters.claimreview import (
    LATER_APPEARANCES,
    ClaimReviewPresenter,
    published_check,
)
from annotations.replica import replica_reads
from annotations.selectors.exports import claims_for_public_page, verdict_rating_scale
from annotations.site import public_base_url

#: As django.utils.html.json_script: nothing in the JSON can close the script element.
_JSON_SCRIPT_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


def json_ld_script(data: Any) -> SafeString:
    text = json.dumps(data, ensure_ascii=False, indent=1).translate(_JSON_SCRIPT_ESCAPES)
    return mark_safe(f'<script type="application/ld+json">{text}</script>')


@require_safe
def public_article(request: HttpRequest, article_id: int) -> HttpResponse:
    with replica_reads(request):  # a published page may lag by a few seconds
        return _public_article(request, article_id)


def _public_article(request: HttpRequest, article_id: int) -> HttpResponse:
    claims = claims_for_public_page(article_id)
    if not claims:
        raise Http404("No fact-check of this article has been published.")
    checks = [published_check(claim, with_sources=True) for claim in claims]
    presenter = ClaimReviewPresenter(public_base_url(request), scale=verdict_rating_scale())
    reviews = [presenter.present(check) for check in checks]
    return render(
        request,
        "annotations/public_article.html",
        {
            "article": claims[0].article,
            "claims": checks,
            # (check, its later appearances), in reading order.
            # (`claims_for_public_page` read them with the claims, for the JSON-LD too.)
            "rows": [(check, getattr(check.claim, LATER_APPEARANCES, [])) for check in checks],
            "json_ld": json_ld_script(reviews) if reviews else "",
        },
    )
