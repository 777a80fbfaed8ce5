"""Finding quoted passages (excerpts) and building text-fragment links. Pure Python: no
database, no browser (the browser side is tests/browser/test_text_fragments.py)."""

from __future__ import annotations

import time
from collections import Counter

import pytest

from annotations.excerpts import (
    CUT,
    EXACT,
    FUZZY,
    NORMALISED,
    Found,
    Missing,
    find_excerpt,
    locate_excerpt,
    text_directive,
    text_fragment,
)
from tests.excerpts.corpus import generate, same_words

TEXT = (
    "The council voted 7–2 on Tuesday to close the Elm Street library.\n\n"
    "“We simply cannot afford it,” said councillor Ana Ruiz, who chairs the budget committee. "
    "She said the savings would reach $1.2 million over three years.\n\n"
    "Residents packed the hall. We simply cannot afford it, one banner read, mocking the "
    "council. The library will close in March, officials said."
)


def test_exact_excerpt_is_found_where_it_is():
    excerpt = "She said the savings would reach $1.2 million over three years."
    found = find_excerpt(TEXT, excerpt)
    assert found is not None
    assert (found.how, found.confidence) == (EXACT, 1.0)
    assert TEXT[found.start : found.end] == excerpt


def test_curly_quotes_dashes_case_and_newlines_are_normalised():
    found = find_excerpt(
        TEXT, "the council voted 7-2 on\nTuesday   to close the Elm Street library"
    )
    assert found is not None and found.how == NORMALISED
    assert TEXT[found.start : found.end] == (
        "The council voted 7–2 on Tuesday to close the Elm Street library"
    )
    assert 0.9 < found.confidence < 1.0


def test_an_excerpt_cut_with_an_ellipsis_is_matched_piece_by_piece():
    found = find_excerpt(
        TEXT, "“We simply cannot afford it,” said councillor … savings would reach"
    )
    assert found is not None and found.how == CUT
    assert TEXT[found.start : found.end].startswith("“We simply cannot afford it,” said")
    assert TEXT[found.start : found.end].endswith("savings would reach")
    assert len(found.parts) == 2


def test_an_ellipsis_at_either_end_only_marks_a_fragment():
    found = find_excerpt(TEXT, "… said councillor Ana Ruiz, who chairs the budget committee [...]")
    assert found is not None and found.how == EXACT
    assert (
        TEXT[found.start : found.end] == "said councillor Ana Ruiz, who chairs the budget committee"
    )


def test_invisible_characters_and_non_breaking_spaces_in_the_page_are_ignored():
    page = "The council\u00a0voted to close the li\u00adbrary on Elm\u200b Street."
    found = find_excerpt(page, "voted to close the library on Elm Street")
    assert found is not None and found.how == NORMALISED
    assert page[found.start : found.end].startswith("voted") and page[found.end - 1] == "t"


def test_pieces_too_far_apart_are_not_an_excerpt():
    far = TEXT + " " + "Other news followed. " * 40 + "The end of the bulletin."
    result = locate_excerpt(far, "The council voted 7–2 on Tuesday … The end of the bulletin.")
    assert isinstance(result, Missing)
    assert "in order, close together" in result.reason


def test_typos_are_found_fuzzily():
    found = find_excerpt(TEXT, "She said the savigns would reach $1.2 milion over three years.")
    assert found is not None and found.how == FUZZY
    assert TEXT[found.start : found.end].startswith("She said the savings")
    assert 0.85 <= found.confidence < 1.0


def test_a_repeated_phrase_is_refused_rather_than_guessed():
    result = locate_excerpt(TEXT, "we simply cannot afford it")
    assert isinstance(result, Missing)
    assert "2 times" in result.reason


def test_a_repeated_phrase_with_a_typo_is_refused_too():
    assert find_excerpt(TEXT, "We simply cannot aford it") is None


def test_more_words_make_a_repeated_phrase_unique():
    found = find_excerpt(TEXT, "We simply cannot afford it, one banner read")
    assert found is not None
    assert TEXT[found.start : found.end] == "We simply cannot afford it, one banner read"


@pytest.mark.parametrize(
    "excerpt",
    [
        "",
        " … ",
        "The mayor resigned in disgrace after the vote on the library",
        "council",
    ],
)
def test_absent_empty_or_ambiguous_excerpts_give_a_reason(excerpt):
    result = locate_excerpt(TEXT, excerpt)
    assert isinstance(result, Missing) and result.reason


def test_an_excerpt_is_not_found_inside_a_longer_word():
    assert find_excerpt("Shortcuts are not a cut above the rest.", "cut") is not None
    assert find_excerpt("Shortcuts, cutlery and scuttles.", "cut") is None


# --- Text-fragment links -------------------------------------------------------------


def _found(text: str, passage: str) -> Found:
    start = text.index(passage)
    return Found(start, start + len(passage), EXACT, 1.0)


def test_short_passage_is_quoted_whole_with_syntax_characters_encoded():
    url = text_fragment("https://news.example/a", TEXT, _found(TEXT, "voted 7–2 on Tuesday"))
    assert url == "https://news.example/a#:~:text=voted%207%E2%80%932%20on%20Tuesday"
    hyphens = "A well-known, long-standing & much-loved shop closed."
    url = text_fragment("https://x.example/", hyphens, _found(hyphens, "well-known, long"))
    assert url.endswith("#:~:text=well%2Dknown%2C%20long")


def test_long_passage_uses_its_first_and_last_words():
    passage = "She said the savings would reach $1.2 million over three years."
    directive = text_directive(TEXT, _found(TEXT, passage))
    assert directive == "text=She%20said%20the,over%20three%20years"


def test_repeated_words_get_a_prefix_or_suffix_to_reach_the_second_copy():
    start = TEXT.rindex("We simply cannot afford it,")
    found = Found(start, start + len("We simply cannot afford it"), EXACT, 1.0)
    assert text_directive(TEXT, found) == "text=hall.-,We%20simply%20cannot%20afford%20it"
    # The first copy needs nothing more than its words: the browser finds it first.
    first = _found(TEXT, "We simply cannot afford it")
    assert text_directive(TEXT, first) == "text=We%20simply%20cannot%20afford%20it"


def test_an_existing_fragment_keeps_its_place_and_old_text_directives_go():
    found = _found(TEXT, "Residents packed the hall")
    assert text_fragment("https://x.example/p#comments", TEXT, found) == (
        "https://x.example/p#comments:~:text=Residents%20packed%20the%20hall"
    )
    assert text_fragment("https://x.example/p#top:~:text=old&note=1", TEXT, found) == (
        "https://x.example/p#top:~:note=1&text=Residents%20packed%20the%20hall"
    )


def test_no_link_rather_than_a_link_to_other_words():
    text = "Same words here.\nSame words here."
    second = Found(text.rindex("Same"), len(text) - 1, EXACT, 1.0)
    assert text_fragment("https://x.example/", text, second) == "https://x.example/"


# --- The generated corpus --------------------------------------------------------------


def test_corpus_excerpts_are_found_and_never_placed_on_the_wrong_words():
    cases = generate()
    tally: Counter[str] = Counter()
    wrong: list[str] = []
    missed: list[str] = []
    began = time.perf_counter()
    for case in cases:
        result = locate_excerpt(case.text, case.excerpt)
        if case.expected is None:  # the same words twice: refusing is the only right answer
            if isinstance(result, Found):
                wrong.append(f"{case.label}: guessed {result}")
            else:
                tally["refused, as it must"] += 1
            continue
        if isinstance(result, Missing):
            missed.append(f"{case.label}: {result.reason}")
        elif same_words(case.text, (result.start, result.end), case.expected):
            tally[result.how] += 1
        else:
            wrong.append(f"{case.label}: placed on {case.text[result.start : result.end]!r}")
    elapsed = time.perf_counter() - began
    findable = sum(case.expected is not None for case in cases)
    found = findable - len(missed) - sum(1 for w in wrong if "guessed" not in w)
    print(
        f"\nexcerpts: {len(cases)} cases; {found}/{findable} found ({found / findable:.1%}), "
        f"{len(wrong)} on wrong words, {dict(tally)}; "
        f"{elapsed / len(cases) * 1000:.1f} ms per excerpt"
    )
    print(f"by category: {dict(Counter(c.category for c in cases))}")
    assert len(cases) >= 300
    assert wrong == []
    assert found / findable >= 0.98, missed
