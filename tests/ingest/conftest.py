"""Fixtures for the ingest tests: the demo article and a real HTTP server on loopback.

The server is a ``ThreadingHTTPServer`` on 127.0.0.1, port 0, started per module and
shut down at teardown. Each path exercises one branch of ``fetch_url``.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import suppress
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from tests.loading_pages import article_page
from tests.loopback import free_loopback_port, loopback_server

FIXTURES = Path(__file__).resolve().parent / "fixtures"
HUGE_BYTES = 6_000_000  # over fetch_url's default 5 MB cap
SLOW_SECONDS = 3.0


@pytest.fixture(scope="session")
def defector_text() -> str:
    return (FIXTURES / "defector-escape.txt").read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def defector_html(defector_text: str) -> str:
    paragraphs = defector_text.split("\n\n")
    end = paragraphs.index("Leave a Reply")
    return article_page(paragraphs[1:end], headline=paragraphs[0])


@dataclass
class LocalServer:
    """Where the test server listens and what it has seen."""

    base: str
    port: int
    host_headers: list[str] = field(default_factory=list)

    def url(self, path: str) -> str:
        return self.base + path


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "TestServer/1.0"
    seen: LocalServer  # set on the subclass made per server

    def log_message(self, format: str, *args: object) -> None:
        pass  # keep test output quiet

    def _send(self, status: int, body: bytes, content_type: str, **headers: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Connection", "close")
        for name, value in headers.items():
            self.send_header(name.replace("_", "-"), value)
        self.end_headers()
        self.wfile.write(body)

    def _redirect(self, location: str) -> None:
        self._send(302, b"", "text/plain", Location=location)

    def do_GET(self) -> None:
        self.seen.host_headers.append(self.headers.get("Host", ""))
        path = self.path.split("?", 1)[0]
        # The client hangs up on purpose in the cap and timeout tests.
        with suppress(BrokenPipeError, ConnectionResetError):
            self._route(path)

    def _route(self, path: str) -> None:
        if path == "/article":
            html = article_page()
            self._send(200, html.encode(), "text/html; charset=utf-8")
        elif path == "/latin1":
            html = article_page(headline="Café società", comment_form=False)
            html = html.replace('<meta charset="utf-8">', "").replace("€", "EUR")
            html = html.replace("“", '"').replace("”", '"')
            self._send(200, html.encode("iso-8859-1"), "text/html; charset=iso-8859-1")
        elif path == "/plain":
            self._send(200, b"Plain headline\n\nA plain paragraph.\n", "text/plain")
        elif path == "/pdf":
            self._send(200, b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n", "application/pdf")
        elif path == "/binary-as-html":
            self._send(200, b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "text/html")
        elif path == "/no-type":
            self.send_response(200)
            self.send_header("Content-Length", "2")
            self.send_header("Connection", "close")
            self.end_headers()
            self.wfile.write(b"hi")
        elif path == "/huge":
            self._stream(HUGE_BYTES, declare_length=False)
        elif path == "/huge-declared":
            self._stream(HUGE_BYTES, declare_length=True)
        elif path == "/slow":
            time.sleep(SLOW_SECONDS)
            self._send(200, b"<p>too late</p>", "text/html")
        elif path == "/trickle":
            self.send_response(200)
            self.send_header("Content-Type", "text/plain")
            self.send_header("Connection", "close")
            self.end_headers()
            for _ in range(int(SLOW_SECONDS * 10)):
                self.wfile.write(b"x")
                self.wfile.flush()
                time.sleep(0.1)
        elif path.startswith("/chain/"):
            # /chain/N redirects N times, then serves the article.
            remaining = int(path.rsplit("/", 1)[1])
            if remaining > 0:
                self._redirect(f"/chain/{remaining - 1}")
            else:
                self._route("/article")
        elif path == "/to-private":
            self._redirect("http://10.0.0.1/")
        elif path == "/to-metadata":
            self._redirect("http://169.254.169.254/latest/meta-data/")
        elif path == "/to-ftp":
            self._redirect("ftp://example.org/file.txt")
        elif path == "/missing":
            self._send(404, b"not here", "text/plain")
        elif path == "/broken":
            self._send(500, b"oops", "text/plain")
        elif path == "/echo-host":
            self._send(200, self.headers.get("Host", "").encode(), "text/plain")
        else:
            self._send(404, b"unknown test path", "text/plain")

    def _stream(self, total: int, *, declare_length: bool) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/plain")
        if declare_length:
            self.send_header("Content-Length", str(total))
        self.send_header("Connection", "close")
        self.end_headers()
        chunk = b"a" * 65536
        sent = 0
        while sent < total:
            self.wfile.write(chunk)
            sent += len(chunk)


@pytest.fixture(scope="module")
def local_server() -> Iterator[LocalServer]:
    """A real HTTP server on 127.0.0.1 (random port) for the duration of a module."""
    handler = type("Handler", (_Handler,), {})
    with loopback_server(handler, "ingest-test-http") as base:
        seen = LocalServer(base=base, port=int(base.rsplit(":", 1)[1]))
        handler.seen = seen
        yield seen


@pytest.fixture
def closed_port() -> int:
    return free_loopback_port()


@dataclass
class TLSServer:
    """An HTTPS server on loopback whose certificate names ``news.example`` only."""

    port: int
    cafile: str
    sni_names: list[str | None]


@pytest.fixture(scope="module")
def tls_server(tmp_path_factory) -> Iterator[TLSServer]:
    """HTTPS on 127.0.0.1 with a throwaway self-signed certificate (needs openssl)."""
    import shutil
    import ssl
    import subprocess

    if shutil.which("openssl") is None:
        pytest.skip("openssl is not installed")
    directory = tmp_path_factory.mktemp("tls")
    cert, key = directory / "cert.pem", directory / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
         "-keyout", str(key), "-out", str(cert), "-subj", "/CN=news.example",
         "-addext", "subjectAltName=DNS:news.example"],
        check=True, capture_output=True, timeout=60,
    )  # fmt: skip
    sni_names: list[str | None] = []
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    context.sni_callback = lambda sock, name, ctx: sni_names.append(name)
    handler = type("Handler", (_Handler,), {})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    server.socket = context.wrap_socket(server.socket, server_side=True)
    port = server.server_address[1]
    handler.seen = LocalServer(base=f"https://news.example:{port}", port=port)
    thread = threading.Thread(target=server.serve_forever, name="ingest-test-https", daemon=True)
    thread.start()
    try:
        yield TLSServer(port=port, cafile=str(cert), sni_names=sni_names)
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
