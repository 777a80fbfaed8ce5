"""Bad input is a clear 4xx, never a 500."""

from __future__ import annotations

import base64

import pytest
from rest_framework.test import APIClient

from tests.api.fixtures import helpers
from tests.api.fixtures.helpers import make_claim

ed_api = helpers.ed_api

pytestmark = pytest.mark.django_db


def test_a_10_mb_body_is_413(ed_api, demo_article):
    body = '{"body": "' + "x" * (10 * 1024 * 1024) + '"}'
    response = ed_api.post("/api/v1/claims/", body, content_type="application/json")
    assert response.status_code == 413
    assert "MB" in response.json()["detail"]


def test_json_that_is_not_an_object_is_400(ed_api, demo_article):
    response = ed_api.post("/api/v1/claims/", "[1, 2, 3]", content_type="application/json")
    assert response.status_code == 400
    assert "dictionary" in str(response.json())


def test_malformed_json_is_400(ed_api, demo_article):
    response = ed_api.post("/api/v1/claims/", "{not json", content_type="application/json")
    assert response.status_code == 400
    assert "not valid JSON" in response.json()["detail"]


def test_a_wrong_content_type_is_415(ed_api, demo_article):
    response = ed_api.post("/api/v1/claims/", "hello", content_type="text/plain")
    assert response.status_code == 415
    assert "application/json" in response.json()["detail"]


def test_a_wrong_accept_is_406(ed_api, demo_article):
    response = ed_api.get("/api/v1/claims/", HTTP_ACCEPT="text/csv")
    assert response.status_code == 406
    assert "application/json" in response.json()["detail"]


def test_an_invalid_token_is_401():
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token 0123456789abcdef")
    response = client.get("/api/v1/verdicts/")
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"


@pytest.mark.parametrize(
    "cursor",
    [
        "garbage!!",
        base64.b64encode(b"p=not-a-number").decode(),
        base64.b64encode(b"o=-5").decode(),
        base64.b64encode(b"p=99999999999999999999999").decode(),
    ],
)
def test_a_malformed_cursor_is_400(ed_api, demo_article, editor, cursor):
    make_claim(demo_article, editor)
    response = ed_api.get("/api/v1/claims/", {"cursor": cursor})
    assert response.status_code == 400
    assert "cursor" in response.json()["detail"]


@pytest.mark.parametrize("size", ["500", "0", "-1", "ten"])
def test_a_page_size_out_of_range_is_400(ed_api, demo_article, size):
    response = ed_api.get("/api/v1/claims/", {"page_size": size})
    assert response.status_code == 400
    assert "from 1 to 200" in response.json()["detail"]


def test_following_next_links_walks_every_claim(ed_api, demo_article, editor):
    from tests.api.fixtures.helpers import QUOTES

    ids = {make_claim(demo_article, editor, q).pk for q in QUOTES[:5]}
    seen: set[int] = set()
    url = "/api/v1/claims/?page_size=2"
    while url:
        body = ed_api.get(url).json()
        seen |= {c["id"] for c in body["results"]}
        url = body["next"]
    assert seen == ids


def test_nul_characters_are_400(ed_api, demo_article):
    response = ed_api.post(
        "/api/v1/claims/",
        {"article": demo_article.pk, "selector": {"exact": "a\x00b"}},
        format="json",
    )
    assert response.status_code == 400
