"""Live updates: one PostgreSQL `LISTEN` per process, fanned out to the open streams.

Every change of a claim (and every new comment) writes a `LiveEvent` row and sends a
`NOTIFY` from a database trigger (see `_live_trigger` in models.py). PostgreSQL delivers a
notification only when its transaction commits, so nothing rolled back ever reaches a
browser. This module holds one listening connection per process, in a daemon thread, and
hands each notification to the streams that watch the notification's article
(annotations.views.live): a thread's queue under the development server, an asyncio queue
under uvicorn.

If the listening connection breaks (the database restarted), the thread connects again and
tells every stream to `resync`: it reads the events it missed from the table, so a
notification lost in between costs a query, not an update.
"""

from __future__ import annotations

import contextlib
import json
import logging
import select
import threading
from collections.abc import Callable
from typing import Any

import psycopg2
import psycopg2.extensions
from django.db import connections

from annotations.models import LIVE_CHANNEL

logger = logging.getLogger(__name__)

#: A subscriber receives one event (the trigger's JSON as a dict) or RESYNC.
Deliver = Callable[[dict[str, Any]], None]
#: What a stream receives when notifications may have been lost.
RESYNC: dict[str, Any] = {"kind": "resync"}
#: How long the thread waits on the socket before it looks at its flags again (seconds).
POLL_SECONDS = 5.0
#: How long it waits before connecting again after the connection broke (seconds).
RECONNECT_SECONDS = 1.0


class Hub:
    """The process's listener and its subscribers, by article."""

    def __init__(self, alias: str = "default") -> None:
        self.alias = alias
        self._lock = threading.Lock()
        self._subscribers: dict[int, dict[int, Deliver]] = {}
        self._next = 0
        self._thread: threading.Thread | None = None
        self._listening = threading.Event()
        self._stopping = threading.Event()
        self._connection: Any = None

    # -- subscribers -------------------------------------------------------------------------

    def subscribe(self, article_id: int, deliver: Deliver) -> int:
        """Watch one article; returns a token for `unsubscribe`. Starts the listener, and
        waits (briefly) until it listens, so a change committed after this call is seen."""
        with self._lock:
            self._next += 1
            token = self._next
            self._subscribers.setdefault(article_id, {})[token] = deliver
            if self._thread is None or not self._thread.is_alive():
                self._stopping.clear()
                self._listening.clear()
                self._thread = threading.Thread(
                    target=self._run, name="factcheck-live", daemon=True
                )
                self._thread.start()
        self._listening.wait(timeout=5)
        return token

    def unsubscribe(self, token: int) -> None:
        with self._lock:
            for article_id, subscribers in list(self._subscribers.items()):
                if subscribers.pop(token, None) is not None and not subscribers:
                    del self._subscribers[article_id]

    def subscriber_count(self) -> int:
        with self._lock:
            return sum(len(s) for s in self._subscribers.values())

    @property
    def listening(self) -> bool:
        return self._listening.is_set()

    def _deliver(self, article_id: int | None, event: dict[str, Any]) -> None:
        with self._lock:
            if article_id is None:
                targets = [d for s in self._subscribers.values() for d in s.values()]
            else:
                targets = list(self._subscribers.get(article_id, {}).values())
        for deliver in targets:
            try:
                deliver(event)
            except Exception:  # one closed stream must not stop the others
                logger.exception("A live stream refused an event")

    # -- the listening thread ----------------------------------------------------------------

    def stop(self) -> None:
        """Stop listening (tests; the thread is a daemon otherwise)."""
        self._stopping.set()
        thread = self._thread
        if thread is not None:
            thread.join(timeout=POLL_SECONDS + 1)
        self._thread = None

    def _connect(self) -> Any:
        params = connections[self.alias].get_connection_params()
        params.pop("cursor_factory", None)
        connection = psycopg2.connect(**params)
        connection.set_isolation_level(psycopg2.extensions.ISOLATION_LEVEL_AUTOCOMMIT)
        with connection.cursor() as cursor:
            cursor.execute(f"LISTEN {LIVE_CHANNEL}")
        return connection

    def _run(self) -> None:
        first = True
        while not self._stopping.is_set():
            try:
                self._connection = self._connect()
            except psycopg2.Error as exc:
                logger.warning("Live updates cannot listen yet (%s); trying again", exc)
                self._stopping.wait(RECONNECT_SECONDS)
                continue
            self._listening.set()
            if not first:
                # Whatever was committed while we were away is in the table: read it.
                self._deliver(None, RESYNC)
            first = False
            try:
                self._listen(self._connection)
            except (psycopg2.Error, OSError, ValueError) as exc:
                logger.warning("Live updates lost their connection (%s); listening again", exc)
            finally:
                self._listening.clear()
                with contextlib.suppress(psycopg2.Error):
                    self._connection.close()
                self._connection = None
            self._stopping.wait(RECONNECT_SECONDS)

    def _listen(self, connection: Any) -> None:
        while not self._stopping.is_set():
            if select.select([connection], [], [], POLL_SECONDS) == ([], [], []):
                # A quiet socket: make sure the server is still there (a dead one
                # raises here, and the thread connects again).
                with connection.cursor() as cursor:
                    cursor.execute("SELECT 1")
                continue
            connection.poll()
            while connection.notifies:
                notify = connection.notifies.pop(0)
                try:
                    event = json.loads(notify.payload)
                    article_id = int(event["article"])
                except (ValueError, KeyError, TypeError):
                    logger.warning("A live notification was not understood: %r", notify.payload)
                    continue
                self._deliver(article_id, event)


#: The process's hub (one listening connection per process).
hub = Hub()
