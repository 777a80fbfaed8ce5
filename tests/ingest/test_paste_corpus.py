"""Pasted heads and tails from real publishing systems: the chrome goes, the article stays.

Every head and tail of ``paste_corpus`` is pasted before or after the same article, with
single and with double line breaks. The article must come out exactly, the headline
must be the article's, and what was removed must be listed, by kind and place.
"""

from __future__ import annotations

import pytest

from annotations.ingest import clean_text

from .paste_corpus import BODY, HEADLINE, HEADS, KEEPERS, TAILS, article

SEPARATORS = {"single": "\n", "double": "\n\n"}


def _lines(text: str) -> list[str]:
    return [" ".join(line.split()) for line in text.split("\n") if line.strip()]


def test_the_corpus_covers_a_dozen_systems_each_way():
    assert len(HEADS) >= 10
    assert len(TAILS) >= 12
    assert len(KEEPERS) >= 6


@pytest.mark.parametrize("style", SEPARATORS)
@pytest.mark.parametrize("name", HEADS)
def test_site_chrome_before_the_article_is_removed_and_never_the_headline(name, style):
    head, kinds = HEADS[name]
    body = article(SEPARATORS[style])

    result = clean_text(head + SEPARATORS[style] + body)

    assert result.text == body
    assert result.headline_guess == HEADLINE
    assert [part.kind for part in result.parts] == kinds
    assert all(part.at == 0 for part in result.parts)
    assert _lines(result.removed) == _lines(head)


@pytest.mark.parametrize("style", SEPARATORS)
@pytest.mark.parametrize("name", TAILS)
def test_furniture_after_the_article_is_removed_and_listed_at_the_end(name, style):
    tail, kinds = TAILS[name]
    body = article(SEPARATORS[style])

    result = clean_text(body + SEPARATORS[style] + tail)

    assert result.text == body
    assert result.headline_guess == HEADLINE
    assert [part.kind for part in result.parts] == kinds
    assert all(part.at == len(body) for part in result.parts)
    assert _lines(result.removed) == _lines(tail)


@pytest.mark.parametrize("style", SEPARATORS)
def test_head_and_tail_together(style):
    head = HEADS["wordpress, single breaks"][0]
    tail = TAILS["wordpress, single breaks"][0]
    body = article(SEPARATORS[style])

    result = clean_text(head + "\n" + body + "\n" + tail)

    assert result.text == body
    assert result.headline_guess == HEADLINE
    assert [(part.kind, part.at) for part in result.parts] == [
        ("navigation", 0),
        ("share", len(body)),
        ("related", len(body)),
        ("comments", len(body)),
    ]


@pytest.mark.parametrize("keeper", KEEPERS)
@pytest.mark.parametrize("tail", [None, "wordpress, single breaks", "ghost", "blogger"])
@pytest.mark.parametrize("style", SEPARATORS)
def test_a_last_paragraph_that_looks_like_boilerplate_is_kept(keeper, tail, style):
    body = article(SEPARATORS[style], [*BODY, keeper])
    raw = body if tail is None else body + SEPARATORS[style] + TAILS[tail][0]

    result = clean_text(raw)

    assert result.text == body
    assert result.text.endswith(keeper)


def test_reading_time_and_share_buttons_under_the_headline_go_the_byline_stays():
    raw = (
        f"{HEADLINE}\n2 hours ago\nShare\nSave\nJane Doe\nBBC News\n\n"
        "The city council voted on Tuesday to close the old harbour bridge to cars.\n\n"
        "Share\n\nThe decision passed by 31 votes to 12."
    )

    result = clean_text(raw)

    assert result.text == (
        f"{HEADLINE}\n2 hours ago\nJane Doe\nBBC News\n\n"
        "The city council voted on Tuesday to close the old harbour bridge to cars.\n\n"
        "Share\n\nThe decision passed by 31 votes to 12."
    )
    assert [(part.kind, part.text) for part in result.parts] == [("byline", "Share\nSave")]
    assert result.parts[0].at == result.text.index("Jane Doe")


def test_medium_reading_time_block_goes():
    raw = (
        "Open in app\nSign up\nSign in\nWrite\nSearch\n"
        f"{HEADLINE}\nJane Doe\nFollow\n8 min read\n·\nNov 20, 2023\n--\nListen\nShare\n"
        + "\n".join(BODY[2:])
    )

    result = clean_text(raw)

    assert result.headline_guess == HEADLINE
    assert result.text == "\n".join([HEADLINE, "Jane Doe", "Nov 20, 2023", *BODY[2:]])
    assert [part.kind for part in result.parts] == ["navigation", "byline", "byline"]


def test_a_paste_that_is_only_chrome_is_refused_with_a_message():
    from annotations.ingest import EmptyInput

    with pytest.raises(EmptyInput, match="page furniture"):
        clean_text(HEADS["wordpress, single breaks"][0] + "\n" + TAILS["ghost"][0])


def test_headline_is_never_taken_from_chrome_left_in_the_text():
    # "Share" stays (a real sentence follows it), but it is not a headline.
    raw = "Related\n\nThe council voted on Tuesday to close the harbour bridge to cars."

    assert clean_text(raw).headline_guess.startswith("The council voted")


def test_single_break_wordpress_paste_from_the_issue():
    raw = (
        "Skip to content\nMenu\nHome | World | Politics | Business\n"
        + "\n".join(BODY)
        + "\nShare this:\nTwitter\nFacebook\nLike this:\nLike Loading...\nRelated\n"
        "Leave a Reply\nYour email address will not be published.\nPost Comment"
    )

    result = clean_text(raw)

    assert result.headline_guess == HEADLINE
    assert result.text == "\n".join(BODY)
    assert "Post Comment" in result.removed and "Skip to content" in result.removed
