"""W3C Web Annotations coming in: an annotation from another tool (or one of our own
exports) becomes a draft claim with its sources, through the claim services.

The mapping is the export's read backwards (`presenters.w3c`): bodies are told apart by
`purpose` and `label`; Hypothesis-style comment bodies become the explanation; linked
resources become sources with their `stance`. The target is a loaded article, named by its
URL or by its page in this app (as exported for articles without a URL).
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlparse

from django.contrib.auth.models import User
from django.db import transaction
from django.urls import Resolver404, resolve

from annotations import limits
from annotations.models import Article, Claim, Verdict
from annotations.presenters.w3c import CHECKED_BEFORE_LABEL
from annotations.services.claims import claim_create, source_attach
from annotations.services.errors import InvalidInput, InvalidSelector, ServiceError
from annotations.services.locks import retry_deadlock_once


class TooManyBodies(ServiceError):
    """An imported annotation carries more bodies than one request may write: each source
    is a write with its history, and 6,000 once ran past the worker's timeout."""

    status = 413


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _iri(value: Any) -> str:
    if isinstance(value, dict):
        value = value.get("id") or value.get("@id")
    return value if isinstance(value, str) else ""


def _article_for(source: str) -> Article:
    if not source:
        raise InvalidInput(
            "The annotation's target needs a source: the article's URL.", field="target"
        )
    article = Article.objects.select_related("current_revision").filter(url=source).first()
    if article is None:
        # The app's own article page, as exported for articles that have no URL.
        try:
            match = resolve(urlparse(source).path)
        except Resolver404:
            match = None
        if match is not None and match.url_name == "article_detail":
            article = (
                Article.objects.select_related("current_revision")
                .filter(pk=match.kwargs["article_id"])
                .first()
            )
    if article is None:
        raise InvalidInput(
            f"No loaded article has the URL “{source[:200]}”; load it first with "
            "POST /api/v1/articles/.",
            field="target",
        )
    return article


def _selector_of(target: dict[str, Any]) -> dict[str, Any]:
    selectors = _as_list(target.get("selector"))
    quote = next(
        (s for s in selectors if isinstance(s, dict) and s.get("type") == "TextQuoteSelector"),
        None,
    )
    if quote is None or not isinstance(quote.get("exact"), str) or not quote["exact"]:
        raise InvalidSelector(
            "The annotation's target needs a TextQuoteSelector with an exact quote.",
            field="selector",
        )
    selector = {k: quote.get(k) or "" for k in ("exact", "prefix", "suffix")}
    if not all(isinstance(v, str) for v in selector.values()):
        raise InvalidSelector("The TextQuoteSelector's exact, prefix and suffix must be text.")
    position = next(
        (s for s in selectors if isinstance(s, dict) and s.get("type") == "TextPositionSelector"),
        None,
    )
    if position is not None:
        selector["start"], selector["end"] = position.get("start"), position.get("end")
    return selector


def _text(value: Any) -> str:
    return value if isinstance(value, str) else ""


def _fields_from_bodies(data: dict[str, Any]) -> tuple[dict[str, Any], list[dict[str, str]]]:
    fields: dict[str, Any] = {}
    sources: list[dict[str, str]] = []
    comments: list[str] = []
    if isinstance(data.get("bodyValue"), str):
        comments.append(data["bodyValue"])
    for body in _as_list(data.get("body")):
        if isinstance(body, str):
            sources.append({"url": body, "title": ""})
            continue
        if not isinstance(body, dict):
            continue
        purposes = _as_list(body.get("purpose"))
        label = _text(body.get("label"))
        value = _text(body.get("value"))
        if label == CHECKED_BEFORE_LABEL:
            # An earlier check our export names is not a source, and a match is a person's
            # answer given here, never linked by an import: left out.
            continue
        if body.get("type") == "SpecificResource" or (
            "linking" in purposes and body.get("type") != "TextualBody"
        ):
            url = _iri(body.get("source")) or _iri(body)
            sources.append({"url": url, "title": label, **_stance_of(body)})
        elif label == "verdict" or "assessing" in purposes:
            fields["verdict"] = _verdict_slug(value)
        elif label == "statement" or "describing" in purposes:
            fields["statement"] = value
        elif label == "claimant" or "identifying" in purposes:
            fields["claimant"] = value
        elif label == "source" and value:
            sources.append({"url": "", "title": value, **_stance_of(body)})
        elif "tagging" in purposes:
            continue
        elif value:
            comments.append(value)
    if comments:
        fields["explanation"] = "\n\n".join(comments)
    return fields, sources


def _stance_of(body: dict[str, Any]) -> dict[str, Any]:
    """A source body's `stance` (the app's extension term), if it has one; the service
    refuses a value it does not know, with the accepted ones."""
    return {"stance": body["stance"]} if "stance" in body else {}


def _verdict_slug(value: str) -> str:
    """The export names the verdict by its label; the claim services take its slug."""
    verdict = Verdict.objects.filter(label__iexact=value.strip()).first()
    return verdict.slug if verdict else value.strip()


@retry_deadlock_once
@transaction.atomic
def annotation_import(*, data: dict[str, Any], user: User) -> Claim:
    """A W3C Annotation becomes a draft claim and its sources, all or nothing.

    The claim services apply every rule (roles, lengths, the selector on the current
    text, stances); this only reads the annotation's shape, so an import cannot make a
    claim the workspace could not.
    """
    bodies = len(_as_list(data.get("body")))
    if bodies > limits.IMPORT_BODIES:
        raise TooManyBodies(
            f"An annotation may carry at most {limits.IMPORT_BODIES} bodies; this one has "
            f"{bodies:,}. Import the claim with fewer sources and add the rest with "
            "POST /api/v1/claims/{id}/sources/.",
            max_bodies=limits.IMPORT_BODIES,
        )
    targets = [t for t in _as_list(data.get("target")) if isinstance(t, dict)]
    if not targets:
        raise InvalidInput(
            "The annotation needs a target object with a source and a TextQuoteSelector.",
            field="target",
        )
    target = targets[0]
    article = _article_for(_iri(target.get("source")))
    selector = _selector_of(target)
    fields, sources = _fields_from_bodies(data)
    try:
        with transaction.atomic():
            claim = claim_create(article=article, user=user, selector=selector, **fields)
    except InvalidSelector:
        if "start" not in selector:
            raise
        # Positions from another tool (or an older revision) may not fit this text: the
        # quote (with its prefix and suffix) is the authority, as the W3C model intends.
        selector = {k: selector[k] for k in ("exact", "prefix", "suffix")}
        claim = claim_create(article=article, user=user, selector=selector, **fields)
    for source in sources:
        source_attach(claim=claim, user=user, **source)
    return claim
