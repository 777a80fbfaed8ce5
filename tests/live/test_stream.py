"""The workspace's event stream over real HTTP (the development server's way: WSGI,
threaded), and who may open it."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client

from annotations.models import LiveEvent
from annotations.services.claims import claim_update, comment_add
from tests.factories import make_claim
from tests.live.sse import EventStream


def session_cookie(user) -> str:
    client = Client()
    client.force_login(user)
    return f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"


def open_stream(live_server, article, user, *, query: str = "", **headers) -> EventStream:
    url = f"{live_server.url}/articles/{article.pk}/live/{query}"
    stream = EventStream(url, cookie=session_cookie(user), headers=headers)
    assert stream.status == 200
    return stream


@pytest.fixture
def stream_settings(settings):
    settings.FACTCHECK_LIVE_HEARTBEAT_SECONDS = 1
    return settings


@pytest.mark.django_db(transaction=True)
def test_a_reconnect_replays_what_it_missed_then_follows(
    live_server, stream_settings, demo_article, editor, reviewer
):
    claim = make_claim(demo_article, editor)
    seen = LiveEvent.objects.filter(article=demo_article).order_by("id")
    first = seen.first()
    missed = [e.pk for e in seen if e.pk > first.pk]

    stream = open_stream(live_server, demo_article, reviewer, **{"Last-Event-ID": str(first.pk)})
    try:
        assert stream.headers["content-type"].startswith("text/event-stream")
        assert "content-encoding" not in stream.headers  # never gzipped: events go out at once
        replayed = [int(stream.next_frame().id) for _ in missed]
        assert replayed == missed

        comment_add(claim=claim, user=editor, body="Which hospital?")
        frame = stream.next_frame()
        assert frame.event == "claim"
        assert (frame.json["kind"], frame.json["claim"], frame.json["actor_name"]) == (
            "comment",
            claim.pk,
            editor.username,
        )
        assert int(frame.id) == LiveEvent.objects.latest("id").pk
    finally:
        stream.close()


@pytest.mark.django_db(transaction=True)
def test_the_pages_after_parameter_replays_and_no_parameter_starts_now(
    live_server, stream_settings, demo_article, editor
):
    claim = make_claim(demo_article, editor)
    before = LiveEvent.objects.latest("id").pk
    claim = claim_update(claim=claim, user=editor, version=claim.version, claimant="Pentagon")

    replaying = open_stream(live_server, demo_article, editor, query=f"?after={before}")
    fresh = open_stream(live_server, demo_article, editor)
    try:
        frame = replaying.next_frame()
        assert frame.json["action"] == "claim_update"
        # A stream that names no starting point sends only what happens from now on: the
        # heartbeat, then the next change.
        assert fresh.next_frame(comments=True).comments  # retry + ": live"
        claim_update(claim=claim, user=editor, version=claim.version, claimant="Pentagon, twice")
        assert fresh.next_frame().json["version"] == claim.version + 1
    finally:
        replaying.close()
        fresh.close()


@pytest.mark.django_db(transaction=True)
def test_too_much_missed_is_one_reload(
    live_server, stream_settings, demo_article, editor, monkeypatch
):
    monkeypatch.setattr("annotations.selectors.live.REPLAY_LIMIT", 2)
    make_claim(demo_article, editor)  # create, update, source: 3 events and more
    stream = open_stream(live_server, demo_article, editor, query="?after=0")
    try:
        frame = stream.next_frame()
        assert frame.event == "reload"
        assert int(frame.id) == LiveEvent.objects.latest("id").pk
    finally:
        stream.close()


@pytest.mark.django_db(transaction=True)
def test_a_stream_ends_after_its_time_and_says_when_to_come_back(
    live_server, settings, demo_article, editor
):
    settings.FACTCHECK_LIVE_STREAM_SECONDS = 1
    settings.FACTCHECK_LIVE_HEARTBEAT_SECONDS = 1
    stream = open_stream(live_server, demo_article, editor)
    try:
        first = stream.next_frame(comments=True)
        assert "live" in first.comments
        with pytest.raises(EOFError):
            for _ in range(5):
                stream.next_frame(timeout=5, comments=True)
    finally:
        stream.close()


def test_who_may_listen(client, demo_article, editor, outsider):
    url = f"/articles/{demo_article.pk}/live/"
    assert client.get(url).status_code == 302  # to the login page
    client.force_login(outsider)
    assert client.get(url).status_code == 403
    client.force_login(editor)
    assert client.get("/articles/999999/live/").status_code == 404
    assert client.post(url).status_code == 405
    head = client.head(url)
    assert head.status_code == 200
    assert head["Content-Type"].startswith("text/event-stream")
    assert b"".join(head.streaming_content) == b""


@pytest.mark.parametrize("value", ["abc", "-1", "9" * 30, "1e9", " "])
def test_a_bad_starting_point_is_ignored_not_an_error(client, demo_article, editor, value):
    """Last-Event-ID is whatever the browser kept; nonsense starts the stream now."""
    client.force_login(editor)
    response = client.get(
        f"/articles/{demo_article.pk}/live/", {"after": value}, headers={"last-event-id": value}
    )
    assert response.status_code == 200
    response.close()


def test_the_bell_alone_counts_my_unread_notifications(client, in_review, editor, reviewer):
    from annotations.services.workflow import claim_approve

    claim_approve(claim=in_review, reviewer=reviewer)  # notifies the claim's editor
    client.force_login(editor)
    answer = client.get("/notifications/bell/", headers={"hx-request": "true"})
    assert answer.status_code == 200
    assert 'aria-label="Notifications, 1 unread"' in answer.content.decode()
    # Without htmx it is the notifications page's business.
    assert client.get("/notifications/bell/")["Location"] == "/notifications/"
