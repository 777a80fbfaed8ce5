"""Lag-tolerant reads on a replica, read-your-own-writes pins, and nothing without a replica.

The suite runs without DATABASE_REPLICA_URL (as CI does). The `replica` fixture adds the
alias as `TEST: {"MIRROR": "default"}` would: a second connection to the test database, so
which connection ran a query can be asserted. That second connection sees only committed
rows, not this test's transaction: the tests here count queries, not rows.
"""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.cache import caches
from django.db import connections
from django.test.utils import CaptureQueriesContext

from annotations.models import Claim
from annotations.replica import (
    PIN_CACHE,
    REPLICA,
    ReplicaRouter,
    pinned_to_primary,
    replica_reads,
)
from tests.api.fixtures import helpers
from tests.api.fixtures.helpers import QUOTES

ed_api = helpers.ed_api
ROOT = Path(__file__).resolve().parent.parent
CSV = "/api/v1/export/claims.csv"
CLAIMS_TABLE = '"annotations_claim"'


@pytest.fixture
def no_pins(db):
    caches[PIN_CACHE].clear()
    yield
    caches[PIN_CACHE].clear()


@pytest.fixture
def replica(no_pins, settings):
    """A `replica` alias on the test database, with the router installed (as settings do
    when DATABASE_REPLICA_URL is set); removed afterwards."""
    databases = connections.settings
    databases[REPLICA] = {
        **connections["default"].settings_dict,
        "TEST": {**connections["default"].settings_dict["TEST"], "MIRROR": "default"},
    }
    settings.DATABASE_ROUTERS = ["annotations.replica.ReplicaRouter"]
    # Connected here: the test case was set up before the alias existed, and refuses to
    # open connections to aliases it was not told of (an open one it leaves alone).
    connections[REPLICA].connect()
    try:
        yield connections[REPLICA]
    finally:
        connections[REPLICA].close()
        del connections[REPLICA]
        del databases[REPLICA]


def read_claims(query: CaptureQueriesContext) -> bool:
    """Whether the connection captured read the claims table."""
    return any(CLAIMS_TABLE in q["sql"] for q in query.captured_queries)


def read_export(client, url=CSV):
    """The export's queries on (default, replica); its body read to the end."""
    with (
        CaptureQueriesContext(connections["default"]) as primary,
        CaptureQueriesContext(connections[REPLICA]) as standby,
    ):
        response = client.get(url)
        assert response.status_code == 200
        if response.streaming:
            b"".join(response.streaming_content)
    return read_claims(primary), read_claims(standby)


# --- The router's decisions, alone ----------------------------------------------------------


def test_the_router_reads_the_primary_outside_a_replica_block():
    router = ReplicaRouter()
    assert router.db_for_read(Claim) == "default"
    assert router.db_for_write(Claim) == "default"


def test_the_router_reads_the_replica_inside_a_block_and_writes_the_primary(replica, rf):
    router = ReplicaRouter()
    with replica_reads(rf.get("/")) as on_replica:
        assert on_replica
        assert router.db_for_read(Claim) == REPLICA
        assert router.db_for_write(Claim) == "default"
        # The cache tables (pins, throttle counts) are never read on the replica.
        assert router.db_for_read(caches[PIN_CACHE].cache_model_class) == "default"
    assert router.db_for_read(Claim) == "default"


def test_only_the_primary_is_migrated():
    router = ReplicaRouter()
    assert router.allow_migrate("default", "annotations")
    assert not router.allow_migrate(REPLICA, "annotations")


# --- Without a replica, nothing changes -----------------------------------------------------


def test_without_a_replica_everything_reads_default_and_nothing_is_pinned(
    no_pins, ed_api, demo_article, editor, settings
):
    assert REPLICA not in connections.settings
    assert settings.DATABASE_ROUTERS == []
    with replica_reads(None) as on_replica:
        assert not on_replica
    with CaptureQueriesContext(connections["default"]) as primary:
        response = ed_api.get(CSV)
        b"".join(response.streaming_content)
    assert read_claims(primary)
    response = ed_api.post(
        "/api/v1/claims/",
        {"article": demo_article.pk, "selector": {"exact": QUOTES[0]}},
        format="json",
    )
    assert response.status_code == 201
    assert not pinned_to_primary(editor.pk)


# --- With a replica -------------------------------------------------------------------------


def test_exports_and_feeds_read_the_replica(replica, ed_api):
    for url in (CSV, "/api/v1/annotations/", "/api/v1/claimreviews/"):
        on_primary, on_replica = read_export(ed_api, url)
        assert on_replica and not on_primary, url


def test_the_public_page_reads_the_replica(replica, client, demo_article):
    with (
        CaptureQueriesContext(connections["default"]) as primary,
        CaptureQueriesContext(connections[REPLICA]) as standby,
    ):
        # The replica's connection does not see this test's uncommitted article: a 404,
        # read there.
        assert client.get(f"/published/{demo_article.pk}/").status_code == 404
    assert read_claims(standby)
    assert not read_claims(primary)


def test_other_reads_stay_on_the_primary(replica, ed_api, demo_article):
    with CaptureQueriesContext(connections[REPLICA]) as standby:
        assert ed_api.get(f"/api/v1/claims/?article={demo_article.pk}").status_code == 200
    assert standby.captured_queries == []


def test_after_a_write_the_writer_reads_the_primary_and_others_the_replica(
    replica, ed_api, demo_article, editor, editor2
):
    response = ed_api.post(
        "/api/v1/claims/",
        {"article": demo_article.pk, "selector": {"exact": QUOTES[0]}},
        format="json",
    )
    assert response.status_code == 201
    assert pinned_to_primary(editor.pk)
    on_primary, on_replica = read_export(ed_api)
    assert on_primary and not on_replica
    # The writer sees their claim at once (the primary has it, whatever the replica's lag).
    body = b"".join(ed_api.get(CSV).streaming_content).decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(body, newline="")))
    assert [row["claim_id"] for row in rows] == [str(response.json()["id"])]
    on_primary, on_replica = read_export(helpers.token_client(editor2))
    assert on_replica and not on_primary


def test_a_refused_write_does_not_pin(replica, ed_api, demo_article, editor):
    response = ed_api.post("/api/v1/claims/", {"article": demo_article.pk}, format="json")
    assert response.status_code == 400
    assert not pinned_to_primary(editor.pk)
    assert read_export(ed_api) == (False, True)


def test_a_browser_write_pins_the_person_too(replica, client, editor, demo_article):
    client.force_login(editor)
    response = client.post(
        f"/articles/{demo_article.pk}/claims/new/", {"exact": QUOTES[0]}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    assert Claim.objects.filter(article=demo_article).count() == 1
    assert pinned_to_primary(editor.pk)


def test_a_pin_lasts_the_configured_time(replica, settings, editor):
    settings.FACTCHECK_REPLICA_PIN_SECONDS = 0  # Django's cache: 0 seconds expires at once
    from annotations.replica import pin_to_primary

    pin_to_primary(editor.pk)
    assert not pinned_to_primary(editor.pk)
    settings.FACTCHECK_REPLICA_PIN_SECONDS = 10
    pin_to_primary(editor.pk)
    assert pinned_to_primary(editor.pk)


# --- Settings from the environment ----------------------------------------------------------

SHOW = (
    "import json; from django.conf import settings as s; "
    "print(json.dumps({a: d.get('DISABLE_SERVER_SIDE_CURSORS') for a, d in s.DATABASES.items()}"
    " | {'routers': s.DATABASE_ROUTERS,"
    " 'mirror': s.DATABASES.get('replica', {}).get('TEST', {}).get('MIRROR')}))"
)


def _settings_with(**env: str) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("DATABASE_")}
    clean["DATABASE_URL"] = "postgres://u@127.0.0.1:1/primary"
    clean.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", SHOW],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_a_replica_url_adds_the_alias_and_the_router_and_transaction_pooling_no_cursors():
    result = _settings_with(
        DATABASE_REPLICA_URL="postgres://u@127.0.0.1:2/replica", DATABASE_POOL_MODE="transaction"
    )
    shown = json.loads(result.stdout.strip().splitlines()[-1])
    assert shown == {
        "default": True,
        "replica": True,
        "routers": ["annotations.replica.ReplicaRouter"],
        "mirror": "default",
    }


def test_bad_replica_url_or_pool_mode_stop_with_one_sentence():
    result = _settings_with(DATABASE_REPLICA_URL="mysql://u@127.0.0.1/x")
    assert result.returncode == 2
    assert "DATABASE_REPLICA_URL must be a PostgreSQL URL" in result.stderr
    result = _settings_with(DATABASE_POOL_MODE="statement")
    assert result.returncode == 2
    assert "DATABASE_POOL_MODE must be session or transaction" in result.stderr
    assert "Traceback" not in result.stderr
