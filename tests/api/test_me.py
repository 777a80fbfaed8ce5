"""`GET /api/v1/me/`: who a token belongs to and what their roles allow — the first thing
a client being set up asks, and what an account without a role may still ask."""

from __future__ import annotations

import pytest
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from tests.api.fixtures import helpers

ed_api = helpers.ed_api
rev_api = helpers.rev_api
outsider_api = helpers.outsider_api


def test_an_editor_is_told_their_role(ed_api, editor):
    answer = ed_api.get("/api/v1/me/")
    assert answer.status_code == 200
    assert answer.json() == {
        "id": editor.pk,
        "username": editor.username,
        "roles": ["editor"],
        "may_edit": True,
        "may_review": False,
    }


def test_a_reviewer_may_review(rev_api, reviewer):
    assert rev_api.get("/api/v1/me/").json() == {
        "id": reviewer.pk,
        "username": reviewer.username,
        "roles": ["reviewer"],
        "may_edit": True,
        "may_review": True,
    }


def test_staff_without_a_role_may_do_everything(staff):
    answer = helpers.token_client(staff).get("/api/v1/me/").json()
    assert (answer["roles"], answer["may_edit"], answer["may_review"]) == ([], True, True)


def test_an_account_without_a_role_may_ask_and_learns_it_reads_nothing(outsider_api, outsider):
    assert outsider_api.get("/api/v1/verdicts/").status_code == 403
    answer = outsider_api.get("/api/v1/me/")
    assert answer.status_code == 200
    assert answer.json() == {
        "id": outsider.pk,
        "username": outsider.username,
        "roles": [],
        "may_edit": False,
        "may_review": False,
    }


@pytest.mark.django_db
def test_without_a_token_or_with_a_wrong_one_it_is_401():
    assert APIClient().get("/api/v1/me/").status_code == 401
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token not-a-token")
    answer = client.get("/api/v1/me/")
    assert answer.status_code == 401
    assert answer.json()["detail"] == "Invalid token."


def test_only_get_is_answered_and_nothing_is_written(ed_api, editor):
    from django.contrib.auth import get_user_model

    before = list(get_user_model().objects.values_list("id", "username", "is_active"))
    for method in ("post", "put", "patch", "delete"):
        answer = getattr(ed_api, method)("/api/v1/me/", {"username": "x"}, format="json")
        assert answer.status_code == 405, method
    assert list(get_user_model().objects.values_list("id", "username", "is_active")) == before


def test_with_a_token_it_costs_the_token_read_alone(ed_api):
    from django.db import connection

    ed_api.get("/api/v1/me/")  # the read is prepared on this connection
    with CaptureQueriesContext(connection) as queries:
        assert ed_api.get("/api/v1/me/").status_code == 200
    assert len(queries) == 1  # the token, its user and roles: nothing more


def test_a_signed_in_browser_session_may_ask_too(client, editor):
    client.force_login(editor)
    answer = client.get("/api/v1/me/")
    assert answer.status_code == 200
    assert answer.json()["roles"] == ["editor"]
