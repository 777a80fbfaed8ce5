"""The API's per-request paths of issue 17, measured the way the peer comparison was.

Run: ``.venv/bin/python bench/bench_api_paths.py`` (``make bench`` runs it). In a throwaway
database, the app served as `make serve` serves it (the command `make serve-cmd` prints;
gunicorn with 5 uvicorn workers, DEBUG off) on 127.0.0.1, and one client process with a
keep-alive connection and an editor's token:

- the cheapest authenticated request (`GET /api/v1/verdicts/`), median of 300;
- who am I (`GET /api/v1/me/`, what doccano's `GET /v1/me` answers), median of 300;
- loading 200 articles in one request (`POST /api/v1/articles/bulk/`), median of 3 runs;
- creating one claim per request (`POST /api/v1/claims/`, 200 of them), rate and median;
- fetching one article with its 20 claims in one request
  (`GET /api/v1/articles/{id}/?include=claims`), median of 200.

The CSV-vs-COPY and JSON-vs-W3C figures are bench_exports.py's.
"""

from __future__ import annotations

import json
import os
import shlex
import signal
import statistics
import subprocess
import sys
import time
import urllib.request
from http.client import HTTPConnection
from urllib.parse import quote

from _bootstrap import ROOT, django_setup, throwaway_database

django_setup("factcheck_bench_api_paths")

from django.conf import settings  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.contrib.auth.models import Group  # noqa: E402
from django.db import connection  # noqa: E402
from rest_framework.authtoken.models import Token  # noqa: E402
from served import free_port, serve_command  # noqa: E402

ARTICLES = 200
CLAIMS_PER_ARTICLE = 20
WORDS = (
    "The ministry said {n} schools reopened in {year}, after repairs that cost {cost} million. "
    "Officials counted {n2} classrooms. Critics said the figure was closer to {n3}."
)


def database_url() -> str:
    db = connection.settings_dict
    user = quote(db.get("USER") or "", safe="")
    auth = f"{user}@" if user else ""
    host = db.get("HOST") or (db.get("OPTIONS") or {}).get("host") or ""  # embedded: a socket dir
    port = f":{db['PORT']}" if db.get("PORT") else ""
    return f"postgres://{auth}{quote(host, safe='')}{port}/{quote(db['NAME'], safe='')}"


def article_text(run: int, n: int) -> str:
    paragraphs = [
        WORDS.format(n=n + p, year=1990 + p, cost=run * 7 + p, n2=n * 3 + p, n3=n * 5 + p)
        for p in range(CLAIMS_PER_ARTICLE)
    ]
    return f"Story {run}-{n}.\n\n" + "\n\n".join(paragraphs)


class Api:
    def __init__(self, port: int, token: str) -> None:
        self.connection = HTTPConnection("127.0.0.1", port, timeout=120)
        self.headers = {"Authorization": f"Token {token}", "Content-Type": "application/json"}

    def call(self, method: str, path: str, body: object = None) -> tuple[int, dict | list]:
        payload = None if body is None else json.dumps(body)
        self.connection.request(method, path, body=payload, headers=self.headers)
        answer = self.connection.getresponse()
        data = answer.read()
        return answer.status, (json.loads(data) if data else {})


def timed(fn) -> float:
    started = time.perf_counter()
    fn()
    return (time.perf_counter() - started) * 1000


def main() -> None:
    with throwaway_database():
        editor = get_user_model().objects.create_user("bench-editor")
        editor.groups.add(Group.objects.get(name="editor"))
        token = Token.objects.create(user=editor).key
        port = free_port()
        env = {k: v for k, v in os.environ.items() if not k.startswith("TEST_")}
        env.update(
            DATABASE_URL=database_url(), DEBUG="0", SECRET_KEY=settings.SECRET_KEY,
            ALLOWED_HOSTS="127.0.0.1", SECURE_SSL_REDIRECT="0",
        )  # fmt: skip
        command = serve_command("127.0.0.1", port, 5)
        server = subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, start_new_session=True
        )
        try:
            deadline = time.monotonic() + 60
            while True:
                try:
                    with urllib.request.urlopen(f"http://127.0.0.1:{port}/verdicts.css", timeout=2):
                        break
                except OSError:
                    if server.poll() is not None or time.monotonic() > deadline:
                        sys.exit(f"the server did not start: {shlex.join(command)}")
                    time.sleep(0.3)
            api = Api(port, token)
            report(api)
        finally:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=20)


def report(api: Api) -> None:
    for _ in range(20):  # warm every worker's imports and connections
        api.call("GET", "/api/v1/verdicts/")
    cheapest = [timed(lambda: api.call("GET", "/api/v1/verdicts/")) for _ in range(300)]
    status, me = api.call("GET", "/api/v1/me/")
    assert status == 200 and me["roles"] == ["editor"], (status, me)
    who = [timed(lambda: api.call("GET", "/api/v1/me/")) for _ in range(300)]

    bulk_times, article_ids = [], []
    for run in range(3):
        items = [{"text": article_text(run, n), "outlet": "Bench"} for n in range(ARTICLES)]
        started = time.perf_counter()
        status, body = api.call("POST", "/api/v1/articles/bulk/", {"articles": items})
        bulk_times.append((time.perf_counter() - started) * 1000)
        results = body["results"] if isinstance(body, dict) else body
        created = [r for r in results if r.get("result") == "created"]
        assert status in (200, 207) and len(created) == ARTICLES, (status, str(body)[:500])
        article_ids = [r["id"] for r in created]

    creates = []
    for article_id in article_ids[:10]:
        for p in range(CLAIMS_PER_ARTICLE):

            def create(article_id=article_id, p=p):
                status, body = api.call(
                    "POST",
                    "/api/v1/claims/",
                    {"article": article_id, "selector": {"exact": f"reopened in {1990 + p}"}},
                )
                assert status == 201, (status, body)

            creates.append(timed(create))

    fetches = [
        timed(lambda: api.call("GET", f"/api/v1/articles/{article_ids[0]}/?include=claims"))
        for _ in range(200)
    ]
    status, body = api.call("GET", f"/api/v1/articles/{article_ids[0]}/?include=claims")
    assert status == 200 and len(body["claims"]) == CLAIMS_PER_ARTICLE, (status, str(body)[:300])

    rate = len(creates) / (sum(creates) / 1000)
    median = statistics.median
    ours = {
        "cheapest": median(cheapest),
        "me": median(who),
        "bulk": median(bulk_times) / 1000,
        "create": rate,
        "fetch": median(fetches),
    }
    print(f"{'path':<44}{'doccano':>12}{'goal':>13}{'ours':>12}  met")
    for key, label, unit, peer, goal, better in PATHS:
        value = ours[key]
        met = value >= goal if better == "higher" else value <= goal
        print(
            f"{label:<44}{peer:>9.1f} {unit:<2}{_goal(goal, better):>11} {unit:<2}"
            f"{value:>9.1f} {unit:<2}  {'yes' if met else 'no'}"
        )
    print(f"(create: median {median(creates):.1f} ms per claim; {len(creates)} claims)")
    if path := os.environ.get("BENCH_FIGURES"):  # for bench/peer/side_by_side.py
        with open(path, "w", encoding="utf-8") as figures:
            json.dump(ours, figures)


#: Issue 17's side-by-side: doccano 1.8.4 (Django + DRF, gunicorn with 5 workers) on the
#: same machine and PostgreSQL, one client, medians of 3 runs; the goal the issue set.
#: (key, what, unit, doccano, goal, which way is better)
PATHS = [
    ("create", "create one claim per request", "/s", 103.0, 206.0, "higher"),
    ("fetch", "fetch one article with its 20 claims", "ms", 10.6, 5.3, "lower"),
    ("cheapest", "cheapest authenticated request", "ms", 2.5, 2.5, "lower"),
    ("me", "who am I (doccano: GET /v1/me)", "ms", 2.5, 2.5, "lower"),
    ("bulk", "load 200 articles (one bulk request)", "s", 1.2, 1.2, "lower"),
]


def _goal(goal: float, better: str) -> str:
    return f"{'≥' if better == 'higher' else '≤'} {goal:.1f}"


if __name__ == "__main__":
    main()
