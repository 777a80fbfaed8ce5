"""Sentence splitting with exact code-point offsets into the given text.

Python ``str`` indices are Unicode code points, which is how the app counts selector
offsets in an article's canonical text, so ``text[span.start:span.end] == span.text``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .features import word_set

__all__ = ["Span", "sentences"]


@dataclass(frozen=True, slots=True)
class Span:
    """A stretch of text: ``text == source[start:end]`` (code points)."""

    start: int
    end: int
    text: str


# Words that end with a full stop without ending a sentence.
ABBREVIATIONS = word_set(
    """
    mr mrs ms dr prof gen col lt sgt capt cpt maj adm cmdr gov sen rep rev hon pres supt
    st jr sr messrs mme mlle sec dept est inc ltd co corp bros no nos vol fig al vs
    jan feb mar apr jun jul aug sep sept oct nov dec approx ca cf
    """
)
# After a multi-dot abbreviation ("U.S.") a capital usually goes on the same sentence
# ("the U.S. Army"); these words usually start a new one.
SENTENCE_STARTERS = word_set(
    """
    the a an he she it they we i you but and in this that these those there his her their
    its our my yet so however meanwhile still then when while if after before
    """
)

_MAY_CLOSE = frozenset({"inc", "ltd", "co", "corp", "al", "bros"})
_LINE = re.compile(r"[^\n\r\u2028\u2029]+")
# A candidate end: terminal punctuation, closing quotes/brackets, then whitespace.
_END = re.compile(r"(?:[.!?\u2026]+|\.\.\.)[\"'\u201d\u2019)\]\u00bb]*(?=\s+|$)")
_WORD_BEFORE = re.compile(r"([\w.\-]+)$")
_NEXT_WORD = re.compile(r"\s+([\"'\u201c\u2018(\[\u00ab]*)(\S+)")
# Bullets and list markers a paste leaves at the start of a line.
_LEAD_JUNK = re.compile(
    r"(?:[\s\u2022\u00b7\u25aa\u25cf\u25e6\u2023\u2043\u2013\u2014*>|#=~-]+|\d{1,2}[.)]\s+)"
)
_HAS_LETTER = re.compile(r"[^\W\d_]")


def _is_boundary(line: str, end_match: re.Match[str]) -> bool:
    punct = end_match.group()
    next_match = _NEXT_WORD.match(line, end_match.end())
    if next_match is None:
        return True  # end of line
    next_word = next_match.group(2)
    opens_quote = bool(next_match.group(1))
    first = next_word[0]
    if first.islower() or first in ",;:)":
        return False  # "“Really?” he asked", "e.g. this"
    if punct[0] != ".":
        return True  # ! ? … end a sentence
    before = _WORD_BEFORE.search(line, 0, end_match.start())
    word = before.group(1) if before else ""
    bare = word.rstrip(".").split("-")[-1].lower()
    if "." in word.rstrip(".") or (len(bare) == 1 and bare.isalpha()):
        # "U.S." or an initial ("J."): a boundary only before a word that starts sentences.
        return opens_quote or next_word.strip("\"'\u201c\u2018,").lower() in SENTENCE_STARTERS
    if bare in ABBREVIATIONS and len(punct) == 1:
        # "Gen. Marks", "Nov. 13"; a company's "Inc." may still close a sentence.
        return bare in _MAY_CLOSE and next_word.lower() in SENTENCE_STARTERS
    return True


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    junk = _LEAD_JUNK.match(text, start, end)
    if junk and junk.end() < end and _HAS_LETTER.search(text, junk.end(), end):
        start = junk.end()
    return start, end


def sentences(text: str) -> list[Span]:
    """Split ``text`` into sentences; every span's offsets index ``text`` exactly.

    Line breaks always end a sentence (pasted web text puts one paragraph, heading or
    button label a line). Spans without a letter (rules, numbering, emoji rows) are dropped.
    """
    spans: list[Span] = []
    for line_match in _LINE.finditer(text):
        line = line_match.group()
        offset = line_match.start()
        cursor = 0
        cuts: list[int] = []
        for end_match in _END.finditer(line):
            if _is_boundary(line, end_match):
                cuts.append(end_match.end())
        cuts.append(len(line))
        for cut in cuts:
            if cut <= cursor:
                continue
            start, end = _trim(text, offset + cursor, offset + cut)
            cursor = cut
            if start < end and _HAS_LETTER.search(text, start, end):
                spans.append(Span(start, end, text[start:end]))
    return spans
