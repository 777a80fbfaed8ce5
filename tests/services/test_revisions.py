"""A new version from the current text: preview the diff (no writes), save, claims follow."""

from __future__ import annotations

import pytest

from annotations.models import ArticleRevision, Claim
from annotations.services.articles import revision_load
from annotations.services.claims import claim_create
from annotations.services.errors import DuplicateArticle, InvalidInput, StaleVersion
from annotations.services.revisions import revision_edit, revision_edit_preview

pytestmark = pytest.mark.django_db

OLD = "The defector was hit at least five times"
NEW = "The defector was hit at least six times"


def edit(article) -> str:
    text = article.current_revision.text
    assert OLD in text
    return text.replace(OLD, NEW)


def test_preview_shows_the_word_diff_and_writes_nothing(demo_article):
    preview = revision_edit_preview(article=demo_article, text=edit(demo_article), base_number=1)
    assert (preview.diff.inserted_words, preview.diff.deleted_words) == (1, 1)
    assert [p.text for p in preview.diff.pieces if p.op in ("insert", "delete")] == [
        "five",
        "six",
    ]
    assert preview.text == edit(demo_article)
    assert ArticleRevision.objects.filter(article=demo_article).count() == 1


def test_saving_the_edit_makes_the_next_revision_and_the_claims_follow(demo_article, editor2):
    claim = claim_create(
        article=demo_article, user=editor2, selector={"exact": "Heat-signature video"}
    )
    loaded = revision_edit(
        article=demo_article, user=editor2, text=edit(demo_article), base_number=1
    )
    assert loaded.revision.number == 2
    assert loaded.revision.created_by == editor2
    assert NEW in loaded.revision.text and OLD not in loaded.revision.text
    claim.refresh_from_db()
    assert claim.revision_id == loaded.revision.pk
    assert loaded.revision.text[claim.start : claim.end] == "Heat-signature video"
    assert loaded.reanchor["claims"][0]["id"] == claim.pk


def test_what_is_saved_is_what_was_previewed_even_boilerplate_looking_lines(demo_article, editor):
    text = edit(demo_article) + "\n\nShare this:\n\nAdvertisement"
    preview = revision_edit_preview(article=demo_article, text=text, base_number=1)
    assert preview.text.endswith("Share this:\n\nAdvertisement")
    loaded = revision_edit(article=demo_article, user=editor, text=text, base_number=1)
    assert loaded.revision.text == preview.text


def test_an_edit_of_an_older_revision_is_refused(demo_article, editor, editor2):
    text = edit(demo_article)
    revision_load(article=demo_article, user=editor2, text=text + "\n\nA late paragraph.")
    demo_article.refresh_from_db()
    with pytest.raises(StaleVersion, match="revision 2 was loaded since; nothing was saved"):
        revision_edit(article=demo_article, user=editor, text=text, base_number=1)
    with pytest.raises(StaleVersion):
        revision_edit_preview(article=demo_article, text=text, base_number=1)
    assert demo_article.revisions.count() == 2


@pytest.mark.parametrize(
    ("text", "base", "error", "message"),
    [
        ("", 1, InvalidInput, "no readable text"),
        ("   \n\n ", 1, InvalidInput, "no readable text"),
        (None, 1, InvalidInput, "must be text"),
        ("Some words.", None, InvalidInput, "which revision you started from"),
        ("Some words.", "abc", InvalidInput, "which revision you started from"),
    ],
)
def test_bad_edits_are_refused_and_change_nothing(demo_article, editor, text, base, error, message):
    with pytest.raises(error, match=message) as raised:
        revision_edit(article=demo_article, user=editor, text=text, base_number=base)
    assert raised.value.field == "edited_text"
    assert demo_article.revisions.count() == 1


def test_an_unchanged_text_is_refused(demo_article, editor):
    with pytest.raises(DuplicateArticle, match="same as revision 1"):
        revision_edit(
            article=demo_article,
            user=editor,
            text=demo_article.current_revision.text,
            base_number=1,
        )
    assert demo_article.revisions.count() == 1
    assert Claim.objects.count() == 0
