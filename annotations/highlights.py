"""Split a revision's text into paragraphs of segments for the reading view.

Pure Python: no Django, no database. A *segment* is a run of text covered by the same set
of claims; the text is cut at every paragraph break ("\\n\\n") and at every claim's start
and end, so overlapping and nested claims both show: a segment carries every claim that
covers it, outermost (longest) first, innermost last.

Offsets are Unicode code points (Python ``str`` indices), as in the W3C
TextPositionSelector. Each paragraph knows its start offset, which the template writes as
``data-start`` so the browser can turn a selection back into offsets of the canonical text.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Protocol

PARAGRAPH_BREAK = "\n\n"


class Span(Protocol):
    id: int
    start: int
    end: int


@dataclass(frozen=True)
class Segment:
    text: str
    start: int
    end: int
    #: Claims covering this segment, outermost (longest) first.
    claims: tuple = ()
    #: Claims whose highlight begins here (their first visible segment), outermost first.
    begins: tuple = ()

    @property
    def innermost(self):
        return self.claims[-1] if self.claims else None

    @property
    def claim_ids(self) -> str:
        return " ".join(str(c.id) for c in self.claims)


@dataclass
class Paragraph:
    start: int
    end: int
    segments: list[Segment] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "".join(s.text for s in self.segments)


def paragraph_spans(text: str) -> list[tuple[int, int]]:
    """``[(start, end)]`` of each paragraph: the text split on "\\n\\n"."""
    spans = []
    at = 0
    for part in text.split(PARAGRAPH_BREAK):
        spans.append((at, at + len(part)))
        at += len(part) + len(PARAGRAPH_BREAK)
    return spans


def _span_key(claim) -> tuple[int, int, int]:
    # Outermost first: longer spans before shorter ones; earlier start, then id, break ties.
    return (-(claim.end - claim.start), claim.start, claim.id)


def render_segments(text: str, claims: Iterable[Span]) -> list[Paragraph]:
    """Paragraphs of segments, cut at every claim boundary. Claims whose offsets do not fit
    the text (empty, reversed or past the end) are left out rather than guessed at."""
    length = len(text)
    spans: Sequence = sorted(
        (c for c in claims if 0 <= c.start < c.end <= length), key=lambda c: (c.start, c.id)
    )
    cuts_by_paragraph: list[Paragraph] = []
    boundaries = sorted({b for c in spans for b in (c.start, c.end)})
    next_claim = 0  # index into spans of the next claim not yet active
    active: list = []
    begun: set[int] = set()
    b_index = 0
    for p_start, p_end in paragraph_spans(text):
        paragraph = Paragraph(p_start, p_end)
        cuts_by_paragraph.append(paragraph)
        if p_start == p_end:
            continue
        while b_index < len(boundaries) and boundaries[b_index] <= p_start:
            b_index += 1
        cuts = [p_start]
        while b_index < len(boundaries) and boundaries[b_index] < p_end:
            cuts.append(boundaries[b_index])
            b_index += 1
        cuts.append(p_end)
        for a, b in zip(cuts, cuts[1:], strict=False):
            while next_claim < len(spans) and spans[next_claim].start <= a:
                active.append(spans[next_claim])
                next_claim += 1
            active = [c for c in active if c.end > a]
            covering = tuple(sorted(active, key=_span_key))
            begins = tuple(c for c in covering if c.id not in begun)
            begun.update(c.id for c in begins)
            paragraph.segments.append(Segment(text[a:b], a, b, covering, begins))
    return cuts_by_paragraph
