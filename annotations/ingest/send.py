"""POST a small JSON body to a URL someone configured, under the fetcher's SSRF rules.

Webhook receivers are URLs typed by staff, so sending to them is the same risk as
fetching an article: the address is resolved once and vetted (no loopback, private,
link-local or metadata addresses; loopback only where tests allow it), the connection
goes to the vetted IP with the original ``Host`` and SNI, and a watchdog bounds the whole
exchange. Redirects are NOT followed: a receiver that moved must be reconfigured, not
chased (a redirect could also turn a POST into a GET on another host).
"""

from __future__ import annotations

import http.client
import ssl
import time
from dataclasses import dataclass

from .errors import BadURL, FetchError
from .fetch import _connect, _Connection, _Deadline, _parse_url, _resolve, _watchdog

#: How much of a receiver's answer is kept for the delivery log.
_ANSWER_BYTES = 2_000


@dataclass(frozen=True, slots=True)
class Sent:
    """The receiver's answer: its status and the start of its body."""

    status: int
    reason: str
    body: bytes

    @property
    def ok(self) -> bool:
        return 200 <= self.status < 300


def vet_url(url: str, *, allow_loopback: bool = False, resolve: bool = True) -> str:
    """The URL, cleaned, if we would send to it; BadURL / BlockedAddress / FetchError if not."""
    if not (url or "").strip():
        raise BadURL("Enter the receiver's web address (https://…).")
    target = _parse_url(url)
    if resolve:
        _resolve(target, allow_loopback=allow_loopback)
    return target.url


def post_json(
    url: str,
    body: bytes,
    headers: dict[str, str],
    *,
    allow_loopback: bool = False,
    connect_timeout: float = 5,
    read_timeout: float = 10,
    user_agent: str = "factcheck-webhooks/1.0",
) -> Sent:
    """Send ``body`` (JSON) once. Raises FetchError (or a subclass) when no answer came."""
    deadline = _Deadline(connect_timeout + read_timeout)
    target = _parse_url(url)
    addresses = _resolve(target, allow_loopback=allow_loopback)
    sock = _connect(target, addresses, connect_timeout=connect_timeout, deadline=deadline)
    connection = _Connection(target, sock)
    try:
        with _watchdog(sock, deadline):
            try:
                sock.settimeout(min(read_timeout, max(deadline.remaining(), 0.001)))
                connection.request(
                    "POST",
                    target.request_target,
                    body=body,
                    headers={
                        **headers,
                        "Content-Type": "application/json",
                        "User-Agent": user_agent,
                        "Connection": "close",
                    },
                )
                response = connection.getresponse()
                answer = response.read(_ANSWER_BYTES)
                return Sent(status=response.status, reason=response.reason or "", body=answer)
            except TimeoutError as exc:
                raise FetchError(
                    f"{target.display} did not answer within {connect_timeout + read_timeout:g} "
                    "seconds."
                ) from exc
            except (http.client.HTTPException, ConnectionError, OSError, ssl.SSLError) as exc:
                if deadline.expired():
                    raise FetchError(
                        f"{target.display} did not answer within "
                        f"{connect_timeout + read_timeout:g} seconds."
                    ) from exc
                raise FetchError(
                    f"The connection to {target.display} broke off ({type(exc).__name__})."
                ) from exc
    finally:
        connection.close()


def elapsed_ms(started: float) -> int:
    """Milliseconds since ``started`` (a ``time.perf_counter()``)."""
    return max(0, round((time.perf_counter() - started) * 1000))
