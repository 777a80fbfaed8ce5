"""The one HTML policy for any article HTML we keep and may show again.

Uploaded or fetched HTML is attacker-controlled. We keep it only for display and
audit, so the policy is a strict allow-list of text-structure tags (nh3/ammonia):

- no scripts, styles, frames, forms, SVG, MathML, media or images — their content is
  dropped too, not just the tags (``clean_content_tags``), so a ``<style>`` body or
  SVG ``<script>`` never turns into visible text. Images are left out on purpose:
  showing them would make every reader's browser call third-party servers.
- no ``class``/``style``/``id``/event attributes; links keep only ``href`` and ``title``.
- URLs: only http, https and mailto. Relative URLs are DENIED by default, because nh3
  lets relative URLs through untouched and ``jav&#x09;ascript:`` style tricks hide in
  them; pass ``base_url`` to rewrite them to absolute URLs against the article's
  address instead.
"""

from __future__ import annotations

from typing import Final, Literal
from urllib.parse import urlsplit

import nh3

ALLOWED_TAGS: Final = frozenset(
    {
        "a", "abbr", "article", "b", "blockquote", "br", "caption", "cite", "code", "dd",
        "del", "dfn", "div", "dl", "dt", "em", "figcaption", "figure", "footer", "h1", "h2",
        "h3", "h4", "h5", "h6", "header", "hr", "i", "ins", "kbd", "li", "mark", "ol", "p",
        "pre", "q", "s", "samp", "section", "small", "span", "strong", "sub", "sup",
        "table", "tbody", "td", "tfoot", "th", "thead", "time", "tr", "u", "ul",
    }
)  # fmt: skip

ALLOWED_ATTRIBUTES: Final = {
    "a": {"href", "title"},
    "abbr": {"title"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan", "scope"},
    "time": {"datetime"},
    "ol": {"start"},
}

# Dropped WITH their content: executable, styling, embedding and form elements, and
# foreign content (SVG, MathML) whose parsing rules differ from HTML's.
CLEAN_CONTENT_TAGS: Final = frozenset(
    {
        "script", "style", "template", "noscript", "iframe", "frame", "frameset",
        "object", "embed", "applet", "svg", "math", "title", "textarea", "select",
        "option", "button", "form", "head", "xmp", "noembed", "noframes", "plaintext",
        "audio", "video", "canvas", "dialog",
    }
)  # fmt: skip

URL_SCHEMES: Final = frozenset({"http", "https", "mailto"})
LINK_REL: Final = "noopener noreferrer nofollow"


def sanitize_html(html: str, *, base_url: str = "") -> str:
    """Return ``html`` reduced to the allow-list above; safe to render as HTML.

    ``base_url`` (an absolute http(s) URL) rewrites relative links against it; without
    it, relative URLs are removed.
    """
    relative: Literal["deny"] | tuple[Literal["rewrite_with_base"], str] = "deny"
    if base_url and urlsplit(base_url).scheme in {"http", "https"}:
        relative = ("rewrite_with_base", base_url)
    cleaned = nh3.clean(
        html,
        tags=set(ALLOWED_TAGS),
        clean_content_tags=set(CLEAN_CONTENT_TAGS),
        attributes={tag: set(attrs) for tag, attrs in ALLOWED_ATTRIBUTES.items()},
        url_schemes=set(URL_SCHEMES),
        url_relative=relative,
        link_rel=LINK_REL,
        strip_comments=True,
    )
    # Dropped <head> content leaves blank lines at the top; they carry nothing.
    return cleaned.strip()
