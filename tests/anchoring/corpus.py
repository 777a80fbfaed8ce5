"""A generated corpus of re-anchoring cases built from real news-style texts.

Every case takes one text (``old_text``), selects a claim in it, applies one kind of edit to
get ``new_text``, and records where the claim must land — computed from where the generator
put (or removed) the quoted words, never by asking the engine.

Generation is deterministic (a fixed seed), so a failing case can be looked at again.
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from rapidfuzz.distance import Levenshtein

from annotations.anchoring import ANCHORED, FUZZY, MOVED, ORPHANED, Quote, context_for

TEXTS_DIR = Path(__file__).parent / "texts"

Span = tuple[int, int]


@dataclass(frozen=True)
class Case:
    category: str
    text_name: str
    old_text: str
    new_text: str
    quote: Quote
    expected_state: str
    expected_span: Span | None  # None when the claim must be orphaned
    # For expected orphans: placing the claim here is a miss, not a wrong placement (e.g. the
    # sentence that replaced the quoted one).
    tolerated: tuple[Span, ...] = ()

    @property
    def label(self) -> str:
        return f"{self.category}/{self.text_name}@{self.quote.start}"


def load_texts() -> dict[str, str]:
    return {path.stem: path.read_text(encoding="utf-8") for path in sorted(TEXTS_DIR.glob("*.txt"))}


# Sentences the generator inserts or substitutes. None of them is close to any text's own.
FILLER = [
    "A spokesperson for the agency did not respond to a request for comment.",
    "This story has been updated with additional reporting.",
    "The figures could not be independently verified.",
    "An earlier version of this article misstated a date.",
    "Officials are expected to release a fuller account next week.",
    "Weather delayed the publication of several official reports.",
    "Reporters were allowed to visit the site on Thursday under escort.",
    "Several witnesses asked not to be named, fearing reprisals.",
]
REWRITES = [
    "Details of that exchange remain disputed by both camps.",
    "What followed is the subject of an ongoing inquiry.",
    "Accounts from the night vary widely.",
    "Neither side has released its own records.",
    "That version of events has since been withdrawn.",
    "Analysts cautioned against drawing firm conclusions.",
]

_SENTENCE_END = re.compile(r"[.!?][\"”’')]*\s+(?=[A-Z“\"‘'(])")
_WORD = re.compile(r"\S+")
_FOLD = str.maketrans({"“": '"', "”": '"', "‘": "'", "’": "'"})


def _fold(text: str) -> str:
    return re.sub(r"\s+", " ", text.translate(_FOLD)).lower()


def paragraphs(text: str) -> list[Span]:
    spans = []
    pos = 0
    for chunk in text.split("\n\n"):
        if chunk.strip():
            spans.append((pos, pos + len(chunk)))
        pos += len(chunk) + 2
    return spans


def sentences(text: str) -> list[Span]:
    """Sentence spans (absolute offsets, no trailing whitespace), paragraph by paragraph."""
    spans = []
    for p_start, p_end in paragraphs(text):
        para = text[p_start:p_end]
        pos = 0
        for m in _SENTENCE_END.finditer(para):
            end = m.start() + len(m.group().rstrip())
            spans.append((p_start + pos, p_start + end))
            pos = m.end()
        if para[pos:].strip():
            spans.append((p_start + pos, p_start + len(para.rstrip())))
    return [s for s in spans if len(_WORD.findall(text[s[0] : s[1]])) >= 3]


def make_quote(text: str, start: int, end: int) -> Quote:
    prefix, suffix = context_for(text, start, end)
    return Quote(text[start:end], prefix, suffix, start, end)


def splice(text: str, start: int, end: int, replacement: str) -> str:
    return text[:start] + replacement + text[end:]


def shift(span: Span, start: int, end: int, replacement: str) -> Span:
    """Where span lands after text[start:end] is replaced; span must not overlap the edit."""
    delta = len(replacement) - (end - start)
    if span[1] <= start:
        return span
    assert span[0] >= end, "edit overlaps the quote"
    return span[0] + delta, span[1] + delta


class Generator:
    def __init__(self, name: str, text: str, rng: random.Random) -> None:
        self.name = name
        self.text = text
        self.rng = rng
        self.sentences = sentences(text)
        # Skip the headline: it is short and often repeated in the body.
        self.body = [s for s in self.sentences if s[0] > self.text.find("\n\n")]

    # --- choosing a claim -------------------------------------------------------------
    def pick_quote(self, sentence: Span | None = None, min_words: int = 3) -> Span:
        """A claim as an editor would select it, worded uniquely in the text (repeated
        wording has categories of its own)."""
        for _ in range(100):
            span = self._pick(sentence, min_words)
            if self.unique(span):
                return span
        return span

    def _pick(self, sentence: Span | None, min_words: int) -> Span:
        s_start, s_end = sentence or self.rng.choice(self.body)
        words = [
            (s_start + m.start(), s_start + m.end())
            for m in _WORD.finditer(self.text[s_start:s_end])
        ]
        if len(words) <= min_words or self.rng.random() < 0.3:
            return s_start, s_end
        size = self.rng.randint(min_words, min(12, len(words)))
        first = self.rng.randrange(0, len(words) - size + 1)
        start, end = words[first][0], words[first + size - 1][1]
        # Editors often leave out trailing punctuation.
        while self.rng.random() < 0.5 and end > start + 1 and self.text[end - 1] in ",.;:":
            end -= 1
        return start, end

    def unique(self, span: Span, text: str | None = None) -> bool:
        text = self.text if text is None else text
        quote = text[span[0] : span[1]]
        return text.count(quote) == 1

    def sentence_of(self, span: Span) -> Span:
        for s in self.sentences:
            if s[0] <= span[0] and span[1] <= s[1]:
                return s
        raise LookupError(span)

    def case(
        self,
        category: str,
        new_text: str,
        quote_span: Span,
        state: str,
        expected: Span | None,
        **kw,
    ) -> Case:
        return self.case_on(category, self.text, new_text, quote_span, state, expected, **kw)

    def case_on(
        self,
        category: str,
        old_text: str,
        new_text: str,
        quote_span: Span,
        state: str,
        expected: Span | None,
        tolerated: tuple[Span, ...] = (),
    ) -> Case:
        quote = make_quote(old_text, *quote_span)
        if expected is not None and state in (ANCHORED, MOVED):
            assert new_text[expected[0] : expected[1]] == quote.exact, category
        return Case(category, self.name, old_text, new_text, quote, state, expected, tolerated)

    # --- edit kinds -------------------------------------------------------------------
    def unchanged(self) -> Case:
        span = self.pick_quote()
        return self.case("unchanged", self.text, span, ANCHORED, span)

    def insert_before(self) -> Case:
        span = self.pick_quote()
        sentence = self.sentence_of(span)
        starts = [s[0] for s in self.sentences if s[0] <= sentence[0]]
        at = self.rng.choice(starts)
        filler = self.rng.choice(FILLER)
        insertion = filler + ("\n\n" if self.rng.random() < 0.4 else " ")
        new = splice(self.text, at, at, insertion)
        return self.case("insert_before", new, span, MOVED, shift(span, at, at, insertion))

    def insert_after(self) -> Case:
        span = self.pick_quote()
        later = [s[1] for s in self.sentences if s[1] >= span[1] + 40]
        if not later:
            return self.insert_before()
        at = self.rng.choice(later)
        insertion = " " + self.rng.choice(FILLER)
        new = splice(self.text, at, at, insertion)
        return self.case("insert_after", new, span, ANCHORED, span)

    def delete_elsewhere(self) -> Case:
        span = self.pick_quote()
        sentence = self.sentence_of(span)
        others = [s for s in self.sentences if s != sentence and s[0] > self.sentences[0][1]]
        a, b = self.rng.choice(others)
        # Take the following space with it, so the text stays tidy.
        while b < len(self.text) and self.text[b] == " ":
            b += 1
        new = splice(self.text, a, b, "")
        if a >= span[1]:
            return self.case("delete_after", new, span, ANCHORED, span)
        return self.case("delete_before", new, span, MOVED, shift(span, a, b, ""))

    def _typo(self, word: str) -> str:
        i = self.rng.randrange(1, len(word) - 2)
        kind = self.rng.choice(["swap", "drop", "double", "substitute"])
        if kind == "swap" and word[i] != word[i + 1]:
            return word[:i] + word[i + 1] + word[i] + word[i + 2 :]
        if kind == "drop":
            return word[:i] + word[i + 1 :]
        if kind == "double":
            return word[:i] + word[i] + word[i:]
        replacement = "e" if word[i] != "e" else "a"
        return word[:i] + replacement + word[i + 1 :]

    def _typo_site(self, min_words: int = 4) -> tuple[Span, Span] | None:
        for _ in range(50):
            span = self.pick_quote(min_words=min_words)
            words = [
                (span[0] + m.start(), span[0] + m.end())
                for m in re.finditer(r"[A-Za-z]{5,}", self.text[span[0] : span[1]])
            ]
            if (
                len(_WORD.findall(self.text[span[0] : span[1]])) >= min_words
                and words
                and self.unique(span)
            ):
                return span, self.rng.choice(words)
        return None

    def typo(self, fixed: bool) -> Case | None:
        site = self._typo_site()
        if site is None:
            return None
        span, (ws, we) = site
        typo_word = self._typo(self.text[ws:we])
        typo_text = splice(self.text, ws, we, typo_word)
        typo_span = (span[0], span[1] + len(typo_word) - (we - ws))
        if fixed:  # the claim was made on the misspelt revision; the new one fixes it
            return self.case_on("typo_fixed", typo_text, self.text, typo_span, FUZZY, span)
        return self.case_on("typo_introduced", self.text, typo_text, span, FUZZY, typo_span)

    def typo_and_insertion(self) -> Case | None:
        site = self._typo_site()
        if site is None:
            return None
        span, (ws, we) = site
        typo_word = self._typo(self.text[ws:we])
        typo_text = splice(self.text, ws, we, typo_word)
        typo_span = (span[0], span[1] + len(typo_word) - (we - ws))
        at = self.rng.choice([s[0] for s in self.sentences if s[0] <= self.sentence_of(span)[0]])
        insertion = self.rng.choice(FILLER) + "\n\n"
        new = splice(self.text, at, at, insertion)
        return self.case_on(
            "typo_and_shift", typo_text, new, typo_span, FUZZY, shift(span, at, at, insertion)
        )

    def two_typos_and_move(self) -> Case | None:
        """Two misspellings fixed in a longer claim whose paragraph also moved up."""
        for _ in range(50):
            span = self.pick_quote(self.rng.choice(self.body), min_words=8)
            words = [
                (span[0] + m.start(), span[0] + m.end())
                for m in re.finditer(r"[A-Za-z]{5,}", self.text[span[0] : span[1]])
            ]
            n_words = len(_WORD.findall(self.text[span[0] : span[1]]))
            if n_words >= 8 and len(words) >= 2 and self.unique(span):
                break
        else:
            return None
        typo_text, typo_span = self.text, span
        for ws, we in sorted(self.rng.sample(words, 2), reverse=True):
            typo_word = self._typo(self.text[ws:we])
            typo_text = splice(typo_text, ws, we, typo_word)
            typo_span = (typo_span[0], typo_span[1] + len(typo_word) - (we - ws))
        paras = paragraphs(self.text)
        owner = next(i for i, (a, b) in enumerate(paras) if a <= span[0] and span[1] <= b)
        if owner < 2:
            return None
        a, b = paras[owner]
        target = paras[1][0]
        chunk = self.text[a:b] + "\n\n"
        new = self.text[:target] + chunk + self.text[target:a] + self.text[b + 2 :]
        expected = (span[0] - a + target, span[1] - a + target)
        return self.case_on("two_typos_and_move", typo_text, new, typo_span, FUZZY, expected)

    def word_inserted(self) -> Case | None:
        """An editor adds one word to a long quoted sentence (one word in ten is tolerated)."""
        long_ones = [s for s in self.body if len(_WORD.findall(self.text[s[0] : s[1]])) >= 12]
        if not long_ones:
            return None
        span = self.rng.choice(long_ones)
        if not self.unique(span):
            return None
        spaces = [span[0] + m.start() for m in re.finditer(" ", self.text[span[0] : span[1]])]
        at = self.rng.choice(spaces[2:-2])
        word = self.rng.choice(["reportedly", "also", "later", "apparently", "still"])
        new = splice(self.text, at, at, " " + word)
        return self.case("word_inserted", new, span, FUZZY, (span[0], span[1] + len(word) + 1))

    def whitespace(self) -> Case | None:
        for _ in range(50):
            span = self.pick_quote(min_words=4)
            spaces = [span[0] + m.start() for m in re.finditer(" ", self.text[span[0] : span[1]])]
            if spaces and self.unique(span):
                break
        else:
            return None
        at = self.rng.choice(spaces)
        replacement = self.rng.choice(["  ", "\n", " \n"])
        spaced = splice(self.text, at, at + 1, replacement)
        spaced_span = (span[0], span[1] + len(replacement) - 1)
        if self.rng.random() < 0.5:  # extra whitespace added by the new revision
            return self.case_on("whitespace", self.text, spaced, span, FUZZY, spaced_span)
        return self.case_on("whitespace", spaced, self.text, spaced_span, FUZZY, span)

    def quote_marks(self) -> Case | None:
        marks = "“”‘’\"'"
        candidates = [s for s in self.body if any(c in self.text[s[0] : s[1]] for c in marks)]
        if not candidates:
            return None
        for _ in range(50):
            span = self.pick_quote(self.rng.choice(candidates), min_words=3)
            if any(c in self.text[span[0] : span[1]] for c in marks) and self.unique(span):
                break
        else:
            return None
        if any(c in self.text for c in "“”‘’"):
            new = self.text.translate(_FOLD)  # curly -> straight
        else:
            new = to_curly(self.text)
        assert len(new) == len(self.text)
        return self.case("quote_marks", new, span, FUZZY, span)

    def paragraph_moved(self) -> Case | None:
        paras = paragraphs(self.text)
        if len(paras) < 4:
            return None
        chunks = [self.text[a:b] for a, b in paras]
        span = self.pick_quote()
        owner = next(i for i, (a, b) in enumerate(paras) if a <= span[0] and span[1] <= b)
        if owner == 0:
            return None
        order = list(range(len(chunks)))
        if self.rng.random() < 0.5:  # the quoted paragraph moves
            order.remove(owner)
            order.insert(
                self.rng.choice([i for i in range(1, len(order) + 1) if i != owner]), owner
            )
        else:  # another paragraph moves across it
            other = self.rng.choice([i for i in range(1, len(chunks)) if i != owner])
            order.remove(other)
            order.insert(self.rng.randrange(1, len(order) + 1), other)
        new = "\n\n".join(chunks[i] for i in order)
        if self.text.endswith("\n"):
            new += "\n"
        new_para_start = sum(len(chunks[i]) + 2 for i in order[: order.index(owner)])
        offset = new_para_start - paras[owner][0]
        expected = (span[0] + offset, span[1] + offset)
        if not self.unique(span, new):
            return None
        state = ANCHORED if offset == 0 else MOVED
        return self.case("paragraph_moved", new, span, state, expected)

    def _gone_is_clean(self, quote: str, new: str) -> bool:
        # The claim's words must really be gone, or "orphaned" is not the right answer: in a
        # text that repeats itself, the same words (give or take a quote mark) may survive
        # in another sentence, and landing there is defensible.
        def words(text: str) -> str:
            return " " + " ".join(re.findall(r"\w+", _fold(text))) + " "

        return words(quote) not in words(new)

    def sentence_rewritten(self) -> Case | None:
        sentence = self.rng.choice(self.body)
        span = self.pick_quote(sentence)
        rewrite = self.rng.choice(REWRITES)
        new = splice(self.text, sentence[0], sentence[1], rewrite)
        if not self._gone_is_clean(self.text[span[0] : span[1]], new):
            return None
        tolerated = ((sentence[0], sentence[0] + len(rewrite)),)
        return self.case("sentence_rewritten", new, span, ORPHANED, None, tolerated=tolerated)

    def sentence_deleted(self) -> Case | None:
        sentence = self.rng.choice(self.body)
        span = self.pick_quote(sentence)
        a, b = sentence
        while b < len(self.text) and self.text[b] == " ":
            b += 1
        new = splice(self.text, a, b, "")
        if not self._gone_is_clean(self.text[span[0] : span[1]], new):
            return None
        return self.case("sentence_deleted", new, span, ORPHANED, None)

    # --- repeated quotes --------------------------------------------------------------
    def repeated_spans(self) -> list[list[Span]]:
        """Word-aligned 3–8 word spans that occur more than once, grouped by wording."""
        words = [m.span() for m in _WORD.finditer(self.text)]
        groups: dict[str, list[Span]] = {}
        for size in range(3, 9):
            for i in range(len(words) - size + 1):
                start, end = words[i][0], words[i + size - 1][1]
                phrase = self.text[start:end]
                if "\n" in phrase:
                    continue
                groups.setdefault(phrase, []).append((start, end))
        return [
            spans
            for spans in groups.values()
            if len(spans) > 1
            and all(self.text.count(self.text[s[0] : s[1]]) == len(spans) for s in spans[:1])
        ]

    def _context_key(self, span: Span) -> str:
        prefix, suffix = context_for(self.text, *span)
        return prefix + "\x00" + suffix

    def repeated(self) -> tuple[list[Case], list[Case]]:
        """Claims on a phrase that occurs several times, then text inserted before it.

        Distinguishable: its context differs clearly from every other occurrence's → moved.
        Indistinguishable: another occurrence has the very same 32 characters on each side →
        orphaned (pointing at either copy would be a guess)."""
        distinct, same = [], []
        for spans in self.repeated_spans():
            keys = [self._context_key(s) for s in spans]
            for i, span in enumerate(spans):
                others = keys[:i] + keys[i + 1 :]
                first_para = paragraphs(self.text)[0]
                at = self.rng.choice([first_para[1] + 2, 0])
                insertion = self.rng.choice(FILLER) + "\n\n"
                new = splice(self.text, at, at, insertion)
                if keys[i] in others:
                    if span[0] < at:
                        continue
                    moved_span = shift(span, at, at, insertion)
                    same.append(
                        self.case(
                            "repeated_indistinguishable",
                            new,
                            span,
                            ORPHANED,
                            None,
                            tolerated=(moved_span,),
                        )
                    )
                elif all(Levenshtein.distance(keys[i], k) >= 16 for k in others):
                    if span[0] < at:
                        continue
                    distinct.append(
                        self.case(
                            "repeated_distinct", new, span, MOVED, shift(span, at, at, insertion)
                        )
                    )
        self.rng.shuffle(distinct)
        self.rng.shuffle(same)
        return distinct, same


def to_curly(text: str) -> str:
    """Straight quotes to typographic ones, the way a CMS 'smart quotes' filter does."""
    out = []
    for i, char in enumerate(text):
        before = text[i - 1] if i else " "
        if char == '"':
            out.append("“" if before.isspace() or before in "([" else "”")
        elif char == "'":
            out.append("‘" if before.isspace() or before in "([" else "’")
        else:
            out.append(char)
    return "".join(out)


PER_TEXT: list[tuple[str, int]] = [
    ("unchanged", 4),
    ("insert_before", 6),
    ("insert_after", 3),
    ("delete_elsewhere", 7),
    ("typo_fixed", 6),
    ("typo_introduced", 5),
    ("typo_and_shift", 3),
    ("two_typos_and_move", 3),
    ("word_inserted", 3),
    ("whitespace", 5),
    ("quote_marks", 4),
    ("paragraph_moved", 6),
    ("sentence_rewritten", 6),
    ("sentence_deleted", 6),
]
MAX_REPEATED = 6


def build_corpus(seed: int = 20241113) -> list[Case]:
    rng = random.Random(seed)
    cases: list[Case] = []
    for name, text in load_texts().items():
        gen = Generator(name, text, rng)
        makers: dict[str, Callable[[], Case | None]] = {
            "unchanged": gen.unchanged,
            "insert_before": gen.insert_before,
            "insert_after": gen.insert_after,
            "delete_elsewhere": gen.delete_elsewhere,
            "typo_fixed": lambda g=gen: g.typo(fixed=True),
            "typo_introduced": lambda g=gen: g.typo(fixed=False),
            "typo_and_shift": gen.typo_and_insertion,
            "two_typos_and_move": gen.two_typos_and_move,
            "word_inserted": gen.word_inserted,
            "whitespace": gen.whitespace,
            "quote_marks": gen.quote_marks,
            "paragraph_moved": gen.paragraph_moved,
            "sentence_rewritten": gen.sentence_rewritten,
            "sentence_deleted": gen.sentence_deleted,
        }
        for kind, count in PER_TEXT:
            made, attempts = 0, 0
            while made < count and attempts < count * 20:
                attempts += 1
                case = makers[kind]()
                if case is not None:
                    cases.append(case)
                    made += 1
        distinct, same = gen.repeated()
        cases += distinct[:MAX_REPEATED] + same[:MAX_REPEATED]
    return cases
