"""Live events: the database writes one per claim change and comment, and announces it
with NOTIFY only when the transaction commits; the hub hands it to the article's streams."""

from __future__ import annotations

import json
import queue
import select

import psycopg2
import psycopg2.extensions
import pytest
from django.db import connection, connections, transaction

from annotations.live import RESYNC, Hub
from annotations.models import LIVE_CHANNEL, Claim, LiveEvent
from annotations.services.claims import claim_update, comment_add
from annotations.services.workflow import claim_approve, claim_submit
from annotations.templatetags.review_tags import epoch_ms
from tests.factories import make_claim


def _listener():
    params = connections["default"].get_connection_params()
    params.pop("cursor_factory", None)
    conn = psycopg2.connect(**params)
    conn.set_isolation_level(psycopg2.extensions.ISOLATION_LEVEL_AUTOCOMMIT)
    with conn.cursor() as cursor:
        cursor.execute(f"LISTEN {LIVE_CHANNEL}")
    return conn


def _notifications(conn, wait: float = 1.0) -> list[dict]:
    found = []
    if select.select([conn], [], [], wait) != ([], [], []):
        conn.poll()
        while conn.notifies:
            found.append(json.loads(conn.notifies.pop(0).payload))
    return found


def test_every_change_is_an_event_naming_who_and_how(demo_article, editor, reviewer):
    claim = make_claim(demo_article, editor)
    claim = claim_submit(claim=claim, user=editor)
    comment_add(claim=claim, user=reviewer, body="Which hospital?")
    claim = claim_approve(claim=claim, reviewer=reviewer)

    events = [e.payload for e in LiveEvent.objects.filter(claim_id=claim.pk).order_by("id")]
    kinds = [(e["kind"], e["action"], e["actor_name"]) for e in events]
    assert kinds[0] == ("created", "claim_create", editor.username)
    assert ("changed", "claim_update", editor.username) in kinds
    assert ("changed", "source_attach", editor.username) in kinds
    assert ("changed", "claim_submit", editor.username) in kinds
    assert ("comment", "comment_add", reviewer.username) in kinds
    assert kinds[-1] == ("changed", "claim_approve", reviewer.username)
    last = events[-1]
    assert last["article"] == demo_article.pk
    assert last["version"] == claim.version
    assert last["status"] == "approved"
    assert last["id"] == LiveEvent.objects.filter(claim_id=claim.pk).latest("id").pk
    # `updated` is the claim's updated_at in whole milliseconds, as the pages show it.
    fresh = Claim.objects.get(pk=claim.pk)
    assert last["updated"] == epoch_ms(fresh.updated_at)


def test_a_save_that_changes_nothing_is_no_event(draft, editor):
    before = LiveEvent.objects.count()
    Claim.objects.filter(pk=draft.pk).update(claimant=draft.claimant)
    assert LiveEvent.objects.count() == before


@pytest.mark.django_db(transaction=True)
def test_notify_only_when_the_change_commits(demo_article, editor):
    claim = make_claim(demo_article, editor)
    listener = _listener()
    before = LiveEvent.objects.count()
    try:
        with pytest.raises(RuntimeError), transaction.atomic():
            claim_update(claim=claim, user=editor, version=claim.version, claimant="Rolled back")
            raise RuntimeError("the request failed after the change")
        assert _notifications(listener, wait=0.5) == []
        assert LiveEvent.objects.count() == before

        claim_update(claim=claim, user=editor, version=claim.version, claimant="Committed")
        received = _notifications(listener)
        assert [(n["claim"], n["action"]) for n in received] == [(claim.pk, "claim_update")]
    finally:
        listener.close()


@pytest.mark.django_db(transaction=True)
def test_the_hub_delivers_to_the_articles_streams_only(demo_article, editor, demo_text):
    from annotations.services.articles import article_load

    other = article_load(user=editor, text=demo_text + "\n\nOne more line.", outlet="Elsewhere")
    claim = make_claim(demo_article, editor)
    hub = Hub()
    mine: queue.Queue = queue.Queue()
    theirs: queue.Queue = queue.Queue()
    try:
        hub.subscribe(demo_article.pk, mine.put)
        hub.subscribe(other.pk, theirs.put)
        assert hub.listening
        claim_update(claim=claim, user=editor, version=claim.version, claimant="Pentagon")
        event = mine.get(timeout=5)
        assert (event["claim"], event["action"], event["article"]) == (
            claim.pk,
            "claim_update",
            demo_article.pk,
        )
        assert theirs.empty()
    finally:
        hub.stop()


@pytest.mark.django_db(transaction=True)
def test_the_hub_listens_again_after_losing_its_connection(demo_article, editor):
    claim = make_claim(demo_article, editor)
    hub = Hub()
    received: queue.Queue = queue.Queue()
    try:
        token = hub.subscribe(demo_article.pk, received.put)
        pid = hub._connection.get_backend_pid()
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_terminate_backend(%s)", [pid])
        # The streams are told to read what they may have missed from the table …
        assert received.get(timeout=15) is RESYNC
        # … and new changes arrive again.
        claim_update(claim=claim, user=editor, version=claim.version, claimant="After")
        assert received.get(timeout=5)["claim"] == claim.pk
        hub.unsubscribe(token)
        assert hub.subscriber_count() == 0
    finally:
        hub.stop()


def test_old_events_are_purged_and_a_stream_from_before_then_reloads(draft, editor):
    from datetime import timedelta

    from django.utils import timezone

    from annotations.selectors.live import live_events_after
    from annotations.services.live import live_events_purge

    events = list(LiveEvent.objects.filter(claim_id=draft.pk).order_by("id"))
    assert len(events) >= 3
    first = events[0]
    LiveEvent.objects.filter(pk__lte=events[1].pk).update(
        created_at=timezone.now() - timedelta(hours=25)
    )
    assert live_events_purge() == 2
    assert not LiveEvent.objects.filter(pk__lte=events[1].pk).exists()
    # A workspace last seen before the purge cannot replay what is gone: it reloads.
    _, reload = live_events_after(draft.article_id, first.pk)
    assert reload
    # One that saw everything the purge took replays the rest.
    replay, reload = live_events_after(draft.article_id, events[1].pk)
    assert not reload
    assert [e["id"] for e in replay] == [e.pk for e in events[2:]]
