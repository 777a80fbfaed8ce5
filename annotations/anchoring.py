"""Re-anchoring of claims (W3C quote + position selectors) onto a new revision of a text.

This module is pure Python: no Django, no database. It answers one question: given the
selector a claim had on an old revision, where is that claim in the new text, if anywhere?

The strategy follows the Hypothesis client (``match-quote.ts``), in order of cost:

1. **anchored** – the old offsets still hold the exact quote (and the quote is either long
   enough or its context still agrees, so a coincidence does not count).
2. **moved** – the exact quote occurs elsewhere. Every occurrence is scored on its prefix,
   suffix and distance from the old position; if the best two are about equally good the
   claim is orphaned rather than guessed.
3. **fuzzy** – the quote no longer occurs verbatim. Candidates come from a search that
   ignores whitespace, case and quote-mark style, and from rapidfuzz's
   ``partial_ratio_alignment`` (which only returns the single best window, so we split the
   searched region around each hit and search again). Every candidate's boundaries are then
   refined with Levenshtein distance, preferring not to cut words in half, and scored
   ``50·quote + 20·prefix + 20·suffix + 2·position`` as Hypothesis does. A fuzzy match
   may differ by misspellings, spacing and punctuation, but by at most one whole word in ten
   (none in a short quote): a near-duplicate sentence is not the claim.
4. **orphaned** – nothing is convincing, or two candidates are too close to call. A wrong
   placement is worse than an orphan: an editor notices an orphan, nobody notices a claim
   silently pointing at the wrong sentence.

Offsets are Unicode code points (Python ``str`` indices), end exclusive, exactly as in the
W3C TextPositionSelector.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz
from rapidfuzz.distance import OSA, Levenshtein

__all__ = [
    "ANCHORED",
    "CONTEXT_WIDTH",
    "FUZZY",
    "MOVED",
    "ORPHANED",
    "STATES",
    "Placement",
    "Quote",
    "anchor_quote",
    "anchor_quotes",
    "context_for",
    "quote_candidates",
]

#: How many characters of context the TextQuoteSelector keeps on each side (as Hypothesis).
CONTEXT_WIDTH = 32

ANCHORED = "anchored"
MOVED = "moved"
FUZZY = "fuzzy"
ORPHANED = "orphaned"
STATES = (ANCHORED, MOVED, FUZZY, ORPHANED)

# Hypothesis' weights: the quote matters most, the context on each side next, and the
# distance from the old position only breaks near-ties.
_QUOTE_WEIGHT = 50.0
_PREFIX_WEIGHT = 20.0
_SUFFIX_WEIGHT = 20.0
_POSITION_WEIGHT = 2.0
_TOTAL_WEIGHT = _QUOTE_WEIGHT + _PREFIX_WEIGHT + _SUFFIX_WEIGHT + _POSITION_WEIGHT

#: A candidate whose quote is less similar than this is never used, whatever its context.
_MIN_QUOTE_SIMILARITY = 0.7
#: Minimum combined score. Random 32-character English contexts have a Levenshtein
#: similarity of ~0.12 (99th percentile ~0.35), so an exact quote whose context has changed
#: on both sides scores ~0.63 and is refused, while one intact side (≥ 0.77) is enough.
_MIN_SCORE = 0.75
#: A quote at least this long and this similar is evidence enough on its own, even when
#: both neighbours changed (a whole paragraph moved elsewhere).
_LONG_QUOTE = 40
_LONG_QUOTE_SIMILARITY = 0.9
#: ... but when its words were edited too, not below this combined score.
_MIN_LONG_QUOTE_SCORE = 0.6
#: Best and runner-up closer than this (on the 0–1 score) cannot be told apart. It is larger
#: than the whole position weight (2/92 ≈ 0.022): position alone never decides.
_AMBIGUITY_MARGIN = 0.03
#: A candidate this good is not worth a wider (whole-text) search.
_STRONG_SCORE = 0.9
#: Half-width of the first, local fuzzy search window (at least; scaled with the quote).
_LOCAL_WINDOW = 2000
#: How many partial_ratio_alignment hits to collect per search (the runner-up matters).
_MAX_FUZZY_HITS = 6
#: Cost, in edits, of a boundary that cuts a word the quote did not cut. High enough that
#: taking in a whole inserted word beats keeping the quote's length by cutting a word.
_CUT_WORD_PENALTY = 2.5
#: Cost, in edits, of a boundary on whitespace the quote did not have.
_WHITESPACE_PENALTY = 0.6

# Characters that editors and CMSs swap freely: curly/straight quotes, dashes, odd spaces.
_FOLD = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201a": "'",
        "\u201b": "'",
        "\u2032": "'",
        "\u00b4": "'",
        "`": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u201f": '"',
        "\u2033": '"',
        "\u00ab": '"',
        "\u00bb": '"',
        "\u2010": "-",
        "\u2011": "-",
        "\u2012": "-",
        "\u2013": "-",
        "\u2014": "-",
        "\u2015": "-",
        "\u2212": "-",
    }
)
_WHITESPACE_RUN = re.compile(r"\s+")
_WORD = re.compile(r"\w+")
# Places where a word starts or ends.
_BOUNDARY = re.compile(r"\b|(?<=\s)(?=\S)|(?<=\S)(?=\s)")
#: Two words at least this similar (optimal string alignment, so a swap of two letters is
#: one edit) are the same word misspelt: one edit in a 3-letter word still passes, while
#: "said"/"and" (0.5) does not.
_SIMILAR_WORD = 0.6


@dataclass(frozen=True)
class Quote:
    """A claim's selector on the old revision (TextQuoteSelector + TextPositionSelector)."""

    exact: str
    prefix: str
    suffix: str
    start: int
    end: int


@dataclass(frozen=True)
class Placement:
    """Where a claim landed on the new text, and how confidently."""

    state: str  # "anchored" | "moved" | "fuzzy" | "orphaned"
    start: int | None  # None when orphaned
    end: int | None
    exact: str  # the text now at start:end ("" when orphaned)
    prefix: str  # up to CONTEXT_WIDTH chars of new text before start ("" when orphaned)
    suffix: str  # up to CONTEXT_WIDTH chars of new text after end
    score: float  # 1.0 for exact matches; the fuzzy score otherwise; 0.0 orphaned


_ORPHAN = Placement(ORPHANED, None, None, "", "", "", 0.0)


def context_for(text: str, start: int, end: int, width: int = CONTEXT_WIDTH) -> tuple[str, str]:
    """Return ``(prefix, suffix)``: up to ``width`` code points of ``text`` around a span.

    Used both here and when a claim is created, so that stored context and the context this
    module compares against are cut the same way.
    """
    return text[max(0, start - width) : start], text[end : end + width]


@dataclass(frozen=True)
class _Candidate:
    start: int
    end: int
    quote_sim: float
    score: float


class _FoldedText:
    """The text with whitespace runs collapsed, quote marks/dashes unified and case folded,
    plus a map back to the original offsets. Built lazily, once per text, and only when some
    quote is not found verbatim."""

    def __init__(self, text: str) -> None:
        folded = _fold_chars(text)
        parts: list[str] = []
        # Breakpoints: folded offset -> original offset, piecewise linear between them.
        self._folded_starts: list[int] = [0]
        self._original_starts: list[int] = [0]
        pos = 0
        out = 0
        for run in _WHITESPACE_RUN.finditer(folded):
            a, b = run.span()
            parts.append(folded[pos:a])
            out += a - pos
            parts.append(" ")
            out += 1
            pos = b
            # After the single space we jump to original offset b.
            self._folded_starts.append(out)
            self._original_starts.append(b)
        parts.append(folded[pos:])
        self.text = "".join(parts)

    def to_original(self, index: int) -> int:
        i = bisect.bisect_right(self._folded_starts, index) - 1
        return self._original_starts[i] + (index - self._folded_starts[i])


def _fold_chars(text: str) -> str:
    folded = text.translate(_FOLD)
    lowered = folded.lower()
    # lower() can change the length (e.g. "İ"); then keep case rather than break offsets.
    return lowered if len(lowered) == len(folded) else folded


def _fold_quote(exact: str) -> str:
    return _WHITESPACE_RUN.sub(" ", _fold_chars(exact))


class _Index:
    """Per-text state shared by every quote in a batch."""

    def __init__(self, text: str) -> None:
        self.text = text
        self._folded: _FoldedText | None = None

    @property
    def folded(self) -> _FoldedText:
        if self._folded is None:
            self._folded = _FoldedText(self.text)
        return self._folded


def anchor_quote(text: str, quote: Quote) -> Placement:
    """Re-anchor one claim onto ``text``. See the module docstring for the rules."""
    return _anchor(_Index(text), quote)


def anchor_quotes(text: str, quotes: Sequence[Quote]) -> list[Placement]:
    """Re-anchor many claims onto the same ``text``, sharing per-text precomputation."""
    index = _Index(text)
    return [_anchor(index, quote) for quote in quotes]


def quote_candidates(text: str, exact: str) -> list[tuple[int, int, float]]:
    """Every place ``exact`` might be in ``text`` when there is no context to weigh (a passage
    pasted by hand): verbatim, folded and fuzzy, as ``(start, end, similarity)``, most similar
    first. Edited places that change words are dropped, exactly as when anchoring; choosing
    between the rest (and refusing a tie) is the caller's business."""
    if not exact:
        return []
    index = _Index(text)
    quote = Quote(exact, "", "", 0, len(exact))
    candidates = _exact_candidates(text, quote) + _folded_candidates(index, quote)
    candidates += _fuzzy_candidates(text, quote, exclude=candidates)
    words = _words(exact)
    kept = {
        (c.start, c.end, c.quote_sim)
        for c in candidates
        if c.quote_sim == 1.0
        or (
            c.quote_sim >= _MIN_QUOTE_SIMILARITY
            and _words_agree(words, _words(text[c.start : c.end]))
        )
    }
    return sorted(kept, key=lambda c: (-c[2], c[0]))


def _anchor(index: _Index, quote: Quote) -> Placement:
    text = index.text
    exact = quote.exact
    if not exact:
        return _ORPHAN

    # 1. Same place, same words. Cheap and by far the most common case.
    if quote.start >= 0 and text[quote.start : quote.start + len(exact)] == exact:
        if _context_matches_exactly(text, quote, quote.start, quote.start + len(exact)):
            return _placement(text, ANCHORED, quote.start, quote.start + len(exact), 1.0)
        here = _score(text, quote, quote.start, quote.start + len(exact), 1.0)
        if _acceptable(here, len(exact)):
            return _placement(text, ANCHORED, here.start, here.end, 1.0)

    # 2. Same words elsewhere.
    exact_hits = _exact_candidates(text, quote)
    if exact_hits:
        best, runner_up = _best_two(exact_hits)
        if best.score >= _STRONG_SCORE and _acceptable(best, len(exact)):
            if runner_up is not None and best.score - runner_up.score < _AMBIGUITY_MARGIN:
                return _ORPHAN
            return _exact_placement(text, quote, best)

    # 3. Close enough. Exact hits stay in the pool: a weakly supported exact hit must beat
    # an edited copy whose context agrees.
    candidates = list(exact_hits)
    candidates += _folded_candidates(index, quote)
    candidates += _fuzzy_candidates(text, quote, exclude=candidates)
    # Drop edited candidates that are not the claim's words at all: they must not win, and
    # they must not make a real match look ambiguous either.
    words = _words(exact)
    candidates = [
        c
        for c in candidates
        if c.quote_sim == 1.0
        or (
            c.quote_sim >= _MIN_QUOTE_SIMILARITY
            and _words_agree(words, _words(text[c.start : c.end]))
        )
    ]
    if not candidates:
        return _ORPHAN
    best, runner_up = _best_two(candidates)
    if not _acceptable(best, len(exact)):
        return _ORPHAN
    if runner_up is not None and best.score - runner_up.score < _AMBIGUITY_MARGIN:
        return _ORPHAN
    if text[best.start : best.end] == exact:
        return _exact_placement(text, quote, best)
    return _placement(text, FUZZY, best.start, best.end, round(best.score, 4))


def _words(text: str) -> list[str]:
    return _WORD.findall(_fold_chars(text))


def _words_agree(quoted: list[str], found: list[str]) -> bool:
    """Fuzzy matching is for misspellings, spacing and punctuation, not for other words.

    Near-duplicate sentences ("… said coach Dale Harmon" / "… and nobody asked us") are
    character-wise close yet say something else. Align the two word sequences and count
    words that were added, dropped or replaced by a dissimilar word: allow one such change
    per ten words of the quote, and none in a short quote.
    """
    return _word_changes(quoted, found) <= len(quoted) // 10


def _word_changes(quoted: list[str], found: list[str]) -> int:
    """Words added, dropped or replaced by a dissimilar word (misspellings do not count)."""
    if quoted == found:
        return 0
    changed = 0
    for op in Levenshtein.editops(quoted, found):
        if op.tag == "replace":
            similar = OSA.normalized_similarity(quoted[op.src_pos], found[op.dest_pos])
            if similar >= _SIMILAR_WORD:
                continue
        changed += 1
    return changed


def _exact_placement(text: str, quote: Quote, best: _Candidate) -> Placement:
    state = ANCHORED if best.start == quote.start else MOVED
    return _placement(text, state, best.start, best.end, 1.0)


def _placement(text: str, state: str, start: int, end: int, score: float) -> Placement:
    prefix, suffix = context_for(text, start, end)
    return Placement(state, start, end, text[start:end], prefix, suffix, score)


def _context_matches_exactly(text: str, quote: Quote, start: int, end: int) -> bool:
    prefix, suffix = context_for(text, start, end, CONTEXT_WIDTH)
    return prefix.endswith(quote.prefix) and suffix.startswith(quote.suffix)


def _acceptable(candidate: _Candidate, quote_length: int) -> bool:
    """Is this candidate good enough to place the claim on, ambiguity aside?"""
    if candidate.quote_sim < _MIN_QUOTE_SIMILARITY:
        return False
    if candidate.score >= _MIN_SCORE:
        return True
    if quote_length < _LONG_QUOTE:
        return False
    if candidate.quote_sim == 1.0:
        return True
    return (
        candidate.quote_sim >= _LONG_QUOTE_SIMILARITY and candidate.score >= _MIN_LONG_QUOTE_SCORE
    )


def _best_two(candidates: list[_Candidate]) -> tuple[_Candidate, _Candidate | None]:
    """The best candidate and the best one that does not overlap it."""
    ordered = sorted(candidates, key=lambda c: (-c.score, -c.quote_sim, c.start))
    best = ordered[0]
    for other in ordered[1:]:
        if other.end <= best.start or other.start >= best.end:
            return best, other
    return best, None


def _side_similarity(expected: str, found: str, at_edge: bool) -> float:
    if not expected:
        # The quote sat at the very start/end of the old text: still at the edge is a match,
        # anything else says nothing either way.
        return 1.0 if at_edge else 0.5
    return Levenshtein.normalized_similarity(expected, found)


def _score(text: str, quote: Quote, start: int, end: int, quote_sim: float) -> _Candidate:
    prefix = text[max(0, start - len(quote.prefix)) : start]
    suffix = text[end : end + len(quote.suffix)]
    prefix_sim = _side_similarity(quote.prefix, prefix, start == 0)
    suffix_sim = _side_similarity(quote.suffix, suffix, end == len(text))
    position_sim = 1.0 - abs(start - quote.start) / max(len(text), 1)
    raw = (
        _QUOTE_WEIGHT * quote_sim
        + _PREFIX_WEIGHT * prefix_sim
        + _SUFFIX_WEIGHT * suffix_sim
        + _POSITION_WEIGHT * max(position_sim, 0.0)
    )
    return _Candidate(start, end, quote_sim, raw / _TOTAL_WEIGHT)


def _exact_candidates(text: str, quote: Quote) -> list[_Candidate]:
    exact = quote.exact
    hits = []
    pos = text.find(exact)
    while pos != -1:
        hits.append(_score(text, quote, pos, pos + len(exact), 1.0))
        pos = text.find(exact, pos + 1)
    return hits


def _folded_candidates(index: _Index, quote: Quote) -> list[_Candidate]:
    """Matches that differ only in whitespace, case, quote-mark or dash style."""
    needle = _fold_quote(quote.exact)
    if not needle.strip():
        return []
    folded = index.folded
    text = index.text
    hits = []
    pos = folded.text.find(needle)
    while pos != -1:
        start = folded.to_original(pos)
        end = folded.to_original(pos + len(needle) - 1) + 1
        if text[start:end] != quote.exact:  # verbatim hits are already in the pool
            similarity = Levenshtein.normalized_similarity(quote.exact, text[start:end])
            hits.append(_score(text, quote, start, end, similarity))
        pos = folded.text.find(needle, pos + 1)
    return hits


def _fuzzy_candidates(text: str, quote: Quote, exclude: list[_Candidate]) -> list[_Candidate]:
    """Approximate matches: first near the old position, then (if that was not convincing)
    in the whole text. Regions already covered by exclude are not searched again."""
    length = len(quote.exact)
    half_width = max(_LOCAL_WINDOW, 4 * length)
    local = (max(0, quote.start - half_width), min(len(text), quote.end + half_width))
    found = _search(text, quote, local, exclude)
    best = max((c.score for c in found), default=0.0)
    if best < _STRONG_SCORE and (local[0] > 0 or local[1] < len(text)):
        seen = exclude + found
        found += _search(text, quote, (0, local[0]), seen)
        found += _search(text, quote, (local[1], len(text)), seen)
    return found


def _search(
    text: str, quote: Quote, region: tuple[int, int], exclude: list[_Candidate]
) -> list[_Candidate]:
    exact = quote.exact
    length = len(exact)
    # rapidfuzz's partial_ratio is Indel-based; 60 keeps real edits and drops noise early.
    cutoff = 60.0
    pending = _split(region, [(c.start, c.end) for c in exclude])
    found: list[_Candidate] = []
    calls = 0
    while pending and calls < _MAX_FUZZY_HITS * 2:
        # Largest region first: that is where an unseen good match is most likely.
        pending.sort(key=lambda r: r[1] - r[0])
        a, b = pending.pop()
        if b - a < max(1, int(length * _MIN_QUOTE_SIMILARITY)):
            continue
        calls += 1
        hit = fuzz.partial_ratio_alignment(exact, text[a:b], score_cutoff=cutoff)
        if hit is None:
            continue
        start, end = _refine(text, quote, a + hit.dest_start, a + hit.dest_end)
        distance = Levenshtein.distance(exact, text[start:end])
        similarity = 1.0 - distance / max(length, end - start, 1)
        found.append(_score(text, quote, start, end, similarity))
        if len(found) >= _MAX_FUZZY_HITS:
            break
        pending += [(a, a + hit.dest_start), (a + hit.dest_end, b)]
    return found


def _split(region: tuple[int, int], holes: list[tuple[int, int]]) -> list[tuple[int, int]]:
    parts = [region]
    for hole_start, hole_end in holes:
        next_parts = []
        for a, b in parts:
            if hole_end <= a or hole_start >= b:
                next_parts.append((a, b))
                continue
            if a < hole_start:
                next_parts.append((a, hole_start))
            if hole_end < b:
                next_parts.append((hole_end, b))
        parts = next_parts
    return parts


def _is_word(char: str) -> bool:
    return char.isalnum() or char == "_"


def _refine(text: str, quote: Quote, start: int, end: int) -> tuple[int, int]:
    """Move a rough match's boundaries to where the edit distance to the quote is smallest,
    preferring boundaries that cut words (or add whitespace) only where the original did."""
    exact = quote.exact
    n = len(text)
    # Far enough to take in an inserted word or two (the rough match is quote-sized).
    reach = max(6, int(len(exact) * 0.3))
    # What the original boundaries looked like: did the quote cut a word on either side?
    cut_start = bool(quote.prefix) and _is_word(quote.prefix[-1]) and _is_word(exact[0])
    cut_end = bool(quote.suffix) and _is_word(exact[-1]) and _is_word(quote.suffix[0])
    space_start = exact[0].isspace()
    space_end = exact[-1].isspace()

    def cost(s: int, e: int) -> float:
        if e <= s:
            return float("inf")
        penalty = 0.0
        if not cut_start and 0 < s < n and _is_word(text[s - 1]) and _is_word(text[s]):
            penalty += _CUT_WORD_PENALTY
        if not cut_end and 0 < e < n and _is_word(text[e - 1]) and _is_word(text[e]):
            penalty += _CUT_WORD_PENALTY
        if not space_start and text[s].isspace():
            penalty += _WHITESPACE_PENALTY
        if not space_end and text[e - 1].isspace():
            penalty += _WHITESPACE_PENALTY
        return Levenshtein.distance(exact, text[s:e]) + penalty

    best = (cost(start, end), start, end)
    for _ in range(3):
        before = best
        _, s0, e0 = best
        for e in range(max(s0 + 1, e0 - reach), min(n, e0 + reach) + 1):
            c = cost(s0, e)
            if c < best[0]:
                best = (c, s0, e)
        _, s0, e0 = best
        for s in range(max(0, s0 - reach), min(e0, s0 + reach + 1)):
            c = cost(s, e0)
            if c < best[0]:
                best = (c, s, e0)
        if best == before:
            break
    _, start, end = best
    if cut_start or cut_end:
        return start, end
    # Character distance cannot see words: "So this guy right now" is closer to "apparently
    # right now" than to "So this guy apparently right now". Among nearby word boundaries,
    # take the span that changes the fewest words, then the fewest characters.
    if 1.0 - best[0] / max(len(exact), end - start) < _MIN_QUOTE_SIMILARITY:
        return start, end  # hopeless anyway; don't spend time on it
    quoted = _words(exact)
    if _word_changes(quoted, _words(text[start:end])) == 0:
        return start, end
    window = text[max(0, start - reach) : min(n, end + reach)]
    offset = max(0, start - reach)
    bounds = {m.start() + offset for m in _BOUNDARY.finditer(window)}
    starts = {b for b in bounds if abs(b - start) <= reach} | {start}
    ends = {b for b in bounds if abs(b - end) <= reach} | {end}
    options = [
        (_word_changes(quoted, _words(text[s:e])), cost(s, e), abs(s - start) + abs(e - end), s, e)
        for s in starts
        for e in ends
        if e > s
    ]
    *_, start, end = min(options)
    return start, end
