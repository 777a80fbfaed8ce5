"""Token authentication that stops token guessing (issue 11, item 6).

DRF's throttles run after authentication, so an invalid token (401) is never throttled by
them: 300 guesses at 327 a second were all answered. Here an invalid token is counted per
client address with DRF's own `SimpleRateThrottle` (`token_failures` rate in settings),
in the `throttle` cache, which lives in the database so every worker shares the count.
Past the rate the address gets `429` with `Retry-After` — for any token, valid or not —
until the oldest failure leaves the window. Every failure and every block is logged.

A valid token costs no extra query: the "blocked until" mark is also kept in the worker's
memory, set by the failure that crossed the rate (or the next failure a worker sees), so
the common path reads nothing more.
"""

from __future__ import annotations

import logging
import time
from typing import Any

from django.contrib.postgres.aggregates import ArrayAgg
from django.core.cache import caches
from django.db.models import Q, QuerySet, Value
from django.utils.translation import gettext_lazy as _
from rest_framework.authentication import TokenAuthentication, get_authorization_header
from rest_framework.authtoken.models import Token
from rest_framework.exceptions import AuthenticationFailed, Throttled
from rest_framework.settings import api_settings
from rest_framework.throttling import SimpleRateThrottle

from annotations.selectors.prepared import PreparedRead

logger = logging.getLogger("factcheck.security")

#: ident -> time (monotonic-free: time.time()) until which this worker refuses every token.
_blocked_until: dict[str, float] = {}


class TokenFailureThrottle(SimpleRateThrottle):
    scope = "token_failures"

    def __init__(self) -> None:
        self.cache = caches["throttle"]
        super().__init__()

    def get_rate(self) -> str | None:
        # Read per request, so a changed setting (or a test's override) takes effect.
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)

    def get_cache_key(self, request: Any, view: Any) -> str:
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


def _refuse(ident: str, wait: float) -> Throttled:
    minutes = max(1, round(wait / 60))
    return Throttled(
        wait=wait,
        detail=(
            f"Too many invalid API tokens from your address; every token from it is refused "
            f"for about {minutes} minute{'s' if minutes != 1 else ''}. Check the token "
            "(`Authorization: Token <key>`) before trying again."
        ),
    )


def _token_with_roles(key: str) -> QuerySet[Token]:
    return (
        Token.objects.filter(key=key)
        .select_related("user")
        .annotate(
            role_names=ArrayAgg(
                "user__groups__name",
                filter=Q(user__groups__isnull=False),
                default=Value([]),
            )
        )
    )


#: Compiled once per process (annotations/selectors/prepared.py): before every API request.
_TOKEN_WITH_ROLES = PreparedRead(_token_with_roles, key="stand-in: no token has this key")


class ThrottledTokenAuthentication(TokenAuthentication):
    def authenticate_credentials(self, key: str) -> tuple[Any, Any]:
        """The token, its user and the user's role names in ONE query (issue 17).

        DRF reads the token with its user, and then every role check read the groups in a
        second query; the names are aggregated here and cached on the user the way
        `annotations.roles` caches them, so a request reaches its view after one query,
        whose SQL is compiled once per process.
        """
        found = _TOKEN_WITH_ROLES(key=key)
        if not found:
            raise AuthenticationFailed(_("Invalid token."))
        token = found[0]
        if not token.user.is_active:
            raise AuthenticationFailed(_("User inactive or deleted."))
        token.user._factcheck_groups = frozenset(token.role_names)
        return (token.user, token)

    def authenticate(self, request: Any) -> Any:
        auth = get_authorization_header(request).split()
        if not auth or auth[0].lower() != self.keyword.lower().encode():
            return None  # no token: another authentication class may apply
        throttle = TokenFailureThrottle()
        ident = throttle.get_ident(request)
        until = _blocked_until.get(ident, 0.0)
        if until > time.time():
            raise _refuse(ident, until - time.time())
        try:
            return super().authenticate(request)
        except AuthenticationFailed:
            if not throttle.allow_request(request, None):
                wait = throttle.wait() or 60.0
                _blocked_until[ident] = time.time() + wait
                logger.warning(
                    "API token guessing: %s blocked for %.0f s after %s invalid tokens",
                    ident,
                    wait,
                    throttle.num_requests,
                )
                raise _refuse(ident, wait) from None
            logger.warning("Invalid API token from %s", ident)
            raise
