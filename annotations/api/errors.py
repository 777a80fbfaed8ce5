"""One place that turns every refusal into a clear 4xx answer, never a 500.

Wired in settings as REST_FRAMEWORK["EXCEPTION_HANDLER"]. It answers:

- a service refusal (`annotations.services.errors.ServiceError`) with its own status and
  `as_dict()` body: `{"detail": "...", "<field>": ["..."], ...extra}`;
- a request body over `FACTCHECK_API_MAX_BODY` (Django's `RequestDataTooBig`, or
  `check_body_size`, which the API's parsers run on Content-Length before parsing) with
  `413`;
- malformed JSON, a wrong Content-Type, an unsatisfiable Accept with `400` / `415` / `406`
  and a message that says what the API takes or serves;
- text the database cannot hold (a NUL character) or a value out of its range with `400`.

It also provides `add_error_responses`, an OpenAPI post-processing hook that documents
these answers, with an example each, on every operation.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import DataError
from django.views.decorators.csrf import csrf_exempt
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler
from rest_framework.views import set_rollback

from annotations.services.errors import ServiceError


def api_max_body() -> int:
    """Largest request body the API parses (JSON, form or multipart), in bytes.

    `FACTCHECK_API_MAX_BODY`, read on each request so tests (and a reloaded setting) take
    effect. An article's HTML is capped at 5 MB by ingest; JSON escaping adds some.
    """
    return settings.FACTCHECK_API_MAX_BODY


def _size(n: float) -> str:
    if n >= 1024 * 1024:
        return f"{n / 1024 / 1024:.1f} MB"
    if n >= 1024:
        return f"{n / 1024:.1f} KB"
    return f"{n:.0f} bytes"


class RequestTooLarge(exceptions.APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_code = "request_too_large"

    def __init__(self, size: int | None = None) -> None:
        limit = _size(api_max_body())
        given = f"{_size(size)}; " if size else ""
        super().__init__(
            f"The request body is too large ({given}the API accepts at most {limit}). Send "
            'a smaller body; load a long article from its URL with "fetch": true.'
        )


def check_body_size(request: Any) -> None:
    """Refuse a declared body over `api_max_body()` before anything reads it.

    The API's parsers (annotations.api.renderers) call it before parsing, so every endpoint
    that reads a body — JSON, form or a multipart upload — refuses the same way.
    """
    try:
        size = int(request.META.get("CONTENT_LENGTH") or 0)
    except (TypeError, ValueError):
        raise exceptions.ParseError("The Content-Length header is not a number.") from None
    if size > api_max_body():
        raise RequestTooLarge(size)


def _media_types(view: Any, attr: str) -> str:
    classes = getattr(view, attr, None) or []
    return ", ".join(sorted({c.media_type for c in classes}))


def _clarify(exc: Exception, context: dict[str, Any]) -> Exception:
    """Replace DRF's terse messages with ones that say what to do."""
    view = context.get("view")
    request = context.get("request")
    if isinstance(exc, exceptions.UnsupportedMediaType):
        return exceptions.UnsupportedMediaType(
            exc.args[0] if exc.args else "",
            detail=(
                f"The request body's Content-Type “{getattr(request, 'content_type', '')}” "
                f"is not one this endpoint reads; send one of: "
                f"{_media_types(view, 'parser_classes')}."
            ),
        )
    if isinstance(exc, exceptions.NotAcceptable):
        accept = request.META.get("HTTP_ACCEPT", "") if request is not None else ""
        return exceptions.NotAcceptable(
            detail=(
                f"This endpoint cannot answer in any type your Accept header asks for "
                f"(“{accept}”); it serves: {_media_types(view, 'renderer_classes')}."
            )
        )
    if isinstance(exc, exceptions.ParseError) and str(exc.detail).startswith("JSON parse error"):
        return exceptions.ParseError(
            f"The request body is not valid JSON ({str(exc.detail)[len('JSON parse error - ') :]})."
        )
    return exc


def api_exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, ServiceError):
        set_rollback()
        return Response(exc.as_dict(), status=exc.status)
    if isinstance(exc, RequestDataTooBig):
        exc = RequestTooLarge()
    elif isinstance(exc, DjangoValidationError):
        body = exc.message_dict if hasattr(exc, "error_dict") else {"detail": exc.messages}
        exc = exceptions.ValidationError(body)
    elif isinstance(exc, DataError):
        exc = exceptions.ParseError("A value is out of the range the database can hold.")
    elif isinstance(exc, ValueError) and "NUL" in str(exc):
        # psycopg2 refuses strings with NUL characters before they reach PostgreSQL.
        exc = exceptions.ParseError("Text may not contain NUL (\\x00) characters.")
    exc = _clarify(exc, context)
    return drf_exception_handler(exc, context)


# --- OpenAPI: document the error answers on every operation -----------------------------

ERROR_SCHEMA = {
    "type": "object",
    "description": (
        "An error: `detail` says what went wrong; a field name maps to that field's "
        "messages; workflow and stale-version refusals add their own keys."
    ),
    "properties": {"detail": {"type": "string"}},
    "additionalProperties": True,
}

_ERRORS: dict[str, tuple[str, dict[str, Any]]] = {
    "400": (
        "Bad input: a field, a filter value, the cursor or the page size.",
        {"selector": ["The quote “x” occurs 3 times in the article; give start and end."]},
    ),
    "401": (
        "No credentials, or an invalid token.",
        {"detail": "Invalid token."},
    ),
    "403": (
        "The account's role may not do this.",
        {"detail": "Your account has no newsroom role (editor or reviewer)."},
    ),
    "404": ("No such object (or it was deleted).", {"detail": "No Claim matches the given query."}),
    "406": (
        "The Accept header asks for a type this endpoint does not serve.",
        {"detail": "This endpoint cannot answer in any type your Accept header asks for."},
    ),
}
_BODY_ERRORS: dict[str, tuple[str, dict[str, Any]]] = {
    "413": (
        "The request body is over the limit.",
        {"detail": "The request body is too large (10.0 MB; the API accepts at most 8.0 MB)."},
    ),
    "415": (
        "The request body's Content-Type is not JSON.",
        {"detail": "The request body's Content-Type “text/plain” is not one this endpoint reads."},
    ),
}


def _error_response(description: str, example: dict[str, Any]) -> dict[str, Any]:
    return {
        "description": description,
        "content": {
            "application/json": {
                "schema": {"$ref": "#/components/schemas/Error"},
                "examples": {"Example": {"value": example}},
            }
        },
    }


def add_error_responses(result: dict[str, Any], generator: Any, **kwargs: Any) -> dict[str, Any]:
    """drf-spectacular post-processing hook: every operation documents its 4xx answers."""
    result.setdefault("components", {}).setdefault("schemas", {})["Error"] = ERROR_SCHEMA
    for path, operations in result.get("paths", {}).items():
        if not path.startswith("/api/v1/"):
            continue
        for method, operation in operations.items():
            if method not in {"get", "post", "put", "patch", "delete"}:
                continue
            responses = operation.setdefault("responses", {})
            errors = dict(_ERRORS)
            if "requestBody" in operation or method in {"post", "put", "patch"}:
                errors.update(_BODY_ERRORS)
            for code, (description, example) in errors.items():
                responses.setdefault(code, _error_response(description, example))
    return result


if TYPE_CHECKING:  # the mixin goes on DRF views; to the type checker it is one
    from rest_framework.views import APIView as _View
else:
    _View = object


class JSONErrorsMixin(_View):
    """For views that answer in CSV or JSON-LD: their errors are plain JSON all the same."""

    def handle_exception(self, exc: Exception) -> Response:
        from rest_framework.renderers import JSONRenderer

        response = super().handle_exception(exc)
        self.request.accepted_renderer = JSONRenderer()
        self.request.accepted_media_type = JSONRenderer.media_type
        if isinstance(response, Response):
            response.content_type = None
        return response


@csrf_exempt
def api_not_found(request: Any, unmatched: str = "") -> Any:
    """Any path under /api/ that names no endpoint: a JSON 404, not the HTML page."""
    from django.http import JsonResponse
    from django.urls import Resolver404, resolve

    detail = f"There is no API endpoint at {request.path}; see /api/docs/."
    if not request.path.endswith("/"):
        try:
            resolve(request.path + "/")
            detail = f"There is no API endpoint at {request.path}; did you mean {request.path}/?"
        except Resolver404:
            pass
    return JsonResponse({"detail": detail}, status=404)


def server_error(request: Any) -> Any:
    """handler500: under /api/ a crash answers JSON, as the contract promises; elsewhere
    Django's own page (templates/500.html)."""
    from django.http import JsonResponse
    from django.views.defaults import server_error as html_server_error

    if request.path_info.startswith("/api/"):
        return JsonResponse(
            {"detail": "The server failed to answer this request. The error has been logged."},
            status=500,
        )
    return html_server_error(request)
