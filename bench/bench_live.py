"""Live updates: how long a colleague's change takes to reach 50 open workspaces (issue 16).

Run: ``.venv/bin/python bench/bench_live.py`` (``make bench`` runs it). In a throwaway
database, the app served as `make serve` serves it (the command `make serve-cmd` prints:
gunicorn with 3 uvicorn workers, DEBUG off) on 127.0.0.1; 50 clients hold the article's
event stream open (`/articles/{id}/live/`, as the workspace's SSE extension does), then a
reviewer and an editor make 30 changes one after another. Each change's latency runs from
its commit to a client having read the event; prints p50 / p95 / max over every client and
change (1,500 receipts), and whether every client received every change.
"""

from __future__ import annotations

import os
import shlex
import signal
import statistics
import subprocess
import sys
import threading
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import quote

from _bootstrap import ROOT, django_setup, throwaway_database

django_setup("factcheck_bench_live")

from django.conf import settings  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.contrib.auth.models import Group  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from served import free_port, serve_command  # noqa: E402

from annotations.services.articles import article_load  # noqa: E402
from annotations.services.claims import claim_create, claim_update  # noqa: E402
from tests.live.sse import EventStream  # noqa: E402

CLIENTS = 50
CHANGES = 30


def database_url() -> str:
    db = connection.settings_dict
    user = quote(db.get("USER") or "", safe="")
    auth = f"{user}@" if user else ""
    host = db.get("HOST") or (db.get("OPTIONS") or {}).get("host") or ""  # embedded: a socket dir
    port = f":{db['PORT']}" if db.get("PORT") else ""
    return f"postgres://{auth}{quote(host, safe='')}{port}/{quote(db['NAME'], safe='')}"


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def main() -> None:
    with throwaway_database():
        people = get_user_model().objects
        editor = people.create_user("bench-editor")
        editor.groups.add(Group.objects.get(name="editor"))
        article = article_load(
            user=editor, text="Bench story.\n\nThe mayor said 12 bridges were rebuilt this year."
        )
        claim = claim_create(article=article, user=editor, selector={"exact": "12 bridges"})
        client = Client()
        client.force_login(editor)
        cookie = (
            f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"
        )

        port = free_port()
        env = {k: v for k, v in os.environ.items() if not k.startswith("TEST_")}
        env.update(
            DATABASE_URL=database_url(), DEBUG="0", SECRET_KEY=settings.SECRET_KEY,
            ALLOWED_HOSTS="127.0.0.1", SECURE_SSL_REDIRECT="0",
        )  # fmt: skip
        command = serve_command("127.0.0.1", port, 3)
        server = subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, start_new_session=True
        )
        base = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + 60
            while True:
                try:
                    with urllib.request.urlopen(base + "/verdicts.css", timeout=2):
                        break
                except OSError:
                    if server.poll() is not None or time.monotonic() > deadline:
                        sys.exit(f"the server did not start: {shlex.join(command)}")
                    time.sleep(0.3)
            url = f"{base}/articles/{article.pk}/live/"
            received: dict[int, list[tuple[int, float]]] = {}
            lock = threading.Lock()

            def listen(n: int, ready: threading.Barrier) -> None:
                stream = EventStream(url, cookie=cookie)
                stream.next_frame(comments=True)
                ready.wait()
                got = []
                try:
                    while len(got) < CHANGES:
                        frame = stream.next_frame(timeout=30)
                        got.append((frame.json["version"], time.perf_counter()))
                finally:
                    stream.close()
                with lock:
                    received[n] = got

            ready = threading.Barrier(CLIENTS + 1)
            with ThreadPoolExecutor(max_workers=CLIENTS) as pool:
                futures = [pool.submit(listen, n, ready) for n in range(CLIENTS)]
                ready.wait(timeout=60)
                committed: dict[int, float] = {}
                for n in range(CHANGES):
                    claim = claim_update(
                        claim=claim, user=editor, version=claim.version, claimant=f"Mayor {n}"
                    )
                    committed[claim.version] = time.perf_counter()
                    time.sleep(0.1)
                for future in futures:
                    future.result(timeout=60)
        finally:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=20)
    latencies = [
        (at - committed[version]) * 1000 for got in received.values() for version, at in got
    ]
    complete = all(sorted(v for v, _ in got) == sorted(committed) for got in received.values())
    print(
        f"change → {CLIENTS} open workspaces ({CHANGES} changes, gunicorn + 3 uvicorn workers): "
        f"p50 {statistics.median(latencies):.1f} ms, p95 {percentile(latencies, 0.95):.1f} ms, "
        f"max {max(latencies):.1f} ms; every client got every change: {complete}"
    )


if __name__ == "__main__":
    main()
