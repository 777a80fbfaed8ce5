"""Benchmark: re-anchor 1,000 claims on a 50,000-character article after an edit.

Run with ``python bench/bench_reanchor.py``. Target: well under one second on one core.

The article is assembled from the anchoring test texts (sentences shuffled into new
paragraphs, numbers varied so that paragraphs differ), the claims are word-aligned spans
chosen at random, and the new revision carries the usual newsroom edits: inserted
sentences, deleted sentences, typo fixes, whitespace clean-up and one moved paragraph.
"""

from __future__ import annotations

import random
import re
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from annotations.anchoring import STATES, Quote, anchor_quotes, context_for  # noqa: E402

TEXTS = ROOT / "tests" / "anchoring" / "texts"
TARGET_CHARS = 50_000
CLAIMS = 1_000
SEED = 7

FILLER = [
    "A spokesperson did not respond to a request for comment.",
    "This story has been updated with additional reporting.",
    "The figures could not be independently verified.",
    "Officials are expected to release a fuller account next week.",
]


def vary(sentence: str, vocabulary: list[str], rng: random.Random) -> str:
    """Change the numbers and a few words, so that reused sentences are not verbatim copies
    (a real article does not repeat itself every few paragraphs)."""
    sentence = re.sub(r"\d+", lambda m: str(rng.randint(2, 999)), sentence)
    words = list(re.finditer(r"\b[a-z]{4,}\b", sentence))
    for m in sorted(rng.sample(words, min(3, len(words))), key=lambda m: -m.start()):
        sentence = sentence[: m.start()] + rng.choice(vocabulary) + sentence[m.end() :]
    return sentence


def build_article(rng: random.Random) -> str:
    pool: list[str] = []
    for path in sorted(TEXTS.glob("*.txt")):
        body = path.read_text(encoding="utf-8").split("\n\n")[1:]  # skip the headline
        for para in body:
            pool += [s for s in re.split(r"(?<=[.!?”\"])\s+(?=[A-Z“\"])", para) if len(s) > 20]
    vocabulary = sorted({w for s in pool for w in re.findall(r"\b[a-z]{4,}\b", s)})
    paragraphs: list[str] = []
    size = 0
    while size < TARGET_CHARS:
        sentences = [vary(rng.choice(pool), vocabulary, rng) for _ in range(rng.randint(3, 5))]
        para = " ".join(sentences)
        paragraphs.append(para)
        size += len(para) + 2
    return "\n\n".join(paragraphs)[:TARGET_CHARS]


def place_claims(text: str, rng: random.Random) -> list[Quote]:
    words = [m.span() for m in re.finditer(r"\S+", text)]
    quotes = []
    for _ in range(CLAIMS):
        first = rng.randrange(len(words) - 12)
        last = first + rng.randint(2, 11)
        start, end = words[first][0], words[last][1]
        prefix, suffix = context_for(text, start, end)
        quotes.append(Quote(text[start:end], prefix, suffix, start, end))
    return quotes


def edit(text: str, rng: random.Random) -> str:
    """Apply edits at non-overlapping places, last first, so earlier offsets stay valid."""
    sentence_ends = [m.end() for m in re.finditer(r"[.!?] ", text)]
    words = [m.span() for m in re.finditer(r"[A-Za-z]{6,}", text)]
    edits: list[tuple[int, int, str]] = []
    for at in rng.sample(sentence_ends, 40):  # insertions
        edits.append((at, at, rng.choice(FILLER) + " "))
    for at in rng.sample(sentence_ends, 30):  # deleted sentences
        nxt = text.find(". ", at)
        if nxt != -1:
            edits.append((at, nxt + 2, ""))
    for a, b in rng.sample(words, 80):  # typo fixes
        word = text[a:b]
        edits.append((a, b, word[:2] + word[3] + word[2] + word[4:]))
    for m in rng.sample(list(re.finditer(r" ", text)), 20):  # whitespace changes
        edits.append((m.start(), m.end(), "  "))
    edits.sort(reverse=True)
    out = text
    last_start = len(text) + 1
    for a, b, replacement in edits:
        if b <= last_start:  # skip overlaps
            out = out[:a] + replacement + out[b:]
            last_start = a
    paragraphs = out.split("\n\n")
    moved = paragraphs.pop(len(paragraphs) // 3)
    paragraphs.insert(len(paragraphs) - 2, moved)
    return "\n\n".join(paragraphs)


def main() -> None:
    rng = random.Random(SEED)
    old = build_article(rng)
    quotes = place_claims(old, rng)
    new = edit(old, rng)
    timings = []
    for _ in range(5):
        started = time.perf_counter()
        placements = anchor_quotes(new, quotes)
        timings.append(time.perf_counter() - started)
    counts = Counter(p.state for p in placements)
    print(f"article: {len(old):,} chars -> {len(new):,} chars after edits; claims: {len(quotes):,}")
    best, worst = min(timings) * 1000, max(timings) * 1000
    print(f"anchor_quotes: best of 5 = {best:.1f} ms (worst {worst:.1f} ms)")
    for state in STATES:
        print(f"  {state:9} {counts[state]:5}")


if __name__ == "__main__":
    main()
