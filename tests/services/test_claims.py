"""The claim services: selectors (emoji and right-to-left included), conflicts, sources,
comments and deletion. Real PostgreSQL, built through the services."""

from __future__ import annotations

import pytest

from annotations.models import Claim, ClaimSource, ClaimStatus, Comment
from annotations.services.articles import article_load
from annotations.services.claims import (
    claim_create,
    claim_delete,
    claim_update,
    comment_add,
    selector_resolve,
    source_attach,
    source_detach,
    source_update,
)
from annotations.services.errors import (
    InvalidInput,
    InvalidSelector,
    NotAllowed,
    StaleVersion,
    WorkflowError,
)
from annotations.services.workflow import claim_submit

pytestmark = pytest.mark.django_db

EMOJI_RTL = (
    "Mixed scripts 🇰🇷 and emoji 😀 before the claim.\n\n"
    "The mayor said «השכר עלה ב-20%» 👍🏽 on Tuesday.\n\n"
    "قال الوزير إن البطالة انخفضت 📉 بنسبة عشرة بالمئة."
)


def _selector(text: str, quote: str, occurrence: int = 0) -> dict:
    start = -1
    for _ in range(occurrence + 1):
        start = text.index(quote, start + 1)
    return {"exact": quote, "start": start, "end": start + len(quote)}


@pytest.fixture
def claim(editor, demo_article):
    text = demo_article.current_revision.text
    return claim_create(
        article=demo_article,
        user=editor,
        selector=_selector(text, "hit at least five times"),
    )


@pytest.fixture
def emoji_article(editor):
    return article_load(user=editor, text=EMOJI_RTL, title="Emoji and RTL")


@pytest.mark.parametrize("quote", ["«השכר עלה ב-20%» 👍🏽", "😀", "انخفضت 📉 بنسبة", "🇰🇷"])
def test_selector_resolve_counts_code_points_with_emoji_and_rtl(emoji_article, quote):
    revision = emoji_article.current_revision
    text = revision.text
    start = text.index(quote)
    resolved = selector_resolve(revision, exact=quote, start=start, end=start + len(quote))
    assert (resolved.start, resolved.end) == (start, start + len(quote))
    assert text[resolved.start : resolved.end] == quote
    assert resolved.prefix == text[max(0, start - 32) : start]
    assert resolved.suffix == text[start + len(quote) : start + len(quote) + 32]


def test_utf16_offsets_are_refused_as_a_mismatch(emoji_article):
    revision = emoji_article.current_revision
    quote = "on Tuesday"
    start = revision.text.index(quote)
    utf16_start = len(revision.text[:start].encode("utf-16-le")) // 2
    assert utf16_start != start
    with pytest.raises(InvalidSelector, match="does not match"):
        selector_resolve(revision, exact=quote, start=utf16_start, end=utf16_start + len(quote))


def test_selection_across_paragraphs_includes_the_break(emoji_article, editor):
    text = emoji_article.current_revision.text
    quote = "the claim.\n\nThe mayor"
    claim = claim_create(article=emoji_article, user=editor, selector=_selector(text, quote))
    assert claim.exact == quote
    assert claim.end - claim.start == len(quote)


@pytest.mark.parametrize(
    ("selector", "message"),
    [
        ({"exact": "x", "start": 10_000_000, "end": 10_000_001}, "outside the article text"),
        ({"exact": "hit at least", "start": 0, "end": 12}, "does not match"),
        ({"exact": "", "start": 30, "end": 30}, "start must come before end"),
        ({"exact": "a", "start": 40, "end": 20}, "start must come before end"),
        ({"exact": "not in this article at all"}, "does not occur"),
        ({"exact": "the", "start": "x", "end": 3}, "whole number"),
    ],
)
def test_forged_selectors_are_refused_and_nothing_is_created(
    editor, demo_article, selector, message
):
    with pytest.raises(InvalidSelector, match=message):
        claim_create(article=demo_article, user=editor, selector=selector)
    assert Claim.objects.count() == 0


def test_unknown_verdict_is_refused_naming_the_scale(editor, demo_article, claim):
    with pytest.raises(InvalidInput, match="no verdict “bogus”"):
        claim_update(claim=claim, user=editor, version=claim.version, verdict="bogus")
    claim.refresh_from_db()
    assert claim.verdict is None and claim.version == 1


def test_huge_explanation_is_refused(editor, claim):
    with pytest.raises(InvalidInput, match="100,000 characters long; the limit is 20,000"):
        claim_update(claim=claim, user=editor, version=1, explanation="x" * 100_000)
    claim.refresh_from_db()
    assert claim.explanation == "" and claim.version == 1


def test_second_of_two_concurrent_saves_is_refused_with_what_changed(editor, editor2, claim):
    first = Claim.objects.get(pk=claim.pk)
    second = Claim.objects.get(pk=claim.pk)
    claim_update(claim=first, user=editor, version=1, claimant="Gen. Marks", verdict="true")
    with pytest.raises(StaleVersion) as refused:
        claim_update(claim=second, user=editor2, version=1, claimant="Someone else")
    assert "ed saved this claim" in refused.value.message
    assert refused.value.extra["changes"]["claimant"] == ["", "Gen. Marks"]
    assert refused.value.extra["changes"]["verdict"] == [None, "True"]
    assert refused.value.extra["current_version"] == 2
    claim.refresh_from_db()
    assert claim.claimant == "Gen. Marks" and claim.version == 2


def test_save_without_changes_keeps_the_version(editor, claim):
    saved = claim_update(claim=claim, user=editor, version=1, statement=claim.statement)
    assert saved.version == 1


def test_sources_attach_edit_detach(editor, claim):
    link = source_attach(
        claim=claim,
        user=editor,
        url="https://www.unc.un.org/press",
        title="UNC press release",
        publisher="United Nations Command",
        kind="official_statement",
        stance="supports",
        accessed_at="2024-11-22",
        archived_url="https://web.archive.org/web/2024/https://www.unc.un.org/press",
        excerpt="The soldier was hit five times.",
    )
    assert link.source.publisher == "United Nations Command"
    source_update(claim_source=link, user=editor, title="UNC statement", stance="context")
    link.refresh_from_db()
    assert (link.source.title, link.stance) == ("UNC statement", "context")
    source_detach(claim_source=link, user=editor)
    assert not ClaimSource.objects.filter(claim=claim).exists()


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"url": "javascript:alert(1)", "title": "x"}, "http:// or https://"),
        ({"url": "ftp://example.org/x", "title": "x"}, "http:// or https://"),
        ({"title": "x", "archived_url": "file:///etc/passwd"}, "http:// or https://"),
        ({"title": "", "url": ""}, "needs a title or a URL"),
        ({"title": "x", "kind": "rumour"}, "not a kind of source"),
        ({"title": "x", "stance": "maybe"}, "not a stance"),
        ({"title": "x", "accessed_at": "yesterday"}, "a date like"),
    ],
)
def test_bad_sources_are_refused_and_nothing_is_attached(editor, claim, fields, message):
    with pytest.raises(InvalidInput, match=message):
        source_attach(claim=claim, user=editor, **fields)
    assert not ClaimSource.objects.filter(claim=claim).exists()


def test_comments_are_added_and_empty_ones_refused(editor, reviewer, claim):
    comment_add(claim=claim, user=reviewer, body="Which video?")
    with pytest.raises(InvalidInput, match="empty"):
        comment_add(claim=claim, user=editor, body="   ")
    assert list(Comment.objects.values_list("body", flat=True)) == ["Which video?"]


def test_outsider_cannot_change_or_comment(outsider, claim):
    with pytest.raises(NotAllowed):
        claim_update(claim=claim, user=outsider, version=1, claimant="x")
    with pytest.raises(NotAllowed):
        comment_add(claim=claim, user=outsider, body="hello")


def test_only_drafts_are_deleted_and_the_deletion_is_in_history(editor, claim, demo_article):
    deleted = claim_delete(claim=claim, user=editor)
    assert deleted.deleted_at is not None and deleted.deleted_by == editor
    assert claim.events.filter(pgh_context__metadata__action="claim_delete").exists()
    with pytest.raises(WorkflowError, match="already deleted"):
        claim_delete(claim=claim, user=editor)
    text = demo_article.current_revision.text
    other = claim_create(
        article=demo_article, user=editor, selector=_selector(text, "estimated 40 rounds")
    )
    claim_submit(claim=other, user=editor)
    with pytest.raises(WorkflowError, match="Only drafts"):
        claim_delete(claim=other, user=editor)
    other.refresh_from_db()
    assert other.deleted_at is None and other.status == ClaimStatus.IN_REVIEW


def test_in_review_claim_cannot_be_edited(editor, claim):
    claim_submit(claim=claim, user=editor)
    with pytest.raises(WorkflowError, match="in review"):
        claim_update(claim=claim, user=editor, version=claim.version, claimant="x")
