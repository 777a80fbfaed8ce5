"""Property-based run of the OpenAPI schema: no 5xx, no answer that breaks the schema.

Schemathesis reads /api/schema/ from the WSGI app itself and sends a bounded number of
generated requests per operation, authenticated as an editor with a token, against real
PostgreSQL (one article and a few claims exist, so some ids hit).
"""

from __future__ import annotations

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
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
#: Invalid requests (wrong types, missing fields, bad paths): never a 5xx.
negative_schema = schemathesis.openapi.from_wsgi("/api/schema/", application)
negative_schema.config.generation.update(modes=[GenerationMode.NEGATIVE])

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


@pytest.fixture
def api_world(editor, demo_article):
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


@pytest.mark.django_db
@schema.parametrize()
@settings(
    max_examples=4,
    deadline=None,
    derandomize=True,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=list(HealthCheck),
)
def test_the_api_never_answers_5xx_or_breaks_its_schema(case, api_world):
    case.call_and_validate(headers=api_world, checks=CHECKS)


@pytest.mark.django_db
@negative_schema.parametrize()
@settings(
    max_examples=3,
    deadline=None,
    derandomize=True,
    phases=[Phase.generate],
    suppress_health_check=list(HealthCheck),
)
def test_invalid_requests_never_answer_5xx(case, api_world):
    case.call_and_validate(headers=api_world, checks=[not_a_server_error])
