"""One way to load an object for a person: the browser views and the API both call these.

The rule, decided once:

- someone without a newsroom role gets **403** (`PermissionDenied`), whatever the id;
- `write=True` and someone who may not edit gets **403**;
- an id that does not exist is **404** (`Http404`);
- a deleted claim is **404**, except where the record itself is asked for
  (`with_deleted=True`: its history and its workflow steps, whose service then refuses a
  step with "This claim was deleted on …").

Django and DRF both turn `PermissionDenied` into 403 and `Http404` into 404, so a view
needs no try/except. Pass `queryset` to load with the joins and prefetches the answer needs.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.db.models import QuerySet
from django.http import Http404

from annotations.models import LIVE, Article, Claim, Source, Suggestion
from annotations.roles import EDIT_REFUSED, NO_ROLE_MESSAGE, is_newsroom_member, may_edit


def _check(user: Any, *, write: bool, action: str) -> None:
    if not is_newsroom_member(user):
        raise PermissionDenied(NO_ROLE_MESSAGE)
    if write and not may_edit(user):
        raise PermissionDenied(EDIT_REFUSED.format(action=action))


def _pk(value: Any, noun: str) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise Http404(f"No {noun} {value!r}.") from None


def _one(objects: QuerySet[Any], pk: Any, noun: str) -> Any:
    """The row `pk` of `objects`, or 404 naming what was asked for."""
    try:
        return objects.get(pk=_pk(pk, noun))
    except ObjectDoesNotExist:
        raise Http404(f"No {noun} {pk}.") from None


def get_claim_for(
    user: Any,
    claim_id: Any,
    *,
    write: bool = False,
    with_deleted: bool = False,
    queryset: QuerySet[Claim] | None = None,
) -> Claim:
    """The claim `claim_id` as `user` may see it: 403 without the role, 404 if unknown."""
    _check(user, write=write, action="change claims")
    claims = Claim.objects.all() if queryset is None else queryset
    if not with_deleted:
        claims = claims.filter(LIVE)
    return _one(claims, claim_id, "claim")


def get_article_for(
    user: Any,
    article_id: Any,
    *,
    write: bool = False,
    queryset: QuerySet[Article] | None = None,
    read: Callable[[int], Article | None] | None = None,
) -> Article:
    """The article `article_id` with its current revision: 403 without the role, 404 if
    unknown. `read(id)` instead of a queryset: a prepared read (selectors/prepared.py)."""
    _check(user, write=write, action="load or change articles")
    if read is not None:
        article = read(_pk(article_id, "article"))
        if article is None:
            raise Http404(f"No article {article_id}.")
        return article
    articles = Article.objects.select_related("current_revision") if queryset is None else queryset
    return _one(articles, article_id, "article")


def get_suggestion_for(
    user: Any,
    suggestion_id: Any,
    *,
    write: bool = False,
    queryset: QuerySet[Suggestion] | None = None,
) -> Suggestion:
    """The suggestion `suggestion_id` (with its revision): 403 without the role (or, with
    `write`, edit rights), 404 if unknown."""
    _check(user, write=write, action="accept or dismiss suggestions")
    suggestions = Suggestion.objects.select_related("revision") if queryset is None else queryset
    return _one(suggestions, suggestion_id, "suggestion")


def get_source_for(user: Any, source_id: Any, *, write: bool = False) -> Source:
    """The source `source_id` as `user` may see it: 403 without the role (or, with `write`,
    edit rights), 404 if unknown or attached to no live claim (a source is seen through
    its claims, as on the claim's own source endpoints)."""
    _check(user, write=write, action="archive sources")
    sources = Source.objects.filter(
        pk__in=Claim.objects.filter(LIVE).values("claim_sources__source_id")
    )
    return _one(sources, source_id, "source")
