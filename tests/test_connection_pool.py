"""The production server (ASGI) keeps a pool of PostgreSQL connections per process
(factcheck/asgi.py, DATABASE_POOL_SIZE; issue 17). Without it every request opened a
connection of its own, ~2-4 ms of a 10 ms request."""

from __future__ import annotations

import json
import urllib.request

import pytest
from django.db import connection
from rest_framework.authtoken.models import Token

from tests.processes import served_production

REQUESTS = 60


def sessions_opened() -> int:
    """Connections ever opened to the test database (PostgreSQL 14+ counts them)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT sessions FROM pg_stat_database WHERE datname = current_database()")
        (count,) = cursor.fetchone()
    return count


def fetch(url: str, token: str, body: dict | None = None) -> tuple[int, dict]:
    request = urllib.request.Request(
        url,
        data=None if body is None else json.dumps(body).encode(),
        headers={"Authorization": f"Token {token}", "Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=20) as answer:
        return answer.status, json.loads(answer.read())


@pytest.fixture
def served(transactional_db, tmp_path):
    with served_production(tmp_path) as base:
        yield base


@pytest.fixture
def token(editor) -> str:
    return Token.objects.create(user=editor).key


def test_requests_reuse_pooled_connections(served, token):
    for _ in range(10):  # each worker opens its pool's first connections
        fetch(served + "/api/v1/verdicts/", token)
    before = sessions_opened()
    for _ in range(REQUESTS):
        status, _body = fetch(served + "/api/v1/verdicts/", token)
        assert status == 200
    opened = sessions_opened() - before
    # The statistics reach pg_stat_database when a session ends or every ~1 s (PG 15+):
    # without the pool this is REQUESTS (one connection per request).
    assert opened <= 4, f"{opened} connections opened for {REQUESTS} requests"


def test_a_write_then_a_read_through_the_pool_sees_the_write(served, token, demo_article):
    status, created = fetch(
        served + "/api/v1/claims/", token, {"article": demo_article.pk,
                                             "selector": {"exact": "an estimated 40"}},
    )  # fmt: skip
    assert status == 201
    for _ in range(6):  # whichever worker and pooled connection answers
        status, claim = fetch(created["url"], token)
        assert (status, claim["selector"]["exact"]) == (200, "an estimated 40")


def test_pooled_connections_the_server_dropped_are_replaced(served, token):
    for _ in range(6):
        fetch(served + "/api/v1/verdicts/", token)
    with connection.cursor() as cursor:  # what a PostgreSQL restart does to the pool
        cursor.execute(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid() "
            "AND backend_type = 'client backend'"
        )
        (dropped,) = cursor.fetchone()
    assert dropped >= 1
    for _ in range(10):
        status, _body = fetch(served + "/api/v1/verdicts/", token)
        assert status == 200
