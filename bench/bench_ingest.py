"""Time the ingest layer: extract_html on a ~100 KB page, clean_text on ~2 MB of text.

Run: ``.venv/bin/python bench/bench_ingest.py [repeats]``. No Django needed. Prints
the time per load in milliseconds (best and median of the repeats), because an editor
waits for exactly one load and the API worker is busy for that long.
"""

from __future__ import annotations

import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from annotations.ingest import MAX_TEXT_CHARS, clean_text, extract_html  # noqa: E402

SENTENCE = (
    "The council said on Tuesday that the harbour bridge, opened in 1937, would close to cars "
    "after engineers found “serious corrosion” in two of its\u00a0main girders. "
)


def build_html(target_bytes: int = 100_000) -> str:
    """A news page of about ``target_bytes``: head metadata, chrome, article, comments."""
    paragraphs: list[str] = []
    size = 0
    while size < target_bytes * 0.8:
        paragraph = f"<p>{SENTENCE * 3}</p>"
        paragraphs.append(paragraph)
        size += len(paragraph.encode())
    nav = "".join(f'<li><a href="/section/{i}">Section {i}</a></li>' for i in range(60))
    return f"""<!DOCTYPE html><html><head><meta charset="utf-8">
<title>Harbour bridge closes to cars | The Daily Example</title>
<meta property="og:site_name" content="The Daily Example"><meta name="author" content="Jane Doe">
<meta property="article:published_time" content="2026-11-20T08:00:00Z">
<script>{"var x = 1;" * 500}</script></head><body><nav><ul>{nav}</ul></nav>
<article><h1>Harbour bridge closes to cars</h1>{"".join(paragraphs)}</article>
<div id="respond"><h3>Leave a Reply</h3><p>Connecting to %s</p></div></body></html>"""


def build_text(target_chars: int = MAX_TEXT_CHARS - 1000) -> str:
    """About 2 MB of pasted text with NBSPs, CRLFs and a comment form at the end."""
    paragraph = (SENTENCE * 4).strip()
    chunks: list[str] = ["Harbour bridge closes to cars"]
    size = len(chunks[0])
    while size < target_chars - 500:
        chunks.append(paragraph)
        size += len(paragraph) + 4
    return "\r\n\r\n".join(chunks) + "\r\n\r\nLeave a Reply\r\n\r\nConnecting to %s"


def timed(label: str, size: str, repeats: int, run: Callable[[], object]) -> None:
    run()  # warm-up: imports, regex compilation, trafilatura's first-call setup
    samples = []
    for _ in range(repeats):
        started = time.perf_counter()
        run()
        samples.append((time.perf_counter() - started) * 1000)
    print(
        f"{label:<28} {size:>9}  best {min(samples):8.1f} ms   "
        f"median {statistics.median(samples):8.1f} ms   ({repeats} runs)"
    )


def main() -> None:
    repeats = int(sys.argv[1]) if len(sys.argv) > 1 else 10
    html = build_html()
    text = build_text()
    print(f"Python {sys.version.split()[0]}")
    timed(
        "extract_html", f"{len(html.encode()) / 1000:.0f} KB", repeats, lambda: extract_html(html)
    )
    timed("clean_text", f"{len(text) / 1_000_000:.2f} M ch", repeats, lambda: clean_text(text))


if __name__ == "__main__":
    main()
