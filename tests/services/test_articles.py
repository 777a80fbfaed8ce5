"""Loading articles through the services: three ways in, cleaning, duplicates, revisions."""

from __future__ import annotations

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from annotations.models import Article, ArticleRevision, InputFormat
from annotations.services.articles import (
    IngestRefused,
    article_ingest,
    article_load,
    article_prepare,
    article_update_metadata,
    revision_keep_removed,
    revision_load,
)
from annotations.services.errors import DuplicateArticle, InvalidInput
from tests import loading_pages
from tests.loading_pages import BYLINE, HEADLINE, OUTLET, article_page

# Fixtures shared by the loading tests: a page server on loopback, and its settings.
page_server = loading_pages.page_server
allow_loopback = loading_pages.allow_loopback
closed_port = loading_pages.closed_port

pytestmark = pytest.mark.django_db

COMMENT_FORM_LINES = [
    "Leave a Reply",
    "Fill in your details below or click an icon to log in",
    "You are commenting using your Twitter account",
    "Connecting to %s",
]


def _nothing_created():
    assert Article.objects.count() == 0
    assert ArticleRevision.objects.count() == 0


# --- the three ways in ----------------------------------------------------------------------


def test_pasted_demo_text_is_cleaned_and_the_comment_form_kept_aside(editor, demo_text):
    article = article_load(user=editor, text=demo_text)
    revision = article.current_revision
    assert revision.number == 1
    assert revision.text.startswith(
        "Video shows North Korean defector’s harrowing escape amid gunfire"
    )
    assert revision.text.endswith("violent infringement upon our dignified country.”")
    for line in COMMENT_FORM_LINES:
        assert line not in revision.text
        assert line in revision.removed
    assert revision.raw == demo_text
    assert revision.input_format == InputFormat.TEXT
    assert article.title == "Video shows North Korean defector’s harrowing escape amid gunfire"


def test_given_headline_wins_over_the_first_line(editor, demo_text):
    article = article_load(user=editor, text=demo_text, title="  My headline ", outlet="CNN")
    assert article.title == "My headline"
    assert article.outlet == "CNN"


def test_keep_removed_appends_what_cleaning_took_out(editor, demo_text):
    revision = article_load(user=editor, text=demo_text, keep_removed=True).current_revision
    assert revision.text.endswith("Connecting to %s")
    assert "Leave a Reply" in revision.text
    assert revision.removed == ""


def test_pasted_html_takes_headline_byline_outlet_and_date_from_the_page(editor):
    article = article_load(user=editor, html=article_page(), url="https://example.org/bridge")
    assert article.title == HEADLINE
    assert article.byline == BYLINE
    assert article.outlet == OUTLET
    assert article.published_at.date() == datetime.date(2017, 11, 22)
    assert article.url == "https://example.org/bridge"
    revision = article.current_revision
    assert revision.input_format == InputFormat.HTML
    assert revision.raw == article_page()
    assert "<" not in revision.text
    assert "Leave a Reply" not in revision.text


def test_fetched_page_gives_the_same_text_as_the_pasted_page(editor, page_server, allow_loopback):
    url = page_server.url("/article")
    fetched = article_load(user=editor, fetch=True, url=url)
    assert fetched.title == HEADLINE
    assert fetched.byline == BYLINE
    assert fetched.published_at.date() == datetime.date(2017, 11, 22)
    assert fetched.url == url
    assert fetched.current_revision.input_format == InputFormat.URL
    assert fetched.current_revision.source_url == url
    # The same page pasted as HTML gives the same canonical text, so it is offered as
    # the article already loaded.
    with pytest.raises(DuplicateArticle) as duplicate:
        article_load(user=editor, html=article_page())
    assert duplicate.value.extra["existing_id"] == fetched.pk
    assert "exactly the same text" in duplicate.value.message
    assert article_prepare(html=article_page()).text == fetched.current_revision.text


def test_fetched_plain_text_is_cleaned_like_pasted_text(editor, page_server, allow_loopback):
    article = article_load(user=editor, fetch=True, url=page_server.url("/plain"))
    assert article.title == "Plain headline"
    assert article.current_revision.text == "Plain headline\n\nA plain paragraph of text."


def test_uploaded_html_file_is_extracted(editor):
    upload = SimpleUploadedFile("bridge.html", article_page().encode(), "text/html")
    article = article_load(user=editor, file=upload)
    assert article.title == HEADLINE
    assert article.current_revision.input_format == InputFormat.HTML


def test_uploaded_text_file_is_cleaned(editor, demo_text):
    upload = SimpleUploadedFile("story.txt", demo_text.encode("utf-8"), "text/plain")
    revision = article_load(user=editor, file=upload).current_revision
    assert revision.text.endswith("violent infringement upon our dignified country.”")
    assert "Leave a Reply" in revision.removed


def test_exactly_one_input_is_required(editor):
    with pytest.raises(InvalidInput, match="exactly one"):
        article_load(user=editor, text="a", html="<p>b</p>")
    _nothing_created()


# --- bad input: a clear message, the right status, nothing created --------------------------


def _binary_upload():
    return SimpleUploadedFile("photo.png", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" * 10, "image/png")


BAD_INPUTS = {
    "empty text": (lambda s, port: {"text": "   \n\n "}, 400, "no readable text"),
    "text over 2 MB": (lambda s, port: {"text": "word " * 420_000}, 413, "too long"),
    "binary file": (lambda s, port: {"file": _binary_upload()}, 415, "does not look like text"),
    "html without readable body": (
        lambda s, port: {"html": s.pages["/no-body"][2].decode()},
        400,
        "No article text could be found",
    ),
    "unreachable url": (
        lambda s, port: {"fetch": True, "url": f"http://127.0.0.1:{port}/"},
        400,
        "Could not reach",
    ),
    "timeout": (lambda s, port: {"fetch": True, "url": s.url("/slow")}, 400, "took longer"),
    "non-html content type": (
        lambda s, port: {"fetch": True, "url": s.url("/pdf")},
        415,
        "application/pdf",
    ),
    "private address": (
        lambda s, port: {"fetch": True, "url": "http://10.0.0.1/story"},
        400,
        "private network",
    ),
    "metadata address": (
        lambda s, port: {"fetch": True, "url": "http://169.254.169.254/latest/"},
        400,
        "metadata",
    ),
}


@pytest.mark.parametrize("case", list(BAD_INPUTS))
def test_bad_input_is_refused_with_a_message_and_creates_nothing(
    case, editor, page_server, allow_loopback, closed_port
):
    make_input, status, message = BAD_INPUTS[case]
    with pytest.raises(IngestRefused) as refused:
        article_load(user=editor, **make_input(page_server, closed_port))
    assert refused.value.status == status
    assert message.lower() in refused.value.message.lower()
    assert refused.value.as_dict()["detail"] == refused.value.message
    _nothing_created()


def test_private_address_is_refused_without_the_loopback_setting(editor, page_server, settings):
    settings.FACTCHECK_FETCH_ALLOW_LOOPBACK = False
    with pytest.raises(IngestRefused, match="this server itself"):
        article_load(user=editor, fetch=True, url=page_server.url("/article"))
    _nothing_created()


# --- duplicates -----------------------------------------------------------------------------


def test_same_text_twice_offers_the_existing_article(editor, editor2, demo_text):
    first = article_load(user=editor, text=demo_text)
    with pytest.raises(DuplicateArticle) as duplicate:
        article_load(user=editor2, text=demo_text + "\n\n")
    assert duplicate.value.extra["existing_id"] == first.pk
    assert duplicate.value.status == 409
    assert Article.objects.count() == 1
    assert ArticleRevision.objects.count() == 1


def test_same_url_twice_is_refused_before_fetching(editor, page_server, allow_loopback):
    url = page_server.url("/article")
    first = article_load(user=editor, text="Headline\n\nSome text.", url=url)
    with pytest.raises(DuplicateArticle) as duplicate:
        article_load(user=editor, fetch=True, url=url)
    assert duplicate.value.extra["existing_id"] == first.pk
    assert "same web address" in duplicate.value.message


def test_a_duplicate_can_be_loaded_as_a_new_revision(editor, demo_text):
    first = article_load(user=editor, text="Headline\n\nOld text.", url="https://ex.org/a")
    loaded = article_ingest(
        user=editor, text=demo_text, url="https://ex.org/a", duplicate_as_revision=True
    )
    assert loaded.article.pk == first.pk
    assert not loaded.created
    assert loaded.revision.number == 2
    assert loaded.reanchor == {
        "counts": {"anchored": 0, "moved": 0, "fuzzy": 0, "orphaned": 0},
        "claims": [],
    }


# --- revisions ------------------------------------------------------------------------------


def test_new_revision_keeps_the_earlier_one(editor, editor2, demo_article, demo_text):
    first = demo_article.current_revision
    loaded = revision_load(
        article=demo_article, user=editor2, text=demo_text.replace("five times", "six times")
    )
    demo_article.refresh_from_db()
    assert demo_article.current_revision == loaded.revision
    assert loaded.revision.number == 2
    assert loaded.revision.created_by == editor2
    first.refresh_from_db()
    assert "five times" in first.text
    assert "six times" in loaded.revision.text
    assert list(demo_article.revisions.values_list("number", flat=True)) == [1, 2]


def test_new_revision_with_unchanged_text_is_refused(editor, demo_article, demo_text):
    with pytest.raises(DuplicateArticle, match="same as revision 1"):
        revision_load(article=demo_article, user=editor, text=demo_text)
    assert demo_article.revisions.count() == 1


def test_bad_new_revision_creates_nothing(editor, demo_article):
    with pytest.raises(IngestRefused):
        revision_load(article=demo_article, user=editor, text="")
    assert demo_article.revisions.count() == 1


def test_new_revision_fetches_the_article_url_by_default(editor, page_server, allow_loopback):
    article = article_load(
        user=editor, text="Old headline\n\nOld text.", url=page_server.url("/article")
    )
    loaded = revision_load(article=article, user=editor, fetch=True)
    assert loaded.revision.number == 2
    assert loaded.revision.text.startswith(HEADLINE)


def test_keeping_removed_text_makes_a_new_revision(editor, demo_article):
    first = demo_article.current_revision
    loaded = revision_keep_removed(article=demo_article, revision=first, user=editor)
    assert loaded.revision.number == 2
    assert loaded.revision.text == first.text + "\n\n" + first.removed
    assert loaded.revision.removed == ""
    with pytest.raises(InvalidInput, match="no longer current"):
        revision_keep_removed(article=demo_article, revision=first, user=editor)


# --- metadata -------------------------------------------------------------------------------


def test_metadata_can_be_edited(editor, demo_article):
    article_update_metadata(
        article=demo_article,
        user=editor,
        title="New headline",
        byline="Ben Westcott",
        published_at=datetime.date(2017, 11, 22),
        url="https://edition.cnn.com/x",
    )
    demo_article.refresh_from_db()
    assert demo_article.title == "New headline"
    assert demo_article.byline == "Ben Westcott"
    assert demo_article.published_at.date() == datetime.date(2017, 11, 22)
    assert demo_article.url == "https://edition.cnn.com/x"


def test_metadata_edit_never_touches_the_text(editor, demo_article):
    with pytest.raises(InvalidInput, match="new revision"):
        article_update_metadata(article=demo_article, user=editor, text="changed")


@pytest.mark.parametrize(
    ("fields", "field"),
    [({"title": "  "}, "title"), ({"url": "javascript:alert(1)"}, "url")],
)
def test_metadata_edit_refuses_bad_values(editor, demo_article, fields, field):
    with pytest.raises(InvalidInput) as refused:
        article_update_metadata(article=demo_article, user=editor, **fields)
    assert refused.value.field == field


def test_metadata_edit_refuses_a_url_another_article_has(editor, demo_article):
    other = article_load(user=editor, text="Other\n\nText.", url="https://ex.org/other")
    with pytest.raises(DuplicateArticle) as duplicate:
        article_update_metadata(article=demo_article, user=editor, url="https://ex.org/other")
    assert duplicate.value.extra["existing_id"] == other.pk
