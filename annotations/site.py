"""Where the app is reached from outside: the one rule for absolute links.

Exports (W3C ids, ClaimReview `url`s, the JSON-LD context) carry absolute URLs that other
tools store, so they must not depend on which host name a request happened to use: the
configured `FACTCHECK_PUBLIC_URL` wins; without it, the request's scheme and host; outside
a request (a command, a benchmark), http://localhost.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest


def public_base_url(request: HttpRequest | None = None) -> str:
    """Scheme and host (no trailing slash) for the absolute links the app hands out."""
    if settings.FACTCHECK_PUBLIC_URL:
        return str(settings.FACTCHECK_PUBLIC_URL).rstrip("/")
    if request is not None:
        return request.build_absolute_uri("/").rstrip("/")
    return "http://localhost"
