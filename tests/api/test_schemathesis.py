"""Property-based run of the OpenAPI schema: no 5xx, no answer that breaks the schema.

Schemathesis reads /api/schema/ from the WSGI app itself and sends a bounded number of
generated requests per operation, authenticated as an editor with a token, against real
PostgreSQL (one article and a few claims exist, so some ids hit).

Every example sees the same world, whatever ran before it (the run once failed in a full
suite and passed alone):

- the generated ids are fixed (derandomized) but the rows' ids came from sequences that
  earlier tests had advanced, so an id hit a claim in one run and missed in another: the
  id sequences restart at a fixed value for each test (`fixed_ids`);
- examples shared one test transaction, so one example's writes (or a database error that
  aborts the transaction) reached the next: each example runs in a savepoint that is
  rolled back (`isolated`);
- a `"fetch": true` example resolved a host name on the real network: it never leaves the
  machine (`no_network`).
"""

from __future__ import annotations

import socket
from contextlib import contextmanager

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, connection, transaction
from hypothesis import HealthCheck, Phase, settings
from schemathesis import GenerationMode
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

from factcheck.wsgi import application
from tests.api.fixtures.helpers import QUOTES, make_claim

#: Valid requests: every answer must be documented (status, content type, body schema).
schema = schemathesis.openapi.from_wsgi("/api/schema/", application)
schema.config.generation.update(
    modes=[GenerationMode.POSITIVE], allow_extra_parameters=False, allow_x00=True
)
#: Invalid requests (wrong types, missing fields, bad paths): never a 5xx. `GET
#: /api/v1/me/` takes nothing at all, so there is no invalid request of it to make
#: (its refusals are in tests/api/test_me.py and the permission matrix).
negative_schema = schemathesis.openapi.from_wsgi("/api/schema/", application).exclude(
    path="/api/v1/me/"
)
negative_schema.config.generation.update(modes=[GenerationMode.NEGATIVE])

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


#: Where every id sequence restarts for each test: far from the ids generated examples use.
FIRST_ID = 1_000_000


@pytest.fixture
def fixed_ids(db):
    """The world's rows get the same ids in every run (sequences are not rolled back)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT sequencename FROM pg_sequences WHERE schemaname = current_schema()")
        for (name,) in cursor.fetchall():
            cursor.execute("SELECT setval(%s, %s, false)", [name, FIRST_ID])


@pytest.fixture
def no_network(monkeypatch):
    """`"fetch": true` examples: name resolution fails at once, as with no network."""

    def unreachable(*args, **kwargs):
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known (tests)")

    monkeypatch.setattr("annotations.ingest.fetch.socket.getaddrinfo", unreachable)


@pytest.fixture
def api_world(fixed_ids, no_network, editor, demo_article):
    from rest_framework.authtoken.models import Token

    for quote in QUOTES[:3]:
        make_claim(demo_article, editor, quote)
    # As Django's test client does: the test's transaction must outlive each request.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    # Identity encoding: the WSGI transport hands back bodies as sent (GZipMiddleware is on).
    yield {
        "Authorization": f"Token {Token.objects.create(user=editor).key}",
        "Accept-Encoding": "identity",
    }
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@contextmanager
def isolated():
    """One example's writes (or aborted transaction) never reach the next example."""
    with transaction.atomic():
        yield
        transaction.set_rollback(True)


#: Deterministic and bounded: the same examples every run, no deadline (a first request
#: builds the schema and warms caches), no reuse of stored failures.
EXAMPLES = dict(
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(HealthCheck),
)


@pytest.mark.django_db
@schema.parametrize()
@settings(max_examples=4, phases=[Phase.explicit, Phase.generate], **EXAMPLES)
def test_the_api_never_answers_5xx_or_breaks_its_schema(case, api_world):
    with isolated():
        case.call_and_validate(headers=api_world, checks=CHECKS)


@pytest.mark.django_db
@negative_schema.parametrize()
@settings(max_examples=3, phases=[Phase.generate], **EXAMPLES)
def test_invalid_requests_never_answer_5xx(case, api_world):
    with isolated():
        case.call_and_validate(headers=api_world, checks=[not_a_server_error])
