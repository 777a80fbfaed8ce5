"""A generated corpus of quoted passages (excerpts) over real article and transcript texts.

Each case takes a real text, picks a passage in it, and writes the excerpt a fact-checker
might have pasted: verbatim, with curly quotes swapped, cut with an ellipsis, with one or
two typos, with its whitespace changed, or repeated elsewhere in the text. Where the
passage must be found is recorded by the generator (never by asking the engine); a case
whose excerpt is in the text twice word for word records that it must not be placed.

Deterministic (a fixed seed): a failing case can be looked at again by its label.
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SEED = 15

Span = tuple[int, int]


@dataclass(frozen=True)
class Case:
    category: str
    text_name: str
    text: str
    excerpt: str
    #: Where the passage is; None when the excerpt is in the text twice and must not be placed.
    expected: Span | None
    #: For cases that must not be placed: the places it would be a guess between.
    twins: tuple[Span, ...] = ()

    @property
    def label(self) -> str:
        where = self.expected or (self.twins[0] if self.twins else None)
        return f"{self.category}/{self.text_name}@{where}"


def load_texts() -> dict[str, str]:
    """The demo article, the anchoring tests' articles and the CheckThat! transcripts."""
    texts = {"demo": (ROOT / "annotations/demo/defector-escape.txt").read_text(encoding="utf-8")}
    for path in sorted((ROOT / "tests/anchoring/texts").glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        if text not in texts.values():
            texts[path.stem] = text
    for path in sorted((ROOT / "tests/checkworthiness/transcripts").glob("*.tsv")):
        texts[path.stem] = _transcript(path.read_text(encoding="utf-8"))
    return texts


def _transcript(tsv: str) -> str:
    """One paragraph per speaker's turn, as a transcript page shows it."""
    paragraphs: list[list[str]] = []
    speakers: list[str] = []
    for line in tsv.splitlines():
        fields = line.split("\t")
        if len(fields) < 3 or not fields[2].strip():
            continue
        speaker, sentence = fields[1], fields[2].strip()
        if speakers and speakers[-1] == speaker:
            paragraphs[-1].append(sentence)
        else:
            speakers.append(speaker)
            paragraphs.append([sentence])
    return "\n\n".join(f"{s}: {' '.join(p)}" for s, p in zip(speakers, paragraphs, strict=True))


# Words as a browser's word breaker sees them ("they're", "a.m", "32.6" are one word each).
_WORD = re.compile(r"\w+(?:[.'\u2019]\w+)*")
_CURLY = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"', "\u2014": "-"})


def _fold(text: str) -> str:
    return " ".join(text.translate(_CURLY).lower().split())


class _Text:
    def __init__(self, name: str, text: str, rng: random.Random) -> None:
        self.name = name
        self.text = text
        self.rng = rng
        self.words = [m.span() for m in _WORD.finditer(text)]
        self.folded = _fold(text)

    def unique(self, passage: str) -> bool:
        needle = _fold(passage)
        first = self.folded.find(needle)
        return first != -1 and self.folded.find(needle, first + 1) == -1

    def passage(
        self, min_words: int, max_words: int, *, want: Callable[[str], bool] | None = None
    ) -> Span:
        """A passage of whole words that occurs once in the text (up to a full stop)."""
        for _ in range(500):
            count = self.rng.randint(min_words, max_words)
            first = self.rng.randrange(0, max(1, len(self.words) - count))
            start, end = self.words[first][0], self.words[first + count - 1][1]
            if end < len(self.text) and self.text[end] in ".,;:!?":
                end += 1
            passage = self.text[start:end]
            if self.unique(passage) and (want is None or want(passage)):
                return start, end
        raise RuntimeError(f"no passage of {min_words}-{max_words} words in {self.name}")


_KEYBOARD = "qwertyuiopasdfghjklzxcvbnm"


def _typo(word: str, rng: random.Random) -> str:
    i = rng.randrange(1, len(word) - 1)
    kind = rng.choice(["swap", "drop", "double", "replace"])
    if kind == "swap":
        return word[:i] + word[i + 1] + word[i] + word[i + 2 :]
    if kind == "drop":
        return word[:i] + word[i + 1 :]
    if kind == "double":
        return word[:i] + word[i] + word[i:]
    neighbour = _KEYBOARD[(_KEYBOARD.find(word[i].lower()) + 1) % len(_KEYBOARD)]
    return word[:i] + neighbour + word[i + 1 :]


def add_typos(excerpt: str, count: int, rng: random.Random) -> str:
    """``count`` typos in different words of at least five letters (a slip, not a new word)."""
    words = [m for m in re.finditer(r"[A-Za-z]{5,}", excerpt)]
    chosen = sorted(rng.sample(words, min(count, len(words))), key=lambda m: -m.start())
    for match in chosen:
        excerpt = excerpt[: match.start()] + _typo(match.group(), rng) + excerpt[match.end() :]
    return excerpt


def swap_quotes(excerpt: str, rng: random.Random) -> str:
    """Straight quotes to curly ones and back, dashes to hyphens, sometimes a lower-case start."""
    out = []
    double_open = True
    for i, char in enumerate(excerpt):
        if char == "'":
            out.append("\u2019")
        elif char == '"':
            out.append("\u201c" if double_open else "\u201d")
            double_open = not double_open
        elif char in "\u2018\u2019":
            out.append("'")
        elif char in "\u201c\u201d":
            out.append('"')
        elif char in "\u2013\u2014":
            out.append(" - " if i and excerpt[i - 1] != " " else "-")
        else:
            out.append(char)
    swapped = "".join(out)
    if rng.random() < 0.3:
        swapped = swapped[0].lower() + swapped[1:]
    return swapped


def rewhitespace(excerpt: str, rng: random.Random) -> str:
    """Spaces become newlines, double spaces or non-breaking spaces; newlines become spaces."""
    out = []
    for char in excerpt:
        if char == " " and rng.random() < 0.25:
            out.append(rng.choice(["\n", "  ", "\u00a0", " \n "]))
        elif char == "\n":
            out.append(" ")
        else:
            out.append(char)
    return "".join(out)


def cut(text: str, span: Span, rng: random.Random) -> str:
    """The passage with one or two runs of inner words replaced by an ellipsis."""
    start, end = span
    words = [(start + a, start + b) for a, b in (m.span() for m in _WORD.finditer(text[start:end]))]
    cuts = 1 if len(words) < 18 or rng.random() < 0.6 else 2
    marks = ["\u2026", "...", " \u2026 ", " ... ", " [\u2026] ", " [...] ", ". . ."]
    pieces = []
    keep_from = 0
    per_part = len(words) // cuts
    for n in range(cuts):
        lo = max(n * per_part, keep_from)
        drop_first = rng.randint(lo + 3, max(lo + 3, (n + 1) * per_part - 6))
        drop_count = rng.randint(2, min(12, max(2, per_part - (drop_first - lo) - 3)))
        drop_last = min(drop_first + drop_count, len(words) - 3)
        pieces.append(text[words[keep_from][0] : words[drop_first - 1][1]])
        keep_from = drop_last
    pieces.append(text[words[keep_from][0] : end])
    mark = rng.choice(marks)
    return mark.join(p.strip() for p in pieces)


def generate(seed: int = SEED) -> list[Case]:
    rng = random.Random(seed)
    texts = [_Text(name, text, rng) for name, text in load_texts().items()]
    cases: list[Case] = []

    def each(count: int, make: Callable[[_Text], Case]) -> None:
        for i in range(count):
            cases.append(make(texts[i % len(texts)]))

    def exact(t: _Text) -> Case:
        s, e = t.passage(5, 40)
        return Case("exact", t.name, t.text, t.text[s:e], (s, e))

    def curly(t: _Text) -> Case:
        s, e = t.passage(6, 30, want=lambda p: bool(re.search("['\"\u2018-\u201d\u2013\u2014]", p)))
        return Case("curly", t.name, t.text, swap_quotes(t.text[s:e], rng), (s, e))

    def ellipsis(t: _Text) -> Case:
        s, e = t.passage(14, 50)
        return Case("ellipsis", t.name, t.text, cut(t.text, (s, e), rng), (s, e))

    def typos(t: _Text) -> Case:
        s, e = t.passage(7, 40, want=lambda p: len(re.findall(r"[A-Za-z]{5,}", p)) >= 2)
        excerpt = add_typos(t.text[s:e], rng.choice([1, 2]), rng)
        return Case("typos", t.name, t.text, excerpt, (s, e))

    def whitespace(t: _Text) -> Case:
        s, e = t.passage(6, 40)
        return Case("whitespace", t.name, t.text, rewhitespace(t.text[s:e], rng), (s, e))

    def mixed(t: _Text) -> Case:
        s, e = t.passage(14, 45, want=lambda p: len(re.findall(r"[A-Za-z]{5,}", p)) >= 3)
        excerpt = cut(t.text, (s, e), rng)
        excerpt = add_typos(swap_quotes(excerpt, rng), 1, rng)
        return Case("mixed", t.name, t.text, rewhitespace(excerpt, rng), (s, e))

    def repeated(t: _Text, *, extended: bool) -> Case:
        """A sentence of the text copied in as its own paragraph elsewhere (a pull quote)."""
        s, e = t.passage(6, 16)
        paragraph_breaks = [m.end() for m in re.finditer(r"\n\s*\n", t.text)]
        far = [b for b in paragraph_breaks if abs(b - s) > 300] or [len(t.text)]
        at = rng.choice(far)
        copy = t.text[s:e] + "\n\n"
        text = t.text[:at] + copy + t.text[at:]
        original = (s, e) if at > s else (s + len(copy), e + len(copy))
        pulled = (at, at + e - s)
        if not extended:
            excerpt = text[original[0] : original[1]]
            return Case("repeated", t.name, text, excerpt, None, twins=(original, pulled))
        # The same words and what follows them where the writer quoted from: one place only.
        following = list(_WORD.finditer(text, original[1]))[: rng.randint(2, 5)]
        if not following:
            return repeated(t, extended=extended)
        end = following[-1].end()
        excerpt = text[original[0] : end]
        if rng.random() < 0.4:
            excerpt = add_typos(excerpt, 1, rng)
        return Case("repeated+context", t.name, text, excerpt, (original[0], end))

    def near_duplicate(t: _Text) -> Case:
        """A copy of the passage with one word changed elsewhere (a corrected re-run of a
        sentence, a pull quote with another figure); the excerpt quotes the original."""
        s, e = t.passage(8, 20, want=lambda p: len(re.findall(r"[A-Za-z]{5,}", p)) >= 3)
        passage = t.text[s:e]
        words = list(re.finditer(r"[A-Za-z]{4,}", passage))
        changed = rng.choice(words)
        replacement = rng.choice(["however", "nobody", "eleven", "Thursday", "several"])
        copy = passage[: changed.start()] + replacement + passage[changed.end() :] + "\n\n"
        paragraph_breaks = [m.end() for m in re.finditer(r"\n\s*\n", t.text)]
        far = [b for b in paragraph_breaks if abs(b - s) > 300] or [len(t.text)]
        at = rng.choice(far)
        text = t.text[:at] + copy + t.text[at:]
        original = (s, e) if at > s else (s + len(copy), e + len(copy))
        excerpt = passage if rng.random() < 0.4 else add_typos(passage, 1, rng)
        return Case("near-duplicate", t.name, text, excerpt, original)

    def repeated_typo(t: _Text) -> Case:
        case = repeated(t, extended=False)
        return Case(
            "repeated+typo",
            case.text_name,
            case.text,
            add_typos(case.excerpt, 1, rng),
            None,
            twins=case.twins,
        )

    each(50, exact)
    each(50, curly)
    each(60, ellipsis)
    each(70, typos)
    each(50, whitespace)
    each(50, mixed)
    each(30, lambda t: repeated(t, extended=False))
    each(40, lambda t: repeated(t, extended=True))
    each(30, near_duplicate)
    each(30, repeated_typo)
    return cases


_SCORE_WORD = re.compile(r"\w+")


def same_words(text: str, found: Span, expected: Span) -> bool:
    """Placed on the expected words: it overlaps them and covers the same words (punctuation
    and spacing at the edges aside)."""
    if found[1] <= expected[0] or found[0] >= expected[1]:
        return False

    def words(span: Span) -> list[tuple[int, int]]:
        a, b = span
        return [(a + m.start(), a + m.end()) for m in _SCORE_WORD.finditer(text[a:b])]

    return words(found) == words(expected)
