"""What a request costs before its view runs (issue 17): a token request reads its token,
user and roles in one query, then the view's own."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from annotations.api.authentication import _TOKEN_WITH_ROLES
from tests.api.fixtures.helpers import token_client

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("persona", ["editor", "reviewer", "staff"])
def test_a_token_request_reads_token_user_and_roles_in_one_query(request, persona):
    api = token_client(request.getfixturevalue(persona))
    api.get("/api/v1/verdicts/")  # warm: content types, the scale
    with CaptureQueriesContext(connection) as queries:
        answer = api.get("/api/v1/verdicts/")
    assert answer.status_code == 200
    sql = [q["sql"] for q in queries.captured_queries]
    # The token read is prepared (annotations/selectors/prepared.py): its EXECUTE is sent.
    token_read = _TOKEN_WITH_ROLES._compiled["default"]
    assert f"EXECUTE {token_read.name}(" in sql[0]
    assert "authtoken_token" in token_read.sql and "auth_group" in token_read.sql
    assert not any("auth_group" in s for s in sql[1:]), sql
    assert len(sql) == 2, sql  # the token (with the roles), then the verdicts


def test_roles_from_the_token_query_decide_like_the_groups(editor, outsider):
    assert token_client(editor).get("/api/v1/claims/").status_code == 200
    refused = token_client(outsider).get("/api/v1/claims/")
    assert refused.status_code == 403
    assert "no newsroom role" in refused.json()["detail"]


def test_an_inactive_users_token_is_refused(editor):
    api = token_client(editor)
    editor.is_active = False
    editor.save()
    answer = api.get("/api/v1/claims/")
    assert answer.status_code == 401
    assert "inactive" in answer.json()["detail"].lower()


def _statements(queries) -> list[str]:
    """The SQL a request sends, without the SAVEPOINT / RELEASE pairs that exist only
    because the test runs inside a transaction (in production they are BEGIN / COMMIT)."""
    return [
        q["sql"]
        for q in queries.captured_queries
        if not q["sql"].rstrip().split(";")[-1].strip().startswith(("SAVEPOINT", "RELEASE"))
    ]


def test_creating_a_claim_costs_at_most_six_statements(editor, demo_article):
    api = token_client(editor)
    api.post("/api/v1/claims/", {"article": demo_article.pk, "selector": {"exact": "40 rounds"}},
             format="json")  # fmt: skip
    with CaptureQueriesContext(connection) as queries:
        answer = api.post(
            "/api/v1/claims/",
            {"article": demo_article.pk, "selector": {"exact": "hit at least five times"}},
            format="json",
        )
    assert answer.status_code == 201, answer.json()
    sql = _statements(queries)
    # token with roles; the article with its current revision; the article locked and its
    # updated_at bumped (one UPDATE … RETURNING); the claim inserted.
    assert len(sql) <= 4, sql
    # What it answers is what reading the claim answers (nothing was skipped).
    assert answer.json() == api.get(answer["Location"]).json()


def test_a_replayed_create_answers_the_claim_as_it_is_now(editor, demo_article):
    from annotations.services.claims import source_attach

    api = token_client(editor)
    body = {"article": demo_article.pk, "selector": {"exact": "hit at least five times"}}
    first = api.post("/api/v1/claims/", body, format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    from annotations.models import Claim

    source_attach(claim=Claim.objects.get(pk=first.json()["id"]), user=editor, title="Memo")
    again = api.post("/api/v1/claims/", body, format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    assert again.status_code == 201 and again["Idempotent-Replayed"] == "true"
    assert [s["title"] for s in again.json()["sources"]] == ["Memo"]


def test_a_new_claim_moves_the_article_but_writes_no_article_history(editor, demo_article):
    from annotations.models import Article

    events = Article.pgh_event_model.objects.filter(pgh_obj=demo_article)
    before_events, before_time = events.count(), Article.objects.get(pk=demo_article.pk).updated_at
    answer = token_client(editor).post(
        "/api/v1/claims/", {"article": demo_article.pk, "selector": {"exact": "40 rounds"}},
        format="json",
    )  # fmt: skip
    assert answer.status_code == 201
    assert Article.objects.get(pk=demo_article.pk).updated_at > before_time  # lists re-sort
    assert events.count() == before_events
    # A refused claim leaves the article's time alone (the bump is in its transaction).
    moved = Article.objects.get(pk=demo_article.pk).updated_at
    refused = token_client(editor).post(
        "/api/v1/claims/", {"article": demo_article.pk, "selector": {"exact": "not in it"}},
        format="json",
    )  # fmt: skip
    assert refused.status_code == 400
    assert Article.objects.get(pk=demo_article.pk).updated_at == moved
    # What history is for still writes a row: the headline changed.
    token_client(editor).patch(
        f"/api/v1/articles/{demo_article.pk}/", {"title": "A new headline"}, format="json"
    )
    assert events.count() == before_events + 1
