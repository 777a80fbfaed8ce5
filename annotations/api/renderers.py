"""Media types the API reads and writes beyond DRF's defaults.

Parsers check the declared body size before reading a byte (413, see api.errors), and
refuse JSON whose top level is not an object where an object is expected (the serializers
say so too). Renderers: JSON-LD for W3C annotations and ClaimReview, CSV for exports.
"""

from __future__ import annotations

import json

from rest_framework import parsers, renderers

from annotations.api.errors import check_body_size

#: The media type of a W3C Web Annotation, with its profile (Web Annotation Protocol §4).
ANNO_PROFILE = "http://www.w3.org/ns/anno.jsonld"
ANNO_CONTENT_TYPE = f'application/ld+json; profile="{ANNO_PROFILE}"'


class SizeLimitedMixin:
    def parse(self, stream, media_type=None, parser_context=None):
        request = (parser_context or {}).get("request")
        if request is not None:
            check_body_size(request)
        return super().parse(stream, media_type, parser_context)


class JSONParser(SizeLimitedMixin, parsers.JSONParser):
    pass


class JSONLDParser(SizeLimitedMixin, parsers.JSONParser):
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


class CSVRenderer(renderers.BaseRenderer):
    """Only for content negotiation and the schema: the CSV view streams its own body."""

    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        if isinstance(data, bytes | str):
            return data
        return json.dumps(data).encode()
