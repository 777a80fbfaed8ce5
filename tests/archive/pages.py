"""A real page server on 127.0.0.1 for the archive tests: one path per case the archive
job meets (a page, redirects, a slow page, 404, a huge body, a PDF, plain text, a page
with scripts, a page whose text changes), and what it has been asked for."""

from __future__ import annotations

import hashlib
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler

from tests.loopback import loopback_server

EXCERPT = "the ministry counted 1,204 new classrooms in the northern provinces"
ARTICLE = (
    "<!doctype html><html><head><title>Schools report 2026</title></head><body>"
    "<nav><a href='/'>Home</a> <a href='/about'>About</a></nav>"
    "<article><h1>Schools report 2026</h1>"
    "<p>The annual schools report was published on Monday by the education ministry, "
    "and it runs to more than two hundred pages of tables and commentary.</p>"
    f"<p>In its second chapter, {EXCERPT}, up from 830 the year before, "
    "a rise the report credits to the building programme.</p>"
    "<p>Teachers' unions said the figures did not match what their members saw, and "
    "asked for the school-by-school data to be published in full.</p>"
    "</article><footer>Copyright the ministry</footer></body></html>"
)
CHANGED = ARTICLE.replace(EXCERPT, "the ministry stopped counting classrooms this year")
#: Scripts of every kind: a script element, an event handler, a javascript: link, an
#: external script and a beacon. If any ran, /beacon would be asked for or the title change.
SCRIPTED = (
    "<!doctype html><html><head><title>Scripted page</title>"
    "<script>document.title='pwned'; fetch('/beacon?inline');</script>"
    "<script src='/beacon?external'></script></head><body><article>"
    "<h1>A page that tries to run scripts</h1>"
    "<p>This paragraph is the visible article text that the snapshot must keep, word for "
    "word, while every script of the page is left out of it entirely.</p>"
    "<p><img src='/beacon?img' onerror=\"fetch('/beacon?onerror')\">"
    "<a href=\"javascript:fetch('/beacon?link')\">a link that runs code</a> and "
    "<b onmouseover=\"fetch('/beacon?hover')\">bold words that react to a mouse</b>.</p>"
    "<script>window.__pwned = true; fetch('/beacon?late');</script>"
    "</article></body></html>"
)
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
PLAIN = f"Plain text notes.\n\nThe key sentence: {EXCERPT}.\n\nEnd of the notes.\n"
HUGE_BYTES = 6_000_000  # over the fetcher's 5 MB cap
SLOW_SECONDS = 3.0


def sha256(data: str | bytes) -> str:
    return hashlib.sha256(data.encode() if isinstance(data, str) else data).hexdigest()


@dataclass
class PageServer:
    base: str
    paths: list[str] = field(default_factory=list)
    #: What /changing serves: flip it to make the page lose the excerpt.
    changing: str = ARTICLE

    def url(self, path: str) -> str:
        return self.base + path

    @property
    def beacons(self) -> list[str]:
        return [path for path in self.paths if path.startswith("/beacon")]


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    state: PageServer

    def log_message(self, format: str, *args: object) -> None:
        pass

    def _send(self, status: int, body: bytes, content_type: str, **headers: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for name, value in headers.items():
            self.send_header(name.replace("_", "-"), value)
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:
        self.state.paths.append(self.path)
        html = "text/html; charset=utf-8"
        path = self.path.split("?", 1)[0]
        if path == "/article":
            self._send(200, ARTICLE.encode(), html, X_Served_By="pages")
        elif path == "/changing":
            self._send(200, self.state.changing.encode(), html)
        elif path == "/moved":
            self._send(301, b"", html, Location="/hop")
        elif path == "/hop":
            self._send(302, b"", html, Location=self.state.url("/article"))
        elif path == "/loop":
            self._send(302, b"", html, Location="/loop")
        elif path == "/slow":
            self.send_response(200)
            self.send_header("Content-Type", html)
            self.end_headers()
            self.wfile.write(b"<html><body><p>Slowly")
            time.sleep(SLOW_SECONDS)
            self.wfile.write(b" arriving.</p></body></html>")
        elif path == "/gone":
            self._send(404, b"<p>Not here.</p>", html)
        elif path == "/huge":
            self.send_response(200)
            self.send_header("Content-Type", html)
            self.end_headers()  # no Content-Length: the cap applies while streaming
            chunk = b"<p>" + b"filler words " * 5000 + b"</p>"
            sent = 0
            try:
                while sent < HUGE_BYTES:
                    self.wfile.write(chunk)
                    sent += len(chunk)
            except OSError:
                pass
            self.close_connection = True
        elif path == "/report.pdf":
            self._send(200, PDF, "application/pdf")
        elif path == "/notes.txt":
            self._send(200, PLAIN.encode(), "text/plain; charset=utf-8")
        elif path == "/scripted":
            self._send(200, SCRIPTED.encode(), html)
        else:
            self._send(204 if path == "/beacon" else 404, b"", "text/plain")


@contextmanager
def page_server() -> Iterator[PageServer]:
    state = PageServer(base="")
    handler = type("Handler", (_Handler,), {"state": state})
    with loopback_server(handler, "archive-pages") as base:
        state.base = base
        yield state
