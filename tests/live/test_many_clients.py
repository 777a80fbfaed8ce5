"""Fifty workspaces open on one article, served the production way (`make serve`: gunicorn
with uvicorn workers, so each stream is a coroutine), all receive a colleague's change.
bench/bench_live.py measures the latency; this test checks that nobody is left out."""

from __future__ import annotations

import os
import shlex
import signal
import subprocess
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from contextlib import suppress

import pytest
from django.conf import settings

from annotations.services.workflow import claim_approve, claim_submit
from tests.factories import make_claim
from tests.live.sse import EventStream
from tests.live.test_stream import session_cookie
from tests.loopback import free_loopback_port
from tests.processes import ROOT, test_database_url

CLIENTS = 50


@pytest.fixture
def production_server(transactional_db, tmp_path):
    """The command `make serve` ends with (`make serve-cmd` prints it), on the test
    database, DEBUG off; stopped (its whole process group) at the end."""
    port = free_loopback_port()
    command = subprocess.run(
        ["make", "-s", "serve-cmd", "HOST=127.0.0.1", f"PORT={port}", "WORKERS=2"],
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TEST_", "PYTEST_"))}
    env.update(
        DATABASE_URL=test_database_url(),
        DEBUG="0",
        # The sessions the test logs in are signed with the test's key.
        SECRET_KEY=settings.SECRET_KEY,
        ALLOWED_HOSTS="127.0.0.1",
        SECURE_SSL_REDIRECT="0",
        FACTCHECK_LIVE_HEARTBEAT_SECONDS="2",
    )
    log = tmp_path / "server.log"
    with log.open("w") as out:
        process = subprocess.Popen(
            shlex.split(command), cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT,
            start_new_session=True,
        )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(base + "/verdicts.css", timeout=2) as answer:
                    if answer.status == 200:
                        break
            except OSError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"the server did not start:\n{log.read_text()[-3000:]}")
            time.sleep(0.3)
        yield base
    finally:
        with suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


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
