"""Finding a source's quoted passage (its excerpt) in an archived page's text, and linking to it.

Pure Python, no Django. The archive job calls :func:`locate_excerpt` (or :func:`find_excerpt`)
on the snapshot's extracted text, stores where the passage is, and builds a link with
:func:`text_fragment` that a browser scrolls to and highlights.

Finding, in order of cost and of certainty:

1. **exact** – the excerpt's very characters, on whole words.
2. **normalised** – the same after folding what editors and CMSs swap freely: curly and
   straight quote marks, dashes, "…" and "...", invisible characters (soft hyphens, zero-width
   spaces), whitespace runs (newlines included) and case (only where lower-casing keeps the
   length, so offsets stay exact).
3. **cut** – an excerpt cut with an ellipsis ("…", "...", "[…]") is matched piece by piece,
   in order, each piece within :data:`MAX_GAP` characters of the one before. Each piece is
   found exactly, normalised, or fuzzily within that window.
4. **fuzzy** – typos and small slips. The anchoring engine proposes the places
   (:func:`annotations.anchoring.quote_candidates`: verbatim, folded, rapidfuzz over the
   whole text, boundaries refined to whole words, near-duplicate sentences that change a
   word dropped). An excerpt has no context (prefix, suffix, old position) for the engine to
   weigh, so the places are ranked here on how alike their words are.

A wrong place is worse than none: an editor notices "not found", nobody notices a link to the
wrong sentence. So every tier refuses when the passage is in two places about equally well
(a repeated phrase) or when the best place is weak, and says why (:class:`Missing`).

Offsets are Unicode code points of ``text`` (Python ``str`` indices), end exclusive.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from urllib.parse import quote

from rapidfuzz.distance import Levenshtein

from annotations.anchoring import quote_candidates

__all__ = [
    "AMBIGUITY_MARGIN",
    "CUT",
    "EXACT",
    "FUZZY",
    "MAX_GAP",
    "MIN_FUZZY_SIMILARITY",
    "NORMALISED",
    "Found",
    "Missing",
    "find_excerpt",
    "locate_excerpt",
    "text_directive",
    "text_fragment",
]

EXACT = "exact"
NORMALISED = "normalised"
FUZZY = "fuzzy"
#: An ellipsis-cut excerpt whose pieces were all found exactly or normalised.
CUT = "cut"
_RANK = {EXACT: 0, NORMALISED: 1, CUT: 2, FUZZY: 3}

#: How far apart (in characters) two pieces of an excerpt cut with an ellipsis may be. A
#: quoter drops a clause or a sentence or two, not a page.
MAX_GAP = 600
#: The weakest fuzzy match we place an excerpt on (similarity of the normalised words).
MIN_FUZZY_SIMILARITY = 0.85
#: Two places whose similarity differs by less than this cannot be told apart.
AMBIGUITY_MARGIN = 0.03
#: Confidence of a normalised match: certain words, only their spelling style differs.
_NORMALISED_CONFIDENCE = 0.99

# "…", "...", ". . .", with or without brackets around: the quoter left words out here.
_ELLIPSIS = re.compile(r"\s*(?:[\[(]\s*(?:…|\.(?:\s{0,3}\.){2})\s*[\])]|…|\.(?:\s{0,3}\.){2,})\s*")
_HAS_WORD = re.compile(r"\w")
# Characters that vanish when the text is normalised: soft hyphen, zero-width characters,
# the byte-order mark.
_INVISIBLE = frozenset("\u00ad\u200b\u200c\u200d\u2060\ufeff")
_FOLDED = str.maketrans(
    {
        **dict.fromkeys("\u2018\u2019\u201a\u201b\u2032\u00b4`", "'"),
        **dict.fromkeys("\u201c\u201d\u201e\u201f\u2033\u00ab\u00bb", '"'),
        **dict.fromkeys("\u2010\u2011\u2012\u2013\u2014\u2015\u2212", "-"),
    }
)


@dataclass(frozen=True)
class Found:
    """Where the excerpt is in the text, how it was found and how sure we are (0–1)."""

    start: int
    end: int
    how: str  # "exact" | "normalised" | "cut" | "fuzzy"
    confidence: float
    #: The pieces of an excerpt cut with an ellipsis, each (start, end); one piece otherwise.
    parts: tuple[tuple[int, int], ...] = ()


@dataclass(frozen=True)
class Missing:
    """Why the excerpt was not placed: a sentence an editor can act on."""

    reason: str


@dataclass(frozen=True)
class _Hit:
    start: int
    end: int
    how: str
    confidence: float


def find_excerpt(text: str, excerpt: str) -> Found | None:
    """The excerpt's place in ``text``, or None when it is absent, ambiguous or weak."""
    result = locate_excerpt(text, excerpt)
    return result if isinstance(result, Found) else None


def locate_excerpt(text: str, excerpt: str) -> Found | Missing:
    """The excerpt's place in ``text``, or the reason it was not placed."""
    excerpt = excerpt.strip()
    if not _HAS_WORD.search(excerpt):
        return Missing("The excerpt is empty.")
    if not text.strip():
        return Missing("The archived text is empty.")
    index = _Index(text)
    pieces = [p for p in _ELLIPSIS.split(excerpt) if _HAS_WORD.search(p)]
    # 1–2. The whole excerpt, even with an ellipsis the page itself has; then, if an
    # ellipsis only opened or closed it, its one piece.
    needles = [excerpt] if len(pieces) > 1 or pieces[0] == excerpt else [excerpt, pieces[0]]
    for needle in needles:
        for search in (index.exact, index.normalised):
            hits = search(needle)
            if len(hits) == 1:
                return _found(hits[0])
            if hits:
                return Missing(_several(len(hits)))
    if len(pieces) > 1:
        return _locate_pieces(index, pieces)
    # 4. Fuzzy.
    hit = index.fuzzy(pieces[0], 0, len(text))
    return hit if isinstance(hit, Missing) else _found(hit)


def _found(hit: _Hit) -> Found:
    return Found(hit.start, hit.end, hit.how, hit.confidence, ((hit.start, hit.end),))


def _several(count: int) -> str:
    return (
        f"The excerpt appears {count} times in the archived text; "
        "quote a few more words so that it points at one place."
    )


def _locate_pieces(index: _Index, pieces: list[str]) -> Found | Missing:
    """Match an ellipsis-cut excerpt piece by piece, in order and close together.

    The piece with the fewest verbatim (or normalised) places is the pivot; from each of its
    places the other pieces are looked for in the window after (or before) their neighbour.
    More than one complete chain means the excerpt is ambiguous.
    """
    occurrences = [index.exact(p) or index.normalised(p) for p in pieces]
    found_any = [i for i, hits in enumerate(occurrences) if hits]
    if found_any:
        pivot = min(found_any, key=lambda i: (len(occurrences[i]), -len(pieces[i])))
        starts = occurrences[pivot]
    else:
        pivot = max(range(len(pieces)), key=lambda i: len(pieces[i]))
        first = index.fuzzy(pieces[pivot], 0, len(index.text))
        if isinstance(first, Missing):
            return Missing("No part of the excerpt between its cuts (…) was found.")
        starts = [first]
    chains = []
    for start in starts:
        chain = _chain(index, pieces, occurrences, pivot, start)
        if chain is not None:
            chains.append(chain)
    if not chains:
        return Missing(
            "The parts of the excerpt between its cuts (…) were not found in order, close together."
        )
    if len(chains) > 1:
        return Missing(_several(len(chains)))
    chain = chains[0]
    weakest = max((hit.how for hit in chain), key=_RANK.__getitem__)
    how = FUZZY if weakest == FUZZY else CUT
    length = sum(hit.end - hit.start for hit in chain)
    confidence = sum(hit.confidence * (hit.end - hit.start) for hit in chain) / length
    parts = tuple((hit.start, hit.end) for hit in chain)
    return Found(chain[0].start, chain[-1].end, how, round(confidence, 4), parts)


def _chain(
    index: _Index, pieces: list[str], occurrences: list[list[_Hit]], pivot: int, at: _Hit
) -> list[_Hit] | None:
    chain: dict[int, _Hit] = {pivot: at}
    for i in range(pivot + 1, len(pieces)):
        after = chain[i - 1].end
        near = [h for h in occurrences[i] if after <= h.start <= after + MAX_GAP]
        if near:
            chain[i] = min(near, key=lambda h: h.start)
            continue
        window_end = min(len(index.text), after + MAX_GAP + 2 * len(pieces[i]))
        hit = index.fuzzy(pieces[i], after, window_end)
        if isinstance(hit, Missing):
            return None
        chain[i] = hit
    for i in range(pivot - 1, -1, -1):
        before = chain[i + 1].start
        near = [h for h in occurrences[i] if before - MAX_GAP <= h.end <= before]
        if near:
            chain[i] = max(near, key=lambda h: h.end)
            continue
        window_start = max(0, before - MAX_GAP - 2 * len(pieces[i]))
        hit = index.fuzzy(pieces[i], window_start, before)
        if isinstance(hit, Missing):
            return None
        chain[i] = hit
    return [chain[i] for i in range(len(pieces))]


# --- The text, exact and normalised --------------------------------------------------------


def _normalise(text: str) -> tuple[str, list[int]]:
    """The folded text and, for each of its characters, the offset it came from in ``text``."""
    chars: list[str] = []
    origin: list[int] = []
    space = False
    for i, char in enumerate(text):
        if char in _INVISIBLE:
            continue
        if char.isspace():
            if not space and chars:
                chars.append(" ")
                origin.append(i)
            space = True
            continue
        space = False
        folded = char.translate(_FOLDED)
        if folded == char and not char.isascii():
            folded = unicodedata.normalize("NFKC", char)  # "…" -> "...", ligatures, widths
        for out in folded:
            lowered = out.lower()
            chars.append(lowered if len(lowered) == 1 else out)
            origin.append(i)
    if chars and chars[-1] == " ":
        chars.pop()
        origin.pop()
    return "".join(chars), origin


def _is_word(char: str) -> bool:
    return char.isalnum() or char == "_"


class _Index:
    """One text, with its normalised form built once (lazily) for all the searches."""

    def __init__(self, text: str) -> None:
        self.text = text
        self._normalised: tuple[str, list[int]] | None = None

    def _on_words(self, start: int, end: int) -> bool:
        """Does [start, end) begin and end on word boundaries (as a quoted passage does)?"""
        text = self.text
        if start > 0 and _is_word(text[start - 1]) and _is_word(text[start]):
            return False
        return not (end < len(text) and _is_word(text[end - 1]) and _is_word(text[end]))

    def exact(self, piece: str) -> list[_Hit]:
        hits = []
        pos = self.text.find(piece)
        while pos != -1:
            if self._on_words(pos, pos + len(piece)):
                hits.append(_Hit(pos, pos + len(piece), EXACT, 1.0))
            pos = self.text.find(piece, pos + 1)
        return hits

    def normalised(self, piece: str) -> list[_Hit]:
        if self._normalised is None:
            self._normalised = _normalise(self.text)
        folded, origin = self._normalised
        needle, _ = _normalise(piece)
        if not needle:
            return []
        hits = []
        pos = folded.find(needle)
        while pos != -1:
            start, end = origin[pos], origin[pos + len(needle) - 1] + 1
            if self._on_words(start, end):
                how = EXACT if self.text[start:end] == piece else NORMALISED
                hits.append(_Hit(start, end, how, 1.0 if how == EXACT else _NORMALISED_CONFIDENCE))
            pos = folded.find(needle, pos + 1)
        return hits

    def fuzzy(self, piece: str, lo: int, hi: int) -> _Hit | Missing:
        """The best of the anchoring engine's places for ``piece`` within ``text[lo:hi]``.

        The engine proposes (verbatim, folded, rapidfuzz; boundaries on whole words; no
        changed words). An excerpt has no context to weigh, so the places are ranked on how
        alike their words are, normalised; a runner-up within :data:`AMBIGUITY_MARGIN` of
        the best, or a best below :data:`MIN_FUZZY_SIMILARITY`, places nothing.
        """
        needle = _normalise(piece)[0]
        ranked = sorted(
            (
                (Levenshtein.normalized_similarity(needle, _normalise(self.text[a:b])[0]), a, b)
                for a, b in (
                    (lo + s, lo + e) for s, e, _ in quote_candidates(self.text[lo:hi], piece)
                )
                if b > a
            ),
            key=lambda c: (-c[0], c[1]),
        )
        if not ranked:
            return Missing("The excerpt was not found in the archived text, even approximately.")
        similarity, start, end = ranked[0]
        if similarity < MIN_FUZZY_SIMILARITY:
            return Missing(
                f"The closest passage in the archived text differs too much from the excerpt "
                f"({similarity:.0%} alike)."
            )
        for other, a, b in ranked[1:]:
            if b <= start or a >= end:  # the best place elsewhere
                if similarity - other < AMBIGUITY_MARGIN:
                    return Missing(_several(2))
                break
        return _Hit(start, end, FUZZY, round(similarity, 4))


# --- Text-fragment links (WICG Text Fragments) -------------------------------------------

# A word as a browser's word breaker sees it: letters and digits, with an apostrophe or a
# full stop inside ("they're", "U.S", "32.6") and a comma between digits ("1,000").
_BROWSER_WORD = re.compile(r"\w+(?:(?:[.'\u2019]|(?<=\d)[,;](?=\d))\w+)*")
#: A passage up to this many words (in one paragraph) is quoted whole as ``textStart``.
_WHOLE_WORDS = 10
# Characters the directive's syntax uses, which must be percent-encoded inside a term.
_DIRECTIVE_SYNTAX = {"-": "%2D", ",": "%2C", "&": "%26"}


@dataclass(frozen=True)
class _Directive:
    start: str
    end: str | None = None
    prefix: str | None = None
    suffix: str | None = None

    def encoded(self) -> str:
        parts = []
        if self.prefix:
            parts.append(_encode(self.prefix) + "-")
        parts.append(_encode(self.start))
        if self.end:
            parts.append(_encode(self.end))
        if self.suffix:
            parts.append("-" + _encode(self.suffix))
        return "text=" + ",".join(parts)


def _encode(term: str) -> str:
    encoded = quote(term, safe="")
    for char, escape in _DIRECTIVE_SYNTAX.items():
        encoded = encoded.replace(char, escape)
    return encoded


class _Page:
    """The text as a browser searches it: paragraphs (lines) are blocks a term cannot cross,
    whitespace collapses, case is ignored, terms begin and end on word boundaries."""

    def __init__(self, text: str) -> None:
        self.text = text
        lowered = _lower(text)
        # One character per original one, so offsets are shared: whitespace becomes " ",
        # or "\n" for a run holding a line break (a block boundary).
        self.folded = "".join(
            "\n" if c in "\n\r\u2028\u2029" else " " if c.isspace() else c for c in lowered
        )
        self.words = [m.span() for m in _BROWSER_WORD.finditer(text)]
        self._inside: set[int] = set()
        for a, b in self.words:
            self._inside.update(range(a + 1, b))

    def boundary(self, pos: int) -> bool:
        return pos not in self._inside

    def find_span(
        self, term: str, pos: int, *, word_start: bool, word_end: bool
    ) -> tuple[int, int] | None:
        pattern = self._pattern(term)
        for match in pattern.finditer(self.folded, pos):
            start, end = match.span()
            if (word_start and not self.boundary(start)) or (word_end and not self.boundary(end)):
                continue
            return start, end
        return None

    def _pattern(self, term: str) -> re.Pattern[str]:
        return re.compile(" +".join(re.escape(_lower(w)) for w in term.split()))

    def skip_space(self, pos: int) -> int:
        while pos < len(self.folded) and self.folded[pos].isspace():
            pos += 1
        return pos

    def first_match(self, d: _Directive) -> tuple[int, int] | None:
        """Where a browser following the spec's "find a range from a text directive" lands."""
        pos = 0
        n = len(self.folded)
        while pos < n:
            if d.prefix:
                prefix = self.find_span(d.prefix, pos, word_start=True, word_end=False)
                if prefix is None:
                    return None
                pos = prefix[0] + 1
                at = self.skip_space(prefix[1])
                if at >= n:
                    return None
                must_end = d.end is not None or d.suffix is None
                found = self.find_span(d.start, at, word_start=False, word_end=must_end)
                if found is None:
                    return None
                if found[0] != at:
                    continue
            else:
                must_end = d.end is not None or d.suffix is None
                found = self.find_span(d.start, pos, word_start=True, word_end=must_end)
                if found is None:
                    return None
                pos = found[0] + 1
            start, end = found
            search_end_from = end
            while search_end_from <= n:
                if d.end is not None:
                    end_match = self.find_span(
                        d.end, search_end_from, word_start=True, word_end=d.suffix is None
                    )
                    if end_match is None:
                        return None
                    end = end_match[1]
                if d.suffix is None:
                    return start, end
                at = self.skip_space(end)
                suffix = self.find_span(d.suffix, at, word_start=False, word_end=True)
                if suffix is None:
                    return None
                if suffix[0] == at:
                    return start, end
                if d.end is None:
                    break
                search_end_from = end
        return None


def _lower(text: str) -> str:
    """Lower case, character by character, wherever that keeps the length (offsets hold)."""
    lowered = text.lower()
    if len(lowered) == len(text):
        return lowered
    return "".join(c.lower() if len(c.lower()) == 1 else c for c in text)


def text_directive(text: str, found: Found) -> str | None:
    """The ``text=…`` directive that leads a browser to ``found`` in ``text``, or None.

    When the whole passage cannot be reached first (its first paragraph's words are also
    elsewhere and no context within that paragraph tells them apart), the link leads to
    the passage without its first (or last) paragraph: the right place, a little less
    highlighted, rather than another place.
    """
    page = _Page(text)
    directive = _directive(page, found.start, found.end)
    if directive is not None or "\n" not in page.folded[found.start : found.end]:
        return directive
    first_break = page.folded.index("\n", found.start)
    last_break = page.folded.rindex("\n", found.start, found.end)
    for start, end in (
        (first_break, found.end),
        (found.start, last_break),
        (first_break, last_break),
    ):
        if _HAS_WORD.search(text[start:end]):
            directive = _directive(page, start, end)
            if directive is not None:
                return directive
    return None


def _directive(page: _Page, found_start: int, found_end: int) -> str | None:
    """The directive for the words of ``text[found_start:found_end]``, or None.

    Short passages in one paragraph are quoted whole; longer ones by their first and last
    words (``textStart,textEnd``). When those are not enough to reach this place first, more
    words are taken, then the words just before (``prefix-``) and after (``-suffix``), all
    within the passage's paragraphs. Every candidate is checked against a model of the
    spec's search over the text; None when nothing reaches this place first.
    """
    text = page.text
    words = [w for w in page.words if found_start <= w[1] and w[0] < found_end]
    if not words:
        return None
    start, end = words[0][0], words[-1][1]
    blocks_between = "\n" in page.folded[start:end]
    # Context comes from the passage's own first and last paragraphs.
    block_start = page.folded.rfind("\n", 0, start) + 1
    block_end = page.folded.find("\n", end)
    block_end = len(text) if block_end == -1 else block_end
    before = [w for w in page.words if block_start <= w[0] and w[1] <= start]
    after = [w for w in page.words if end <= w[0] and w[1] <= block_end]

    def term(a: int, b: int) -> str:
        return " ".join(text[a:b].split())

    shapes: list[tuple[int, int]] = []  # (words at each end, words of context)
    if not blocks_between and len(words) <= _WHOLE_WORDS:
        shapes += [(0, c) for c in (0, 1, 2, 3, 5, 8)]
    for k in (3, 5, 8, 12):
        shapes += [(k, c) for c in (0, 1, 2, 3, 5, 8)]
    for k, context in shapes:
        if k == 0:
            directive = _Directive(term(start, end))
        else:
            head = _head(page, words, k)
            tail = _tail(page, words, k)
            if head is None or tail is None:
                continue
            if head[1] < tail[0]:
                directive = _Directive(term(start, head[1]), term(tail[0], end))
            elif not blocks_between:  # as many words as the passage has: quote it whole
                directive = _Directive(term(start, end))
            else:
                continue
        options = [directive]
        if context:
            # Context runs up to the passage (punctuation included: only whitespace may
            # separate a prefix from textStart, or textEnd from a suffix).
            prefix = term(before[-context:][0][0], start) if before else None
            suffix = term(end, after[:context][-1][1]) if after else None
            options = [
                _Directive(directive.start, directive.end, prefix, None),
                _Directive(directive.start, directive.end, None, suffix),
                _Directive(directive.start, directive.end, prefix, suffix),
            ]
        for option in options:
            if (context and option.prefix is None and option.suffix is None) or not option.start:
                continue
            if page.first_match(option) == (start, end):
                return option.encoded()
    return None


def _head(page: _Page, words: list[tuple[int, int]], k: int) -> tuple[int, int] | None:
    """The first ``k`` words of the passage that share its first paragraph."""
    first = words[0][0]
    chosen = [w for w in words[:k] if "\n" not in page.folded[first : w[1]]]
    return (first, chosen[-1][1]) if chosen else None


def _tail(page: _Page, words: list[tuple[int, int]], k: int) -> tuple[int, int] | None:
    """The last ``k`` words of the passage that share its last paragraph."""
    last = words[-1][1]
    chosen = [w for w in words[-k:] if "\n" not in page.folded[w[0] : last]]
    return (chosen[0][0], last) if chosen else None


def text_fragment(url: str, text: str, found: Found) -> str:
    """``url`` with a text directive (``#:~:text=…``) that scrolls a browser to ``found``.

    An existing fragment keeps its place before the directive (``#section:~:text=…``), so a
    browser without text fragments still goes to the section; an existing text directive is
    replaced, other directives are kept. When no directive reaches this place first (see
    :func:`text_directive`), the URL is returned unchanged rather than pointing elsewhere.
    """
    directive = text_directive(text, found)
    if directive is None:
        return url
    base, hash_mark, fragment = url.partition("#")
    fragment, delimiter, directives = fragment.partition(":~:")
    kept = (
        [d for d in directives.split("&") if d and not d.startswith("text=")] if delimiter else []
    )
    return f"{base}#{fragment}:~:{'&'.join([*kept, directive])}"
