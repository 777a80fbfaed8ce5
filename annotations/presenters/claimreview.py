"""Approved claims as schema.org ClaimReview, for the API and the public page.

Only what a reviewer approved is ever presented: an approved claim as it is, or — for an
approved claim that a new revision of the article sent back to review without anyone
deciding to withdraw it — the copy of the check kept when it left (`Claim.published_check`),
until a reviewer approves or rejects it again. `published_check()` turns either into the
one shape the presenter and the public page's template read.

- `url` is the public page plus `#claim-<id>` (several claims on one page).
- `author` is the newsroom (FACTCHECK_NEWSROOM_NAME / _URL).
- `reviewRating`: `ratingValue` on the newsroom's scale, `bestRating`/`worstRating` its
  ends (verdicts rated 0, "not on the scale", carry only `alternateName`).
- `itemReviewed` is a `Claim`: `author` the claimant (an Organization when the name
  looks like one, else a Person), `datePublished` the article's publication date (left
  out when unknown: when it was loaded is not when it was said), `appearance` the
  article as a `CreativeWork` with `url` and `headline` — and, once people confirmed that
  later claims repeat this one ("Checked before?": Same claim), each later article with a
  web address as another `CreativeWork`: then `appearance` is a list, the first item the
  article we checked. A later article without an address (pasted text) is left out: its
  headline is newsroom work, not a place readers can see the claim.

Rows come from `selectors.exports.claims_for_claimreview()` (article and verdict joined),
the scale's ends from `selectors.exports.verdict_rating_scale()`, the later appearances
from `selectors.exports.with_later_appearances()` (an attribute on each claim).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from types import SimpleNamespace
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.urls import reverse
from django.utils.dateparse import parse_datetime

from annotations.models import Article, Claim, Stance

if TYPE_CHECKING:
    from annotations.selectors.matches import Appearance

#: The attribute `selectors.exports.with_later_appearances` sets on a published claim: the
#: later claims confirmed to repeat it (`selectors.matches.Appearance`), oldest first.
LATER_APPEARANCES = "later_appearances"

_ORGANISATION_WORDS = re.compile(
    r"\b(ministry|department|agency|office|government|council|committee|command|party|"
    r"association|university|institute|police|army|navy|force|forces|company|corporation|"
    r"corp|inc|ltd|news|times|post|bank|fund|union|commission|authority|court|parliament|"
    r"congress|senate|administration|organization|organisation|group|foundation|white house|"
    r"kremlin|un|nato|who|cdc)\b",
    re.IGNORECASE,
)


def claimant_type(name: str) -> str:
    return "Organization" if _ORGANISATION_WORDS.search(name) else "Person"


@dataclass
class PublishedCheck:
    """What readers see of one claim: the approved claim itself, or its kept copy.

    ``changed_at`` / ``changed_revision`` are set only for a kept copy: the article changed
    then, and the check is being re-reviewed. ``sources`` hold ClaimSource-shaped objects
    (``.source.title``, ``.get_stance_display()`` …) so one template shows both kinds.
    """

    claim: Claim
    statement: str
    exact: str
    claimant: str
    explanation: str
    verdict: Any
    reviewed_at: datetime | None
    sources: list[Any] = field(default_factory=list)
    changed_at: datetime | None = None
    changed_revision: int | None = None
    #: Later claims confirmed to repeat this check, when the selector read them.
    later: Sequence[Appearance] = ()

    @property
    def id(self) -> int:
        return self.claim.pk

    @property
    def article(self) -> Article:
        return self.claim.article


def _kept_source(data: dict[str, Any]) -> SimpleNamespace:
    stance = data.get("stance") or Stance.SUPPORTS
    label = Stance(stance).label if stance in Stance.values else str(stance)
    return SimpleNamespace(
        source=SimpleNamespace(
            title=data.get("title", ""),
            # As Source.display_title: an untitled source shows its address.
            display_title=data.get("title") or data.get("url", ""),
            url=data.get("url", ""),
            publisher=data.get("publisher", ""),
            archived_url=data.get("archived_url", ""),
        ),
        stance=stance,
        get_stance_display=lambda: label,
    )


def published_check(claim: Claim, *, with_sources: bool = False) -> PublishedCheck:
    """The check readers see for a claim of `claims_for_claimreview()` (sources only when
    the selector prefetched `claim_sources`, as `claims_for_public_page` does)."""
    kept = claim.published_check
    if kept is None:
        return PublishedCheck(
            claim=claim,
            statement=claim.statement,
            exact=claim.exact,
            claimant=claim.claimant,
            explanation=claim.explanation,
            verdict=claim.verdict,
            reviewed_at=claim.reviewed_at,
            sources=list(claim.claim_sources.all()) if with_sources else [],
            later=getattr(claim, LATER_APPEARANCES, ()),
        )
    verdict = kept.get("verdict")
    reviewed_at = kept.get("reviewed_at")
    changed_at = kept.get("changed_at")
    return PublishedCheck(
        claim=claim,
        statement=kept.get("statement", ""),
        exact=kept.get("exact", claim.exact),
        claimant=kept.get("claimant", ""),
        explanation=kept.get("explanation", ""),
        verdict=SimpleNamespace(**verdict) if verdict else None,
        reviewed_at=parse_datetime(reviewed_at) if reviewed_at else None,
        sources=[_kept_source(s) for s in kept.get("sources", [])],
        changed_at=parse_datetime(changed_at) if changed_at else claim.updated_at,
        changed_revision=kept.get("changed_revision"),
        later=getattr(claim, LATER_APPEARANCES, ()),
    )


def _later_appearance(later: Appearance) -> dict[str, Any]:
    return {"@type": "CreativeWork", "url": later.article_url, "headline": later.article_title}


class ClaimReviewPresenter:
    """Builds ClaimReview objects on one base URL and one rating scale (best, worst)."""

    def __init__(self, base: str, *, scale: tuple[int, int]) -> None:
        self.base = base
        self.best, self.worst = scale
        self.author = {
            "@type": "Organization",
            "name": settings.FACTCHECK_NEWSROOM_NAME,
            "url": settings.FACTCHECK_NEWSROOM_URL,
        }
        self.page_prefix = base + reverse("public_article", args=[0])[: -len("0/")]

    def public_url(self, claim: Claim) -> str:
        return f"{self.page_prefix}{claim.article_id}/#claim-{claim.pk}"

    def appearances(
        self, first: dict[str, Any], later: Sequence[Appearance]
    ) -> dict[str, Any] | list[dict[str, Any]]:
        """The article we checked, then each later article with an address, once. One
        object while there is one (as before any was confirmed), a list after."""
        found = [first]
        seen = {first["url"]}
        for appearance in later:
            if appearance.article_url and appearance.article_url not in seen:
                seen.add(appearance.article_url)
                found.append(_later_appearance(appearance))
        return found if len(found) > 1 else first

    def present(self, claim: Claim | PublishedCheck) -> dict[str, Any]:
        check = claim if isinstance(claim, PublishedCheck) else published_check(claim)
        article = check.claim.article
        rating: dict[str, Any] = {"@type": "Rating"}
        if check.verdict and check.verdict.rating_value > 0:
            rating.update(
                ratingValue=check.verdict.rating_value,
                bestRating=self.best,
                worstRating=self.worst,
            )
        if check.verdict:
            rating["alternateName"] = check.verdict.label
        appearance: dict[str, Any] = {
            "@type": "CreativeWork",
            # Without the original URL, the public page is where readers can see it
            # (the workspace needs a login).
            "url": article.url or f"{self.page_prefix}{article.pk}/",
            "headline": article.title,
        }
        if article.outlet:
            appearance["publisher"] = {"@type": "Organization", "name": article.outlet}
        if article.published_at:
            appearance["datePublished"] = article.published_at.date().isoformat()
        item: dict[str, Any] = {"@type": "Claim"}
        if check.claimant:
            item["author"] = {"@type": claimant_type(check.claimant), "name": check.claimant}
        if article.published_at:
            item["datePublished"] = article.published_at.date().isoformat()
        item["appearance"] = self.appearances(appearance, check.later)
        reviewed = check.reviewed_at or check.claim.updated_at
        return {
            "@context": "https://schema.org",
            "@type": "ClaimReview",
            "url": self.public_url(check.claim),
            "claimReviewed": check.statement or check.exact,
            "datePublished": reviewed.date().isoformat(),
            "author": self.author,
            "reviewRating": rating,
            "itemReviewed": item,
            "reviewBody": check.explanation,
        }
