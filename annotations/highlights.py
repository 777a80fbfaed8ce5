"""Split a revision's text into paragraphs of segments for the reading view.

Pure Python: no Django, no database. A *segment* is a run of text covered by the same set
of claims; the text is cut at every paragraph break ("\\n\\n") and at every claim's start
and end, so overlapping and nested claims both show: a segment carries every claim that
covers it, outermost (longest) first, innermost last.

Suggestions (issue 14) are cut in the same pass but drawn differently: a segment that no
claim covers carries the suggestion covering it, if any; where a claim and a suggestion
would overlap, the claim wins (the suggestion shows only outside it). The selector already
leaves out suggestions that overlap a live claim; this keeps the rule when they meet anyway.

Offsets are Unicode code points (Python ``str`` indices), as in the W3C
TextPositionSelector. Each paragraph knows its start offset, which the template writes as
``data-start`` so the browser can turn a selection back into offsets of the canonical text.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

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
    #: The suggestion drawn on this segment (only where no claim covers it), or None.
    suggestion: Any = None
    #: True on the suggestion's first visible segment.
    suggestion_begins: bool = False

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


def _fitting(spans: Iterable[Span], length: int) -> list:
    """The spans that fit a text of `length`, by start (then id)."""
    return sorted(
        (c for c in spans if 0 <= c.start < c.end <= length), key=lambda c: (c.start, c.id)
    )


def render_segments(
    text: str, claims: Iterable[Span], suggestions: Iterable[Span] = ()
) -> list[Paragraph]:
    """Paragraphs of segments, cut at every claim and suggestion boundary. Spans whose
    offsets do not fit the text (empty, reversed or past the end) are left out rather than
    guessed at. A segment covered by a claim never shows a suggestion."""
    length = len(text)
    spans: Sequence = _fitting(claims, length)
    hints: Sequence = _fitting(suggestions, length)
    cuts_by_paragraph: list[Paragraph] = []
    boundaries = sorted({b for c in (*spans, *hints) for b in (c.start, c.end)})
    next_claim = 0  # index into spans of the next claim not yet active
    next_hint = 0  # index into hints of the next suggestion not yet active
    active: list = []
    active_hints: list = []
    begun: set[int] = set()
    hints_begun: set[int] = set()
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
            while next_hint < len(hints) and hints[next_hint].start <= a:
                active_hints.append(hints[next_hint])
                next_hint += 1
            active = [c for c in active if c.end > a]
            active_hints = [h for h in active_hints if h.end > a]
            covering = tuple(sorted(active, key=_span_key))
            begins = tuple(c for c in covering if c.id not in begun)
            begun.update(c.id for c in begins)
            # The earliest-starting suggestion shows where several meet (the engine makes
            # one per sentence, so they do not); none where a claim is drawn.
            hint = active_hints[0] if active_hints and not covering else None
            hint_begins = hint is not None and hint.id not in hints_begun
            if hint is not None:
                hints_begun.add(hint.id)
            paragraph.segments.append(Segment(text[a:b], a, b, covering, begins, hint, hint_begins))
    return cuts_by_paragraph
