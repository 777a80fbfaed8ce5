"""Fetch a URL an editor gave us, without letting it reach what it must not.

A URL typed into the app makes OUR server open a connection, so it is an SSRF vector.
The guard, hop by hop (redirects are followed by hand and each one is vetted again):

- only ``http`` and ``https``, no credentials in the URL, a host is required;
- the host is resolved once with ``socket.getaddrinfo``; if ANY address is loopback,
  private, link-local, multicast, reserved, unspecified, shared (CGNAT) or a cloud
  metadata address, the fetch is refused before a connection is made;
- we connect to the vetted IP itself, sending the original ``Host`` header (and SNI +
  certificate check against the original name for https), so a second DNS answer
  (DNS rebinding) cannot swap the address after the check;
- connect and read timeouts, plus a total deadline enforced by a watchdog that shuts the
  socket, so a server trickling one byte at a time cannot hold a worker;
- the body is streamed and cut at ``max_bytes`` (a declared Content-Length above it is
  refused up front); only HTML and plain text are accepted.

Proxy environment variables are ignored on purpose: the address check must apply to
the connection we actually make.
"""

from __future__ import annotations

import http.client
import ipaddress
import socket
import ssl
import threading
import time
import zlib
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import SplitResult, quote, urljoin, urlsplit, urlunsplit

from .decode import charset_of, decode_bytes, mime_type
from .errors import BadURL, BlockedAddress, FetchError, NotText, TooLarge, UnsupportedContentType

ALLOWED_CONTENT_TYPES = frozenset({"text/html", "application/xhtml+xml", "text/plain"})
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
_CHUNK = 64 * 1024
_METADATA_ADDRESSES = frozenset(
    {
        ipaddress.ip_address("169.254.169.254"),  # AWS, GCP, Azure, OpenStack …
        ipaddress.ip_address("169.254.170.2"),  # AWS ECS task metadata
        ipaddress.ip_address("100.100.100.200"),  # Alibaba Cloud
        ipaddress.ip_address("fd00:ec2::254"),  # AWS over IPv6
    }
)
_SHARED = ipaddress.ip_network("100.64.0.0/10")  # carrier-grade NAT, not "global"
_NAT64 = ipaddress.ip_network("64:ff9b::/96")

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


@dataclass(frozen=True, slots=True)
class Fetched:
    """A fetched page. ``url`` is the final URL after redirects; ``charset`` is the
    encoding the text was decoded with (declared, or detected when none was)."""

    url: str
    content_type: str
    charset: str | None
    body: bytes = field(repr=False)
    text: str = field(repr=False)
    #: The final answer's status line and headers, and the request that got it (an archive
    #: keeps them beside the body). The body is stored decoded: no Content-Encoding applies.
    status: int = 200
    reason: str = "OK"
    headers: tuple[tuple[str, str], ...] = field(default=(), repr=False)
    request_headers: tuple[tuple[str, str], ...] = field(default=(), repr=False)


@dataclass(frozen=True, slots=True)
class _Target:
    url: str
    scheme: str
    host: str  # ASCII (IDNA) host name or IP literal, no brackets
    port: int
    request_target: str  # path + query, percent-encoded

    @property
    def display(self) -> str:
        return self.host


# --- URL and address vetting ----------------------------------------------------------


def _parse_url(url: str) -> _Target:
    """Validate ``url`` and split it into what a connection needs; ``BadURL`` if not."""
    url = (url or "").strip()
    if not url:
        raise BadURL("Enter the web address of the article.")
    if any(ord(ch) < 0x21 or ord(ch) == 0x7F for ch in url):
        raise BadURL("That web address contains spaces or control characters.")
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as exc:
        raise BadURL(f"That web address is not valid ({exc}).") from exc
    scheme = parts.scheme.lower()
    if scheme not in {"http", "https"}:
        shown = f"{scheme}:" if scheme else "no scheme"
        raise BadURL(
            f"Only web addresses starting with http:// or https:// can be loaded "
            f"(this one has {shown})."
        )
    if parts.username is not None or parts.password is not None:
        raise BadURL("Web addresses with a user name or password in them are not loaded.")
    host = parts.hostname or ""
    if not host:
        raise BadURL("That web address has no host name.")
    try:
        ascii_host = host if host.isascii() else host.encode("idna").decode("ascii")
    except UnicodeError as exc:
        raise BadURL(f"The host name {host!r} is not valid.") from exc
    path = quote(parts.path or "/", safe="/%:@!$&'()*+,;=-._~")
    query = quote(parts.query, safe="/%:@!$&'()*+,;=-._~?")
    target = path + (f"?{query}" if query else "")
    clean = SplitResult(scheme, parts.netloc, parts.path, parts.query, "")
    return _Target(
        url=urlunsplit(clean),
        scheme=scheme,
        host=ascii_host.rstrip(".") or ascii_host,
        port=port or (443 if scheme == "https" else 80),
        request_target=target,
    )


def _blocked_reason(ip: IPAddress, *, allow_loopback: bool) -> str | None:
    """Why factcheck must not connect to ``ip`` (a phrase for the message), or None."""
    if isinstance(ip, ipaddress.IPv6Address):
        # IPv6 forms that embed an IPv4 address are judged by that address.
        embedded = ip.ipv4_mapped or ip.sixtofour or (ip.teredo[1] if ip.teredo else None)
        if embedded is None and ip in _NAT64:
            embedded = ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
        if embedded is not None:
            return _blocked_reason(embedded, allow_loopback=allow_loopback)
    if ip in _METADATA_ADDRESSES:
        return "the cloud metadata service"
    if ip.is_loopback:
        return None if allow_loopback else "this server itself"
    if ip.is_unspecified:
        return "an unspecified address"
    if ip.is_link_local:
        return "a link-local network"
    if ip.is_multicast:
        return "a multicast group"
    if ip.is_reserved:
        return "a reserved network"
    if ip.is_private or ip in _SHARED or getattr(ip, "is_site_local", False):
        return "a private network"
    if not ip.is_global:
        return "a private network"
    return None


def _resolve(target: _Target, *, allow_loopback: bool) -> list[IPAddress]:
    """Resolve and vet every address of ``target.host``; refuse if ANY is blocked."""
    try:
        infos = socket.getaddrinfo(target.host, target.port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise FetchError(
            f"Could not find {target.display}: the name does not resolve to any address."
        ) from exc
    addresses: list[IPAddress] = []
    for _family, _type, _proto, _canon, sockaddr in infos:
        ip = ipaddress.ip_address(str(sockaddr[0]).split("%", 1)[0])
        if ip not in addresses:
            addresses.append(ip)
    if not addresses:
        raise FetchError(f"Could not find {target.display}: it has no address.")
    for ip in addresses:
        reason = _blocked_reason(ip, allow_loopback=allow_loopback)
        if reason:
            raise BlockedAddress(
                f"That address points to {reason} ({ip}), which factcheck does not fetch from."
            )
    return addresses


# --- connection -------------------------------------------------------------------------


class _Deadline:
    """The total time budget of one fetch, across connects, redirects and reads."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.ends = time.monotonic() + seconds
        self.tripped = False  # set by the watchdog when it shuts the socket

    def remaining(self) -> float:
        return self.ends - time.monotonic()

    def expired(self) -> bool:
        return self.tripped or self.remaining() <= 0


@contextmanager
def _watchdog(sock: socket.socket, deadline: _Deadline) -> Iterator[None]:
    """Shut ``sock`` down when the deadline passes, unblocking any pending read."""

    def fire() -> None:
        deadline.tripped = True
        # The plain socket method, even on an SSLSocket: it unblocks a recv stuck in
        # another thread without touching the TLS state that thread is using.
        with suppress(OSError):
            socket.socket.shutdown(sock, socket.SHUT_RDWR)

    timer = threading.Timer(max(deadline.remaining(), 0), fire)
    timer.daemon = True
    timer.start()
    try:
        yield
    finally:
        timer.cancel()


def _ssl_context() -> ssl.SSLContext:
    try:
        import certifi

        return ssl.create_default_context(cafile=certifi.where())
    except ImportError:  # pragma: no cover - certifi ships with the venv
        return ssl.create_default_context()


def _connect(
    target: _Target, addresses: list[IPAddress], *, connect_timeout: float, deadline: _Deadline
) -> socket.socket:
    """Open a socket to the first vetted address that answers (TLS for https)."""
    last_error: OSError | None = None
    for ip in addresses:
        timeout = min(connect_timeout, deadline.remaining())
        if timeout <= 0:
            break
        try:
            sock = socket.create_connection((str(ip), target.port), timeout=timeout)
        except TimeoutError as exc:
            last_error = exc
            continue
        except OSError as exc:
            last_error = exc
            continue
        if target.scheme == "https":
            try:
                sock = _ssl_context().wrap_socket(sock, server_hostname=target.host)
            except ssl.SSLCertVerificationError as exc:
                sock.close()
                raise FetchError(
                    f"Could not connect securely to {target.display}: "
                    f"its certificate is not valid ({exc.verify_message})."
                ) from exc
            except (ssl.SSLError, OSError) as exc:
                sock.close()
                raise FetchError(
                    f"Could not connect securely to {target.display}: the secure (TLS) "
                    "connection failed."
                ) from exc
        return sock
    if isinstance(last_error, TimeoutError) or last_error is None:
        raise FetchError(
            f"Could not reach {target.display}: the connection timed out after "
            f"{_seconds(connect_timeout)}."
        )
    if isinstance(last_error, ConnectionRefusedError):
        raise FetchError(f"Could not reach {target.display}: the connection was refused.")
    raise FetchError(f"Could not reach {target.display}: {last_error.strerror or last_error}.")


def _seconds(value: float) -> str:
    shown = f"{value:g}"
    return f"{shown} second" if shown == "1" else f"{shown} seconds"


class _Connection(http.client.HTTPConnection):
    """An HTTPConnection over a socket we opened to a vetted address.

    ``self.host`` stays the original host name, so http.client sends it as ``Host``.
    """

    def __init__(self, target: _Target, sock: socket.socket) -> None:
        super().__init__(target.host, target.port)
        self.sock = sock
        default_port = 443 if target.scheme == "https" else 80
        self.default_port = default_port

    def connect(self) -> None:  # pragma: no cover - the socket is always given
        raise RuntimeError("refusing to open an unvetted connection")


# --- the fetch ---------------------------------------------------------------------------


def fetch_url(
    url: str,
    *,
    allow_loopback: bool = False,
    connect_timeout: float = 5,
    read_timeout: float = 10,
    max_bytes: int = 5_000_000,
    max_redirects: int = 5,
    user_agent: str = "factcheck/1.0",
    total_timeout: float | None = None,
    any_content_type: bool = False,
) -> Fetched:
    """Fetch ``url`` safely and return the decoded page.

    ``total_timeout`` (default: ``connect_timeout + read_timeout``) bounds the whole
    fetch, redirects included. ``allow_loopback`` exists for tests against a local
    server; nothing else relaxes the address check. ``any_content_type`` accepts any
    type (the source archive keeps PDFs and images too); a body that is not HTML or plain
    text then comes back with ``text`` "" and ``charset`` None.
    """
    deadline = _Deadline(
        total_timeout if total_timeout is not None else connect_timeout + read_timeout
    )
    target = _parse_url(url)
    for hop in range(max_redirects + 1):
        # getaddrinfo has no timeout of its own; the system resolver's applies.
        try:
            addresses = _resolve(target, allow_loopback=allow_loopback)
        except BlockedAddress as exc:
            if hop == 0:
                raise
            raise BlockedAddress(f"The page redirected to {target.url}. {exc.message}") from exc
        result = _fetch_once(
            target,
            addresses,
            connect_timeout=connect_timeout,
            read_timeout=read_timeout,
            max_bytes=max_bytes,
            user_agent=user_agent,
            deadline=deadline,
            any_content_type=any_content_type,
        )
        if isinstance(result, Fetched):
            return result
        try:
            target = _parse_url(urljoin(target.url, result))
        except BadURL as exc:
            raise BadURL(
                f"{target.display} redirected to an address that cannot be loaded: {exc.message}"
            ) from exc
    raise FetchError(
        f"Stopped loading {urlsplit(url).hostname}: it redirected more than {max_redirects} times."
    )


def _fetch_once(
    target: _Target,
    addresses: list[IPAddress],
    *,
    connect_timeout: float,
    read_timeout: float,
    max_bytes: int,
    user_agent: str,
    deadline: _Deadline,
    any_content_type: bool = False,
) -> Fetched | str:
    """One request. Returns the page, or the Location of a redirect to follow."""
    sock = _connect(target, addresses, connect_timeout=connect_timeout, deadline=deadline)
    connection = _Connection(target, sock)
    accept = "text/html,application/xhtml+xml,text/plain;q=0.9"
    request_headers = {
        "User-Agent": user_agent,
        "Accept": f"{accept},*/*;q=0.8" if any_content_type else accept,
        "Accept-Encoding": "gzip, deflate",
        "Connection": "close",
    }
    try:
        with _watchdog(sock, deadline):
            try:
                sock.settimeout(min(read_timeout, max(deadline.remaining(), 0.001)))
                connection.request("GET", target.request_target, headers=request_headers)
                response = connection.getresponse()
                if response.status in REDIRECT_STATUSES:
                    location = response.getheader("Location")
                    if location:
                        return location
                if not 200 <= response.status < 300:
                    reason = f" {response.reason}" if response.reason else ""
                    raise FetchError(
                        f"{target.display} answered {response.status}{reason}, "
                        "so there is no page to load."
                    )
                content_type = response.getheader("Content-Type") or ""
                mime = mime_type(content_type)
                if mime not in ALLOWED_CONTENT_TYPES and not any_content_type:
                    shown = mime or "no content type at all"
                    raise UnsupportedContentType(
                        f"{target.display} sent {shown}, not a web page or plain text; "
                        "only HTML and plain text can be loaded."
                    )
                _check_declared_length(response, target, max_bytes)
                body = _read_body(response, target, max_bytes, read_timeout, deadline, sock)
                status, reason = response.status, response.reason or ""
                headers = tuple(response.getheaders())
            except TimeoutError as exc:
                raise _timeout_error(target, read_timeout, deadline) from exc
            except (http.client.HTTPException, ConnectionError, OSError, ssl.SSLError) as exc:
                if deadline.expired():
                    raise _timeout_error(target, read_timeout, deadline) from exc
                if isinstance(exc, http.client.RemoteDisconnected):
                    raise FetchError(
                        f"Could not load {target.display}: the server closed the connection "
                        "without answering."
                    ) from exc
                raise FetchError(
                    f"Could not load {target.display}: the connection broke off "
                    f"({type(exc).__name__})."
                ) from exc
    finally:
        connection.close()
    answer: dict[str, Any] = {
        "status": status,
        "reason": reason,
        "headers": headers,
        "request_headers": (("Host", target.host), *request_headers.items()),
    }
    if mime not in ALLOWED_CONTENT_TYPES:  # only with any_content_type
        return Fetched(
            url=target.url, content_type=mime, charset=None, body=body, text="", **answer
        )
    declared = charset_of(content_type)
    try:
        text, codec = decode_bytes(body, declared=declared, field="url")
    except NotText as exc:
        raise NotText(
            f"{target.display} said it sent {mime}, but the content is binary data.",
            field="url",
        ) from exc
    return Fetched(url=target.url, content_type=mime, charset=codec, body=body, text=text, **answer)


def _timeout_error(target: _Target, read_timeout: float, deadline: _Deadline) -> FetchError:
    if deadline.expired():
        return FetchError(
            f"Could not load {target.display}: the page took longer than "
            f"{_seconds(deadline.seconds)} to arrive."
        )
    return FetchError(
        f"Could not load {target.display}: the server stopped answering for "
        f"{_seconds(read_timeout)}."
    )


def _too_large(target: _Target, max_bytes: int) -> TooLarge:
    return TooLarge(
        f"The page at {target.display} is larger than {_size(max_bytes)}, too large to load.",
        field="url",
    )


def _size(n: int) -> str:
    return f"{n / 1_000_000:g} MB" if n >= 1_000_000 else f"{n / 1000:g} KB"


def _check_declared_length(
    response: http.client.HTTPResponse, target: _Target, max_bytes: int
) -> None:
    length = response.getheader("Content-Length")
    if length and length.strip().isdigit() and int(length) > max_bytes:
        raise _too_large(target, max_bytes)


def _read_body(
    response: http.client.HTTPResponse,
    target: _Target,
    max_bytes: int,
    read_timeout: float,
    deadline: _Deadline,
    sock: socket.socket,
) -> bytes:
    """Stream the body, decompressing gzip/deflate, never holding more than max_bytes."""
    encoding = (response.getheader("Content-Encoding") or "identity").strip().lower()
    if encoding in {"gzip", "x-gzip"}:
        inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
    elif encoding == "deflate":
        inflater = zlib.decompressobj()
    elif encoding in {"identity", ""}:
        inflater = None
    else:
        raise FetchError(f"{target.display} sent the page in an unsupported encoding ({encoding}).")
    chunks: list[bytes] = []
    size = 0
    while True:
        if deadline.expired():
            raise TimeoutError
        sock.settimeout(min(read_timeout, max(deadline.remaining(), 0.001)))
        chunk = response.read1(_CHUNK)
        if not chunk:
            break
        if inflater is not None:
            try:
                # max_length bounds the output: a zip bomb cannot inflate past the cap.
                chunk = inflater.decompress(chunk, max_bytes - size + 1)
            except zlib.error as exc:
                raise FetchError(f"{target.display} sent a damaged compressed page.") from exc
        size += len(chunk)
        if size > max_bytes:
            raise _too_large(target, max_bytes)
        chunks.append(chunk)
    if inflater is not None:
        tail = inflater.flush()
        size += len(tail)
        if size > max_bytes:
            raise _too_large(target, max_bytes)
        chunks.append(tail)
    if deadline.expired():
        # The watchdog closed the socket: what we have is a truncated page.
        raise TimeoutError
    return b"".join(chunks)
