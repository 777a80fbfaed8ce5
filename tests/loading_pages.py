"""Pages for the article-loading tests, served by a real HTTP server on 127.0.0.1.

Import the ``page_server`` fixture into a test module (``from tests.loading_pages import
page_server``); it starts a ``ThreadingHTTPServer`` on a random loopback port for the
module and shuts it down afterwards. Tests that fetch from it must also turn on
``settings.FACTCHECK_FETCH_ALLOW_LOOPBACK`` (the ``allow_loopback`` fixture does).
"""

from __future__ import annotations

import html as html_lib
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler

import pytest

from tests.loopback import free_loopback_port, loopback_server

HEADLINE = "Council closes harbour bridge to cars after 80 years"
BYLINE = "Jane Doe"
OUTLET = "The Daily Example"
PUBLISHED = "2017-11-22"
PARAGRAPHS = [
    "The city council voted on Tuesday to close the old harbour bridge to cars, "
    "ending eighty years of traffic across the estuary.",
    "“We have waited long enough,” said the mayor, Ana Ruiz, after the vote. "
    "Engineers had warned in 2019 that the bridge could not carry heavy lorries.",
    "The decision passed by 31 votes to 12. Opponents said shops on the north bank "
    "would lose customers, and promised to challenge it in court.",
    "Cyclists and pedestrians will keep using the bridge, which will be repaired over "
    "the next three years at a cost of €14 million.",
]
SLOW_SECONDS = 2.5


COMMENT_FORM = """
<div id="respond" class="comment-respond">
  <h3 id="reply-title">Leave a Reply</h3>
  <form id="commentform"><p>Fill in your details below or click an icon to log in:</p>
  <p>You are commenting using your Twitter account. Log Out / Change )</p>
  <p>Connecting to %s</p></form>
</div>"""


def article_page(
    paragraphs: list[str] = PARAGRAPHS,
    *,
    headline: str = HEADLINE,
    extra_body: str = "",
    comment_form: bool = True,
) -> str:
    """A news page as a CMS renders it: chrome, metadata, the article, a comment form."""
    body = "\n".join(f"<p>{html_lib.escape(p, quote=False)}</p>" for p in paragraphs)
    comments = COMMENT_FORM if comment_form else ""
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>{headline} | {OUTLET}</title>
<meta property="og:title" content="{headline}">
<meta property="og:site_name" content="{OUTLET}">
<meta name="author" content="{BYLINE}">
<meta property="article:published_time" content="{PUBLISHED}T09:30:00Z">
<script>window.tracking = true;</script>
<style>body {{ font-family: serif; }}</style>
</head><body>
<nav><a href="/">Home</a> <a href="/world">World</a> <a href="/politics">Politics</a></nav>
<article>
<h1>{headline}</h1>
<p class="byline">By {BYLINE}</p>
{body}
{extra_body}
</article>
{comments}
<footer><p>Copyright 2017 {OUTLET}</p></footer>
</body></html>"""


NO_BODY_PAGE = """<!DOCTYPE html><html><head><title>Nothing here</title></head>
<body><script>var x = 1;</script><img src="photo.jpg" alt=""></body></html>"""


def xss_page(payloads: list[str]) -> str:
    """An article whose body carries every hostile snippet, between real paragraphs."""
    hostile = "\n".join(f"<div>{p}</div><p>Paragraph after payload {i}.</p>"
                        for i, p in enumerate(payloads))  # fmt: skip
    return article_page(
        headline="Hostile <b>page</b> &amp; friends",
        extra_body=hostile,
    )


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    pages: dict[str, tuple[int, str, bytes]] = {}

    def log_message(self, format: str, *args: object) -> None:
        pass

    def do_GET(self) -> None:
        path = self.path.split("?", 1)[0]
        try:
            if path == "/slow":
                time.sleep(SLOW_SECONDS)
            status, content_type, body = self.pages.get(
                path, (404, "text/plain", b"unknown test path")
            )
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Connection", "close")
            self.end_headers()
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            pass


class PageServer:
    def __init__(self, base: str, pages: dict) -> None:
        self.base = base
        self.pages = pages

    def url(self, path: str) -> str:
        return self.base + path

    def serve(self, path: str, body: str | bytes, content_type: str = "text/html; charset=utf-8"):
        data = body.encode("utf-8") if isinstance(body, str) else body
        self.pages[path] = (200, content_type, data)
        return self.url(path)


@pytest.fixture(scope="module")
def page_server() -> Iterator[PageServer]:
    pages: dict[str, tuple[int, str, bytes]] = {}
    handler = type("Handler", (_Handler,), {"pages": pages})
    with loopback_server(handler, "loading-pages") as base:
        served = PageServer(base, pages)
        served.serve("/article", article_page())
        served.serve("/plain", "Plain headline\n\nA plain paragraph of text.\n", "text/plain")
        served.serve("/pdf", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n", "application/pdf")
        served.serve("/json", b'{"a": 1}', "application/json")
        served.serve("/no-body", NO_BODY_PAGE)
        served.serve("/slow", "<p>too late</p>")
        yield served


@pytest.fixture
def allow_loopback(settings):
    settings.FACTCHECK_FETCH_ALLOW_LOOPBACK = True
    settings.FACTCHECK_FETCH_TIMEOUT = 1
    return settings


@pytest.fixture
def closed_port() -> int:
    return free_loopback_port()
