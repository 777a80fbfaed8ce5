"""Project-wide HTTP hardening that no single view should have to remember.

- `RefuseUnreadableRequests` answers 400 before any view runs for input no view can
  handle honestly: a chunked body without Content-Length (Django reads it as empty, so a
  POST would "succeed" with no data) and a NUL character in the query string (PostgreSQL
  cannot store or compare it, so a search for it was a 500).
- `SecurityHeaders` adds a Permissions-Policy to every answer and
  `Cache-Control: private, no-store` to every answer given to a signed-in person, so a
  shared proxy or the browser's back button never shows one newsroom member's pages (or
  API data) to the next person at the desk.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, JsonResponse
from django.http.response import HttpResponseBase
from django.middleware.gzip import GZipMiddleware
from django.utils.cache import patch_cache_control

#: Features no factcheck page uses: the browser refuses them to any script, ours included.
PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in (
        "accelerometer",
        "autoplay",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "publickey-credentials-get",
        "screen-wake-lock",
        "serial",
        "usb",
        "xr-spatial-tracking",
    )
)


class GZipExceptEventStreams(GZipMiddleware):
    """Django's GZipMiddleware, which compresses a stream without flushing between chunks:
    a server-sent event would wait in its buffer. Event streams go out uncompressed."""

    def process_response(
        self, request: HttpRequest, response: HttpResponseBase
    ) -> HttpResponseBase:
        if response.get("Content-Type", "").startswith("text/event-stream"):
            return response
        return super().process_response(request, response)


def is_api(request: HttpRequest) -> bool:
    return request.path_info.startswith("/api/")


def bad_request(request: HttpRequest, message: str) -> HttpResponse:
    """A 400 in the caller's language: JSON under /api/, a short plain page elsewhere."""
    if is_api(request):
        return JsonResponse({"detail": message}, status=400)
    return HttpResponseBadRequest(
        f"{message} Nothing was changed.\n", content_type="text/plain; charset=utf-8"
    )


class RefuseUnreadableRequests:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.META.get("HTTP_TRANSFER_ENCODING") and not request.META.get("CONTENT_LENGTH"):
            return bad_request(
                request,
                "Request bodies must be sent with a Content-Length header; chunked transfer "
                "encoding is not accepted.",
            )
        if "\x00" in request.META.get("QUERY_STRING", "") or "%00" in request.META.get(
            "QUERY_STRING", ""
        ):
            return bad_request(request, "The query string may not contain NUL (%00) characters.")
        return self.get_response(request)


class SecurityHeaders:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        # DRF sets request.user on the Django request after token authentication too.
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            patch_cache_control(response, private=True, no_store=True)
        return response
