"""Source snapshots over the API: the latest WARC, its text, archive again; refusals."""

from __future__ import annotations

import io

import pytest
from warcio.archiveiterator import ArchiveIterator

from annotations.models import ArchiveStatus, SourceArchive
from annotations.services.claims import claim_delete, source_attach
from tests.api.fixtures import helpers
from tests.archive.pages import ARTICLE, EXCERPT, PDF, sha256
from tests.archive.snapshots import again, attach
from tests.factories import make_claim

ed_api = helpers.ed_api
rev_api = helpers.rev_api
outsider_api = helpers.outsider_api

pytestmark = pytest.mark.django_db


@pytest.fixture
def claim(demo_article, editor):
    return make_claim(demo_article, editor, ready=False)


def body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def test_get_archive_serves_the_latest_archived_warc(
    ed_api, pages, claim, editor, django_assert_max_num_queries
):
    first = attach(claim, editor, pages.url("/article"))
    pages.changing = ARTICLE
    latest = again(first.source, editor)

    # 4 queries: token + user, roles, the source through its live claims, the latest snapshot
    with django_assert_max_num_queries(4):
        response = ed_api.get(f"/api/v1/sources/{first.source_id}/archive")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/warc"
    assert f"snapshot-{latest.pk}.warc" in response["Content-Disposition"]
    assert response["X-Payload-SHA256"] == sha256(ARTICLE)
    kinds = [r.rec_type for r in ArchiveIterator(io.BytesIO(body(response)))]
    assert kinds == ["response", "request"]  # warcio writes the pair in this order


def test_get_archive_text_serves_the_text(ed_api, pages, claim, editor):
    archive = attach(claim, editor, pages.url("/article"))

    response = ed_api.get(f"/api/v1/sources/{archive.source_id}/archive.txt")

    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert EXCERPT in response.content.decode()


def test_a_reviewer_reads_the_archive_too(rev_api, pages, claim, editor):
    archive = attach(claim, editor, pages.url("/article"))

    assert rev_api.get(f"/api/v1/sources/{archive.source_id}/archive").status_code == 200


def test_no_snapshot_yet_is_a_json_404_saying_so(ed_api, pages, claim, editor):
    failed = attach(claim, editor, pages.url("/gone"))
    assert failed.status == ArchiveStatus.FAILED

    for suffix, accept in (("archive", "application/warc"), ("archive.txt", "text/plain")):
        response = ed_api.get(f"/api/v1/sources/{failed.source_id}/{suffix}", HTTP_ACCEPT=accept)
        assert response.status_code == 404
        assert response["Content-Type"] == "application/json"
        assert response.json() == {
            "detail": f"Source {failed.source_id} has no archived snapshot yet."
        }


def test_the_text_of_a_pdf_snapshot_is_a_404_saying_why(ed_api, pages, claim, editor):
    archive = attach(claim, editor, pages.url("/report.pdf"))

    response = ed_api.get(f"/api/v1/sources/{archive.source_id}/archive.txt")
    assert response.status_code == 404
    assert "has no text" in response.json()["detail"]
    assert "application/pdf" in response.json()["detail"]
    warc = ed_api.get(f"/api/v1/sources/{archive.source_id}/archive")
    payloads = {
        record.rec_type: record.content_stream().read()
        for record in ArchiveIterator(io.BytesIO(body(warc)))
    }
    assert payloads["response"] == PDF


def test_post_archive_takes_a_new_snapshot_and_keeps_the_old(ed_api, pages, claim, editor):
    first = attach(claim, editor, pages.url("/article"))

    response = ed_api.post(f"/api/v1/sources/{first.source_id}/archive")

    assert response.status_code == 202, response.json()
    data = response.json()
    assert data["id"] != first.pk
    assert data["source"] == first.source_id
    assert data["status"] in {"pending", "archived"}
    assert SourceArchive.objects.filter(source_id=first.source_id).count() == 2


def test_post_archive_refuses_a_source_without_a_url(ed_api, claim, editor):
    link = source_attach(claim=claim, user=editor, title="A phone call")

    response = ed_api.post(f"/api/v1/sources/{link.source_id}/archive")

    assert response.status_code == 400
    assert response.json()["detail"] == "This source has no web address to archive."
    assert not SourceArchive.objects.exists()


def test_post_archive_while_one_waits_is_a_409(settings, ed_api, pages, claim, editor):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    link = source_attach(claim=claim, user=editor, title="Report", url=pages.url("/article"))

    response = ed_api.post(f"/api/v1/sources/{link.source_id}/archive")

    assert response.status_code == 409
    assert "already being taken" in response.json()["detail"]
    assert SourceArchive.objects.count() == 1


def test_an_outsider_is_refused_and_nothing_is_written(outsider_api, pages, claim, editor):
    archive = attach(claim, editor, pages.url("/article"))

    assert outsider_api.get(f"/api/v1/sources/{archive.source_id}/archive").status_code == 403
    assert outsider_api.get(f"/api/v1/sources/{archive.source_id}/archive.txt").status_code == 403
    assert outsider_api.post(f"/api/v1/sources/{archive.source_id}/archive").status_code == 403
    assert SourceArchive.objects.count() == 1


def test_unknown_sources_and_sources_of_deleted_claims_are_404(ed_api, pages, claim, editor):
    archive = attach(claim, editor, pages.url("/article"))
    for source_id in (999_999, 2**40):
        response = ed_api.get(f"/api/v1/sources/{source_id}/archive")
        assert response.status_code == 404
        assert response.json()["detail"] == f"No source {source_id}."

    claim_delete(claim=claim, user=editor)
    assert ed_api.get(f"/api/v1/sources/{archive.source_id}/archive").status_code == 404
    assert ed_api.post(f"/api/v1/sources/{archive.source_id}/archive").status_code == 404
    assert SourceArchive.objects.count() == 1


def test_the_schema_documents_the_archive_endpoints(ed_api):
    schema = ed_api.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    paths = schema["paths"]
    archive = paths["/api/v1/sources/{source_id}/archive"]
    assert "application/warc" in archive["get"]["responses"]["200"]["content"]
    assert "202" in archive["post"]["responses"]
    text = paths["/api/v1/sources/{source_id}/archive.txt"]
    assert "text/plain" in text["get"]["responses"]["200"]["content"]
