"""`make serve`'s ASGI app (factcheck/asgi.py, issue 17): requests answered in one piece go
to Django's WSGI handler on a thread pool, after their body was read in full; streams, and
bodies too large to hold, go to Django's ASGI handler."""

from __future__ import annotations

import asyncio
import json
import threading

import pytest
from django.test import override_settings
from django.urls import reverse
from rest_framework.authtoken.models import Token

from annotations.models import Claim
from factcheck.asgi import STREAMED, THREAD_CONN_MAX_AGE, Dispatch


def call(app, method: str, path: str, token: str, body: bytes = b"", pieces: int = 1):
    """One request through `app` in-process; the body arrives in `pieces` messages."""
    size = max(1, -(-len(body) // pieces))
    chunks = [body[i : i + size] for i in range(0, len(body), size)] or [b""]
    messages = [
        {"type": "http.request", "body": chunk, "more_body": i < len(chunks) - 1}
        for i, chunk in enumerate(chunks)
    ]
    sent: list[dict] = []

    async def receive() -> dict:
        if messages:
            await asyncio.sleep(0)  # a slow client: each piece in a later turn of the loop
            return messages.pop(0)
        await asyncio.sleep(3600)
        return {"type": "http.disconnect"}

    async def send(message: dict) -> None:
        sent.append(message)

    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": method,
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": b"",
        "root_path": "",
        "headers": [
            (b"host", b"testserver"),
            (b"authorization", f"Token {token}".encode()),
            (b"content-type", b"application/json"),
            (b"content-length", str(len(body)).encode()),
        ],
        "client": ("127.0.0.1", 50000),
        "server": ("testserver", 80),
    }
    # In a thread of its own: Playwright's tests leave an event loop running in this one.
    runner = threading.Thread(target=asyncio.run, args=(app(scope, receive, send),))
    runner.start()
    runner.join()
    return sent[0]["status"], b"".join(m.get("body", b"") for m in sent[1:])


@pytest.fixture
def token(editor) -> str:
    return Token.objects.create(user=editor).key


@pytest.fixture
def dispatch():
    """`Dispatch(threads=...)`; closed at the end, with its threads' connections."""
    made: list[Dispatch] = []
    yield lambda **kwargs: made.append(Dispatch(**kwargs)) or made[-1]
    for app in made:
        app.close()


@pytest.mark.django_db(transaction=True)
def test_a_body_sent_in_pieces_is_read_whole_then_answered_on_the_pool(
    token, demo_article, settings, dispatch
):
    settings.ALLOWED_HOSTS = ["testserver"]
    app = dispatch(threads=2)
    body = json.dumps({"article": demo_article.pk, "selector": {"exact": "an estimated 40"}})
    status, answer = call(app, "POST", "/api/v1/claims/", token, body.encode(), pieces=5)
    assert status == 201, answer
    claim = Claim.objects.get()
    assert json.loads(answer)["id"] == claim.pk and claim.exact == "an estimated 40"
    status, answer = call(app, "GET", f"/api/v1/claims/{claim.pk}/", token)
    assert (status, json.loads(answer)["selector"]["exact"]) == (200, "an estimated 40")


@pytest.mark.django_db(transaction=True)
def test_a_body_too_large_to_hold_goes_to_djangos_handler_and_is_refused(
    token, demo_article, settings, dispatch
):
    settings.ALLOWED_HOSTS = ["testserver"]
    with override_settings(FACTCHECK_API_MAX_BODY=1000, DATA_UPLOAD_MAX_MEMORY_SIZE=1000):
        app = dispatch(threads=2)
        body = json.dumps({"article": demo_article.pk, "selector": {"exact": "x" * 5000}}).encode()
        status, answer = call(app, "POST", "/api/v1/claims/", token, body, pieces=10)
    assert status == 413, answer
    assert b"too large" in answer.lower()
    assert not Claim.objects.exists()


def backend(app: Dispatch) -> int:
    """The PostgreSQL backend the request thread's connection talks to, read in it."""
    return app.threads.submit(_backend_pid).result()


def _backend_pid() -> int:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        return cursor.fetchone()[0]


@pytest.mark.django_db(transaction=True)
def test_request_threads_keep_their_connections_between_requests(token, settings, dispatch):
    from django.db import connection, connections

    settings.ALLOWED_HOSTS = ["testserver"]
    app = dispatch(threads=1)
    assert call(app, "GET", "/api/v1/verdicts/", token)[0] == 200
    first = backend(app)
    for _ in range(3):
        assert call(app, "GET", "/api/v1/verdicts/", token)[0] == 200
    assert backend(app) == first  # the same connection, not one per request
    [own, *_] = app.thread_connections
    assert own.settings_dict["CONN_MAX_AGE"] == THREAD_CONN_MAX_AGE
    assert own.settings_dict["CONN_HEALTH_CHECKS"] is True
    assert own is not connections["default"]  # this thread's are its own (and not kept)
    assert connection.settings_dict["CONN_MAX_AGE"] == 0

    # PostgreSQL drops it (a restart): the next request checks it, opens another, answers.
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_terminate_backend(%s)", [first])
    assert call(app, "GET", "/api/v1/verdicts/", token)[0] == 200
    assert backend(app) != first


def test_streams_are_told_apart_by_path():
    streamed = [
        reverse("article_live", args=[7]),
        reverse("api_export_claims_csv"),
        reverse("api_source_archive", args=[7]),
        reverse("api_source_archive_text", args=[7]),
        reverse("source_archive", args=[7]),
    ]
    whole = [
        reverse("api_claims"),
        "/api/v1/articles/7/",
        "/articles/7/",
        "/api/v1/verdicts/",
        "/review/",
    ]
    assert [p for p in streamed if not STREAMED.match(p)] == []
    assert [p for p in whole if STREAMED.match(p)] == []


@pytest.mark.django_db(transaction=True)
def test_under_the_production_command_both_ways_answer(token, demo_article, tmp_path):
    """The CSV export streams through Django's ASGI handler and a claim is created and read
    through the WSGI one, in the server `make serve` starts."""
    import urllib.request

    from tests.processes import served_production

    def fetch(url: str, body: dict | None = None) -> tuple[int, str, bytes]:
        request = urllib.request.Request(
            url,
            data=None if body is None else json.dumps(body).encode(),
            headers={"Authorization": f"Token {token}", "Content-Type": "application/json"},
        )
        with urllib.request.urlopen(request, timeout=20) as answer:
            return answer.status, answer.headers["Content-Type"], answer.read()

    with served_production(tmp_path) as base:
        body = {"article": demo_article.pk, "selector": {"exact": "an estimated 40"}}
        status, _kind, created = fetch(base + "/api/v1/claims/", body)
        assert status == 201
        status, kind, csv = fetch(base + "/api/v1/export/claims.csv")
        assert (status, kind) == (200, "text/csv; charset=utf-8")
        lines = csv.decode().splitlines()
        assert len(lines) == 2 and str(json.loads(created)["id"]) in lines[1]
        status, _kind, again = fetch(base + f"/api/v1/articles/{demo_article.pk}/?include=claims")
        assert [c["id"] for c in json.loads(again)["claims"]] == [json.loads(created)["id"]]
