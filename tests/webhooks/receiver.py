"""A webhook receiver on 127.0.0.1 that fails half the time, and checks every signature.

It answers 500 to every odd-numbered request of a message and 204 to the next, and
verifies each request with the `standardwebhooks` library itself (not our code), keeping
what it saw for the test to assert on.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler

from standardwebhooks.webhooks import Webhook, WebhookVerificationError

from tests.loopback import loopback_server


@dataclass
class Received:
    message_id: str
    payload: dict | None
    verified: bool
    answered: int


@dataclass
class Receiver:
    url: str
    secret: str = ""
    fail_first: bool = True
    received: list[Received] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)
    arrived: threading.Event = field(default_factory=threading.Event)

    def delivered(self) -> list[Received]:
        return [r for r in self.received if r.answered < 300]


@contextmanager
def webhook_receiver(*, fail_first: bool = True) -> Iterator[Receiver]:
    state: dict[str, Receiver] = {}

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args) -> None:
            pass

        def do_POST(self) -> None:
            receiver = state["receiver"]
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            headers = {k.lower(): v for k, v in self.headers.items()}
            try:
                payload = Webhook(receiver.secret).verify(body, headers)
                verified = True
            except WebhookVerificationError:
                payload, verified = None, False
            message_id = headers.get("webhook-id", "")
            with receiver.lock:
                tries = sum(1 for r in receiver.received if r.message_id == message_id)
                failing = receiver.fail_first and tries % 2 == 0
                answered = 500 if failing or not verified else 204
                receiver.received.append(Received(message_id, payload, verified, answered))
            self.send_response(answered)
            self.send_header("Content-Length", "0")
            self.end_headers()
            receiver.arrived.set()

    with loopback_server(Handler, "webhook-receiver") as url:
        receiver = state["receiver"] = Receiver(url=url + "/hooks/factcheck", fail_first=fail_first)
        yield receiver


def payload_json(received: Received) -> str:
    return json.dumps(received.payload, sort_keys=True)
