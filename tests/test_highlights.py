"""render_segments: the text cut at every paragraph break and claim boundary."""

from dataclasses import dataclass

from annotations.highlights import paragraph_spans, render_segments


@dataclass
class C:
    id: int
    start: int
    end: int


TEXT = "The defector was hit at least five times, but lives.\n\nThey drag him further."


def _flat(paragraphs):
    return [(s.text, [c.id for c in s.claims]) for p in paragraphs for s in p.segments]


def test_text_without_claims_is_one_segment_per_paragraph():
    paragraphs = render_segments(TEXT, [])
    assert [p.text for p in paragraphs] == TEXT.split("\n\n")
    assert [p.start for p in paragraphs] == [0, TEXT.index("They")]
    assert all(len(p.segments) == 1 and not p.segments[0].claims for p in paragraphs)


def test_paragraph_spans_count_the_break_as_two_characters():
    assert paragraph_spans("ab\n\ncd\n\ne") == [(0, 2), (4, 6), (8, 9)]


def test_nested_claim_splits_the_outer_one():
    outer = C(1, 0, TEXT.index(","))
    inner_start = TEXT.index("hit")
    inner = C(2, inner_start, inner_start + len("hit at least five times"))
    flat = _flat(render_segments(TEXT, [inner, outer]))
    assert flat[:3] == [
        ("The defector was ", [1]),
        ("hit at least five times", [1, 2]),  # outermost first, innermost last
        (", but lives.", []),
    ]
    segments = render_segments(TEXT, [inner, outer])[0].segments
    assert segments[1].innermost is inner
    assert [c.id for c in segments[0].begins] == [1]
    assert [c.id for c in segments[1].begins] == [2]


def test_overlapping_claims_share_the_middle_segment():
    a = C(1, 4, 16)  # "defector was"
    b = C(2, 13, 20)  # "was hit"
    flat = _flat(render_segments(TEXT, [a, b]))
    assert flat[:4] == [("The ", []), ("defector ", [1]), ("was", [1, 2]), (" hit", [2])]


def test_claim_across_paragraphs_covers_both_and_begins_once():
    start = TEXT.index("lives")
    end = TEXT.index(" him")
    claim = C(7, start, end)
    paragraphs = render_segments(TEXT, [claim])
    covered = [(s.text, s.start) for p in paragraphs for s in p.segments if s.claims]
    assert covered == [("lives.", start), ("They drag", TEXT.index("They"))]
    begins = [s for p in paragraphs for s in p.segments if s.begins]
    assert len(begins) == 1


def test_identical_spans_are_both_listed():
    flat = _flat(render_segments(TEXT, [C(1, 0, 3), C(2, 0, 3)]))
    assert flat[0] == ("The", [1, 2])


def test_claims_that_do_not_fit_the_text_are_left_out():
    flat = _flat(render_segments(TEXT, [C(1, 5, 5), C(2, 9, 3), C(3, 0, len(TEXT) + 1)]))
    assert all(ids == [] for _, ids in flat)


def test_segments_rebuild_the_text_exactly_with_emoji_and_rtl():
    text = "Le maire 🇫🇷 a dit «שלום עולם» 😀.\n\nمرحبا 👋🏽 بالعالم"
    start = text.index("שלום")
    claims = [C(1, start, start + 4), C(2, text.index("👋🏽"), text.index("👋🏽") + 2)]
    paragraphs = render_segments(text, claims)
    assert "\n\n".join(p.text for p in paragraphs) == text
    marked = [s.text for p in paragraphs for s in p.segments if s.claims]
    assert marked == ["שלום", "👋🏽"]


def test_five_hundred_claims_render_quickly():
    import time

    text = ("word " * 4000).strip()
    claims = [C(i, i * 20, i * 20 + 15) for i in range(500)]
    began = time.perf_counter()
    paragraphs = render_segments(text, claims)
    assert time.perf_counter() - began < 0.5
    assert sum(1 for s in paragraphs[0].segments if s.claims) == 500


# --- Suggestions (issue 14): cut in the same pass, drawn only where no claim is ---------------


def _hints(paragraphs):
    return [
        (s.text, s.suggestion.id if s.suggestion else None, s.suggestion_begins)
        for p in paragraphs
        for s in p.segments
    ]


def test_a_suggestion_is_its_own_segment_and_begins_once():
    start = TEXT.index("hit")
    hint = C(10, start, start + len("hit at least five times"))
    paragraphs = render_segments(TEXT, [], [hint])
    assert _hints(paragraphs)[:3] == [
        ("The defector was ", None, False),
        ("hit at least five times", 10, True),
        (", but lives.", None, False),
    ]
    assert all(not s.claims for p in paragraphs for s in p.segments)
    assert "\n\n".join(p.text for p in paragraphs) == TEXT


def test_a_claim_wins_where_it_overlaps_a_suggestion():
    claim = C(1, TEXT.index("hit"), TEXT.index(","))  # "hit at least five times"
    hint = C(10, 0, TEXT.index(",") + 1)  # the sentence's first clause, with the comma
    paragraphs = render_segments(TEXT, [claim], [hint])
    flat = [
        (s.text, [c.id for c in s.claims], s.suggestion and s.suggestion.id)
        for s in paragraphs[0].segments
    ]
    assert flat[:3] == [
        ("The defector was ", [], 10),
        ("hit at least five times", [1], None),  # the claim's highlight, no suggestion
        (",", [], 10),  # the suggestion resumes after it, without beginning again
    ]
    assert [s.suggestion_begins for s in paragraphs[0].segments[:3]] == [True, False, False]


def test_a_suggestion_inside_a_claim_does_not_show():
    claim = C(1, 0, TEXT.index(".") + 1)
    hint = C(10, TEXT.index("hit"), TEXT.index(","))
    paragraphs = render_segments(TEXT, [claim], [hint])
    assert all(s.suggestion is None for p in paragraphs for s in p.segments)


def test_a_suggestion_across_paragraphs_begins_in_the_first():
    hint = C(10, TEXT.index("lives"), TEXT.index(" him"))
    hints = [h for h in _hints(render_segments(TEXT, [], [hint])) if h[1]]
    assert hints == [("lives.", 10, True), ("They drag", 10, False)]


def test_suggestions_that_do_not_fit_the_text_are_left_out():
    bad = [C(1, 5, 5), C(2, 9, 3), C(3, 0, len(TEXT) + 1)]
    assert all(h[1] is None for h in _hints(render_segments(TEXT, [], bad)))


def test_suggestions_and_claims_side_by_side_rebuild_the_text():
    text = ("word " * 4000).strip()
    claims = [C(i, i * 40, i * 40 + 15) for i in range(250)]
    hints = [C(1000 + i, i * 40 + 20, i * 40 + 35) for i in range(250)]
    paragraphs = render_segments(text, claims, hints)
    assert paragraphs[0].text == text
    assert sum(1 for s in paragraphs[0].segments if s.suggestion_begins) == 250
    assert sum(1 for s in paragraphs[0].segments if s.begins) == 250
