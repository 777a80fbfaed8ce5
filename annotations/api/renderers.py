"""Media types the API reads and writes beyond DRF's defaults.

Parsers check the declared body size before reading a byte (413, see api.errors), and
refuse JSON whose top level is not an object where an object is expected (the serializers
say so too). JSON parsers also refuse, with a 400 that says why, what would otherwise
reach a 500 deeper in: nesting deeper than `MAX_JSON_DEPTH` (Python's parser and every
recursive serializer hit the recursion limit near 1,000 levels) and strings holding a
lone surrogate (`"\\ud800"` is valid JSON but not Unicode text: neither UTF-8 nor
PostgreSQL can store it). Renderers: JSON-LD for W3C annotations and ClaimReview, CSV for
exports, and DRF's HTML pages within the Content-Security-Policy.
"""

from __future__ import annotations

import json
from typing import Any

from rest_framework import parsers, renderers
from rest_framework.exceptions import ParseError

from annotations.api.errors import check_body_size
from annotations.presenters.w3c import ANNO_PROFILE

#: The media type of a W3C Web Annotation, with its profile (Web Annotation Protocol §4).
ANNO_CONTENT_TYPE = f'application/ld+json; profile="{ANNO_PROFILE}"'


class SizeLimitedMixin(parsers.BaseParser):
    def parse(self, stream, media_type=None, parser_context=None):
        request = (parser_context or {}).get("request")
        if request is not None:
            check_body_size(request)
        return super().parse(stream, media_type, parser_context)


#: Deepest JSON nesting the API reads. Our deepest shape (a W3C annotation's selector
#: list inside its target inside a page) is 6 levels; 64 leaves room for any client.
MAX_JSON_DEPTH = 64


def check_json_value(data: Any) -> Any:
    """Refuse nesting deeper than MAX_JSON_DEPTH and strings that are not Unicode text.

    Iterative, so that checking a deep document cannot itself run out of stack.
    """
    stack: list[tuple[Any, int]] = [(data, 1)]
    while stack:
        value, depth = stack.pop()
        if isinstance(value, dict | list):
            if depth > MAX_JSON_DEPTH:
                raise ParseError(
                    f"The JSON body is nested more than {MAX_JSON_DEPTH} levels deep; "
                    "the API reads at most that."
                )
            items = value.items() if isinstance(value, dict) else enumerate(value)
            for key, item in items:
                if isinstance(key, str):
                    stack.append((key, depth))
                stack.append((item, depth + 1))
        elif isinstance(value, str):
            try:
                value.encode("utf-8")
            except UnicodeEncodeError:
                raise ParseError(
                    "The JSON body holds a lone surrogate escape (such as \\ud800), which is "
                    "not a Unicode character; send text as valid UTF-8 or as surrogate pairs."
                ) from None
    return data


class StrictJSONMixin(SizeLimitedMixin):
    def parse(self, stream, media_type=None, parser_context=None):
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise ParseError(
                f"The JSON body is nested too deeply; the API reads at most {MAX_JSON_DEPTH} "
                "levels."
            ) from None
        return check_json_value(data)


class JSONParser(StrictJSONMixin, parsers.JSONParser):
    pass


class JSONLDParser(StrictJSONMixin, parsers.JSONParser):
    """W3C annotations arrive as application/ld+json (any profile)."""

    media_type = "application/ld+json"


class FormParser(SizeLimitedMixin, parsers.FormParser):
    pass


class MultiPartParser(SizeLimitedMixin, parsers.MultiPartParser):
    pass


class JSONLDRenderer(renderers.JSONRenderer):
    """JSON-LD, UTF-8, not ASCII-escaped (accents and curly quotes stay readable)."""

    media_type = "application/ld+json"
    format = "jsonld"
    ensure_ascii = False
    charset = None  # JSON is UTF-8 by definition (RFC 8259); no charset parameter.


class BrowsableAPIRenderer(renderers.BrowsableAPIRenderer):
    """DRF's HTML pages for people exploring the API, within the Content-Security-Policy.

    `style-src 'self'` blocked two things DRF writes, and every API page in a browser
    logged a violation: the `<style>` of Pygments' colours (left out: code in the
    descriptions shows uncoloured) and the `style` attributes of its page template (the
    Filters button of a list). Those pages alone allow style *attributes*
    (`style-src-attr`), as the Swagger UI page allows its `<style>`; scripts stay `'self'`.
    """

    def get_context(self, data: Any, accepted_media_type: Any, renderer_context: Any) -> Any:
        context = super().get_context(data, accepted_media_type, renderer_context)
        context["code_style"] = None
        response = renderer_context.get("response")
        if response is not None:
            response._csp_update = {"style-src-attr": ["'unsafe-inline'"]}
        return context


class CSVRenderer(renderers.BaseRenderer):
    """Only for content negotiation and the schema: the CSV view streams its own body."""

    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        if isinstance(data, bytes | str):
            return data
        return json.dumps(data).encode()
