"""Tests for the re-anchoring engine: one per rule, Unicode offsets, and a generated corpus.

Plain pytest, no database: run with ``pytest -p no:django tests/anchoring``.
"""

from __future__ import annotations

from collections import Counter, defaultdict

import pytest

from annotations.anchoring import (
    ANCHORED,
    CONTEXT_WIDTH,
    FUZZY,
    MOVED,
    ORPHANED,
    STATES,
    Placement,
    Quote,
    anchor_quote,
    anchor_quotes,
    context_for,
)
from tests.anchoring.corpus import Case, build_corpus, load_texts

ARTICLE = load_texts()["defector"]


def quote_of(text: str, exact: str, occurrence: int = 0) -> Quote:
    """The selector an editor would have stored for the n-th occurrence of exact."""
    start = -1
    for _ in range(occurrence + 1):
        start = text.index(exact, start + 1)
    end = start + len(exact)
    prefix, suffix = context_for(text, start, end)
    return Quote(exact, prefix, suffix, start, end)


def span_of(text: str, exact: str, occurrence: int = 0) -> tuple[int, int]:
    q = quote_of(text, exact, occurrence)
    return q.start, q.end


def placed(placement: Placement) -> tuple[str, int | None, int | None]:
    return placement.state, placement.start, placement.end


# --- context_for and the placement record ----------------------------------------------


def test_context_for_takes_up_to_width_code_points_each_side():
    text = "a" * 40 + "QUOTE" + "b" * 40
    assert context_for(text, 40, 45) == ("a" * CONTEXT_WIDTH, "b" * CONTEXT_WIDTH)
    assert context_for(text, 40, 45, width=3) == ("aaa", "bbb")


def test_context_for_is_cut_short_at_the_edges_of_the_text():
    assert context_for("Hello world", 0, 5) == ("", " world")
    assert context_for("Hello world", 6, 11) == ("Hello ", "")


def test_placement_carries_the_new_text_and_context():
    q = quote_of(ARTICLE, "Marks said")
    new = "Breaking. " + ARTICLE
    p = anchor_quote(new, q)
    assert p.exact == new[p.start : p.end] == "Marks said"
    assert (p.prefix, p.suffix) == context_for(new, p.start, p.end)
    assert p.score == 1.0


def test_state_names_are_the_api_values():
    assert STATES == ("anchored", "moved", "fuzzy", "orphaned")
    assert (ANCHORED, MOVED, FUZZY, ORPHANED) == STATES


# --- rule 1: anchored -------------------------------------------------------------------


def test_unchanged_text_keeps_the_claim_where_it_was():
    q = quote_of(ARTICLE, "The defector was hit at least five times, but lives.")
    assert placed(anchor_quote(ARTICLE, q)) == (ANCHORED, q.start, q.end)


def test_edits_after_the_claim_leave_it_anchored():
    q = quote_of(ARTICLE, "releasing an estimated 40 rounds")
    new = ARTICLE.replace("Leave a Reply", "Comments are closed.")
    assert placed(anchor_quote(new, q)) == (ANCHORED, q.start, q.end)


def test_same_offsets_with_changed_context_on_one_side_still_anchored():
    q = quote_of(ARTICLE, "They streamed out.")
    new = ARTICLE.replace("They streamed out.\n\nVideo", "They streamed out.\n\nFootage")
    assert placed(anchor_quote(new, q)) == (ANCHORED, q.start, q.end)


def test_short_quote_at_old_offsets_by_coincidence_is_not_anchored():
    text = "The minister said no. Then the talks ended."
    q = quote_of(text, "said no")
    new = "Our reporter read it. Then the talks ended."  # "said no" gone; same length
    assert len(new) == len(text)
    assert anchor_quote(new, q).state == ORPHANED


# --- rule 2: moved ----------------------------------------------------------------------


def test_insertion_before_the_claim_moves_it():
    q = quote_of(ARTICLE, "a former military intelligence officer in South Korea")
    insertion = "This article was updated at 10 a.m. with new footage.\n\n"
    new = insertion + ARTICLE
    assert placed(anchor_quote(new, q)) == (MOVED, q.start + len(insertion), q.end + len(insertion))


def test_paragraph_moved_to_the_end_moves_the_claim():
    para = "They drag him further toward their side, taking a significant risk."
    q = quote_of(ARTICLE, para)
    new = ARTICLE.replace(para + "\n\n", "") + "\n\n" + para
    assert placed(anchor_quote(new, q)) == (MOVED, len(new) - len(para), len(new))


def test_repeated_quote_is_told_apart_by_its_prefix():
    text = (
        "The mayor rejected the plan. It was too expensive, she said.\n\n"
        "The council backed the plan. It was too expensive, she said, but necessary."
    )
    q = quote_of(text, "It was too expensive", occurrence=1)
    new = "Updated. " + text
    assert placed(anchor_quote(new, q)) == (MOVED, q.start + 9, q.end + 9)


def test_repeated_quote_is_told_apart_by_its_suffix():
    text = "Prices rose sharply in May, the bank said. Prices rose sharply in June, traders said."
    q = quote_of(text, "Prices rose sharply", occurrence=1)
    q = Quote(q.exact, "", q.suffix, q.start, q.end)  # no prefix to help
    new = "Markets. " + text
    assert placed(anchor_quote(new, q)) == (MOVED, q.start + 9, q.end + 9)


def test_indistinguishable_repeats_are_orphaned_not_guessed():
    block = "Public comment is open at every meeting of the board, the clerk said again."
    text = f"Notes.\n\n{block}\n\nMore notes.\n\n{block}\n\nEnd."
    q = quote_of(text, "open at every meeting", occurrence=1)
    q = Quote(q.exact, "Public comment is ", " of the board", q.start, q.end)
    new = "Correction appended.\n\n" + text
    assert anchor_quote(new, q).state == ORPHANED


def test_short_quote_whose_context_vanished_is_orphaned_rather_than_moved():
    text = "He fired 40 rounds at the border post, officials said. Trade talks resumed."
    q = quote_of(text, "40 rounds")
    new = "Trade talks resumed. Exports grew by 40 rounds of tariff cuts, analysts said."
    assert anchor_quote(new, q).state == ORPHANED


# --- rule 3: fuzzy ----------------------------------------------------------------------


def test_typo_fixed_inside_the_quote_is_a_fuzzy_match_on_the_corrected_words():
    old = ARTICLE.replace("presumably hit multiple times", "presumably hit mulitple times")
    q = quote_of(old, "The defecting soldier, presumably hit mulitple times")
    p = anchor_quote(ARTICLE, q)
    assert placed(p) == (
        FUZZY,
        *span_of(ARTICLE, "The defecting soldier, presumably hit multiple times"),
    )
    assert 0.75 < p.score < 1.0


def test_typo_in_the_first_word_does_not_leave_half_a_word():
    old = ARTICLE.replace("Immediately, other", "Immediatly, other")
    q = quote_of(old, "Immediatly, other North Korean soldiers converge")
    p = anchor_quote(ARTICLE, q)
    assert p.exact == "Immediately, other North Korean soldiers converge"
    assert p.state == FUZZY


def test_curly_quotes_straightened_is_a_fuzzy_match_at_the_same_place():
    q = quote_of(ARTICLE, "‘I’m a target,'” Marks explained")
    new = ARTICLE.replace("’", "'").replace("‘", "'").replace("“", '"').replace("”", '"')
    p = anchor_quote(new, q)
    assert placed(p) == (FUZZY, q.start, q.end)
    assert p.exact == "'I'm a target,'\" Marks explained"


def test_collapsed_whitespace_is_a_fuzzy_match():
    old = ARTICLE.replace("the military demarcation line", "the military\n demarcation  line")
    q = quote_of(old, "toward the military\n demarcation  line between the two Koreas")
    p = anchor_quote(ARTICLE, q)
    expected = span_of(ARTICLE, "toward the military demarcation line between the two Koreas")
    assert placed(p) == (FUZZY, *expected)


def test_edited_copy_with_matching_context_beats_an_exact_copy_elsewhere():
    old = "Intro. The army said the soldier survived the crossing. Later, the soldier survived."
    q = quote_of(old, "the soldier survived the crossing")
    new = "Intro. The army said the soldier surivved the crossing. Later, the soldier survived."
    p = anchor_quote(new, q)
    assert placed(p) == (FUZZY, *span_of(new, "the soldier surivved the crossing"))


def test_fuzzy_match_found_far_from_the_old_position():
    filler = "Unrelated reporting about the weather and the markets follows here. " * 80
    old = ARTICLE
    q = quote_of(old, "Balbina Hwang of Georgetown University says North Korean troops")
    new = filler + ARTICLE.replace("Georgetown", "Georgetwon")
    p = anchor_quote(new, q)
    assert p.state == FUZZY
    assert p.exact == "Balbina Hwang of Georgetwon University says North Korean troops"


# --- rule 4: orphaned -------------------------------------------------------------------


def test_deleted_sentence_orphans_the_claim():
    sentence = "Pyongyang has denounced the decision."
    q = quote_of(ARTICLE, sentence)
    new = ARTICLE.replace(" " + sentence, "")
    assert placed(anchor_quote(new, q)) == (ORPHANED, None, None)


def test_rewritten_sentence_orphans_the_claim():
    sentence = "Experts say both sides are trained to de-escalate in these situations."
    q = quote_of(ARTICLE, sentence)
    new = ARTICLE.replace(sentence, "Neither army has commented on its rules of engagement.")
    p = anchor_quote(new, q)
    assert p == Placement(ORPHANED, None, None, "", "", "", 0.0)


def test_a_different_word_in_a_short_quote_is_not_a_typo():
    old = "The coach said the plan will wreck practice times for every team."
    q = quote_of(old, "wreck practice times for every team")
    new = "The coach said the plan will shift practice times for every team."
    assert anchor_quote(new, q).state == ORPHANED


def test_empty_quote_and_empty_text_are_orphaned():
    assert anchor_quote(ARTICLE, Quote("", "", "", 0, 0)).state == ORPHANED
    assert anchor_quote("", quote_of(ARTICLE, "Marks said")).state == ORPHANED


# --- Unicode: offsets are code points ---------------------------------------------------


def test_offsets_count_code_points_around_emoji_and_flags():
    before = "Reactions 😀👍🏽🇰🇷 poured in. 𝔘𝔫𝔦𝔠𝔬𝔡𝔢 too. "
    text = before + "The defector is in stable condition, doctors said."
    q = quote_of(text, "in stable condition")
    assert q.start == len(before) + len("The defector is ")
    new = "🚨 Update 🚨\n\n" + text
    p = anchor_quote(new, q)
    assert placed(p) == (MOVED, q.start + len("🚨 Update 🚨\n\n"), q.end + len("🚨 Update 🚨\n\n"))
    assert new[p.start : p.end] == "in stable condition"
    # Not UTF-16: the emoji above take two UTF-16 units each but count one here.
    assert p.start < len(new.encode("utf-16-le")) // 2


def test_fuzzy_match_inside_emoji_text_reports_code_point_offsets():
    old = "Fans 🎉🎉 said the final was “the best mtach we have ever seen” 🏆 on Sunday."
    q = quote_of(old, "“the best mtach we have ever seen” 🏆")
    new = '🔥 Fans 🎉🎉 said the final was "the best match we have ever seen" 🏆 on Sunday.'
    p = anchor_quote(new, q)
    assert p.state == FUZZY
    assert p.exact == '"the best match we have ever seen" 🏆'
    assert p.start == len("🔥 Fans 🎉🎉 said the final was ")
    assert new[p.start : p.end] == p.exact


def test_hebrew_text_moves_with_code_point_offsets():
    text = "ראש העיר אמר כי התקציב יאושר בשבוע הבא. חברי המועצה התנגדו להצעה."
    q = quote_of(text, "התקציב יאושר בשבוע הבא")
    new = "עדכון: " + text
    assert placed(anchor_quote(new, q)) == (MOVED, q.start + 7, q.end + 7)


def test_arabic_typo_fix_is_fuzzy():
    old = "قال المتحدث باسم الحكومة إن المحادثات ستستانف يوم الاثنين في العاصمة."
    q = quote_of(old, "إن المحادثات ستستانف يوم الاثنين")
    new = "قال المتحدث باسم الحكومة إن المحادثات ستستأنف يوم الاثنين في العاصمة."
    p = anchor_quote(new, q)
    assert p.state == FUZZY
    assert p.exact == "إن المحادثات ستستأنف يوم الاثنين"


def test_mixed_direction_text_with_bidi_marks():
    text = "The sign read \u202bשלום עולם\u202c and the crowd cheered loudly that night."
    q = quote_of(text, "and the crowd cheered")
    new = text.replace("\u202b", "").replace("\u202c", "")
    assert placed(anchor_quote(new, q)) == (MOVED, q.start - 2, q.end - 2)


# --- batch API --------------------------------------------------------------------------


def test_anchor_quotes_of_nothing_is_nothing():
    assert anchor_quotes(ARTICLE, []) == []


def test_anchor_quotes_agrees_with_anchor_quote(corpus: list[Case]):
    by_text: dict[str, list[Case]] = defaultdict(list)
    for case in corpus:
        by_text[case.new_text].append(case)
    for text, cases in by_text.items():
        quotes = [c.quote for c in cases]
        assert anchor_quotes(text, quotes) == [anchor_quote(text, q) for q in quotes]


# --- the generated corpus ---------------------------------------------------------------


@pytest.fixture(scope="module")
def corpus() -> list[Case]:
    return build_corpus()


def outcome(case: Case, placement: Placement) -> str:
    """ok: exactly as expected. wrong: placed on words that are not the claim's. miss: any
    other disagreement (typically an orphan where a placement was expected)."""
    span = None if placement.state == ORPHANED else (placement.start, placement.end)
    if placement.state == case.expected_state and span == case.expected_span:
        return "ok"
    if span is None:
        return "miss"
    regions = [case.expected_span] if case.expected_span else list(case.tolerated)
    overlaps = any(span[0] < r[1] and r[0] < span[1] for r in regions)
    return "miss" if overlaps else "wrong"


def test_corpus_is_large_and_covers_every_kind_of_edit(corpus: list[Case]):
    assert len(corpus) >= 200
    categories = Counter(c.category for c in corpus)
    for category in (
        "unchanged",
        "insert_before",
        "delete_before",
        "typo_fixed",
        "whitespace",
        "quote_marks",
        "paragraph_moved",
        "sentence_rewritten",
        "sentence_deleted",
        "repeated_distinct",
        "repeated_indistinguishable",
    ):
        assert categories[category] >= 5, category
    assert {c.expected_state for c in corpus} == set(STATES)


def test_corpus_reanchors_correctly_and_never_on_the_wrong_words(corpus: list[Case]):
    table: dict[str, Counter[str]] = defaultdict(Counter)
    failures = []
    for case in corpus:
        placement = anchor_quote(case.new_text, case.quote)
        result = outcome(case, placement)
        table[case.category][result] += 1
        if result != "ok":
            failures.append(
                f"{result.upper():5} {case.label}: expected {case.expected_state} "
                f"{case.expected_span}, got {placement.state} "
                f"{(placement.start, placement.end)} {placement.exact!r} for {case.quote.exact!r}"
            )

    lines = [f"{'category':28} {'cases':>5} {'ok':>5} {'miss':>5} {'wrong':>5} {'rate':>7}"]
    for category in sorted(table):
        row = table[category]
        total = sum(row.values())
        lines.append(
            f"{category:28} {total:5} {row['ok']:5} {row['miss']:5} {row['wrong']:5} "
            f"{row['ok'] / total:7.1%}"
        )
    totals = sum(table.values(), Counter())
    n = sum(totals.values())
    lines.append(
        f"{'TOTAL':28} {n:5} {totals['ok']:5} {totals['miss']:5} {totals['wrong']:5} "
        f"{totals['ok'] / n:7.1%}"
    )
    report = "\n".join(lines + failures)
    print("\n" + report)

    assert totals["wrong"] == 0, report
    assert totals["ok"] / n >= 0.98, report
