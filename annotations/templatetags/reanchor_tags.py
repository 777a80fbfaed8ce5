"""``{% orphaned_claims article %}``: the workspace's "needs anchoring" section.

    {% load reanchor_tags %}
    {% orphaned_claims article %}

Renders ``annotations/partials/orphaned_claims.html`` (root ``id="orphaned-claims"``) with
the article's orphaned and fuzzy claims, and the approved ones a new revision sent back to
review (their statement can be adjusted there), one query. A plain
``{% include "annotations/partials/orphaned_claims.html" %}`` with ``article`` in the context
works too: the partial calls the tag itself when its data is missing.
"""

from __future__ import annotations

from typing import Any

from django import template

from annotations.roles import may_edit
from annotations.selectors.reanchor import claims_needing_attention

register = template.Library()


def orphaned_claims_context(request, article) -> dict[str, Any]:
    """The partial's context; the htmx endpoints render the partial with the same."""
    attention = claims_needing_attention(article)
    user = getattr(request, "user", None)
    return {
        "article": article,
        "orphaned_claims": attention.orphaned,
        "fuzzy_claims": attention.fuzzy,
        "rereview_claims": attention.rereview,
        "can_anchor": user is not None and may_edit(user),
        "request": request,
        "reanchor_section": True,
    }


@register.inclusion_tag("annotations/partials/orphaned_claims.html", takes_context=True)
def orphaned_claims(context, article) -> dict[str, Any]:
    data = orphaned_claims_context(context.get("request"), article)
    data["csrf_token"] = context.get("csrf_token")
    return data
