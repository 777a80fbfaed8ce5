"""Sentence splitting: offsets index the text exactly, in code points."""

from annotations.checkworthiness import sentences


def texts(text):
    spans = sentences(text)
    for span in spans:
        assert text[span.start : span.end] == span.text
    return [span.text for span in spans]


def test_offsets_are_code_points_past_emoji_and_non_bmp_characters():
    text = "😀 The 𝒳 index rose 4% in 2023. 🇺🇸 Exports fell by a third! Why? 👍🏽 Nobody knows."
    assert texts(text) == [
        "😀 The 𝒳 index rose 4% in 2023.",
        "🇺🇸 Exports fell by a third!",
        "Why?",
        "👍🏽 Nobody knows.",
    ]
    span = sentences(text)[1]
    assert span.start == text.index("🇺🇸")


def test_abbreviations_and_initials_do_not_end_a_sentence():
    text = (
        "Retired Gen. James Marks spoke on Nov. 13 to the U.S. Senate. "
        "Mr. J. R. Smith of Acme Inc. disagreed. The U.S. It was late."
    )
    assert texts(text) == [
        "Retired Gen. James Marks spoke on Nov. 13 to the U.S. Senate.",
        "Mr. J. R. Smith of Acme Inc. disagreed.",
        "The U.S.",
        "It was late.",
    ]


def test_quotes_stay_with_their_sentence():
    text = "“We’ve got a runner,” he said. “Really?” she asked. He left.”\n‘Fine.’ Done."
    assert texts(text) == [
        "“We’ve got a runner,” he said.",
        "“Really?” she asked.",
        "He left.”",
        "‘Fine.’",
        "Done.",
    ]


def test_paragraph_breaks_and_bullet_junk():
    text = "Title line\n\n• First point here.\n - Second point\n1. Third point.\n\n***\n---\n"
    assert texts(text) == ["Title line", "First point here.", "Second point", "Third point."]


def test_empty_text_has_no_sentences():
    assert sentences("") == []
    assert sentences("  \n\n \t") == []
