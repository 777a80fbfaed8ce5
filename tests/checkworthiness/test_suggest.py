"""Suggestions: the demo article's quantities rank high; opinions, questions and
predictions rank below plain factual quantities; offsets are exact."""

from pathlib import Path

import pytest

from annotations.checkworthiness import REASONS, rank_sentences, suggest

DEMO = Path(__file__).resolve().parents[2] / "annotations" / "demo" / "defector-escape.txt"


def covers(suggestion, text, phrase):
    start = text.index(phrase)
    return suggestion.start <= start and start + len(phrase) <= suggestion.end


def test_demo_article_quantities_are_among_the_top_eight():
    text = DEMO.read_text(encoding="utf-8")
    top = suggest(text, limit=8)
    for phrase in ("hit at least five times", "an estimated 40 rounds"):
        assert any(covers(s, text, phrase) for s in top), phrase
    quantity = next(s for s in top if covers(s, text, "an estimated 40 rounds"))
    assert quantity.reason == "quantity"
    assert quantity.exact == "an estimated 40 rounds"  # the phrase, not the sentence


def test_suggestions_are_exact_ranked_and_deterministic():
    text = DEMO.read_text(encoding="utf-8")
    found = suggest(text)
    assert found == suggest(text)
    assert [s.score for s in found] == sorted((s.score for s in found), reverse=True)
    for s in found:
        assert s.exact == text[s.start : s.end]
        assert s.sentence_start <= s.start < s.end <= s.sentence_end
        assert 0.0 <= s.score <= 1.0
        assert s.reason in REASONS and s.label == REASONS[s.reason]
    assert not any("commenting" in s.exact or "Log" in s.exact for s in found)


def test_limit_keeps_the_best():
    text = DEMO.read_text(encoding="utf-8")
    assert suggest(text, limit=3) == suggest(text)[:3]


@pytest.mark.parametrize("text", ["", "   \n\t ", "Unemployment", "  42  ", "Hello."])
def test_empty_and_one_word_texts_have_no_suggestions(text):
    assert suggest(text) == []


FACT = "Unemployment rose 4% last year to 212 million people, the statistics office said."


@pytest.mark.parametrize(
    "other",
    [
        "Will unemployment rise again next year?",
        "How many people lost their jobs last year?",
        "I think unemployment is the biggest problem we face.",
        "I feel that the economy is getting worse for families.",
        "Unemployment will rise next year and prices will follow.",
        "We hope the new jobs programme will help people.",
    ],
)
def test_questions_opinions_and_predictions_rank_below_a_quantity(other):
    text = f"{other} {FACT}"
    found = suggest(text)
    assert found, "the factual quantity is suggested"
    assert found[0].sentence_start == text.index(FACT)
    others = [s for s in found if s.sentence_start < text.index(FACT)]
    assert all(s.score < found[0].score for s in others)


def test_phrase_level_quantities():
    text = "Sales saw a 4% rise to 212 million units. The plant employs workers from three towns."
    first = suggest(text)[0]
    assert first.reason == "quantity"
    assert first.exact == "a 4% rise to 212 million units"


def test_rank_sentences_scores_each_sentence():
    scores = rank_sentences(["Thank you very much.", FACT])
    assert len(scores) == 2
    assert all(0.0 <= s <= 1.0 for s in scores)
    assert scores[1] > scores[0]


def test_a_wire_dateline_is_not_part_of_the_statement():
    text = "WASHINGTON (Reuters) - The Senate passed the bill 62 to 38 on Tuesday."
    (found,) = suggest(text)
    assert found.sentence_start == 0
    assert not found.exact.startswith("WASHINGTON")
