"""The workspace's two loops that grow with the claims, as HTML: the claims list's items and
the highlighted paragraphs of the article text (issue 17: the workspace's server time for 500
claims at most 3× that for 10).

Why Python and not the template: in Django's template language every ``{{ }}``, filter and
``{% url %}`` costs a few microseconds, and these loops had about 40 of them per claim (two
``reverse()`` calls, ``truncatechars``, ``get_status_display`` …); at 500 claims that was
four fifths of the request. Here the URLs are reversed once and the labels looked up once per
render. The markup is the one claim_list.html and article_text.html wrote, byte for byte
(ids, ``data-*``, htmx attributes, ARIA; tests/views/test_workspace_markup.py compares), and
it is still escaped: every value goes through `_e` (``conditional_escape``'s rule, as the
template's autoescape) except integers, written with ``:d`` so nothing else can pass as one.
The templates keep the parts that do not repeat and call these through ``workspace_tags``.

Pure: no queries and no request. The caller passes the URL prefixes it reversed.
"""

from __future__ import annotations

import html
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from django.utils.functional import Promise
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator

from annotations.highlights import Paragraph
from annotations.models import AnchorState, Claim, ClaimStatus

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_STATUS_LABELS = {value: str(label) for value, label in ClaimStatus.choices}
_ANCHOR_LABELS = {value: str(label) for value, label in AnchorState.choices}


def epoch_ms(value: datetime | None) -> int | str:
    """A time as milliseconds since 1970, as the live events carry it (live.js compares)."""
    if value is None:
        return ""
    # Exact integer arithmetic, floored like the trigger's floor(extract(epoch …) * 1000).
    return (value - _EPOCH) // timedelta(milliseconds=1)


def truncate_chars(text: str, length: int) -> str:
    """What the ``truncatechars`` filter gives, without its per-character walk when the
    text fits (most quotes do): Truncator returns the NFC form of a text that fits."""
    normal = unicodedata.normalize("NFC", text)
    if len(normal) <= length:
        return normal
    return Truncator(text).chars(length)


@dataclass(frozen=True)
class UrlWithId:
    """A URL pattern with one integer argument, reversed once: ``prefix + id + suffix``."""

    prefix: str
    suffix: str


def _e(value: Any) -> str:
    """``conditional_escape`` (the template's autoescape), without the lazy-string wrapper
    that made it a third of this module's time: safe strings as they are, anything else
    through ``html.escape``, as Django's ``escape`` does."""
    if isinstance(value, Promise):
        value = str(value)
    if hasattr(value, "__html__"):
        return value.__html__()
    return html.escape(str(value))


def claim_items(
    claims: Iterable[Claim],
    *,
    revision_id: int | None,
    detail_url: str,
    panel_url: UrlWithId,
) -> SafeString:
    """The ``<li>`` items of the claims list, as claim_list.html's loop wrote them (its
    indentation too). Each claim needs its verdict (select_related) and ``revision_number``
    (annotated), as `claims_for_workspace` gives them."""
    detail = _e(detail_url)
    panel_prefix, panel_suffix = _e(panel_url.prefix), _e(panel_url.suffix)
    rows = []
    for c in claims:
        verdict = c.verdict
        meta = f"{verdict.label if verdict and verdict.label else 'No verdict'} · " + (
            _STATUS_LABELS.get(c.status, c.status)
        )
        if c.claimant:
            meta += f" · {truncate_chars(c.claimant, 40)}"
        if c.revision_id != revision_id:
            meta += f" · refers to revision {getattr(c, 'revision_number', None)}"
        elif c.anchor_state != AnchorState.ANCHORED:
            meta += f" · {_ANCHOR_LABELS.get(c.anchor_state, c.anchor_state)}"
        slug = verdict.slug if verdict and verdict.slug else "none"
        quote = truncate_chars(c.statement or c.exact, 110)
        rows.append(
            "\n    "
            f'<li class="claim-item st-{_e(c.status)}" data-claim-item="{c.id:d}"'
            f' data-updated="{_e(epoch_ms(c.updated_at))}">\n'
            f'      <a href="{detail}?claim={c.id:d}"'
            f' hx-get="{panel_prefix}{c.id:d}{panel_suffix}" hx-target="#claim-panel"'
            f' hx-swap="outerHTML" data-claim-link="{c.id:d}">\n'
            f'        <span class="swatch v-{_e(slug)}" aria-hidden="true"></span>\n'
            f'        <span class="claim-item-quote">{_e(quote)}</span>\n'
            f'        <span class="claim-item-meta">{_e(meta)}</span>\n'
            "      </a>\n"
            "    </li>\n"
            "    "
        )
    return mark_safe("".join(rows))  # every value above went through _e (or is an int)


def _begins_label(begins: Sequence[Any]) -> str:
    """The aria-label of a highlight where claims begin: one sentence per claim."""
    return "".join(
        f"Claim: {truncate_chars(b.exact, 90)}; "
        f"verdict: {b.verdict.label if b.verdict and b.verdict.label else 'none yet'}; "
        f"status: {_STATUS_LABELS.get(b.status, b.status)}. "
        for b in begins
    )


def article_paragraphs(paragraphs: Iterable[Paragraph]) -> SafeString:
    """The ``<p>`` paragraphs of the article text with their ``<mark>`` highlights (claims:
    the innermost claim's status and verdict colour it; suggestions: a dashed underline),
    as article_text.html's loop wrote them."""
    parts = []
    for paragraph in paragraphs:
        parts.append(f'<p data-start="{paragraph.start:d}">')
        for s in paragraph.segments:
            if s.claims:
                c = s.claims[-1]
                verdict = c.verdict
                slug = verdict.slug if verdict and verdict.slug else "none"
                overlap = " hl-overlap" if len(s.claims) > 1 else ""
                parts.append(
                    f'<mark class="hl st-{_e(c.status)} v-{_e(slug)}{overlap}"'
                    f' data-claims="{_e(s.claim_ids)}"'
                )
                if s.begins:
                    parts.append(
                        f' id="hl-{s.begins[0].id:d}" tabindex="0" role="button"'
                        f' aria-label="{_e(_begins_label(s.begins))}"'
                    )
                parts.append(f">{_e(s.text)}</mark>")
            elif s.suggestion:
                hint = s.suggestion
                parts.append(
                    f'<mark class="sg" data-suggestion="{hint.id:d}"'
                    f' data-reason="{_e(hint.get_reason_display())}"'
                    + (f' id="sg-{hint.id:d}"' if s.suggestion_begins else "")
                    + f">{_e(s.text)}</mark>"
                )
            else:
                parts.append(_e(s.text))
        parts.append("</p>")
    return mark_safe("".join(parts))  # every value above went through _e (or is an int)
