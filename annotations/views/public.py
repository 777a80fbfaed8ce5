"""The public page of an article's approved fact-checks: `/published/<article id>/`.

No login. Only approved checks appear, each with the anchor `#claim-<id>` that the
ClaimReview `url` points at, and the same ClaimReview JSON-LD the API serves is embedded
in a `<script type="application/ld+json">`. An article with no published check answers 404,
like an unknown one: its headline and byline are newsroom work in progress, and a public
URL must not tell the world which articles the desk is checking. An approved claim that a
new revision of the article sent back to review stays, as it was approved, with a dated
note that the article changed and the check is being re-reviewed: only a reviewer's
decision takes a check off this page.
"""

from __future__ import annotations

import json

from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_safe

from annotations.api.claimreview import (
    ClaimReviewPresenter,
    public_base,
    published_check,
    published_claims,
)
from annotations.models import ClaimSource

#: As django.utils.html.json_script: nothing in the JSON can close the script element.
_JSON_SCRIPT_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


def json_ld_script(data) -> str:
    text = json.dumps(data, ensure_ascii=False, indent=1).translate(_JSON_SCRIPT_ESCAPES)
    return mark_safe(f'<script type="application/ld+json">{text}</script>')


@require_safe
def public_article(request: HttpRequest, article_id: int) -> HttpResponse:
    claims = list(
        published_claims()
        .filter(article_id=article_id)
        .prefetch_related(
            Prefetch(
                "claim_sources",
                queryset=ClaimSource.objects.select_related("source").order_by("id"),
            )
        )
        .order_by("start", "id")
    )
    if not claims:
        raise Http404("No fact-check of this article has been published.")
    article = claims[0].article
    checks = [published_check(claim, with_sources=True) for claim in claims]
    presenter = ClaimReviewPresenter(public_base(request))
    reviews = [presenter.present(check) for check in checks]
    return render(
        request,
        "annotations/public_article.html",
        {
            "article": article,
            "claims": checks,
            "json_ld": json_ld_script(reviews) if reviews else "",
        },
    )
