"""Fifty workspaces open on one article, served the production way (`make serve`: gunicorn
with uvicorn workers, so each stream is a coroutine), all receive a colleague's change.
bench/bench_live.py measures the latency; this test checks that nobody is left out."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest

from annotations.services.workflow import claim_approve, claim_submit
from tests.factories import make_claim
from tests.live.sse import EventStream
from tests.live.test_stream import session_cookie
from tests.processes import served_production

CLIENTS = 50


@pytest.fixture
def production_server(transactional_db, tmp_path):
    """The command `make serve` ends with, on the test database (tests/processes.py)."""
    with served_production(tmp_path, FACTCHECK_LIVE_HEARTBEAT_SECONDS="2") as base:
        yield base


@pytest.mark.django_db(transaction=True)
def test_fifty_open_workspaces_all_receive_an_approval(
    production_server, demo_article, editor, reviewer
):
    claim = claim_submit(claim=make_claim(demo_article, editor), user=editor)
    cookie = session_cookie(editor)
    url = f"{production_server}/articles/{demo_article.pk}/live/"

    def connect(_: int) -> EventStream:
        stream = EventStream(url, cookie=cookie)
        assert stream.status == 200, stream.status
        stream.next_frame(comments=True)  # subscribed: the first frame is sent after that
        return stream

    with ThreadPoolExecutor(max_workers=CLIENTS) as pool:
        streams = list(pool.map(connect, range(CLIENTS)))
        try:
            claim_approve(claim=claim, reviewer=reviewer)

            def receive(stream: EventStream) -> dict:
                return stream.next_frame(timeout=15).json

            received = list(pool.map(receive, streams))
        finally:
            for stream in streams:
                stream.close()
    assert len(received) == CLIENTS
    assert {(e["claim"], e["status"], e["actor_name"]) for e in received} == {
        (claim.pk, "approved", reviewer.username)
    }
