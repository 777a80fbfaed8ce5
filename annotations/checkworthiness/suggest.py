"""Check-worthy spans of a text: the model ranks sentences, rules name the reason and,
where the check is a phrase (a quantity, a comparison, a record), narrow the span to it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .features import featurize, word_set
from .model import Model, default_model
from .sentences import sentences

__all__ = ["REASONS", "Suggestion", "suggest"]

#: The reasons a suggestion can give, with the label a person reads.
REASONS: dict[str, str] = {
    "quantity": "Quantity",
    "comparison": "Comparison",
    "record": "Record or first",
    "attribution": "Attributed to a source",
    "cause": "Cause and effect",
    "statement": "Statement of fact",
}
#: How much a reason raises a sentence's model score (score = 1 - (1 - p)(1 - bonus)).
BONUS: dict[str, float] = {
    "quantity": 0.35,
    "record": 0.3,
    "comparison": 0.25,
    "attribution": 0.15,
    "cause": 0.15,
    "statement": 0.0,
}
#: Suggestions below this score are not shown.
MIN_SCORE = 0.4
MIN_WORDS = 4
_MAX_BONUS = max(BONUS.values())


@dataclass(frozen=True, slots=True)
class Suggestion:
    """A check-worthy span: ``exact == text[start:end]`` (code points)."""

    start: int
    end: int
    exact: str
    score: float
    reason: str
    sentence_start: int
    sentence_end: int

    @property
    def label(self) -> str:
        return REASONS[self.reason]


_NUMBER_WORD = (
    r"(?:two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|"
    r"fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|"
    r"eighty|ninety|hundreds|thousands|millions|billions|dozens|a dozen|a hundred|"
    r"a thousand|a million|a billion|half|twice|double|triple)"
    r"(?:[- ](?:one|two|three|four|five|six|seven|eight|nine))?"
)
_DIGITS = r"(?:[$\u00a3\u20ac]\s?)?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?(?:-[a-z]+)*"
_SCALE = r"(?:\s+(?:hundred|thousand|million|billion|trillion)s?)?"
_PERCENT = r"(?:\s?%|\s+per\s?cent|\s+percent(?:age points?)?)?"
_MODIFIER = (
    r"(?:estimated|about|around|nearly|almost|roughly|approximately|some|just|only|over|under|"
    r"more than|less than|fewer than|at least|at most|up to|as many as|as much as|close to|"
    r"an additional|another)"
)
_STOP = (
    r"(?:the|a|an|and|or|but|of|to|in|on|at|for|by|with|from|that|which|who|was|were|is|are|"
    r"be|been|as|than|ago|it|he|she|they|we|i|you|his|her|their|this|these|those|if|so|not)"
)
# A following lower-case word that names what is counted ("rounds", "private sector jobs").
_NOUN = rf"(?!{_STOP}\b)(?-i:[a-z][a-z\-]*(?<!ed)(?<!ing)(?<!ly))"
_QUANTITY_CORE = (
    rf"(?:(?:an?|the)\s+)?(?P<mod>(?:{_MODIFIER}\s+)*)"
    rf"(?P<num>{_DIGITS}|{_NUMBER_WORD})(?P<unit>{_SCALE}{_PERCENT})"
)
_QUANTITY = re.compile(
    rf"(?<![\w.]){_QUANTITY_CORE}(?P<noun>(?:\s+{_NOUN}){{0,4}})"
    rf"(?:\s+(?:to|from|by|of)\s+(?:{_MODIFIER}\s+)*(?:{_DIGITS}|{_NUMBER_WORD}){_SCALE}{_PERCENT}"
    rf"(?:\s+{_NOUN})?)?(?![\w])",
    re.IGNORECASE,
)
_AUX = r"(?:was|were|is|are|been|be|being|has|have|had|got|get|gets)"
_QUANTITY_VERBS = word_set(
    """
    rose fell grew increased decreased dropped climbed jumped soared doubled tripled killed
    hit cost costs reached won lost spent paid raised cut cuts created added fired shot
    injured wounded arrested employs employed earned earns received sold bought
    """
)
_WORD_BEFORE = re.compile(rf"(?:\b(?P<aux>{_AUX})\s+)?(?P<word>[a-z]+)\s+$", re.IGNORECASE)
_MONTH_BEFORE = re.compile(
    r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?\s+$", re.IGNORECASE
)
_YEAR = re.compile(r"(?:1[89]|20)\d\d(?:s)?")
_SUPERLATIVE = re.compile(
    r"\b(?:the\s+)?(?:most|least|largest|biggest|highest|lowest|smallest|fastest|worst|best|"
    r"greatest|deadliest|longest|shortest|strongest|weakest|richest|poorest|hottest|coldest)"
    r"(?:\s+(?!(?:and|but|which|who|because|while)\b)[\w\-\u2019']+){1,6}",
    re.IGNORECASE,
)
_COMPARATIVE = re.compile(
    r"\b(?:[a-z]+er|more\s+[a-z]+|less\s+[a-z]+|fewer\s+[a-z]+)\s+than(?:\s+[\w\-\u2019']+){1,4}",
    re.IGNORECASE,
)
_RECORD = re.compile(
    r"\b(?:record|for the first time|first time|never before|all-time|in history|"
    r"unprecedented|highest since|lowest since)\b",
    re.IGNORECASE,
)
_ATTRIBUTION = re.compile(
    r"\b(?:according to|said|says|told|reported|announced|confirmed|estimated|data from|"
    r"figures from|statistics|survey|study|census)\b",
    re.IGNORECASE,
)
_CAUSE = re.compile(
    r"\b(?:because|caused|causes|led to|leads to|due to|as a result|resulted in|result of|"
    r"blamed)\b",
    re.IGNORECASE,
)
_FEELINGS = re.compile(
    r"\b(?:feel|feels|felt|feeling|love|loves|hate|hates|afraid|scared|happy|sad|angry|"
    r"hope|hopes|wish|proud|disappointed|excited)\b",
    re.IGNORECASE,
)
# "(CNN) — ", "WASHINGTON (Reuters) - ": a wire dateline is not part of the statement.
_DATELINE = re.compile(r"(?:[A-Z][A-Za-z .,]{0,40}\s)?\([A-Z][\w .&]{0,30}\)\s*[\u2014\u2013-]\s*")
_QUOTE = re.compile(r"[\"\u201c\u201d]")
_CLAUSE_END = re.compile(r"[,;:\u2014()\"\u201c\u201d]")


def _quantity(sentence: str) -> tuple[int, int, float] | None:
    """The strongest quantity phrase in a sentence: (start, end, bonus)."""
    best: tuple[int, int, float] | None = None
    for match in _QUANTITY.finditer(sentence):
        num = match.group("num")
        start, end = match.span()
        before = sentence[:start]
        if _MONTH_BEFORE.search(before):
            continue  # "Nov. 13"
        has_digit = any(ch.isdigit() for ch in num)
        modifier = bool(match.group("mod").strip())
        unit = bool(match.group("unit").strip())
        noun = match.group("noun")
        if _YEAR.fullmatch(num) and not (modifier or unit):
            continue  # a year is a date, not a quantity
        if not (has_digit or modifier or unit or noun):
            continue  # "the two", "half"
        verb = _WORD_BEFORE.search(before)
        if verb:
            word = verb.group("word").lower()
            if word in _QUANTITY_VERBS or (verb.group("aux") and word.endswith(("ed", "en"))):
                start = verb.start("word")  # "hit at least five times", "rose 4%"
        bonus = BONUS["quantity"] if (has_digit or modifier or unit) else 0.2
        key = (bonus, end - start)
        if best is None or key > (best[2], best[1] - best[0]):
            best = (start, end, bonus)
    return best


def _phrase(pattern: re.Pattern[str], sentence: str) -> tuple[int, int] | None:
    match = pattern.search(sentence)
    if match is None:
        return None
    start, end = match.span()
    cut = _CLAUSE_END.search(sentence, start, end)
    if cut:
        end = cut.start()
    while end > start and not sentence[end - 1].isalnum():
        end -= 1
    return (start, end) if end - start > 3 else None


def _reason(sentence: str) -> tuple[str, int, int, float]:
    """The reason a sentence is worth checking, and the phrase it points at (or the sentence)."""
    dateline = _DATELINE.match(sentence)
    whole = (dateline.end() if dateline else 0, len(sentence))
    quantity = _quantity(sentence)
    if quantity:
        start, end, bonus = quantity
        return "quantity", start, end, bonus
    if _RECORD.search(sentence):
        found = _phrase(_SUPERLATIVE, sentence)
        start, end = found or whole
        return "record", start, end, BONUS["record"]
    for pattern in (_SUPERLATIVE, _COMPARATIVE):
        found = _phrase(pattern, sentence)
        if found:
            return "comparison", found[0], found[1], BONUS["comparison"]
    if _ATTRIBUTION.search(sentence) and not _QUOTE.search(sentence):
        # "according to the finance office …"; "…,” Marks said" attributes words, not a fact.
        return "attribution", *whole, BONUS["attribution"]
    if _CAUSE.search(sentence):
        return "cause", *whole, BONUS["cause"]
    return "statement", *whole, BONUS["statement"]


def _damping(sentence: str, cue: dict[str, float]) -> float:
    """Score down questions, opinions, predictions, hedges and quoted feelings."""
    factor = 1.0
    if cue["question"]:
        factor *= 0.35
    if cue["opinion"]:
        factor *= 0.45
    if cue["future"] and not cue["past"]:
        factor *= 0.3 if cue["first_person"] else 0.5
    if cue["hedge"]:
        factor *= 0.85
    if cue["greeting"]:
        factor *= 0.5
    if _QUOTE.search(sentence):
        factor *= 0.85  # quoted speech: often a view, not a fact
    if _FEELINGS.search(sentence):
        factor *= 0.5 if cue["first_person"] else 0.75
    return factor


def suggest(text: str, *, limit: int | None = None, model: Model | None = None) -> list[Suggestion]:
    """Check-worthy spans of ``text``, best first (ties by position): deterministic.

    Each sentence is scored by the model (:func:`rank_sentences`'s code); a reason found by
    the rules raises the score and may narrow the span to a phrase; questions, opinions,
    predictions and feelings are scored down. Spans scoring under ``MIN_SCORE`` are dropped.
    """
    if len(text.split()) < 2:
        return []
    model = model or default_model()
    found: list[Suggestion] = []
    for span in sentences(text):
        sentence = span.text
        features = featurize(sentence)
        cue = features[2]
        if cue["short"] and len(sentence.split()) < MIN_WORDS:
            continue
        probability = model.score_features(features)
        if 1.0 - (1.0 - probability) * (1.0 - _MAX_BONUS) < MIN_SCORE:
            continue  # no reason could lift it: skip the rules
        reason, start, end, bonus = _reason(sentence)
        score = (1.0 - (1.0 - probability) * (1.0 - bonus)) * _damping(sentence, cue)
        if score < MIN_SCORE:
            continue
        found.append(
            Suggestion(
                start=span.start + start,
                end=span.start + end,
                exact=sentence[start:end],
                score=round(score, 4),
                reason=reason,
                sentence_start=span.start,
                sentence_end=span.end,
            )
        )
    found.sort(key=lambda s: (-s.score, s.start))
    return found[:limit] if limit is not None else found
