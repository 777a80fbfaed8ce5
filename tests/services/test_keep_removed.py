"""revision_keep_removed: a removed piece goes back where it stood, as a new revision."""

from __future__ import annotations

from pathlib import Path

import pytest

from annotations.models import ArticleRevision, Claim
from annotations.services.articles import (
    article_load,
    revision_create,
    revision_keep_removed,
)
from annotations.services.errors import InvalidInput
from tests.ingest.paste_corpus import BODY, HEADS, TAILS

CHROME_PAGE = (
    Path(__file__).resolve().parent.parent / "ingest" / "fixtures" / "chrome-page.html"
).read_text("utf-8")

PASTE = (
    HEADS["wordpress, single breaks"][0]
    + "\n"
    + "\n\n".join(BODY[:3])
    + "\n\nAdvertisement\n\n"
    + "\n\n".join(BODY[3:])
    + "\n"
    + TAILS["wordpress, single breaks"][0]
)

pytestmark = pytest.mark.django_db


def _part(revision: ArticleRevision, kind: str) -> dict:
    return next(part for part in revision.removed_parts if part["kind"] == kind)


def test_loading_records_each_part_with_kind_and_place(editor):
    revision = article_load(user=editor, text=PASTE).current_revision

    assert [(p["kind"], p["at"]) for p in revision.removed_parts] == [
        ("navigation", 0),
        ("advertisement", revision.text.index(BODY[3])),
        ("share", len(revision.text)),
        ("related", len(revision.text)),
        ("comments", len(revision.text)),
    ]
    assert revision.text == "\n\n".join(BODY)


def test_keeping_the_mid_article_ad_puts_it_back_between_its_paragraphs(editor):
    article = article_load(user=editor, text=PASTE)
    first = article.current_revision
    ad = _part(first, "advertisement")

    loaded = revision_keep_removed(article=article, revision=first, user=editor, part=ad["n"])

    assert loaded.revision.number == 2
    assert loaded.revision.text == "\n\n".join([*BODY[:3], "Advertisement", *BODY[3:]])
    assert [p["kind"] for p in loaded.revision.removed_parts] == [
        "navigation",
        "share",
        "related",
        "comments",
    ]
    assert "Advertisement" not in loaded.revision.removed
    assert loaded.revision.raw == first.raw


def test_keeping_pieces_one_by_one_restores_the_page_order(editor):
    article = article_load(user=editor, text=PASTE)
    first = article.current_revision
    # The comment form first, then the share buttons that stood before it.
    second = revision_keep_removed(
        article=article, revision=first, user=editor, part=_part(first, "comments")["n"]
    ).revision
    third = revision_keep_removed(
        article=article, revision=second, user=editor, part=_part(second, "share")["n"]
    ).revision

    share, comments = TAILS["wordpress, single breaks"][0].split("\nRelated\n")
    assert third.text == "\n\n".join(BODY) + "\n" + share + "\n" + comments
    assert [p["kind"] for p in third.removed_parts] == ["navigation", "advertisement", "related"]


def test_keeping_the_navigation_of_an_html_page_puts_it_at_the_start(editor):
    article = article_load(user=editor, html=CHROME_PAGE)
    first = article.current_revision
    navigation = _part(first, "navigation")

    loaded = revision_keep_removed(
        article=article, revision=first, user=editor, part=navigation["n"]
    )

    assert loaded.revision.text.startswith(navigation["text"] + "\n\n" + first.text[:40])
    assert article.title == "Council closes harbour bridge to cars after 80 years"


def test_keeping_the_newsletter_box_of_an_html_page_puts_it_mid_article(editor):
    article = article_load(user=editor, html=CHROME_PAGE)
    first = article.current_revision
    box = _part(first, "newsletter")
    before = first.text[: box["at"]]

    loaded = revision_keep_removed(article=article, revision=first, user=editor, part=box["n"])

    assert loaded.revision.text == before + box["text"] + "\n\n" + first.text[box["at"] :]


def test_keeping_everything_puts_each_piece_in_its_place(editor):
    article = article_load(user=editor, text=PASTE)

    loaded = revision_keep_removed(article=article, revision=article.current_revision, user=editor)

    assert loaded.revision.text == PASTE.strip()
    assert loaded.revision.removed == ""
    assert loaded.revision.removed_parts == []


def test_keep_removed_at_load_time_keeps_every_piece_in_place(editor):
    revision = article_load(user=editor, text=PASTE, keep_removed=True).current_revision

    assert revision.text == PASTE.strip()
    assert revision.removed_parts == []


def test_a_claim_after_the_kept_piece_moves_with_its_words(editor):
    article = article_load(user=editor, text=PASTE)
    first = article.current_revision
    from annotations.services.claims import claim_create

    quote = "The decision passed by 31 votes to 12."
    claim = claim_create(article=article, user=editor, selector={"exact": quote})

    loaded = revision_keep_removed(
        article=article, revision=first, user=editor, part=_part(first, "advertisement")["n"]
    )

    claim = Claim.objects.get(pk=claim.pk)
    assert claim.revision_id == loaded.revision.id
    assert loaded.revision.text[claim.start : claim.end] == quote


def test_an_unknown_part_is_refused_and_nothing_is_made(editor):
    article = article_load(user=editor, text=PASTE)

    with pytest.raises(InvalidInput, match="not listed on this revision"):
        revision_keep_removed(
            article=article, revision=article.current_revision, user=editor, part=99
        )

    assert article.revisions.count() == 1


def test_a_part_already_kept_is_refused_on_the_old_revision(editor):
    article = article_load(user=editor, text=PASTE)
    first = article.current_revision
    revision_keep_removed(article=article, revision=first, user=editor, part=0)

    with pytest.raises(InvalidInput, match="no longer current"):
        revision_keep_removed(article=article, revision=first, user=editor, part=1)

    assert article.revisions.count() == 2


def test_a_revision_without_recorded_parts_appends_everything_and_refuses_a_part(
    editor, demo_article
):
    legacy = revision_create(
        article=demo_article,
        text="Headline\n\nA paragraph of the article.",
        raw="Headline\n\nA paragraph of the article.\n\nLeave a Reply",
        input_format="text",
        removed="Leave a Reply",
        user=editor,
    )

    with pytest.raises(InvalidInput, match="piece by piece"):
        revision_keep_removed(article=demo_article, revision=legacy, user=editor, part=0)
    assert demo_article.revisions.count() == 2

    loaded = revision_keep_removed(article=demo_article, revision=legacy, user=editor)
    assert loaded.revision.text.endswith("article.\n\nLeave a Reply")


def test_when_the_rules_no_longer_reproduce_the_text_keeping_is_refused(editor, demo_article):
    # A revision whose recorded parts today's cleaning would not give for its raw input.
    odd = revision_create(
        article=demo_article,
        text="Headline\n\nA paragraph of the article.",
        raw="Headline\n\nA paragraph of the article.\n\nSomething the old rules removed.",
        input_format="text",
        removed="Something the old rules removed.",
        removed_parts=[
            {"n": 0, "kind": "chrome", "text": "Something the old rules removed.", "at": 38}
        ],
        user=editor,
    )

    with pytest.raises(InvalidInput, match="rules have changed"):
        revision_keep_removed(article=demo_article, revision=odd, user=editor, part=0)

    assert demo_article.revisions.count() == 2
