"""Integrity under pressure (issue 11): guessing limits, answers the API contract promises
for hostile input, and the headers every answer carries."""

from __future__ import annotations

import json
import logging
import time
from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from annotations.api import authentication
from annotations.models import Article, Claim

pytestmark = pytest.mark.django_db


def _wrong_logins(client: Client, url: str, username: str, times: int) -> list[int]:
    return [
        client.post(url, {"username": username, "password": "not-the-password"}).status_code
        for _ in range(times)
    ]


# --- 6. No limit on guessing --------------------------------------------------------------


def test_five_wrong_passwords_lock_the_account_with_a_message(client, editor, caplog):
    caplog.set_level(logging.WARNING)
    url = reverse("login")
    assert _wrong_logins(client, url, "ed", 4) == [200] * 4
    # The fifth failure locks; from then on even the right password is refused.
    response = client.post(url, {"username": "ed", "password": "not-the-password"})
    assert response.status_code == 429
    response = client.post(url, {"username": "ed", "password": "ed-pass"})
    assert response.status_code == 429
    page = response.content.decode()
    assert "Too many failed logins" in page
    assert "After 5 wrong passwords, logging in as “ed” from here is paused for 15 minutes" in page
    assert int(response["Retry-After"]) == 15 * 60
    assert "_auth_user_id" not in client.session  # not logged in
    assert any("lock" in r.getMessage().lower() for r in caplog.records)  # axes logs it


def test_guessing_many_accounts_from_one_address_is_locked_too(client, editor, editor2):
    url = reverse("login")
    for n, name in enumerate(("a", "b", "c", "d", "e")):
        # A new X-Forwarded-For each time does not make a new address (no proxy is set).
        client.post(
            url,
            {"username": name, "password": "x"},
            REMOTE_ADDR="10.0.0.9",
            HTTP_X_FORWARDED_FOR=f"198.51.100.{n}",
        )
    # A real account, the right password, from the same address: refused.
    response = client.post(url, {"username": "ed2", "password": "ed2-pass"}, REMOTE_ADDR="10.0.0.9")
    assert response.status_code == 429
    # The same account from another address is not locked (it had no failures).
    response = client.post(
        url, {"username": "ed2", "password": "ed2-pass"}, REMOTE_ADDR="10.0.0.10"
    )
    assert response.status_code == 302


def test_the_lockout_ends_after_the_cool_down(client, editor):
    url = reverse("login")
    _wrong_logins(client, url, "ed", 5)
    assert client.post(url, {"username": "ed", "password": "ed-pass"}).status_code == 429
    # Sixteen minutes later (the cool-down is 15):
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=16))
    response = client.post(url, {"username": "ed", "password": "ed-pass"})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(editor.pk)


def test_the_admin_login_is_locked_out_too(client, staff):
    url = reverse("admin:login")
    assert _wrong_logins(client, url, "boss", 5)[-1] == 429
    response = client.post(url, {"username": "boss", "password": "boss-pass"})
    assert response.status_code == 429
    assert "Too many failed logins" in response.content.decode()
    assert "_auth_user_id" not in client.session


@pytest.fixture
def no_token_blocks():
    authentication._blocked_until.clear()
    yield
    authentication._blocked_until.clear()


def test_api_token_guessing_is_throttled_per_address(editor, no_token_blocks, monkeypatch):
    key = Token.objects.create(user=editor).key
    guesser = APIClient()
    statuses = []
    for i in range(31):
        guesser.credentials(HTTP_AUTHORIZATION=f"Token {i:040x}")
        # A new X-Forwarded-For each time does not make a new address (no proxy is set).
        spoof = f"203.0.113.{i}"
        statuses.append(guesser.get("/api/v1/verdicts/", HTTP_X_FORWARDED_FOR=spoof).status_code)
    assert statuses == [401] * 30 + [429]  # 30 an hour are answered; then a pause
    # While blocked, even a real token from that address waits, with a clear message.
    guesser.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    response = guesser.get("/api/v1/verdicts/")
    assert response.status_code == 429
    assert "Too many invalid API tokens" in response.json()["detail"]
    assert 0 < int(response["Retry-After"]) <= 3600
    # Another address is not affected.
    other = APIClient(REMOTE_ADDR="10.1.1.1")
    other.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert other.get("/api/v1/verdicts/").status_code == 200
    # An hour later the window has moved on.
    later = time.time() + 3601
    monkeypatch.setattr(time, "time", lambda: later)
    assert guesser.get("/api/v1/verdicts/").status_code == 200


def test_a_valid_token_costs_no_extra_query(editor, no_token_blocks, django_assert_num_queries):
    key = Token.objects.create(user=editor).key
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    # 2 queries, one fewer than DRF's own TokenAuthentication: the token with its user and
    # the user's roles (one query, annotations.api.authentication), the verdict scale.
    with django_assert_num_queries(2):
        assert api.get("/api/v1/verdicts/").status_code == 200


# --- 7. 500s the API contract rules out -------------------------------------------------


@pytest.fixture
def ed_api(editor, no_token_blocks):
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=editor).key}")
    return api


def test_json_nested_1000_levels_is_400(ed_api, demo_article):
    before = Claim.objects.count()
    body = '{"statement": ' + "[" * 1000 + "]" * 1000 + "}"
    for _ in range(3):
        response = ed_api.post("/api/v1/claims/", body, content_type="application/json")
        assert response.status_code == 400
        assert "nested" in response.json()["detail"]
    assert Claim.objects.count() == before


def test_json_nested_just_past_the_limit_is_400_with_the_limit(ed_api, demo_article):
    body = "{" + '"a": {' * 64 + "}" * 65
    response = ed_api.post("/api/v1/claims/", body, content_type="application/json")
    assert response.status_code == 400
    assert "more than 64 levels" in response.json()["detail"]


def test_a_lone_surrogate_in_a_w3c_import_is_400(ed_api, demo_article):
    before = Claim.objects.count()
    annotation = {
        "@context": "http://www.w3.org/ns/anno.jsonld",
        "type": "Annotation",
        "bodyValue": "\\ud800 a lone half of a pair",
        "target": {
            "source": f"/articles/{demo_article.id}/",
            "selector": {"type": "TextQuoteSelector", "exact": "five times\\udfff"},
        },
    }
    # json.dumps would refuse the surrogate; write its escape by hand, as a client can.
    body = json.dumps(annotation).replace("\\\\u", "\\u")
    response = ed_api.post(
        "/api/v1/annotations/", body, content_type="application/ld+json", HTTP_ACCEPT="*/*"
    )
    assert response.status_code == 400
    assert "lone surrogate" in response.json()["detail"]
    assert Claim.objects.count() == before


def test_a_nul_in_the_article_search_is_400(client, editor):
    client.force_login(editor)
    response = client.get("/?q=%00")
    assert response.status_code == 400
    assert "NUL" in response.content.decode()


def test_a_nul_in_an_api_filter_is_400_json(ed_api):
    response = ed_api.get("/api/v1/claims/?q=a%00b")
    assert response.status_code == 400
    assert "NUL" in response.json()["detail"]


def test_an_api_crash_answers_json(ed_api, monkeypatch):
    from annotations.api import views

    def crash(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(views.VerdictList, "get", crash)
    ed_api.raise_request_exception = False
    response = ed_api.get("/api/v1/verdicts/")
    assert response.status_code == 500
    assert response["Content-Type"] == "application/json"
    assert "logged" in response.json()["detail"]


def test_a_browser_page_crash_is_still_the_html_page(client, editor, monkeypatch):
    from annotations.views import articles

    def crash(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(articles, "articles_for_list", crash)
    client.raise_request_exception = False
    client.force_login(editor)
    response = client.get("/")
    assert response.status_code == 500
    assert response["Content-Type"].startswith("text/html")


def test_a_chunked_body_is_refused_not_read_as_empty(ed_api, demo_article):
    before = Article.objects.count()
    # What gunicorn and uvicorn hand Django for `Transfer-Encoding: chunked`: no length.
    response = ed_api.generic(
        "POST",
        "/api/v1/articles/",
        json.dumps({"text": "A whole article. " * 20}),
        content_type="application/json",
        HTTP_TRANSFER_ENCODING="chunked",
        CONTENT_LENGTH="",
    )
    assert response.status_code == 400
    assert "Content-Length" in response.json()["detail"]
    assert Article.objects.count() == before


# --- 9. Headers ---------------------------------------------------------------------------


def test_pages_carry_a_strict_csp_and_a_permissions_policy(client, editor, demo_article):
    client.force_login(editor)
    response = client.get(reverse("article_detail", args=[demo_article.id]))
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp
    assert "style-src 'self'" in csp
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert "frame-ancestors 'none'" in csp
    assert "camera=()" in response["Permissions-Policy"]
    assert "geolocation=()" in response["Permissions-Policy"]


def test_pages_use_no_inline_script_style_or_handlers(client, editor, reviewer, in_review):
    """What the CSP would block, checked in the HTML of the pages with the most parts."""
    client.force_login(reviewer)
    pages = [
        reverse("article_detail", args=[in_review.article_id]) + f"?claim={in_review.id}",
        reverse("claim_panel", args=[in_review.id]),
        reverse("review_queue"),
        reverse("article_list"),
    ]
    for url in pages:
        html = client.get(url).content.decode()
        assert "style=" not in html, url
        assert "hx-on" not in html, url
        assert "js:" not in html, url
        assert "<script>" not in html, url


@pytest.mark.parametrize("url", ["/api/v1/me/", "/api/v1/verdicts/", "/api/v1/claims/"])
def test_the_browsable_api_stays_within_its_csp(client, editor, url):
    """DRF writes Pygments' colours as an inline <style> (left out) and style attributes
    in its page template (allowed on these pages alone); the CSP blocked both, and every
    API page in a browser logged a violation."""
    client.force_login(editor)
    response = client.get(url, HTTP_ACCEPT="text/html")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    csp = response["Content-Security-Policy"]
    assert "style-src 'self'" in csp and "script-src 'self'" in csp
    assert "style-src-attr 'unsafe-inline'" in csp
    assert "<style" not in response.content.decode(), url
    # The JSON answer and the app's own pages keep the strict policy.
    as_json = client.get(url, HTTP_ACCEPT="application/json")
    assert "unsafe-inline" not in as_json["Content-Security-Policy"]
    assert "unsafe-inline" not in client.get("/")["Content-Security-Policy"]


def test_signed_in_answers_are_private_and_not_stored(client, editor, ed_api, demo_article):
    client.force_login(editor)
    for url in ("/", reverse("article_detail", args=[demo_article.id])):
        cache_control = client.get(url)["Cache-Control"]
        assert "private" in cache_control and "no-store" in cache_control
    cache_control = ed_api.get("/api/v1/verdicts/")["Cache-Control"]
    assert "private" in cache_control and "no-store" in cache_control


def test_the_public_page_may_be_cached(client, in_review, reviewer):
    from annotations.services.workflow import claim_approve

    claim_approve(claim=in_review, reviewer=reviewer)  # a page exists only once published
    response = client.get(reverse("public_article", args=[in_review.article_id]))
    assert response.status_code == 200
    assert "no-store" not in response.get("Cache-Control", "")


def test_password_reset_is_hidden_without_a_mail_server(client):
    assert client.get("/accounts/password_reset/").status_code == 404
    assert client.get("/accounts/reset/done/").status_code == 404
    assert client.get("/accounts/login/").status_code == 200


def test_htmx_does_not_inject_its_indicator_style(client):
    html = client.get("/accounts/login/").content.decode()
    assert '<meta name="htmx-config" content=\'{"includeIndicatorStyles": false}\'>' in html


def test_verdict_colours_are_a_stylesheet(client, verdicts, django_assert_num_queries):
    # 1 query: the verdict scale.
    with django_assert_num_queries(1):
        response = client.get(reverse("verdict_colours"))
    assert response["Content-Type"].startswith("text/css")
    css = response.content.decode()
    for slug, verdict in verdicts.items():
        assert f".v-{slug} {{ --hl: {verdict.colour}; }}" in css
    again = client.get(reverse("verdict_colours"), HTTP_IF_NONE_MATCH=response["ETag"])
    assert again.status_code == 304


# --- 1. Served under ASGI (make serve: uvicorn workers) --------------------------------


def test_the_csv_export_streams_under_asgi(editor, draft, no_token_blocks, recwarn):
    """Django buffers a sync iterator whole under ASGI (and warns); ours is async there."""
    from asgiref.sync import async_to_sync
    from django.test import AsyncClient

    key = Token.objects.create(user=editor).key

    async def fetch():
        client = AsyncClient()
        response = await client.get(
            "/api/v1/export/claims.csv", headers={"Authorization": f"Token {key}"}
        )
        assert response.status_code == 200, response.content
        return response, [chunk async for chunk in response.streaming_content]

    response, chunks = async_to_sync(fetch)()
    assert response.status_code == 200
    assert response.is_async  # streamed as pulled, not collected into a list first
    body = b"".join(chunks).decode("utf-8-sig")
    assert draft.statement in body
    assert not [w for w in recwarn if "synchronous iterators" in str(w.message)]


def test_the_csv_export_still_streams_under_wsgi(client, editor, draft):
    client.force_login(editor)
    response = client.get("/api/v1/export/claims.csv")
    assert response.status_code == 200
    assert not response.is_async
    assert draft.statement in b"".join(response.streaming_content).decode("utf-8-sig")
