"""The workspace's live stream: server-sent events for one article (issue 16).

The workspace connects with the htmx SSE extension (`sse-connect`); static/annotations/js/
live.js decides what each event refreshes. Each event is one `LiveEvent` (see
annotations.live): `id:` is its id, so the browser's `Last-Event-ID` on reconnecting (or the
page's `?after=`) replays what it missed from the table before anything new is sent.

Served both ways the app runs: under `make run` (WSGI, threaded development server) the
stream is a generator in the request's thread, blocking on a queue; under `make serve`
(uvicorn workers) it is an async generator, so a thousand open workspaces cost coroutines,
not threads. Either way a stream ends after FACTCHECK_LIVE_STREAM_SECONDS and the browser
reconnects with its last id, so a stream never outlives a deploy by long, and a heartbeat
comment every FACTCHECK_LIVE_HEARTBEAT_SECONDS finds closed connections.
"""

from __future__ import annotations

import asyncio
import json
import queue
import time
from collections.abc import AsyncIterator, Iterator
from typing import Any

from asgiref.sync import sync_to_async
from django.conf import settings
from django.core.handlers.asgi import ASGIRequest
from django.db import close_old_connections, connection
from django.http import HttpRequest, StreamingHttpResponse
from django.views.decorators.http import require_safe

from annotations.access import get_article_for
from annotations.live import RESYNC, hub
from annotations.selectors.live import live_event_latest, live_events_after
from annotations.views.access import NewsroomRequest, newsroom_required

#: Tells the browser how soon to reconnect after the stream ends (milliseconds).
RETRY_MS = 1000


def _frame(event: dict[str, Any]) -> str:
    kind = "reload" if event.get("kind") == "reload" else "claim"
    ident = f"id: {event['id']}\n" if "id" in event else ""
    return f"{ident}event: {kind}\ndata: {json.dumps(event, separators=(',', ':'))}\n\n"


def _replay(article_id: int, after: int) -> tuple[list[str], int]:
    """The frames a stream owes after ``after``, and the id it has then sent up to."""
    events, overflow = live_events_after(article_id, after)
    frames = [_frame(e) for e in events]
    last = int(events[-1]["id"]) if events else after
    if overflow:
        # Too much was missed to replay one by one: the browser reloads its pieces.
        frames = [_frame({"kind": "reload", "id": last})]
    return frames, last


def _start(request: HttpRequest, article_id: int) -> int:
    """Where the stream starts: the browser's Last-Event-ID, the page's `?after=`, or (a
    stream that names neither) the article's newest event."""
    for value in (request.headers.get("Last-Event-ID", ""), request.GET.get("after", "")):
        value = value.strip()
        if value.isdigit() and len(value) < 19:
            return int(value)
    return live_event_latest(article_id)


def _sync_stream(article_id: int, after: int) -> Iterator[str]:
    events: queue.Queue[dict[str, Any]] = queue.Queue()
    token = hub.subscribe(article_id, events.put)
    try:
        yield f"retry: {RETRY_MS}\n: live\n\n"
        frames, last = _replay(article_id, after)
        yield from frames
        # Nothing more to read until a resync: give the connection back.
        connection.close()
        deadline = time.monotonic() + settings.FACTCHECK_LIVE_STREAM_SECONDS
        while (remaining := deadline - time.monotonic()) > 0:
            wait = min(settings.FACTCHECK_LIVE_HEARTBEAT_SECONDS, remaining)
            try:
                event = events.get(timeout=wait)
            except queue.Empty:
                yield ": keepalive\n\n"
                continue
            if event is RESYNC:
                frames, last = _replay(article_id, last)
                connection.close()
                yield from frames
            elif int(event["id"]) > last:
                last = int(event["id"])
                yield _frame(event)
    finally:
        hub.unsubscribe(token)


async def _async_stream(article_id: int, after: int) -> AsyncIterator[str]:
    loop = asyncio.get_running_loop()
    events: asyncio.Queue[dict[str, Any]] = asyncio.Queue()

    def deliver(event: dict[str, Any]) -> None:
        loop.call_soon_threadsafe(events.put_nowait, event)

    replay = sync_to_async(_replay_and_close)
    token = await sync_to_async(hub.subscribe, thread_sensitive=False)(article_id, deliver)
    try:
        yield f"retry: {RETRY_MS}\n: live\n\n"
        frames, last = await replay(article_id, after)
        for frame in frames:
            yield frame
        deadline = time.monotonic() + settings.FACTCHECK_LIVE_STREAM_SECONDS
        while (remaining := deadline - time.monotonic()) > 0:
            try:
                wait = min(settings.FACTCHECK_LIVE_HEARTBEAT_SECONDS, remaining)
                event = await asyncio.wait_for(events.get(), timeout=wait)
            except TimeoutError:
                yield ": keepalive\n\n"
                continue
            if event is RESYNC:
                frames, last = await replay(article_id, last)
                for frame in frames:
                    yield frame
            elif int(event["id"]) > last:
                last = int(event["id"])
                yield _frame(event)
    finally:
        hub.unsubscribe(token)


def _replay_and_close(article_id: int, after: int) -> tuple[list[str], int]:
    try:
        return _replay(article_id, after)
    finally:
        close_old_connections()


@require_safe
@newsroom_required
def article_live(request: NewsroomRequest, article_id: int) -> StreamingHttpResponse:
    """`text/event-stream` of the article's claim changes, for its open workspaces."""
    article = get_article_for(request.user, article_id)
    after = _start(request, article.pk)
    if request.method == "HEAD":
        stream: Any = iter(())
    elif isinstance(request, ASGIRequest):
        stream = _async_stream(article.pk, after)
    else:
        stream = _sync_stream(article.pk, after)
    response = StreamingHttpResponse(stream, content_type="text/event-stream; charset=utf-8")
    response["Cache-Control"] = "no-store"
    # Proxies (nginx) must pass each event on at once, not buffer the stream.
    response["X-Accel-Buffering"] = "no"
    return response
