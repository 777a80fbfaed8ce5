"""A request thread's connection that dies while it is being set up is set up again
(factcheck/asgi.py, `RequestThreadConnection`; issue 17's scale run): through a real TCP
proxy on 127.0.0.1 that does what PgBouncer did during a restart of the primary — it lets
the connection start, then closes it on the first statement."""

from __future__ import annotations

import contextlib
import logging
import socket
import threading
import time

import pytest
from django.db import connection
from django.db.utils import OperationalError

from factcheck.asgi import RequestThreadConnection

pytestmark = pytest.mark.django_db


class CuttingProxy:
    """Forwards PostgreSQL connections to the test database; the first `cut` of them are
    closed when the client sends its first message after the server said it was ready (a
    server connection that died just as it was handed out)."""

    def __init__(self, upstream: dict, cut: int) -> None:
        self.upstream = upstream
        self.cut = cut
        self.accepted = 0
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.sockets: list[socket.socket] = []
        threading.Thread(target=self._accept, daemon=True).start()

    def _connect_upstream(self) -> socket.socket:
        options = self.upstream.get("OPTIONS") or {}
        host = self.upstream.get("HOST") or options.get("host") or "/var/run/postgresql"
        port = int(self.upstream.get("PORT") or options.get("port") or 5432)
        if host.startswith("/"):  # the embedded server listens on a socket (its OPTIONS)
            server = socket.socket(socket.AF_UNIX)
            server.connect(f"{host}/.s.PGSQL.{port}")
            return server
        return socket.create_connection((host, port))

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            self.accepted += 1
            server = self._connect_upstream()
            self.sockets += [client, server]
            ready = threading.Event()
            cutting = self.accepted <= self.cut
            threading.Thread(
                target=self._from_server, args=(server, client, ready), daemon=True
            ).start()
            threading.Thread(
                target=self._from_client, args=(client, server, ready, cutting), daemon=True
            ).start()

    @staticmethod
    def _from_server(server: socket.socket, client: socket.socket, ready: threading.Event) -> None:
        pending = b""
        try:
            while data := server.recv(65536):
                if not ready.is_set():  # read the messages up to ReadyForQuery ('Z')
                    pending += data
                    while len(pending) >= 5:
                        size = int.from_bytes(pending[1:5], "big")
                        if len(pending) < 1 + size:
                            break
                        if pending[:1] == b"Z":
                            ready.set()
                        pending = pending[1 + size :]
                client.sendall(data)
        except OSError:
            pass
        finally:
            _close(client, server)

    @staticmethod
    def _from_client(client, server, ready: threading.Event, cutting: bool) -> None:
        try:
            while data := client.recv(65536):
                if cutting and ready.is_set():
                    return  # the first statement after the start: the connection dies
                server.sendall(data)
        except OSError:
            pass
        finally:
            _close(client, server)

    def close(self) -> None:
        self.listener.close()
        _close(*self.sockets)


def _close(*sockets: socket.socket) -> None:
    for sock in sockets:
        with contextlib.suppress(OSError):
            sock.shutdown(socket.SHUT_RDWR)
        sock.close()


def _through(proxy: CuttingProxy) -> RequestThreadConnection:
    """A request thread's connection (as `own_connections` makes it), through the proxy,
    in a time zone other than the server's, so that setting it up sends a statement."""
    settings = {
        **connection.settings_dict,
        "HOST": "127.0.0.1",
        "PORT": str(proxy.port),
        "CONN_MAX_AGE": 300,
        "CONN_HEALTH_CHECKS": True,
        "TIME_ZONE": "America/New_York",
        "OPTIONS": {"sslmode": "disable", "gssencmode": "disable", "connect_timeout": 5},
    }
    settings.pop("POOL_OPTIONS", None)
    return RequestThreadConnection(settings, "default")


@pytest.fixture
def proxy():
    made: list[CuttingProxy] = []
    yield lambda cut: made.append(CuttingProxy(connection.settings_dict, cut)) or made[-1]
    for each in made:
        each.close()


def test_a_connection_cut_while_being_set_up_is_set_up_again(proxy, caplog):
    cutting = proxy(cut=1)
    own = _through(cutting)
    with caplog.at_level(logging.WARNING, logger="factcheck.asgi"):
        try:
            with own.cursor() as cursor:
                cursor.execute("SELECT current_setting('TimeZone'), 41 + 1")
                assert cursor.fetchone() == ("America/New_York", 42)
        finally:
            own.close()
    assert cutting.accepted == 2  # the cut one, then the one that answered
    assert "failed while being set up" in caplog.text
    assert "trying again" in caplog.text


def test_after_the_last_cut_setup_the_failure_is_raised(proxy):
    cutting = proxy(cut=10)
    own = _through(cutting)
    started = time.monotonic()
    with pytest.raises(OperationalError, match="closed the connection"):
        own.ensure_connection()
    tries = 1 + len(RequestThreadConnection.SETUP_RETRIES)
    assert tries > 1 and cutting.accepted == tries  # the first try and the retries, no more
    assert time.monotonic() - started >= sum(RequestThreadConnection.SETUP_RETRIES)
    assert own.connection is None  # nothing half-open is kept


def test_a_failure_in_the_requests_own_statement_is_not_retried(proxy):
    cutting = proxy(cut=0)
    own = _through(cutting)
    try:
        with own.cursor() as cursor:
            cursor.execute("SELECT 1")
        backend = own.connection.info.backend_pid
        with connection.cursor() as cursor:  # PostgreSQL drops it between two statements
            cursor.execute("SELECT pg_terminate_backend(%s)", [backend])
        with pytest.raises(OperationalError), own.cursor() as cursor:
            cursor.execute("SELECT 1")
        assert cutting.accepted == 1  # the statement was not sent again on a new one
    finally:
        own.close()
