"""Webhook delivery latency, from a reviewer's approval to the receiver (issue 15).

Run: ``.venv/bin/python bench/bench_webhooks.py`` (``make bench`` runs it). In a throwaway
database: a receiver on 127.0.0.1 that verifies every signature with the `standardwebhooks`
library, one `manage.py worker` process (as `make worker` starts it, polling every 0.1 s),
and 40 approvals one after another. Each approval's time runs from its commit to the
receiver having read the request; prints p50 / p95 / max, and the approvals' own time.
"""

from __future__ import annotations

import os
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import quote

from _bootstrap import ROOT, django_setup, throwaway_database

django_setup("factcheck_bench_webhooks")

from django.conf import settings  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.contrib.auth.models import Group  # noqa: E402
from django.db import connection  # noqa: E402
from standardwebhooks.webhooks import Webhook  # noqa: E402

from annotations.services.articles import article_load  # noqa: E402
from annotations.services.claims import claim_create, claim_update, source_attach  # noqa: E402
from annotations.services.webhooks import webhook_subscription_create  # noqa: E402
from annotations.services.workflow import claim_approve, claim_submit  # noqa: E402

APPROVALS = 40


def database_url() -> str:
    db = connection.settings_dict
    user = quote(db.get("USER") or "", safe="")
    password = quote(db.get("PASSWORD") or "", safe="")
    auth = f"{user}:{password}@" if password else (f"{user}@" if user else "")
    host = db.get("HOST") or (db.get("OPTIONS") or {}).get("host") or ""  # embedded: a socket dir
    name = quote(db["NAME"], safe="")
    port = f":{db['PORT']}" if db.get("PORT") else ""
    # A socket directory (the embedded server) goes in the host, percent-encoded.
    return f"postgres://{auth}{quote(host, safe='')}{port}/{name}"


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def main() -> None:
    arrived: dict[str, float] = {}
    forged: list[str] = []
    secret: dict[str, str] = {}
    lock = threading.Condition()

    class Receiver(BaseHTTPRequestHandler):
        def log_message(self, *args) -> None:
            pass

        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            now = time.perf_counter()
            headers = {k.lower(): v for k, v in self.headers.items()}
            try:
                payload = Webhook(secret["value"]).verify(body, headers)
            except Exception:
                forged.append(headers.get("webhook-id", "?"))
                payload = None
            self.send_response(204 if payload else 400)
            self.send_header("Content-Length", "0")
            self.end_headers()
            if payload:
                with lock:
                    arrived[str(payload["data"]["claim"]["id"])] = now
                    lock.notify_all()

    server = ThreadingHTTPServer(("127.0.0.1", 0), Receiver)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    settings.FACTCHECK_FETCH_ALLOW_LOOPBACK = True
    with throwaway_database(), tempfile.TemporaryDirectory() as tmp:
        people = get_user_model().objects
        staff = people.create_user("bench-staff", is_staff=True)
        editor = people.create_user("bench-editor")
        editor.groups.add(Group.objects.get(name="editor"))
        reviewer = people.create_user("bench-reviewer")
        reviewer.groups.add(Group.objects.get(name="reviewer"))
        subscription = webhook_subscription_create(
            user=staff, url=f"http://127.0.0.1:{server.server_address[1]}/hook",
            events=["claim.approved"],
        )  # fmt: skip
        secret["value"] = subscription.secret
        claims = []
        for n in range(APPROVALS):
            article = article_load(
                user=editor, text=f"Bench story {n}.\n\nThe mayor said {n} bridges were rebuilt."
            )
            claim = claim_create(
                article=article, user=editor, selector={"exact": f"{n} bridges were rebuilt"}
            )
            claim = claim_update(
                claim=claim, user=editor, version=claim.version, verdict="true",
                explanation="The city's register lists them.",
            )  # fmt: skip
            source_attach(claim=claim, user=editor, title="City register", stance="supports")
            claims.append(claim_submit(claim=claim, user=editor))

        env = {k: v for k, v in os.environ.items() if not k.startswith("TEST_")}
        env.update(DATABASE_URL=database_url(), FACTCHECK_FETCH_ALLOW_LOOPBACK="1")
        log = Path(tmp) / "worker.log"
        with log.open("w") as out:
            worker = subprocess.Popen(
                [sys.executable, "manage.py", "worker", "--no-startup-delay", "--interval", "0.1"],
                cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT,
            )  # fmt: skip
        try:
            time.sleep(3)  # the worker's start-up (Django, the first poll) is not latency
            latencies, approving = [], []
            for claim in claims:
                started = time.perf_counter()
                claim_approve(claim=claim, reviewer=reviewer)  # commits (autocommit)
                committed = time.perf_counter()
                approving.append((committed - started) * 1000)
                with lock:
                    ok = lock.wait_for(lambda c=claim: str(c.pk) in arrived, timeout=30)
                if not ok:
                    sys.exit(
                        f"no delivery for claim {claim.pk} in 30 s:\n{log.read_text()[-2000:]}"
                    )
                latencies.append((arrived[str(claim.pk)] - committed) * 1000)
        finally:
            worker.send_signal(signal.SIGTERM)
            try:
                worker.wait(timeout=20)
            except subprocess.TimeoutExpired:
                worker.kill()
        server.shutdown()
    print(
        f"approval → receipt ({APPROVALS} approvals, one worker polling every 0.1 s): "
        f"p50 {statistics.median(latencies):.0f} ms, p95 {percentile(latencies, 0.95):.0f} ms, "
        f"max {max(latencies):.0f} ms; every signature verified: {not forged}"
    )
    print(f"the approval itself (one subscription): p50 {statistics.median(approving):.1f} ms")


if __name__ == "__main__":
    main()
