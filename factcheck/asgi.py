"""ASGI entry point (`make serve`: gunicorn with uvicorn workers).

Two ways in, chosen by path (issue 17):

- Streams — the live updates of an open workspace, the CSV export, archived snapshots —
  go to Django's ASGI handler: an event stream waits as a coroutine, and a slow reader of
  a long export holds no thread.
- Every other request is answered in one piece. Django's ASGI handler would run its sync
  code in a new thread per request and hop between that thread and the event loop for
  each signal and middleware; measured in-process, that was more than the whole request
  under WSGI (the cheapest API request: 8.8 ms as WSGI, 14–20 ms as ASGI on a slow
  machine). These requests go to Django's WSGI handler on a fixed pool of threads, after
  their body has been read here — a slow upload holds a coroutine, never one of the
  threads — with the WSGI environ built by `a2wsgi`.
"""

from __future__ import annotations

import asyncio
import contextlib
import contextvars
import functools
import io
import logging
import os
import re
import time
from collections.abc import Awaitable, Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

#: Under ASGI each request runs its sync code in a thread of its own, so Django's persistent
#: connections are never reused there: every request would open a PostgreSQL connection.
#: The streams take theirs from a pool per process (DATABASE_POOL_SIZE in settings; set it
#: to 0 to turn the pool off, e.g. behind a PgBouncer in transaction mode).
os.environ.setdefault("DATABASE_POOL_SIZE", "5")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "factcheck.settings")

import psycopg2
from a2wsgi.wsgi import build_environ
from django.conf import settings
from django.core.asgi import get_asgi_application
from django.core.handlers.wsgi import WSGIHandler
from django.db import connections
from django.db.backends.postgresql.base import DatabaseWrapper

Scope = Any
Message = dict[str, Any]
Receive = Callable[[], Awaitable[Any]]
Send = Callable[[Any], Awaitable[None]]

#: Paths whose answers stream: Django's ASGI handler serves them (see above).
STREAMED = re.compile(
    r"^/(?:articles/\d+/live/|api/v1/export/|api/v1/sources/\d+/archive|sources/\d+/archive/)"
)
#: Seconds a request thread keeps a connection before it opens a new one (the pool's too).
THREAD_CONN_MAX_AGE = 300


class Dispatch:
    """Streams to Django's ASGI handler; the rest to its WSGI handler on a thread pool."""

    def __init__(self, threads: int) -> None:
        self.streams = get_asgi_application()
        self.wsgi = WSGIHandler()
        #: The request threads' own connections (`own_connections`), for `close()`.
        self.thread_connections: list[DatabaseWrapper] = []
        self.threads = ThreadPoolExecutor(
            max_workers=threads,
            thread_name_prefix="wsgi",
            initializer=own_connections,
            initargs=(self.thread_connections,),
        )
        #: A body larger than this is not held in memory here: Django's ASGI handler takes
        #: the request and spools it to disk, as it always did.
        self.body_in_memory = max(
            settings.FACTCHECK_API_MAX_BODY, settings.DATA_UPLOAD_MAX_MEMORY_SIZE or 0
        )

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or STREAMED.match(scope["path"]):
            return await self.streams(scope, receive, send)
        chunks: list[Message] = []
        size = 0
        while True:
            message = await receive()
            chunks.append(message)
            if message["type"] != "http.request":
                return  # the client left before sending its body: nobody to answer
            size += len(message.get("body", b""))
            if size > self.body_in_memory:
                return await self.streams(scope, _replay(chunks, receive), send)
            if not message.get("more_body", False):
                break
        body = b"".join(m.get("body", b"") for m in chunks)
        environ: dict[str, Any] = dict(build_environ(scope, io.BytesIO(body)))  # type: ignore[arg-type]
        environ["CONTENT_LENGTH"] = str(len(body))  # as read: a chunked body is not lost
        # One hop to a thread and one back, the request's context going with it. (a2wsgi's
        # own middleware hands each message back to the loop and waits: three round trips
        # an answer, measured at ~5 ms of a 20 ms answer here; these answers are whole.)
        answer = functools.partial(contextvars.copy_context().run, self._answer, environ)
        status, headers, content = await asyncio.get_running_loop().run_in_executor(
            self.threads, answer
        )
        await send({"type": "http.response.start", "status": status, "headers": headers})
        await send({"type": "http.response.body", "body": content})

    def close(self) -> None:
        """Stop the request threads and close their connections (a worker that exits
        closes them anyway; tests call this before their database is dropped)."""
        self.threads.shutdown(wait=True)
        for wrapper in self.thread_connections:
            wrapper.inc_thread_sharing()  # closed from this thread, as Django's live server does
            wrapper.close()

    def _answer(self, environ: dict[str, Any]) -> tuple[int, list[tuple[bytes, bytes]], bytes]:
        started: list[Any] = []

        def start_response(status: str, headers: list[tuple[str, str]], exc_info: Any = None):
            started[:] = [status, headers]
            return lambda data: written.append(data)

        written: list[bytes] = []
        result = self.wsgi(environ, start_response)
        try:
            written.extend(result)
        finally:
            result.close()
        status, headers = started
        return (
            int(status.split(" ", 1)[0]),
            [(k.lower().encode("latin1"), v.encode("latin1")) for k, v in headers],
            b"".join(written),
        )


logger = logging.getLogger(__name__)


class RequestThreadConnection(DatabaseWrapper):
    """A request thread's own connection: one that fails while it is being set up is set
    up again, three times at most, after 0.1, 0.4 and 1 s (1.5 s in all).

    Setting a connection up (connect, time zone, role) sends nothing of the request, so
    doing it again cannot repeat a write. It is what a database restart looks like behind
    PgBouncer: the scale run's fast restart of the primary (docs/scale.md) answered 50
    requests with 500 in the next 1.4 s, every one of them while its new connection was
    being set up ("server closed the connection unexpectedly": PgBouncer closes a new
    client while its logins to the restarting server fail, `server_login_retry`). Two
    tries within 0.3 s still left 31; the wait now covers the restart (0.4 s) and
    PgBouncer's first new login. A failure after the setup — in the request's own
    statements — is not retried here: it answers 500, as before.
    """

    SETUP_RETRIES = (0.1, 0.4, 1.0)

    def connect(self) -> None:
        for delay in (*self.SETUP_RETRIES, None):
            try:
                return super().connect()
            except psycopg2.OperationalError as failure:
                # Nothing half set up is kept, whether it is tried again or not.
                broken, self.connection = self.connection, None
                if broken is not None:
                    with contextlib.suppress(psycopg2.Error):
                        broken.close()
                if delay is None:
                    raise
                logger.warning(
                    "Database connection failed while being set up (%s); trying again.",
                    str(failure).strip(),
                )
                time.sleep(delay)


def own_connections(opened: list[DatabaseWrapper]) -> None:
    """Give the calling thread connections of its own that outlive a request.

    A request thread answers one request after another, so Django's persistent
    connections serve it as they serve a WSGI worker: no checkout, ping and rollback per
    request as with the pool (measured: 0.1–0.2 ms of a 1.5 ms request). Django checks the
    connection at the start of each request that uses it (CONN_HEALTH_CHECKS), so one the
    server dropped — PostgreSQL restarted — is replaced, not answered with a 500. Django's
    connections are per thread: the other threads (the streams') keep the pool's.
    """
    for alias in connections:
        own = {
            **connections.settings[alias],
            "ENGINE": "django.db.backends.postgresql",
            "CONN_MAX_AGE": THREAD_CONN_MAX_AGE,
            "CONN_HEALTH_CHECKS": True,
        }
        own.pop("POOL_OPTIONS", None)
        wrapper = RequestThreadConnection(own, alias)
        connections[alias] = wrapper
        opened.append(wrapper)


def _replay(messages: list[Message], receive: Receive) -> Receive:
    """`receive` that first gives back the messages already read, then the client's own."""
    pending = list(messages)

    async def replayed() -> Message:
        if pending:
            return pending.pop(0)
        return await receive()

    return replayed


application = Dispatch(threads=settings.FACTCHECK_REQUEST_THREADS)
