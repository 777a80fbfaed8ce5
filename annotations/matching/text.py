"""What is matched: the query text for a claim, and the words BM25 counts."""

from __future__ import annotations

import re
import unicodedata

#: Links, handles' @ and pic.twitter.com stubs carry no claim; they only add rare tokens.
_URL = re.compile(r"(?:https?://|www\.|pic\.twitter\.com/)\S+", re.IGNORECASE)
#: Unicode word characters: letters and digits of every script, no underscore.
_WORD = re.compile(r"[^\W_]+", re.UNICODE)
_SPACE = re.compile(r"\s+")


def _clean(text: str) -> str:
    return _SPACE.sub(" ", text or "").strip()


def query_text(statement: str, sentence: str, claimant: str) -> str:
    """A claim's query: its statement, the sentence around its quote and its claimant.

    The bare quote is too short to match ("hit at least five times"); the statement says
    what is claimed and the sentence gives the context. When the statement is the sentence
    (or one contains the other), it appears once.
    """
    statement, sentence, claimant = _clean(statement), _clean(sentence), _clean(claimant)
    parts: list[str] = []
    folded: list[str] = []
    for part in (statement, sentence):
        key = part.casefold()
        if not part or any(key in seen for seen in folded):
            continue
        # A later, longer part that contains an earlier one replaces it.
        kept = [(p, f) for p, f in zip(parts, folded, strict=True) if f not in key]
        parts = [p for p, _ in kept] + [part]
        folded = [f for _, f in kept] + [key]
    if claimant and not any(claimant.casefold() in seen for seen in folded):
        parts.append(claimant)
    return " ".join(parts)


def tokenize(text: str) -> list[str]:
    """Lowercased Unicode words, accents kept apart from their letters, links dropped.

    Language-neutral on purpose (no English stemmer or stop list): BM25's idf already
    weighs common words down, and the newsroom's checks are not all in English.
    """
    text = _URL.sub(" ", text or "")
    text = unicodedata.normalize("NFKD", text.casefold())
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return _WORD.findall(text)
