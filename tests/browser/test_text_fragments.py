"""Text-fragment links (``#:~:text=…``) scroll real headless Chromium to the quoted passage.

Excerpts of the generated corpus that the engine places get their links (every third one
by default, the whole corpus with ``TEXT_FRAGMENT_SAMPLE=1``). Each case's text is served as
an HTML page (one ``<p>`` per line, behind a screen-high gap so nothing is in view unless the
browser scrolls) from a server on 127.0.0.1 that the test starts and stops. The detector:

1. Chromium scrolled (``window.scrollY > 0``), and the passage's own line boxes are in view;
2. Chromium highlighted them: the page styles ``::target-text`` in a colour nothing else
   uses (magenta); a screenshot of the passage's box shows that colour covering at least a
   quarter of its line boxes and (almost) nowhere else in the box. Pixels are read back
   through a canvas in the same browser. A link landing on another copy of the words fails:
   the passage's own boxes stay unpainted.
"""

from __future__ import annotations

import base64
import html
import os
import re
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler

import pytest

from annotations.excerpts import find_excerpt, text_fragment
from tests.excerpts.corpus import Case, generate
from tests.loopback import loopback_server

pytestmark = [pytest.mark.browser]

#: Pages navigated at once: Chromium applies a text fragment only after the page has
#: loaded and painted, so pages wait side by side.
PARALLEL = 8
VIEWPORT = {"width": 1000, "height": 700}
MAGENTA = (255, 0, 255)

_STYLE = """
body { margin: 0; font: 18px/28px monospace; width: 900px; }
.gap { height: 2400px; }
p { margin: 0 0 14px; white-space: normal; }
::target-text { background-color: rgb(255, 0, 255); color: rgb(0, 0, 0); }
"""


def _page(text: str) -> bytes:
    """One ``<p>`` per non-blank line; ``data-at`` is the line's offset in ``text``."""
    paragraphs = []
    offset = 0
    for line in text.split("\n"):
        if line.strip():
            paragraphs.append(f'<p data-at="{offset}">{html.escape(line)}</p>')
        offset += len(line) + 1
    return (
        "<!doctype html><html><head><meta charset=utf-8><title>archived</title>"
        f"<style>{_STYLE}</style></head><body><div class=gap></div><main>"
        + "".join(paragraphs)
        + "</main><div class=gap></div></body></html>"
    ).encode()


# The passage's line boxes: client rects of each paragraph's part of it (a range's own rects
# would add the whole box of every paragraph it spans).
_RECTS = """([start, end]) => {
  const rects = [];
  for (const p of document.querySelectorAll("p[data-at]")) {
    const at = Number(p.dataset.at), node = p.firstChild, length = node.data.length;
    if (at + length <= start || at >= end) continue;
    const range = document.createRange();
    range.setStart(node, Math.max(0, start - at));
    range.setEnd(node, Math.min(length, end - at));
    for (const r of range.getClientRects()) rects.push([r.left, r.top, r.right, r.bottom]);
  }
  return {scrollY: window.scrollY, rects};
}"""

# Magenta pixels in a screenshot of the passage's box, on its line boxes and elsewhere. The
# rects grow by a character's width sideways: the highlight also paints the space where a
# line wraps.
_PIXELS = """async ({png, rects, origin, magenta}) => {
  const image = new Image();
  image.src = "data:image/png;base64," + png;
  await image.decode();
  const canvas = document.createElement("canvas");
  canvas.width = image.width;
  canvas.height = image.height;
  const context = canvas.getContext("2d");
  context.drawImage(image, 0, 0);
  const data = context.getImageData(0, 0, image.width, image.height).data;
  const pixels = new Uint32Array(data.buffer);
  // RGBA bytes read as one little-endian 32-bit number.
  const colour = (255 << 24 | magenta[2] << 16 | magenta[1] << 8 | magenta[0]) >>> 0;
  const grown = rects.map(([l, t, r, b]) => [l - 14, t - 2, r + 14, b + 2]);
  let inside = 0, outside = 0;
  for (let i = 0; i < pixels.length; i++) {
    if (pixels[i] !== colour) continue;
    const x = origin[0] + i % image.width, y = origin[1] + Math.floor(i / image.width);
    const mine = grown.some(([l, t, r, b]) => x >= l && x <= r && y >= t && y <= b);
    if (mine) inside++; else outside++;
  }
  const seen = ([l, t, r, b]) =>
    Math.max(0, r - l) * Math.max(0, Math.min(b, origin[3]) - Math.max(t, origin[1]));
  const area = rects.reduce((sum, rect) => sum + seen(rect), 0);
  return {inside, outside, area};
}"""


def _words_span(text: str, start: int, end: int) -> tuple[int, int]:
    """The span from its first to its last letter or digit (what the link highlights)."""
    words = list(re.finditer(r"\w", text[start:end]))
    return start + words[0].start(), start + words[-1].end()


@pytest.fixture(scope="module")
def corpus() -> list[Case]:
    return generate()


@pytest.fixture(scope="module")
def case_server(corpus: list[Case]) -> Iterator[str]:
    pages = {str(i): _page(case.text) for i, case in enumerate(corpus)}

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            body = pages.get(self.path.split("?")[0].rsplit("/", 1)[-1])
            if body is None:
                self.send_error(404)
                return
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:
            pass

    with loopback_server(Handler, "text-fragment-pages") as base:
        yield base


def _check(page, canvas_page, case: Case, span: tuple[int, int]) -> str | None:
    """None when Chromium scrolled to and highlighted exactly the passage, else why not."""
    try:
        # Polled on a timer: requestAnimationFrame is throttled in pages not in front.
        page.wait_for_function("window.scrollY > 0", polling=25, timeout=5000)
        page.wait_for_timeout(50)  # the highlight is painted with the scroll's frame
    except Exception:
        return "did not scroll"
    layout = page.evaluate(_RECTS, list(span))
    visible = [r for r in layout["rects"] if r[3] > 0 and r[1] < VIEWPORT["height"] and r[2] > r[0]]
    if not visible:
        return f"scrolled to {layout['scrollY']}, passage not in view"
    # Only the passage's box (and a margin) is photographed: smaller, so faster.
    left = max(0, min(r[0] for r in visible) - 20)
    top = max(0, min(r[1] for r in visible) - 20)
    right = min(VIEWPORT["width"], max(r[2] for r in visible) + 20)
    bottom = min(VIEWPORT["height"], max(r[3] for r in visible) + 20)
    clip = {"x": left, "y": top, "width": right - left, "height": bottom - top}
    png = base64.b64encode(page.screenshot(type="png", clip=clip)).decode()
    pixels = canvas_page.evaluate(
        _PIXELS,
        {
            "png": png,
            "rects": visible,
            "origin": [left, top, right, bottom],
            "magenta": list(MAGENTA),
        },
    )
    if pixels["inside"] < 0.25 * pixels["area"]:
        return f"passage not highlighted ({pixels})"
    if pixels["outside"] > 0.1 * pixels["inside"]:
        return f"other words highlighted ({pixels})"
    return None


def test_text_fragment_links_scroll_chromium_to_the_passage(browser, case_server, corpus):
    # Every third placed excerpt (all categories, 130+ links) by default; the whole corpus
    # with TEXT_FRAGMENT_SAMPLE=1 (about five minutes on two busy cores).
    stride = int(os.environ.get("TEXT_FRAGMENT_SAMPLE", "3"))
    cases = [
        (i, case, found)
        for i, case in enumerate(corpus)
        if case.expected is not None and (found := find_excerpt(case.text, case.excerpt))
    ][::stride]
    # One context (one window) per page: tabs behind the front one are not painted.
    contexts = [
        browser.new_context(viewport=VIEWPORT, device_scale_factor=1) for _ in range(PARALLEL)
    ]
    pages = [context.new_page() for context in contexts]
    canvas_page = contexts[0].new_page()
    canvas_page.goto(case_server + "/none")  # any page of ours: the canvas reads data: URLs
    failures: list[str] = []
    began = time.perf_counter()
    try:
        for batch_start in range(0, len(cases), PARALLEL):
            batch = cases[batch_start : batch_start + PARALLEL]
            links = []
            for page, (i, case, found) in zip(pages, batch, strict=False):
                link = text_fragment(f"{case_server}/case/{i}", case.text, found)
                links.append(link)
                if ":~:text=" in link:
                    page.goto(link, wait_until="commit")
            for page, link, (_, case, found) in zip(pages, links, batch, strict=False):
                if ":~:text=" not in link:
                    failures.append(f"{case.label}: no link could be built")
                    continue
                span = _words_span(case.text, found.start, found.end)
                why = _check(page, canvas_page, case, span)
                if why:
                    failures.append(f"{case.label}: {why} — {link}")
    finally:
        for context in contexts:
            context.close()
    elapsed = time.perf_counter() - began
    scrolled = len(cases) - len(failures)
    print(
        f"\ntext fragments: {scrolled}/{len(cases)} scrolled to and highlighted the passage "
        f"({scrolled / len(cases):.1%}) in {elapsed:.0f} s"
    )
    for failure in failures:
        print("  ", failure)
    assert len(cases) >= 100
    assert scrolled / len(cases) >= 0.98, failures
