"""Source snapshots in the browser views: the archive line of each source in the claim
panel, "archive again", and the snapshot page with its script-free policy."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse

from annotations.models import ArchiveStatus, SourceArchive
from annotations.services.claims import source_attach
from tests.archive.pages import ARTICLE, EXCERPT
from tests.archive.snapshots import again, attach
from tests.factories import make_claim

pytestmark = pytest.mark.django_db

HX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def claim(demo_article, editor):
    return make_claim(demo_article, editor, ready=False)


def panel(client, claim) -> str:
    response = client.get(reverse("claim_panel", args=[claim.id]), **HX)
    assert response.status_code == 200
    return response.content.decode()


def announced(response) -> str:
    return json.loads(response["HX-Trigger-After-Settle"])["factcheck:announce"]["message"]


def test_the_panel_says_when_a_source_was_archived_and_links_the_snapshot(
    client, pages, claim, editor, django_assert_max_num_queries
):
    archive = attach(claim, editor, pages.url("/article"))
    client.force_login(editor)

    # 12 queries, as without snapshots (the latest snapshot comes with the sources' query):
    # session, user, groups; claim; its sources (+ latest snapshot); comments; verdicts;
    # verdict labels; claim, claim-source and source events; their users.
    # +1: the claim's assignment history (issue 16).
    with django_assert_max_num_queries(13):
        html = panel(client, claim)

    when = archive.captured_at.strftime("%-d %b %Y %H:%M")
    assert "Archived <time datetime=" in html and when in html
    snapshot = reverse("source_snapshot", args=[archive.source_id, archive.pk])
    assert f'href="{snapshot}">view snapshot' in html
    assert "Archive again" in html


def test_the_panel_shows_a_failure_with_its_reason_and_try_again(client, pages, claim, editor):
    attach(claim, editor, pages.url("/gone"))
    client.force_login(editor)

    html = panel(client, claim)

    assert "Archive failed: 127.0.0.1 answered 404 Not Found" in html
    assert "Try again" in html


def test_a_pending_snapshot_says_archiving_and_asks_again(settings, client, pages, claim, editor):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    link = source_attach(claim=claim, user=editor, title="Report", url=pages.url("/article"))
    client.force_login(editor)

    html = panel(client, claim)

    assert "Archiving…" in html
    assert "Archive again" not in html  # nothing to offer while the job waits
    line = reverse("source_archive", args=[link.source_id])
    assert f'hx-get="{line}" hx-trigger="load delay:3s"' in html
    response = client.get(line, **HX)
    assert response.status_code == 200
    assert response.content.decode().startswith(f'<div id="source-archive-{link.source_id}"')


def test_a_lost_passage_is_flagged_on_the_claim(client, pages, claim, editor):
    first = attach(claim, editor, pages.url("/changing"))
    pages.changing = ARTICLE.replace(EXCERPT, "the ministry stopped counting classrooms")
    again(first.source, editor)
    client.force_login(editor)

    html = panel(client, claim)

    assert "The quoted passage of “Report” is no longer in its page" in html
    assert "the excerpt is not in it" in html


def test_archive_again_with_htmx_answers_the_new_line(client, pages, claim, editor):
    first = attach(claim, editor, pages.url("/article"))
    client.force_login(editor)

    response = client.post(reverse("source_archive", args=[first.source_id]), **HX)

    assert response.status_code == 200
    assert response.content.decode().startswith(f'<div id="source-archive-{first.source_id}"')
    assert announced(response) in {"Snapshot taken.", "Archiving the source…"}
    assert SourceArchive.objects.filter(source_id=first.source_id).count() == 2


def test_archive_again_without_javascript_returns_to_the_claim(client, pages, claim, editor):
    first = attach(claim, editor, pages.url("/article"))
    client.force_login(editor)

    response = client.post(reverse("source_archive", args=[first.source_id]))

    assert response.status_code == 302
    assert response.url.endswith(f"?claim={claim.id}")


def test_archive_again_refuses_a_source_without_a_url_in_place(client, claim, editor):
    link = source_attach(claim=claim, user=editor, title="A phone call")
    client.force_login(editor)

    response = client.post(reverse("source_archive", args=[link.source_id]), **HX)

    assert response.status_code == 400
    assert "This source has no web address to archive." in response.content.decode()
    assert not SourceArchive.objects.exists()


def test_outsiders_and_unknown_sources_are_refused(client, pages, claim, editor, outsider):
    archive = attach(claim, editor, pages.url("/article"))
    snapshot = reverse("source_snapshot", args=[archive.source_id, archive.pk])
    client.force_login(outsider)
    assert client.post(reverse("source_archive", args=[archive.source_id]), **HX).status_code == 403
    assert client.get(snapshot).status_code == 403
    client.force_login(editor)
    assert client.post(reverse("source_archive", args=[987654]), **HX).status_code == 404
    assert (
        client.get(reverse("source_snapshot", args=[archive.source_id, 987654])).status_code == 404
    )
    assert SourceArchive.objects.count() == 1


def test_a_snapshot_of_another_source_is_not_found_under_this_one(client, pages, claim, editor):
    one = attach(claim, editor, pages.url("/article"), title="One")
    two = attach(claim, editor, pages.url("/notes.txt"), title="Two")
    client.force_login(editor)

    response = client.get(reverse("source_snapshot", args=[one.source_id, two.pk]))

    assert response.status_code == 404


def test_the_snapshot_page_highlights_the_passage_and_forbids_scripts(
    client, pages, claim, editor, django_assert_max_num_queries
):
    archive = attach(claim, editor, pages.url("/article"))
    client.force_login(editor)

    # 7 queries: session, user, groups, the source through its live claims, the snapshot,
    # the source's other snapshots, the claim that cites it
    with django_assert_max_num_queries(7):
        response = client.get(reverse("source_snapshot", args=[archive.source_id, archive.pk]))

    assert response.status_code == 200
    policy = response["Content-Security-Policy"]
    assert "script-src 'none'" in policy
    assert "default-src 'none'" in policy
    assert "connect-src 'none'" in policy and "form-action 'none'" in policy
    html = response.content.decode()
    assert "<script" not in html
    assert f'<mark id="excerpt-mark">{EXCERPT}</mark>' in html
    assert archive.text_fragment_url.replace("&", "&amp;") in html
    assert archive.sha256 in html


def test_the_snapshot_of_a_scripted_page_shows_its_text_and_none_of_its_code(
    client, pages, claim, editor
):
    archive = attach(claim, editor, pages.url("/scripted"), excerpt="")
    client.force_login(editor)

    html = client.get(reverse("source_snapshot", args=[archive.source_id, archive.pk]))
    html = html.content.decode()

    assert "visible article text that the snapshot must keep" in html
    assert "<script" not in html and "onerror" not in html and "javascript:" not in html


def test_a_failed_snapshot_page_says_why(client, pages, claim, editor):
    archive = attach(claim, editor, pages.url("/slow"))
    assert archive.status == ArchiveStatus.FAILED
    client.force_login(editor)

    html = client.get(reverse("source_snapshot", args=[archive.source_id, archive.pk]))

    assert "took longer than 1 second" in html.content.decode()
    assert "This snapshot has no text." in html.content.decode()
