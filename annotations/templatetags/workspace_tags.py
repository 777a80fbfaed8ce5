"""The workspace's loops over claims, drawn by `annotations.presenters.workspace` (see there
why in Python): ``{% claim_items %}`` in claim_list.html, ``{% article_paragraphs %}`` in
article_text.html. The tags reverse each URL once per render and pass it in."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import template
from django.urls import reverse
from django.utils.safestring import SafeString

from annotations.highlights import Paragraph
from annotations.models import Claim
from annotations.presenters.workspace import UrlWithId, article_paragraphs, claim_items

register = template.Library()

#: An id no claim has, reversed in place of the real one and then cut out of the URL.
_SENTINEL = 987654321


def url_with_id(name: str) -> UrlWithId:
    """``reverse(name, args=[id])`` for many ids at the cost of one ``reverse()``."""
    url = reverse(name, args=[_SENTINEL])
    prefix, found, suffix = url.partition(str(_SENTINEL))
    if not found or str(_SENTINEL) in suffix:
        raise ValueError(f"{name}: expected one integer argument in {url}")
    return UrlWithId(prefix, suffix)


@register.simple_tag(name="claim_items")
def claim_items_tag(claims: Iterable[Claim], article_id: int, revision_id: Any) -> SafeString:
    """`{% claim_items workspace.listed article.id revision.id %}`: the list's ``<li>``s."""
    return claim_items(
        claims,
        # Without a current revision the template gives "": every claim refers elsewhere.
        revision_id=revision_id if isinstance(revision_id, int) else None,
        detail_url=reverse("article_detail", args=[article_id]),
        panel_url=url_with_id("claim_panel"),
    )


@register.simple_tag(name="article_paragraphs")
def article_paragraphs_tag(paragraphs: Iterable[Paragraph]) -> SafeString:
    """`{% article_paragraphs paragraphs %}`: the text's ``<p>``s with their highlights."""
    return article_paragraphs(paragraphs)
