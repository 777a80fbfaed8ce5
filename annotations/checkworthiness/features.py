"""Sentence features shared by training and run time (pure Python, no numpy).

Three groups, each scored the same way by the trainer and by the app:

- ``words``: lower-cased word unigrams and bigrams, numbers folded to ``0``;
- ``chars``: character 3- and 4-grams inside padded words (like scikit-learn's ``char_wb``);
- ``cues``: hand-written linguistic cues in 0..1 (numbers and units, comparatives and
  superlatives, reporting verbs, capitalised names, hedges, first-person opinions,
  questions, predictions, length).

The cue detectors are also what ``suggest`` uses to name a reason and to score down
opinions, predictions and questions.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from functools import lru_cache

__all__ = ["CUE_NAMES", "cues", "featurize", "tokens", "word_set"]


def word_set(text: str) -> frozenset[str]:
    """A word list written as one string."""
    return frozenset(text.split())


_TOKEN = re.compile(r"[^\W_]+(?:['\u2019.,\-][^\W_]+)*|[%$\u00a3\u20ac?!]")
_DIGIT = re.compile(r"\d")
_DIGITS = re.compile(r"\d+")

NUMBER_WORDS = word_set(
    """
    two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen
    sixteen seventeen eighteen nineteen twenty thirty forty fifty sixty seventy eighty
    ninety hundred hundreds thousand thousands million millions billion billions trillion
    trillions dozen dozens half third quarter twice thrice double doubled tripled
    """
)
UNIT_WORDS = word_set(
    """
    % percent per cent percentage points $ £ € dollars dollar pounds euros cents rounds
    times people jobs votes deaths dead killed wounded injured years months days hours weeks
    miles kilometres kilometers km feet metres meters tons tonnes acres gallons barrels
    rate rise fall increase decrease growth cut cuts deficit debt budget tax taxes gdp
    """
)
COMPARATIVE = word_set(
    """
    more less fewer greater higher lower larger smaller bigger faster slower worse better
    increase increased increases decrease decreased rise rose risen fell fallen drop dropped
    doubled tripled grew grown cut cuts
    """
)
SUPERLATIVE = word_set(
    """
    most least largest biggest highest lowest smallest fastest worst best greatest deadliest
    longest shortest strongest weakest richest poorest record first only ever never
    all-time unprecedented
    """
)
NOT_SUPERLATIVE_EST = word_set(
    "interest honest modest protestest test rest west east harvest arrest suggest request "
    "guest forest contest invest manifest latest earnest nest chest quest"
)
REPORTING = word_set(
    """
    said says say according reported reports announced told stated claimed claims confirmed
    estimated showed shows found published data statistics figures survey study census
    """
)
CAUSE = word_set("because caused causes cause led leads due result resulted therefore thanks")
HEDGES = word_set(
    """
    maybe perhaps might possibly probably seems seem seemingly apparently likely unlikely
    could allegedly reportedly presumably suspect guess
    """
)
OPINION_VERBS = word_set(
    "think believe feel hope wish want love hate like guess suppose know doubt agree"
)
FIRST_PERSON = word_set("i we i'm i've we're we've i'd we'd me my our us")
FUTURE = word_set("will won't 'll gonna going shall would should must")
WH_WORDS = word_set("who what when where why how which whom whose")
YOU = word_set("you your you're you've yourself")
NEGATIONS = word_set("not no never n't")
GREETINGS = word_set("thank thanks hello hi welcome goodbye please congratulations")
PAST_AUX = word_set("was were had has have been")
MONTHS = word_set(
    "january february march april may june july august september october november december "
    "jan feb mar apr jun jul aug sep sept oct nov dec"
)

CUE_NAMES: tuple[str, ...] = (
    "number",
    "numbers",
    "unit",
    "year",
    "comparative",
    "than",
    "superlative",
    "reporting",
    "according",
    "cause",
    "names",
    "hedge",
    "opinion",
    "first_person",
    "you",
    "question",
    "future",
    "greeting",
    "past",
    "negation",
    "length",
    "short",
)


def tokens(sentence: str) -> list[str]:
    """Word tokens of a sentence in their original case (punctuation kept for ? ! % $)."""
    return _TOKEN.findall(sentence)


def _is_number(lower: str) -> bool:
    return bool(_DIGIT.search(lower)) or lower in NUMBER_WORDS


def cues(sentence: str, toks: list[str] | None = None) -> dict[str, float]:
    """The hand-written cues of one sentence, each in 0..1."""
    if toks is None:
        toks = tokens(sentence)
    lower = [t.lower() for t in toks]
    present = set(lower)
    n = len(lower)
    numbers = 0
    year = 0.0
    superlative = 1.0 if present & SUPERLATIVE else 0.0
    past = 1.0 if present & PAST_AUX else 0.0
    negation = 1.0 if present & NEGATIONS else 0.0
    opinion = 0.0
    names = 0
    first_person = bool(present & FIRST_PERSON)
    for i, word in enumerate(lower):
        if word in NUMBER_WORDS or _DIGIT.search(word):
            if len(word) == 4 and word.isdigit() and word[:2] in ("18", "19", "20"):
                year = 1.0
            elif not (i and lower[i - 1].rstrip(".") in MONTHS):
                numbers += 1
        if len(word) > 4:
            if word.endswith("ed"):
                past = 1.0
            elif word.endswith("est") and len(word) > 5 and word not in NOT_SUPERLATIVE_EST:
                superlative = 1.0
            elif word.endswith("n't"):
                negation = 1.0
        if first_person and word in FIRST_PERSON and i + 1 < n and lower[i + 1] in OPINION_VERBS:
            opinion = 1.0
        if i and toks[i][0].isupper() and word not in FIRST_PERSON:
            names += 1
    future = 1.0 if present & FUTURE or ("going" in present and "to" in present) else 0.0
    stripped = sentence.rstrip().rstrip("\"'\u201d\u2019)")
    question = 1.0 if stripped.endswith("?") else 0.0
    if n and question == 0.0 and lower[0] in WH_WORDS and n < 12 and not stripped.endswith("."):
        question = 0.5
    return {
        "number": 1.0 if numbers else 0.0,
        "numbers": min(numbers, 3) / 3.0,
        "unit": 1.0 if numbers and present & UNIT_WORDS else 0.0,
        "year": year,
        "comparative": 1.0 if present & COMPARATIVE else 0.0,
        "than": 1.0 if "than" in present else 0.0,
        "superlative": superlative,
        "reporting": 1.0 if present & REPORTING else 0.0,
        "according": 1.0 if "according" in present else 0.0,
        "cause": 1.0 if present & CAUSE else 0.0,
        "names": min(names, 4) / 4.0,
        "hedge": 1.0 if present & HEDGES else 0.0,
        "opinion": opinion,
        "first_person": 1.0 if first_person else 0.0,
        "you": 1.0 if present & YOU else 0.0,
        "question": question,
        "future": future,
        "greeting": 1.0 if present & GREETINGS else 0.0,
        "past": past,
        "negation": negation,
        "length": min(math.log1p(n) / math.log(61.0), 1.0),
        "short": 1.0 if n < 6 else 0.0,
    }


@lru_cache(maxsize=1 << 16)
def _fold(word: str) -> str:
    return _DIGITS.sub("0", word.lower())


@lru_cache(maxsize=1 << 16)
def _char_grams(folded: str) -> tuple[str, ...]:
    padded = f" {folded} "
    size = len(padded)
    return tuple(padded[i : i + n] for n in (3, 4) for i in range(size - n + 1))


def featurize(sentence: str) -> tuple[Counter[str], Counter[str], dict[str, float]]:
    """Raw term counts (words, chars) and cues of one sentence."""
    toks = tokens(sentence)
    folded = [_fold(t) for t in toks]
    words: Counter[str] = Counter(folded)
    words.update(f"{a} {b}" for a, b in zip(folded, folded[1:], strict=False))
    chars: Counter[str] = Counter()
    for word in folded:
        chars.update(_char_grams(word))
    return words, chars, cues(sentence, toks)
