"""The archive job against a real page server on 127.0.0.1: what it stores for a page, a
redirect, plain text and a PDF; what it says for a slow page, a 404, a huge body; the
excerpt found, and flagged when a later snapshot loses it; a retried job."""

from __future__ import annotations

import io

import pytest
from warcio.archiveiterator import ArchiveIterator

from annotations.models import ArchiveStatus, SourceArchive
from annotations.services.archiving import (
    ArchiveFailed,
    archive_storage,
    source_archive,
    source_archive_request,
)
from annotations.services.claims import source_attach
from annotations.services.errors import InvalidInput, NotAllowed, WorkflowError
from tests.archive.pages import ARTICLE, EXCERPT, PDF, PLAIN, SCRIPTED, sha256
from tests.archive.snapshots import attach
from tests.factories import make_claim

pytestmark = pytest.mark.django_db


@pytest.fixture
def claim(demo_article, editor):
    return make_claim(demo_article, editor, ready=False)


def records(archive) -> dict[str, object]:
    with archive_storage().open(archive.warc_name, "rb") as handle:
        data = handle.read()
    found = {}
    for record in ArchiveIterator(io.BytesIO(data)):
        found[record.rec_type] = (record, record.content_stream().read())
    return found


def test_attaching_a_source_archives_its_page_as_a_warc_with_its_hash(pages, claim, editor):
    archive = attach(claim, editor, pages.url("/article"))

    assert archive.status == ArchiveStatus.ARCHIVED
    assert archive.attempts == 1
    assert archive.http_status == 200
    assert archive.content_type == "text/html"
    assert archive.final_url == pages.url("/article")
    assert archive.sha256 == sha256(ARTICLE)
    assert archive.size == len(ARTICLE.encode())
    assert archive.captured_at is not None
    assert archive.requested_by == editor
    warc = records(archive)
    response, body = warc["response"]
    assert body == ARTICLE.encode()
    assert response.http_headers.get_statuscode() == "200"
    assert response.http_headers.get_header("X-Served-By") == "pages"
    assert response.rec_headers.get_header("WARC-Target-URI") == pages.url("/article")
    request, _ = warc["request"]
    assert request.http_headers.protocol == "GET"
    # The article's text, not its navigation or footer.
    assert "second chapter" in archive.text
    assert "Copyright" not in archive.text


def test_the_excerpt_is_found_with_a_text_fragment_link(pages, claim, editor):
    archive = attach(claim, editor, pages.url("/article"))

    assert archive.excerpt_state == "found"
    assert archive.text[archive.excerpt_start : archive.excerpt_end] == EXCERPT
    assert archive.excerpt_how == "exact"
    assert archive.excerpt_confidence == 1.0
    assert archive.text_fragment_url.startswith(pages.url("/article") + "#:~:text=")
    assert archive.excerpt_lost is False


def test_a_typo_in_the_excerpt_is_found_fuzzily(pages, claim, editor):
    typo = EXCERPT.replace("classrooms", "clasrooms")
    archive = attach(claim, editor, pages.url("/article"), excerpt=typo)

    assert archive.excerpt_state == "found"
    assert archive.excerpt_how == "fuzzy"
    assert archive.text[archive.excerpt_start : archive.excerpt_end] == EXCERPT


def test_redirects_are_followed_and_the_final_address_kept(pages, claim, editor):
    archive = attach(claim, editor, pages.url("/moved"))

    assert archive.status == ArchiveStatus.ARCHIVED
    assert archive.final_url == pages.url("/article")
    assert pages.paths[:3] == ["/moved", "/hop", "/article"]


def test_a_redirect_loop_fails_with_its_reason(pages, claim, editor):
    archive = attach(claim, editor, pages.url("/loop"))

    assert archive.status == ArchiveStatus.FAILED
    assert "redirected more than 5 times" in archive.failure_reason


def test_a_slow_page_fails_with_a_timeout_reason(pages, claim, editor):
    archive = attach(claim, editor, pages.url("/slow"))

    assert archive.status == ArchiveStatus.FAILED
    assert "took longer than 1 second" in archive.failure_reason
    assert archive.warc_name == ""
    assert archive.sha256 == ""


def test_a_missing_page_fails_saying_what_the_server_answered(pages, claim, editor):
    archive = attach(claim, editor, pages.url("/gone"))

    assert archive.status == ArchiveStatus.FAILED
    assert "answered 404 Not Found" in archive.failure_reason


def test_a_huge_body_is_refused_with_a_reason(pages, claim, editor):
    archive = attach(claim, editor, pages.url("/huge"))

    assert archive.status == ArchiveStatus.FAILED
    assert "larger than 5 MB" in archive.failure_reason


def test_a_pdf_is_archived_as_sent_without_text(pages, claim, editor):
    archive = attach(claim, editor, pages.url("/report.pdf"))

    assert archive.status == ArchiveStatus.ARCHIVED
    assert archive.content_type == "application/pdf"
    assert archive.sha256 == sha256(PDF)
    assert records(archive)["response"][1] == PDF
    assert archive.text == ""
    assert "application/pdf" in archive.text_note
    assert archive.excerpt_state == ""
    assert "no text" in archive.excerpt_reason


def test_plain_text_is_kept_as_sent_and_searched(pages, claim, editor):
    archive = attach(claim, editor, pages.url("/notes.txt"))

    assert archive.status == ArchiveStatus.ARCHIVED
    assert archive.text == PLAIN
    assert archive.excerpt_state == "found"


def test_a_page_with_scripts_keeps_its_text_and_none_of_its_code(pages, claim, editor):
    archive = attach(claim, editor, pages.url("/scripted"), excerpt="")

    assert archive.status == ArchiveStatus.ARCHIVED
    assert "visible article text that the snapshot must keep" in archive.text
    assert "fetch(" not in archive.text
    assert "pwned" not in archive.text
    assert records(archive)["response"][1] == SCRIPTED.encode()  # the WARC keeps it all
    assert pages.beacons == []  # fetching ran nothing


def test_archive_again_keeps_the_old_snapshot_and_flags_a_lost_passage(pages, claim, editor):
    first = attach(claim, editor, pages.url("/changing"))
    assert first.excerpt_state == "found"
    pages.changing = ARTICLE.replace(EXCERPT, "the ministry stopped counting classrooms")

    again = source_archive_request(source=first.source, user=editor)
    source_archive(again.pk)
    again.refresh_from_db()

    assert again.pk != first.pk
    assert again.status == ArchiveStatus.ARCHIVED
    assert again.excerpt_state == "missing"
    assert again.excerpt_reason
    assert again.excerpt_lost is True
    assert again.sha256 != first.sha256
    first.refresh_from_db()
    assert first.status == ArchiveStatus.ARCHIVED
    assert archive_storage().exists(first.warc_name)
    assert SourceArchive.objects.filter(source=first.source).count() == 2


def test_a_passage_never_found_is_not_flagged_as_lost(pages, claim, editor):
    first = attach(claim, editor, pages.url("/article"), excerpt="words that were never there")
    again = source_archive_request(source=first.source, user=editor)
    source_archive(again.pk)
    again.refresh_from_db()

    assert again.excerpt_state == "missing"
    assert again.excerpt_lost is False


def test_a_failed_snapshot_retried_succeeds_and_a_finished_one_is_left_alone(pages, claim, editor):
    archive = attach(claim, editor, pages.url("/changing"))
    pages.changing = ""  # served empty: still archived (an empty page is a fact too)
    SourceArchive.objects.filter(pk=archive.pk).update(
        status=ArchiveStatus.FAILED, failure_reason="The server stopped answering."
    )
    pages.changing = ARTICLE

    retried = source_archive(archive.pk)

    assert retried.status == ArchiveStatus.ARCHIVED
    assert retried.failure_reason == ""
    assert retried.attempts == 2
    served = len(pages.paths)
    assert source_archive(archive.pk).attempts == 2  # a duplicate delivery: nothing fetched
    assert len(pages.paths) == served


def test_a_failure_raises_for_the_queue_after_recording_its_reason(pages, claim, editor):
    link = source_attach(claim=claim, user=editor, title="Gone", url=pages.url("/gone"))
    archive = SourceArchive.objects.get(source=link.source)

    with pytest.raises(ArchiveFailed, match="404"):
        source_archive(archive.pk)
    archive.refresh_from_db()
    assert archive.status == ArchiveStatus.FAILED
    assert "404" in archive.failure_reason


def test_a_source_without_a_url_is_not_archived(claim, editor):
    link = source_attach(claim=claim, user=editor, title="A phone call with the ministry")

    assert not SourceArchive.objects.filter(source=link.source).exists()
    with pytest.raises(InvalidInput, match="no web address"):
        source_archive_request(source=link.source, user=editor)


def test_an_outsider_cannot_ask_for_a_snapshot(pages, claim, editor, outsider):
    archive = attach(claim, editor, pages.url("/article"))

    with pytest.raises(NotAllowed):
        source_archive_request(source=archive.source, user=outsider)
    assert SourceArchive.objects.count() == 1


def test_a_second_request_while_one_waits_is_refused(settings, pages, claim, editor):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    link = source_attach(claim=claim, user=editor, title="Report", url=pages.url("/article"))

    with pytest.raises(WorkflowError, match="already being taken"):
        source_archive_request(source=link.source, user=editor)
    assert SourceArchive.objects.filter(source=link.source).count() == 1
