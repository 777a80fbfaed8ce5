"""Reads that tolerate a little lag go to a streaming replica; everything else to the primary.

Only when the project configures a `replica` database alias (DATABASE_REPLICA_URL, see
factcheck/settings.py); without one every function here is a no-op and every query goes to
`default`, as before.

- A view opts in explicitly, around the reads that may be a few seconds old: the exports,
  the public page, the ClaimReview feed, the W3C container (`replica_reads(request)`, or
  `on_replica(request, chunks)` for a streamed body, whose queries run after the view
  returned). Nothing else reads the replica: a form, a panel, a workflow step always reads
  the primary.
- Read your own writes: after a person's write (a non-safe method that succeeded),
  `PinAfterWrite` pins that person to the primary for FACTCHECK_REPLICA_PIN_SECONDS. The pin
  is kept in the "pins" cache (a table in the primary, shared by every app server), keyed
  by user id: it follows the person whichever server answers and however they sign in
  (a session cookie or an API token, which carries no cookie).
- Writes always go to `default`, and only `default` is migrated (`ReplicaRouter`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from django.conf import settings
from django.core.cache import caches
from django.http import HttpRequest
from django.http.response import HttpResponseBase

REPLICA = "replica"
#: The cache holding the pins: shared by every app server (a table in the primary).
PIN_CACHE = "pins"

_on_replica: ContextVar[bool] = ContextVar("factcheck_reads_on_replica", default=False)


def replica_configured() -> bool:
    return REPLICA in settings.DATABASES


def _pin_key(user_id: int) -> str:
    return f"primary:{user_id}"


def pin_to_primary(user_id: int) -> None:
    """The person's next reads, for the pin's time, come from the primary."""
    caches[PIN_CACHE].set(_pin_key(user_id), 1, timeout=settings.FACTCHECK_REPLICA_PIN_SECONDS)


def pinned_to_primary(user_id: int) -> bool:
    return caches[PIN_CACHE].get(_pin_key(user_id)) is not None


def replica_allowed(request: Any) -> bool:
    """Whether this request's lag-tolerant reads may go to the replica: there is one, and
    the person (if signed in) wrote nothing in the last FACTCHECK_REPLICA_PIN_SECONDS."""
    if not replica_configured():
        return False
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return not pinned_to_primary(user.pk)
    return True


@contextmanager
def replica_reads(request: Any) -> Iterator[bool]:
    """Within the block, reads go to the replica if `replica_allowed(request)`; yields
    whether they do."""
    if not replica_allowed(request):
        yield False
        return
    token = _on_replica.set(True)
    try:
        yield True
    finally:
        _on_replica.reset(token)


def on_replica(request: Any, chunks: Iterable[bytes]) -> Iterator[bytes]:
    """A streamed body whose queries (run as it is sent) read the replica if allowed."""
    allowed = replica_allowed(request)
    iterator = iter(chunks)
    while True:
        token = _on_replica.set(allowed)
        try:
            chunk = next(iterator, None)
        finally:
            _on_replica.reset(token)
        if chunk is None:
            return
        yield chunk


class ReplicaRouter:
    """Reads go to the replica inside `replica_reads` blocks only; the cache tables (the
    pins, the throttle counts) are always read on the primary."""

    def db_for_read(self, model: type, **hints: Any) -> str | None:
        if _on_replica.get() and model._meta.app_label != "django_cache":  # type: ignore[attr-defined]
            return REPLICA
        return "default"

    def db_for_write(self, model: type, **hints: Any) -> str:
        return "default"

    def allow_relation(self, obj1: Any, obj2: Any, **hints: Any) -> bool:
        return True  # the replica holds the same rows as the primary

    def allow_migrate(self, db: str, app_label: str, **hints: Any) -> bool:
        return db == "default"


class PinAfterWrite:
    """After a signed-in person's successful write, pin them to the primary (see above).

    After the view, so an API token's user (authenticated by DRF inside the view) counts.
    """

    SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        if (
            request.method not in self.SAFE_METHODS
            and response.status_code < 400
            and replica_configured()
        ):
            user = getattr(request, "user", None)
            if user is not None and user.is_authenticated:
                pin_to_primary(user.pk)
        return response
