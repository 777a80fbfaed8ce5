"""API v1 articles: list, load (text, html, file, fetch), detail, metadata, revisions."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from annotations.models import Article, ArticleRevision, Claim, ClaimStatus
from annotations.services import claims as claim_services
from annotations.services.articles import article_load
from tests import loading_pages
from tests.loading_pages import BYLINE, HEADLINE, article_page

page_server = loading_pages.page_server
allow_loopback = loading_pages.allow_loopback
closed_port = loading_pages.closed_port

pytestmark = pytest.mark.django_db

ARTICLES = "/api/v1/articles/"


@pytest.fixture
def api():
    return APIClient()


def _as(api, user):
    api.force_authenticate(user)
    return api


def _nothing_created():
    assert Article.objects.count() == 0
    assert ArticleRevision.objects.count() == 0


# --- list -----------------------------------------------------------------------------------


def test_list_has_claim_counts_and_cursor_pages(api, editor, demo_article):
    quote = "hit at least five times"
    start = demo_article.current_revision.text.index(quote)
    Claim.objects.create(  # claim services belong to another issue
        article=demo_article,
        revision=demo_article.current_revision,
        exact=quote,
        start=start,
        end=start + len(quote),
        status=ClaimStatus.IN_REVIEW,
        created_by=editor,
    )
    body = _as(api, editor).get(ARTICLES).json()
    assert set(body) == {"next", "previous", "results"}
    (item,) = body["results"]
    assert item["id"] == demo_article.id
    assert item["claim_counts"] == {
        "draft": 0,
        "in_review": 1,
        "changes_requested": 0,
        "approved": 0,
        "rejected": 0,
    }
    assert item["current_revision"]["number"] == 1


def test_list_filters_by_q_outlet_and_updated_since(api, editor, demo_article):
    other = article_load(user=editor, text="Bridge closes\n\nVote.", outlet="Harbour Herald")
    _as(api, editor)

    def ids(**params):
        return [a["id"] for a in api.get(ARTICLES, params).json()["results"]]

    assert ids(q="defector") == [demo_article.id]
    assert ids(q="HERALD") == [other.id]
    assert ids(outlet="cnn") == [demo_article.id]
    assert ids(updated_since=other.updated_at.isoformat()) == [other.id]
    assert ids() == [other.id, demo_article.id]  # newest activity first


def test_list_pages_with_a_cursor(api, editor):
    for i in range(3):
        article_load(user=editor, text=f"Story {i}\n\nBody {i}.")
    first = _as(api, editor).get(ARTICLES, {"page_size": 2}).json()
    assert len(first["results"]) == 2 and first["next"]
    second = api.get(first["next"]).json()
    assert [a["title"] for a in second["results"]] == ["Story 0"]


def test_list_keeps_its_query_count(api, editor, django_assert_num_queries):
    for i in range(10):
        article_load(user=editor, text=f"Story {i}\n\nBody {i}.")
    _as(api, editor)
    # 2 queries: the user's groups (role check), the page of articles with their current
    # revision and claim counts (one GROUP BY).
    with django_assert_num_queries(2):
        assert api.get(ARTICLES).status_code == 200


def test_list_refuses_an_outsider_and_anonymous(api, outsider):
    assert api.get(ARTICLES).status_code in (401, 403)
    assert _as(api, outsider).get(ARTICLES).status_code == 403


# --- load -----------------------------------------------------------------------------------


def test_load_pasted_text(api, editor, demo_text):
    response = _as(api, editor).post(ARTICLES, {"text": demo_text, "outlet": "CNN"}, "json")
    assert response.status_code == 201
    body = response.json()
    revision = body["current_revision"]
    assert body["title"] == "Video shows North Korean defector’s harrowing escape amid gunfire"
    assert revision["text"].endswith("violent infringement upon our dignified country.”")
    assert "Leave a Reply" in revision["removed"]
    assert {"id", "number", "text", "removed", "content_hash", "created_at"} <= set(revision)
    assert Article.objects.get().outlet == "CNN"


def test_load_pasted_html(api, editor):
    response = _as(api, editor).post(ARTICLES, {"html": article_page()}, "json")
    assert response.status_code == 201
    assert (response.json()["title"], response.json()["byline"]) == (HEADLINE, BYLINE)


def test_load_uploaded_file(api, editor):
    upload = SimpleUploadedFile("page.html", article_page().encode(), "text/html")
    response = _as(api, editor).post(ARTICLES, {"file": upload}, format="multipart")
    assert response.status_code == 201
    assert response.json()["title"] == HEADLINE


def test_load_by_fetching_a_url(api, editor, page_server, allow_loopback):
    url = page_server.url("/article")
    response = _as(api, editor).post(ARTICLES, {"fetch": True, "url": url}, "json")
    assert response.status_code == 201
    body = response.json()
    assert (body["title"], body["byline"], body["url"]) == (HEADLINE, BYLINE, url)
    assert body["published_at"].startswith("2017-11-22")
    assert body["current_revision"]["input_format"] == "url"


def test_load_needs_exactly_one_input(api, editor):
    response = _as(api, editor).post(ARTICLES, {"text": "a", "html": "<p>b</p>"}, "json")
    assert response.status_code == 400
    assert "exactly one" in str(response.json())
    response = api.post(ARTICLES, {"fetch": True}, "json")
    assert response.status_code == 400
    _nothing_created()


def test_loading_a_known_article_answers_409_with_its_id(api, editor, demo_article, demo_text):
    response = _as(api, editor).post(ARTICLES, {"text": demo_text}, "json")
    assert response.status_code == 409
    assert response.json()["existing_id"] == demo_article.id
    assert "already loaded" in response.json()["detail"]
    assert Article.objects.count() == 1


def test_a_known_article_can_be_loaded_as_a_new_revision(api, editor, demo_article, demo_text):
    changed = demo_text.replace("five times", "six times")
    _as(api, editor)
    # Same URL, new text: 409 unless asked for a new revision.
    demo_article.url = "https://ex.org/defector"
    demo_article.save()
    payload = {"text": changed, "url": "https://ex.org/defector"}
    assert api.post(ARTICLES, payload, "json").status_code == 409
    response = api.post(ARTICLES, {**payload, "as_new_revision": True}, "json")
    assert response.status_code == 201
    body = response.json()
    assert body["id"] == demo_article.id
    assert body["current_revision"]["number"] == 2
    assert body["reanchor"]["counts"] == {"anchored": 0, "moved": 0, "fuzzy": 0, "orphaned": 0}
    response = api.post(
        f"{ARTICLES}?as_revision={demo_article.id}", {"text": changed + "\n\nMore."}, "json"
    )
    assert response.status_code == 201
    assert response.json()["current_revision"]["number"] == 3
    assert Article.objects.count() == 1


def test_load_refuses_an_outsider(api, outsider, demo_text):
    response = _as(api, outsider).post(ARTICLES, {"text": demo_text}, "json")
    assert response.status_code == 403
    _nothing_created()


def test_reviewers_may_load_articles(api, reviewer, demo_text):
    # Reviewers are senior editors (annotations.roles.may_edit): they may write too.
    assert _as(api, reviewer).post(ARTICLES, {"text": demo_text}, "json").status_code == 201


BAD_INPUTS = {
    "empty text": (lambda s, p: {"text": " \n "}, 400, "text", "There is no readable text"),
    "text over 2 MB": (lambda s, p: {"text": "word " * 420_000}, 413, "text", "too long"),
    "binary file": (
        lambda s, p: {"file": SimpleUploadedFile("x.png", b"\x89PNG\r\n\x1a\n\x00" * 40)},
        415,
        "file",
        "does not look like text or HTML",
    ),
    "html without readable body": (
        lambda s, p: {"html": s.pages["/no-body"][2].decode()},
        400,
        "html",
        "No article text could be found",
    ),
    "unreachable url": (
        lambda s, p: {"fetch": True, "url": f"http://127.0.0.1:{p}/"},
        400,
        "url",
        "Could not reach",
    ),
    "timeout": (lambda s, p: {"fetch": True, "url": s.url("/slow")}, 400, "url", "longer"),
    "non-html content type": (
        lambda s, p: {"fetch": True, "url": s.url("/json")},
        415,
        "url",
        "application/json",
    ),
    "private address": (
        lambda s, p: {"fetch": True, "url": "http://172.16.0.5/"},
        400,
        "url",
        "private network",
    ),
}


@pytest.mark.parametrize("case", list(BAD_INPUTS))
def test_bad_input_answers_with_the_message_and_creates_nothing(
    case, api, editor, page_server, allow_loopback, closed_port
):
    make_data, status, field, message = BAD_INPUTS[case]
    data = make_data(page_server, closed_port)
    fmt = "multipart" if "file" in data else "json"
    response = _as(api, editor).post(ARTICLES, data, format=fmt)
    assert response.status_code == status
    body = response.json()
    assert message in body["detail"]
    assert body[field] == [body["detail"]]
    _nothing_created()


BIG_BODIES = {
    "json": lambda: ({"text": "x" * 2_000}, "json"),
    "form": lambda: ({"text": "x" * 2_000}, "multipart"),
    "file": lambda: (
        {"file": SimpleUploadedFile("page.html", article_page().encode(), "text/html")},
        "multipart",
    ),
}


@pytest.mark.parametrize("body", list(BIG_BODIES))
@pytest.mark.parametrize("path", ["list", "revisions"])
def test_a_body_over_the_limit_answers_413(body, path, api, editor, demo_article, settings):
    # The shared limit (FACTCHECK_API_MAX_BODY), checked by the API's parsers before reading.
    settings.FACTCHECK_API_MAX_BODY = 1_000
    url = ARTICLES if path == "list" else f"{ARTICLES}{demo_article.id}/revisions/"
    data, fmt = BIG_BODIES[body]()
    articles, revisions = Article.objects.count(), ArticleRevision.objects.count()
    response = _as(api, editor).post(url, data, format=fmt)
    assert response.status_code == 413
    detail = response.json()["detail"]
    assert detail.startswith("The request body is too large (")
    assert "the API accepts at most 1000 bytes" in detail
    assert (Article.objects.count(), ArticleRevision.objects.count()) == (articles, revisions)


def test_a_binary_body_answers_415(api, editor):
    response = _as(api, editor).post(ARTICLES, b"%PDF-1.7\n", content_type="application/pdf")
    assert response.status_code == 415
    _nothing_created()


# --- detail and metadata --------------------------------------------------------------------


def test_detail_has_the_current_revision_and_counts(api, reviewer, demo_article):
    body = _as(api, reviewer).get(f"{ARTICLES}{demo_article.id}/").json()
    assert body["current_revision"]["text"] == demo_article.current_revision.text
    assert body["current_revision"]["content_hash"] == demo_article.current_revision.content_hash
    assert body["claim_counts"]["draft"] == 0


def test_detail_keeps_its_query_count(api, editor, demo_article, django_assert_num_queries):
    _as(api, editor)
    # 3 queries: the user's groups, the article with revision, loader and claim counts, who
    # is assigned to it (issue 16).
    with django_assert_num_queries(3):
        assert api.get(f"{ARTICLES}{demo_article.id}/").status_code == 200


def test_detail_refuses_an_outsider_and_404s_unknown(api, outsider, editor, demo_article):
    assert _as(api, outsider).get(f"{ARTICLES}{demo_article.id}/").status_code == 403
    assert _as(api, editor).get(f"{ARTICLES}999999/").status_code == 404


def test_patch_changes_metadata_only(api, editor, demo_article):
    url = f"{ARTICLES}{demo_article.id}/"
    response = _as(api, editor).patch(
        url, {"title": "New", "published_at": "2017-11-22T10:00:00Z"}, "json"
    )
    assert response.status_code == 200
    assert response.json()["title"] == "New"
    assert response.json()["published_at"].startswith("2017-11-22T10:00:00")
    response = api.patch(url, {"text": "changed"}, "json")
    assert response.status_code == 400
    assert "new revision" in str(response.json()["text"])
    assert api.patch(url, {"url": "javascript:alert(1)"}, "json").status_code == 400
    assert api.patch(url, {"title": ""}, "json").status_code == 400
    demo_article.refresh_from_db()
    assert demo_article.title == "New"
    assert demo_article.revisions.count() == 1


def test_patch_to_a_known_url_answers_409(api, editor, demo_article):
    other = article_load(user=editor, text="Other\n\nText.", url="https://ex.org/o")
    response = _as(api, editor).patch(
        f"{ARTICLES}{demo_article.id}/", {"url": "https://ex.org/o"}, "json"
    )
    assert response.status_code == 409
    assert response.json()["existing_id"] == other.id


def test_patch_refuses_an_outsider(api, outsider, demo_article):
    response = _as(api, outsider).patch(f"{ARTICLES}{demo_article.id}/", {"title": "X"}, "json")
    assert response.status_code == 403


def test_put_and_delete_are_not_allowed(api, editor, demo_article):
    _as(api, editor)
    assert api.put(f"{ARTICLES}{demo_article.id}/", {"title": "X"}, "json").status_code == 405
    assert api.delete(f"{ARTICLES}{demo_article.id}/").status_code == 405


# --- revisions ------------------------------------------------------------------------------


def test_revisions_are_listed_oldest_first(api, editor, demo_article, demo_text):
    url = f"{ARTICLES}{demo_article.id}/revisions/"
    _as(api, editor)
    response = api.post(url, {"text": demo_text.replace("five times", "six times")}, "json")
    assert response.status_code == 201
    body = response.json()
    assert body["number"] == 2
    assert body["reanchor"] == {
        "counts": {"anchored": 0, "moved": 0, "fuzzy": 0, "orphaned": 0},
        "claims": [],
    }
    listing = api.get(url).json()
    assert [r["number"] for r in listing["results"]] == [1, 2]
    assert "five times" in listing["results"][0]["text"]


def test_new_revision_with_the_same_text_answers_409(api, editor, demo_article, demo_text):
    url = f"{ARTICLES}{demo_article.id}/revisions/"
    response = _as(api, editor).post(url, {"text": demo_text}, "json")
    assert response.status_code == 409
    assert demo_article.revisions.count() == 1


def test_bad_new_revision_answers_400_and_creates_nothing(api, editor, demo_article):
    url = f"{ARTICLES}{demo_article.id}/revisions/"
    response = _as(api, editor).post(url, {"text": ""}, "json")
    assert response.status_code == 400
    assert response.json()["text"]
    assert demo_article.revisions.count() == 1


def test_new_revision_by_fetching(api, editor, page_server, allow_loopback):
    article = article_load(user=editor, text="Old\n\nOld text.", url=page_server.url("/article"))
    response = _as(api, editor).post(
        f"{ARTICLES}{article.id}/revisions/", {"fetch": True, "url": article.url}, "json"
    )
    assert response.status_code == 201
    assert response.json()["text"].startswith(HEADLINE)


def test_revisions_refuse_an_outsider_and_404_unknown(api, outsider, editor, demo_article):
    url = f"{ARTICLES}{demo_article.id}/revisions/"
    assert _as(api, outsider).get(url).status_code == 403
    assert api.post(url, {"text": "x"}, "json").status_code == 403
    assert _as(api, editor).get(f"{ARTICLES}999999/revisions/").status_code == 404
    assert api.post(f"{ARTICLES}999999/revisions/", {"text": "x"}, "json").status_code == 404


def test_revision_list_keeps_its_query_count(api, editor, demo_article, django_assert_num_queries):
    _as(api, editor)
    # 3 queries: the user's groups, the article, its revisions with their loaders.
    with django_assert_num_queries(3):
        assert api.get(f"{ARTICLES}{demo_article.id}/revisions/").status_code == 200


def test_the_schema_documents_the_article_endpoints(client, db):
    schema = client.get("/api/schema/", {"format": "json"}).json()
    paths = schema["paths"]
    assert {"post", "get"} <= set(paths["/api/v1/articles/"])
    assert "patch" in paths["/api/v1/articles/{id}/"]
    assert "post" in paths["/api/v1/articles/{article_id}/revisions/"]


# --- one request: the article and its claims (issue 17) --------------------------------------


def test_include_claims_returns_the_article_and_its_claims_in_text_order(
    api, editor, reviewer, demo_article
):
    from tests.api.fixtures.helpers import QUOTES, make_approved, make_claim

    later = make_claim(demo_article, editor, QUOTES[1])
    first = make_approved(demo_article, editor, reviewer, QUOTES[0])
    deleted = make_claim(demo_article, editor, QUOTES[2])
    claim_services.claim_delete(claim=deleted, user=editor)
    body = _as(api, reviewer).get(f"{ARTICLES}{demo_article.id}/?include=claims").json()
    assert body["current_revision"]["text"] == demo_article.current_revision.text
    by_start = sorted([first, later], key=lambda c: (c.start, c.end, c.id))
    assert [c["id"] for c in body["claims"]] == [c.pk for c in by_start]
    one = api.get(f"/api/v1/claims/{first.pk}/").json()
    assert next(c for c in body["claims"] if c["id"] == first.pk) == one  # the same shape
    assert "claims" not in api.get(f"{ARTICLES}{demo_article.id}/").json()


def test_include_claims_costs_the_same_queries_for_1_or_20_claims(
    api, editor, demo_article, django_assert_num_queries
):
    from tests.api.fixtures.helpers import make_claims

    _as(api, editor)
    make_claims(demo_article, editor, 1)
    url = f"{ARTICLES}{demo_article.id}/?include=claims"
    api.get(url)
    # The article, its assignees, its claims, their sources, their reviews, their
    # assignees, their confirmed matches (the roles are cached on the force-authenticated
    # user after the first request).
    # Issue 17: sources, reviews and assignees come as JSON rows in the claims query (-3).
    with django_assert_num_queries(4) as one:
        assert len(api.get(url).json()["claims"]) == 1
    make_claims(demo_article, editor, 19)
    with django_assert_num_queries(len(one.captured_queries)):
        assert len(api.get(url).json()["claims"]) == 20


def test_include_takes_only_claims(api, editor, demo_article):
    answer = _as(api, editor).get(f"{ARTICLES}{demo_article.id}/?include=sources")
    assert answer.status_code == 400
    assert "include takes one value, claims" in answer.json()["detail"]


# --- many articles in one request (issue 17) ------------------------------------------------

BULK = "/api/v1/articles/bulk/"


def test_bulk_answers_each_article_created_duplicate_or_refused(api, editor, demo_text):
    first = article_load(user=editor, text=demo_text)
    body = {
        "articles": [
            {"text": "Story one.\n\nThe bridge opened in 1932.", "outlet": "The Post"},
            {"text": demo_text},
            {"text": "   "},
            {"html": "<html><head><title>Two</title></head><body><article><h1>Story two</h1>"
                     "<p>The council voted on Tuesday to rebuild the old bridge over the river, "
                     "at a cost the mayor put at twelve million.</p></article></body></html>",
             "published_at": "2026-11-30"},
            {"text": "Story one.\n\nThe bridge opened in 1932."},
            {"text": "x", "fetch": True},
            {"text": "Story three.", "published_at": "last Tuesday"},
            "not an object",
        ]
    }  # fmt: skip
    answer = _as(api, editor).post(BULK, body, format="json")
    assert answer.status_code == 207
    report = answer.json()
    results = report["results"]
    assert [r["result"] for r in results] == [
        "created", "duplicate", "refused", "created", "duplicate", "refused", "refused", "refused",
    ]  # fmt: skip
    assert [r["index"] for r in results] == list(range(1, 9))
    assert results[1]["existing_id"] == first.pk
    assert results[4]["existing_id"] == results[0]["id"]  # the same text earlier in the batch
    assert results[2]["field"] == "text" and "text" in results[2]["detail"]
    assert "Unknown fields: fetch" in results[5]["detail"]
    assert results[6]["field"] == "published_at" and "ISO 8601" in results[6]["detail"]
    assert (report["created"], report["duplicates"], report["refused"]) == (2, 2, 4)
    created = Article.objects.get(pk=results[0]["id"])
    assert created.outlet == "The Post" and created.current_revision.number == 1
    assert Article.objects.get(pk=results[3]["id"]).published_at.date().isoformat() == "2026-11-30"
    assert Article.objects.count() == 3  # the demo article and the two created


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"articles": []}, "at least one"),
        ({"articles": "many"}, "Send a list of articles"),
        ({"items": []}, 'Send {"articles": [...]}'),
        ([], 'Send {"articles": [...]}'),
        ({"articles": [{"text": "a"}] * 501}, "At most 500 articles"),
    ],
)
def test_a_bad_bulk_request_is_refused_whole_and_nothing_is_written(api, editor, body, message):
    answer = _as(api, editor).post(BULK, body, format="json")
    assert answer.status_code == 400
    assert message in answer.json()["detail"]
    _nothing_created()


def test_bulk_is_for_editors(api, outsider):
    answer = _as(api, outsider).post(BULK, {"articles": [{"text": "A story."}]}, format="json")
    assert answer.status_code == 403
    _nothing_created()


def test_bulk_leaves_the_suggestions_to_a_job_and_the_workspace_says_so(
    api, client, editor, demo_text
):
    from django_tasks_db.models import DBTaskResult

    from annotations.models import Suggestion
    from annotations.services.suggestions import suggestions_compute_once
    from annotations.tasks import compute_suggestions

    body = {"articles": [{"text": demo_text}, {"text": "   "}]}
    answer = _as(api, editor).post(BULK, body, format="json")
    article = Article.objects.get(pk=answer.json()["results"][0]["id"])
    revision = article.current_revision
    # Nothing computed in the request; one job per article created (none for the refusal).
    assert not Suggestion.objects.filter(revision=revision).exists()
    jobs = DBTaskResult.objects.filter(task_path=compute_suggestions.module_path)
    assert [job.args_kwargs["args"] for job in jobs] == [[revision.pk]]

    client.force_login(editor)
    page = client.get(f"/articles/{article.pk}/").content.decode()
    assert "being prepared" in page
    assert "Background work is paused" in page  # no worker runs in this test

    assert Article.objects.get(pk=article.pk).suggestions_pending
    compute_suggestions.func(revision.pk)  # what the worker runs
    assert not Article.objects.get(pk=article.pk).suggestions_pending
    count = Suggestion.objects.filter(revision=revision).count()
    assert count > 0
    assert suggestions_compute_once(revision_id=revision.pk) == []  # a second run adds none
    assert Suggestion.objects.filter(revision=revision).count() == count
    page = client.get(f"/articles/{article.pk}/").content.decode()
    assert "being prepared" not in page
    assert 'data-suggestion="' in page


def _bulk_items(count: int, run: str = "a") -> list[dict]:
    """Articles of every kind a bulk load takes: text and HTML, with and without a URL."""
    items = []
    for n in range(count):
        story = f"Story {run}{n}.\n\nThe council voted on Tuesday to rebuild bridge number {n}."
        if n % 2:
            items.append({"text": story, "url": f"https://news.test/{run}/{n}", "outlet": "Post"})
        else:
            html = f"<html><head><title>Story {run}{n}</title></head><body><article>"
            items.append({"html": html + f"<p>{story}</p></article></body></html>"})
    return items


def test_a_bulk_load_costs_the_same_queries_for_2_articles_as_for_40(editor):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    counts = []
    for run, count in (("a", 2), ("b", 40)):
        client = _as(APIClient(), type(editor).objects.get(pk=editor.pk))  # groups not cached
        with CaptureQueriesContext(connection) as queries:
            answer = client.post(BULK, {"articles": _bulk_items(count, run)}, format="json")
        assert answer.json()["created"] == count
        counts.append(len(queries.captured_queries))
    # 11 queries: the editor's groups, the service's savepoint, known URLs, known texts,
    # the savepoint of the writes, the articles, their revisions, the articles pointed at
    # them, the suggestion jobs, and releasing the two savepoints (in a test's transaction;
    # a request has BEGIN and COMMIT instead of the outer savepoint).
    assert counts == [11, 11]


def test_a_bulk_load_writes_what_loading_each_article_alone_writes(api, editor, editor2):
    """History, webhooks, live events: a bulk-loaded article has the record an article
    loaded through POST /api/v1/articles/ has."""
    from annotations.models import LiveEvent, WebhookDelivery, WebhookEvent, WebhookSubscription

    WebhookSubscription.objects.create(
        url="https://cms.test/hook", events=WebhookEvent.values, secret="whsec_x", created_by=editor
    )
    alone = _as(api, editor).post(
        ARTICLES, {"text": "Story one.\n\nThe bridge opened in 1932.", "outlet": "Post"}
    )
    bulk = _as(APIClient(), editor2).post(
        BULK,
        {"articles": [{"text": "Story two.\n\nThe dam opened in 1936.", "outlet": "Post"}]},
        format="json",
    )
    one = Article.objects.get(pk=alone.json()["id"])
    two = Article.objects.get(pk=bulk.json()["results"][0]["id"])

    def history(article, user):
        return [
            (
                event.pgh_label,
                event.current_revision_id,
                event.title,
                event.outlet,
                event.created_by_id == user.pk,
                event.pgh_context.metadata["action"],
                event.pgh_context.metadata["user"] == user.pk,
            )
            for event in article.events.order_by("pgh_id")
        ]

    for article, user, title in ((one, editor, "Story one."), (two, editor2, "Story two.")):
        assert history(article, user) == [
            ("insert", None, title, "Post", True, "article_create", True),
            ("update", article.current_revision_id, title, "Post", True, "article_create", True),
        ]
        revision = article.current_revision
        assert (revision.number, revision.created_by_id, revision.input_format) == (
            1, user.pk, "text",
        )  # fmt: skip
        assert revision.raw.startswith(title)
        assert revision.content_hash == article.first_content_hash
    # Loading an article is no webhook event and no live event (those follow claims).
    assert WebhookDelivery.objects.count() == 0
    assert LiveEvent.objects.count() == 0


def test_bulk_duplicates_and_refusals_follow_the_order_of_the_items(api, editor):
    known = article_load(
        user=editor, text="Known story.\n\nThe port closed in 1990.", url="https://news.test/known"
    )
    body = {
        "articles": [
            # A known URL is a duplicate before its text is even looked at.
            {"text": "   ", "url": "https://news.test/known"},
            # Refused (a bad URL): it takes neither its text nor its URL …
            {"text": "Story A.\n\nThe mill opened in 1850.", "url": "not a web address"},
            # … so the same text is loaded by the next item.
            {"text": "Story A.\n\nThe mill opened in 1850.", "url": "https://news.test/a"},
            {"text": "Story B.\n\nThe mine opened in 1870.", "url": "https://news.test/a"},
            {"text": "Story A.\n\nThe mill opened in 1850."},
            {"text": "Known story.\n\nThe port closed in 1990."},
        ]
    }
    answer = _as(api, editor).post(BULK, body, format="json")
    results = answer.json()["results"]
    assert [r["result"] for r in results] == [
        "duplicate", "refused", "created", "duplicate", "duplicate", "duplicate",
    ]  # fmt: skip
    created = results[2]["id"]
    assert results[0]["existing_id"] == known.pk and "same web address" in results[0]["detail"]
    assert results[1]["field"] == "url"
    assert results[3]["existing_id"] == created and "same web address" in results[3]["detail"]
    assert results[4]["existing_id"] == created and "same text" in results[4]["detail"]
    assert "“Story A.”" in results[4]["detail"]
    assert results[5]["existing_id"] == known.pk
    assert Article.objects.get(pk=created).url == "https://news.test/a"


def test_a_bulk_load_that_races_another_load_answers_each_item_on_its_own(api, editor, monkeypatch):
    """Another request loads one of the URLs between the look-up and the insert: the
    batch's writes are undone and each item is loaded alone, so that one is a duplicate
    and the others are still created, each once."""
    from annotations.services import articles as services

    decide = services._bulk_decide

    def decide_then_someone_else_loads(user, staged):
        outcomes = decide(user, staged)
        article_load(user=user, text="Their story.\n\nThe canal opened.", url="https://news.test/1")
        return outcomes

    monkeypatch.setattr(services, "_bulk_decide", decide_then_someone_else_loads)
    items = [
        {"text": f"Story {n}.\n\nThe canal opened in {1800 + n}.", "url": f"https://news.test/{n}"}
        for n in range(3)
    ]
    answer = _as(api, editor).post(BULK, {"articles": items}, format="json")
    results = answer.json()["results"]
    theirs = Article.objects.get(url="https://news.test/1")
    assert [r["result"] for r in results] == ["created", "duplicate", "created"]
    assert results[1]["existing_id"] == theirs.pk
    assert Article.objects.count() == 3 == ArticleRevision.objects.count()
    assert all(Article.objects.get(pk=r["id"]).suggestions_pending for r in results[::2])
