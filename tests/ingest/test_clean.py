"""clean_text: the canonical text every claim offset counts in."""

from __future__ import annotations

import pytest

from annotations.ingest import MAX_TEXT_CHARS, EmptyInput, TooLarge, clean_text

COMMENT_FORM_LINES = [
    "Leave a Reply",
    "Fill in your details below or click an icon to log in: Logo",
    "You are commenting using your account. Log Out / Change )",
    "Twitter picture",
    "You are commenting using your Twitter account. Log Out / Change )",
    "Facebook photo",
    "You are commenting using your Facebook account. Log Out / Change )",
    "Google+ photo",
    "You are commenting using your Google+ account. Log Out / Change )",
    "Connecting to %s",
]


# --- the demo article ---------------------------------------------------------------------


def test_defector_article_keeps_the_article_and_drops_the_comment_form(defector_text):
    result = clean_text(defector_text)

    assert result.text.startswith(
        "Video shows North Korean defector’s harrowing escape amid gunfire"
    )
    assert result.text.endswith("violent infringement upon our dignified country.”")
    for line in COMMENT_FORM_LINES:
        assert line not in result.text
        assert line in result.removed
    assert result.removed.split("\n\n") == COMMENT_FORM_LINES


def test_defector_article_keeps_curly_quotes_and_loses_nbsp(defector_text):
    result = clean_text(defector_text)

    assert "“Spider”" in result.text
    assert "‘I’m a target,'”" in result.text
    assert "\u00a0" not in result.text
    assert "armistice. He doubles back." in result.text


def test_defector_article_paragraphs_are_separated_by_one_blank_line(defector_text):
    text = clean_text(defector_text).text

    assert "\n\n\n" not in text
    assert text.count("\n") == 2 * text.count("\n\n")  # no single newlines inside paragraphs
    assert len(text.split("\n\n")) == 19  # 29 paragraphs pasted, 10 of them the comment form


def test_headline_guess_is_the_first_line(defector_text):
    assert (
        clean_text(defector_text).headline_guess
        == "Video shows North Korean defector’s harrowing escape amid gunfire"
    )


def test_headline_guess_is_capped_at_300_characters():
    result = clean_text("word " * 200 + "\n\nSecond paragraph.")

    assert len(result.headline_guess) <= 300
    assert result.headline_guess == result.headline_guess.strip()


# --- whitespace and Unicode ---------------------------------------------------------------


def test_newline_conventions_become_one():
    assert clean_text("One\r\ntwo\rthree\n\r\nFour").text == "One\ntwo\nthree\n\nFour"


def test_unicode_line_and_paragraph_separators():
    assert clean_text("One\u2028two\u2029Three").text == "One\ntwo\n\nThree"


def test_odd_spaces_become_plain_spaces_and_runs_collapse():
    raw = "A\u00a0b\u2009c\u202fd\u3000e\t\tf    g"

    assert clean_text(raw).text == "A b c d e f g"


def test_zero_width_characters_and_soft_hyphens_are_removed():
    assert clean_text("in\u200bvisible\ufeff soft\u00adhyphen\u2060").text == (
        "invisible softhyphen"
    )


def test_joiners_are_kept_because_they_are_real_text():
    persian = "می\u200cخواهم"  # ZWNJ is part of correct Persian spelling
    family = "👨\u200d👩\u200d👧"

    assert clean_text(f"{persian} {family}").text == f"{persian} {family}"


def test_control_characters_are_removed():
    assert clean_text("bell\x07 and\x00 null\x1b").text == "bell and null"


def test_text_is_nfc_normalised():
    decomposed = "Cafe\u0301"

    assert clean_text(decomposed).text == "Caf\u00e9"
    assert len(clean_text(decomposed).text) == 4


def test_lines_are_stripped_and_blank_runs_become_one_blank_line():
    raw = "  \n\n  First line   \n  second line  \n \n\t\n\n\n  Next paragraph  \n\n  "

    assert clean_text(raw).text == "First line\nsecond line\n\nNext paragraph"


def test_single_newlines_inside_a_paragraph_are_kept():
    assert clean_text("Line one\nline two").text == "Line one\nline two"


def test_clean_text_is_idempotent(defector_text):
    once = clean_text(defector_text)

    assert clean_text(once.text).text == once.text
    assert clean_text(once.text).removed == ""


# --- boilerplate ----------------------------------------------------------------------------


ARTICLE = (
    "Headline of the story\n\n"
    "The first paragraph of the article says something that a reader should keep.\n\n"
    "The last paragraph of the article ends with a full sentence."
)


@pytest.mark.parametrize(
    "tail",
    [
        "Share this:\n\nClick to share on Twitter (Opens in new window)\n\n"
        "Click to share on Facebook (Opens in new window)\n\nLike this:\n\nLike Loading...",
        "Related\n\nAnother story about bridges\n\nA third story about harbours",
        "Sign up for our newsletter\n\nEnter your email address to get the daily briefing",
        "This website uses cookies to improve your experience. Accept all cookies",
        "You must be logged in to post a comment.",
        "Loading...",
        "Tags: bridges, harbours, council\n\nShare\n\nTweet\n\nEmail",
        "Copyright © 2017 The Daily Example. All rights reserved.",
    ],
)
def test_trailing_boilerplate_is_removed_and_returned(tail):
    result = clean_text(f"{ARTICLE}\n\n{tail}")

    assert result.text == ARTICLE
    assert result.removed == tail


def test_advertisement_paragraphs_are_removed_anywhere_in_document_order():
    raw = (
        "Headline\n\nFirst real paragraph of the story.\n\nAdvertisement\n\n"
        "Second real paragraph of the story.\n\nADVERTISEMENT - SCROLL TO CONTINUE\n\n"
        "Third real paragraph.\n\nShare this:\n\nLike this:"
    )

    result = clean_text(raw)

    assert result.text == (
        "Headline\n\nFirst real paragraph of the story.\n\n"
        "Second real paragraph of the story.\n\nThird real paragraph."
    )
    assert result.removed.split("\n\n") == [
        "Advertisement",
        "ADVERTISEMENT - SCROLL TO CONTINUE",
        "Share this:",
        "Like this:",
    ]


def test_boilerplate_followed_by_real_paragraph_is_kept():
    # "Related" in the middle, followed by a real paragraph: nothing is cut.
    raw = (
        "Headline\n\nRelated\n\nThe council said it would publish the full report next week, "
        "after the auditors have finished their work."
    )

    result = clean_text(raw)

    assert result.text == raw
    assert result.removed == ""


def test_sentence_mentioning_boilerplate_words_is_kept():
    raw = (
        "Headline\n\nThe site says it uses cookies, Twitter and a newsletter to reach readers.\n\n"
        "Share this story with care, the editor said."
    )

    assert clean_text(raw).text == raw


def test_last_paragraph_starting_like_a_pattern_is_kept():
    raw = "Headline\n\nFirst paragraph.\n\nMore in the coming days.\n\nCopyright law was central."

    assert clean_text(raw).text == raw


def test_real_text_after_a_comment_form_stops_the_cut():
    raw = (
        ARTICLE + "\n\nLeave a Reply\n\nThis is a reader's comment, a full sentence that "
        "says something long enough not to be a fragment of page furniture."
    )

    result = clean_text(raw)

    assert result.text == raw
    assert result.removed == ""


# --- errors ---------------------------------------------------------------------------------


@pytest.mark.parametrize("raw", ["", "   ", "\n\n\t\u00a0\u200b\n", "... — …"])
def test_nothing_readable_raises_empty_input(raw):
    with pytest.raises(EmptyInput) as caught:
        clean_text(raw)

    assert caught.value.status == 400
    assert caught.value.field == "text"
    assert caught.value.message


def test_only_boilerplate_raises_empty_input():
    with pytest.raises(EmptyInput, match="page furniture"):
        clean_text("Leave a Reply\n\nConnecting to %s")


def test_too_large_is_refused_before_any_work(monkeypatch):
    import annotations.ingest.clean as clean_module

    def must_not_run(raw):
        raise AssertionError("normalisation ran on oversized input")

    monkeypatch.setattr(clean_module, "_normalise", must_not_run)

    with pytest.raises(TooLarge) as caught:
        clean_text("a" * (MAX_TEXT_CHARS + 1))

    assert caught.value.status == 413
    assert "2,000,000" in caught.value.message


def test_text_at_the_limit_is_accepted():
    assert len(clean_text("a" * MAX_TEXT_CHARS).text) == MAX_TEXT_CHARS


def test_field_can_be_redirected_for_other_inputs():
    with pytest.raises(EmptyInput) as caught:
        clean_text("", field="html")

    assert caught.value.field == "html"


def test_non_string_input_is_a_programming_error():
    with pytest.raises(TypeError):
        clean_text(b"bytes")  # type: ignore[arg-type]


def test_dropping_an_invisible_character_still_gives_nfc():
    raw = "Cafe\u200b\u0301"  # ZWSP between the letter and its accent

    text = clean_text(raw).text

    assert text == "Caf\u00e9"
    assert clean_text(text).text == text


def test_vertical_tab_and_form_feed_are_line_breaks():
    assert clean_text("One\vtwo\fthree").text == "One\ntwo\nthree"
