"""The closest peer, doccano 1.8.4, measured on this machine the way bench_api_paths.py
measures us (issue 17's side-by-side): one keep-alive client on loopback, medians.

Run: ``.venv/bin/python bench/peer/doccano.py`` (not part of `make bench`: it installs
doccano). The first run makes a virtualenv of its own in ``var/doccano-venv`` from the
package index: doccano 1.8.4 with psycopg2 and the three pins its old dependencies need
today (marshmallow < 3.24 for environs, numpy < 2 for pandas 1.5). doccano is served as
it ships — `doccano webserver`: gunicorn sync workers, 5 of them, persistent database
connections — on a database of its own on the server DATABASE_URL names, which is
dropped at the end, as the server is stopped.

The paths, as close as the two apps allow:
- cheapest authenticated request: ``GET /v1/me`` (ours: ``GET /api/v1/verdicts/``, and
  ``GET /api/v1/me/``, which answers the same question);
- create one span per request (ours: one claim), 200 of them: rate and median;
- fetch one example with its 20 spans: doccano needs two requests (the example, its
  spans), timed together (ours: ``GET /api/v1/articles/{id}/?include=claims``).
"""

from __future__ import annotations

import json
import os
import secrets
import signal
import statistics
import subprocess
import sys
import time
from http.client import HTTPConnection
from pathlib import Path
from urllib.parse import urlparse, urlunparse

ROOT = Path(__file__).resolve().parents[2]
VENV = ROOT / "var" / "doccano-venv"
PINS = ["doccano==1.8.4", "psycopg2-binary==2.9.13", "marshmallow<3.24", "numpy<2"]
WORDS = (
    "The ministry said {n} schools reopened in {year}, after repairs that cost {cost} million. "
    "Officials counted {n2} classrooms. Critics said the figure was closer to {n3}."
)


def venv() -> Path:
    doccano = VENV / "bin" / "doccano"
    if not doccano.exists():
        subprocess.run([sys.executable, "-m", "venv", str(VENV)], check=True)
        pip = [str(VENV / "bin" / "pip"), "install", "-q", "--disable-pip-version-check"]
        subprocess.run([*pip, PINS[0]], check=True)
        subprocess.run([*pip, *PINS[1:]], check=True)
    return doccano


def admin(url: str, sql: str, params: list | None = None) -> None:
    import psycopg2

    conn = psycopg2.connect(url)
    conn.autocommit = True
    try:
        conn.cursor().execute(sql, params)
    finally:
        conn.close()


def article_text(n: int) -> str:
    paragraphs = [
        WORDS.format(n=n + p, year=1990 + p, cost=7 + p, n2=n * 3 + p, n3=n * 5 + p)
        for p in range(20)
    ]
    return f"Story {n}.\n\n" + "\n\n".join(paragraphs)


def main() -> None:
    doccano = venv()
    server_url = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/postgres")
    name = f"doccano_peer_{os.getpid()}"
    url = urlunparse(urlparse(server_url)._replace(path="/" + name))
    admin(server_url, f'CREATE DATABASE "{name}"')
    env = {
        **os.environ,
        "DATABASE_URL": url + "?sslmode=disable",
        "DEBUG": "False",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1",
    }
    server = None
    try:
        subprocess.run([doccano, "init"], env=env, check=True, capture_output=True)
        subprocess.run(
            [doccano, "createuser", "--username", "bench", "--password", secrets.token_hex(8)],
            env=env,
            check=True,
            capture_output=True,
        )
        key = secrets.token_hex(20)
        admin(
            url,
            "INSERT INTO authtoken_token (key, user_id, created) "
            "SELECT %s, id, now() FROM auth_user WHERE username = 'bench'",
            [key],
        )
        port = 18931
        server = subprocess.Popen(
            [doccano, "webserver", "--port", str(port), "--workers", "5"],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        report(port, key)
    finally:
        if server is not None:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=30)
        admin(server_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def report(port: int, key: str) -> None:
    headers = {"Content-Type": "application/json", "Authorization": f"Token {key}"}
    conn = HTTPConnection("127.0.0.1", port, timeout=60)

    def call(method: str, path: str, body: object = None) -> tuple[int, object]:
        conn.request(method, path, body=None if body is None else json.dumps(body), headers=headers)
        answer = conn.getresponse()
        data = answer.read()
        return answer.status, (json.loads(data) if data else None)

    deadline = time.monotonic() + 60
    while True:
        try:
            status, _ = call("GET", "/v1/me")
            break
        except OSError:
            if time.monotonic() > deadline:
                sys.exit("doccano did not start")
            conn = HTTPConnection("127.0.0.1", port, timeout=60)
            time.sleep(0.5)
    assert status == 200, status
    status, project = call(
        "POST",
        "/v1/projects",
        {
            "name": "bench",
            "description": "issue 17",
            "guideline": "",
            "project_type": "SequenceLabeling",
            "resourcetype": "SequenceLabelingProject",
            "collaborative_annotation": True,
        },
    )
    assert status == 201, (status, project)
    pid = project["id"]  # type: ignore[index]
    label = {"text": "claim", "background_color": "#ff0000", "text_color": "#ffffff"}
    status, span_type = call("POST", f"/v1/projects/{pid}/span-types", label)
    assert status == 201, (status, span_type)
    examples = []
    for n in range(10):
        status, example = call("POST", f"/v1/projects/{pid}/examples", {"text": article_text(n)})
        assert status == 201, (status, example)
        examples.append((example["id"], example["text"]))  # type: ignore[index]

    def timed(fn) -> float:
        started = time.perf_counter()
        fn()
        return (time.perf_counter() - started) * 1000

    for _ in range(20):  # warm every worker
        call("GET", "/v1/me")
    cheapest = [timed(lambda: call("GET", "/v1/me")) for _ in range(300)]
    creates = []
    for eid, text in examples:
        for p in range(20):
            at = text.index(f"reopened in {1990 + p}")
            span = {"label": span_type["id"], "start_offset": at, "end_offset": at + 16}  # type: ignore[index]

            def create(eid=eid, span=span) -> None:
                status, body = call("POST", f"/v1/projects/{pid}/examples/{eid}/spans", span)
                assert status == 201, (status, body)

            creates.append(timed(create))
    eid = examples[0][0]

    def fetch() -> None:
        status, _ = call("GET", f"/v1/projects/{pid}/examples/{eid}")
        status_spans, spans = call("GET", f"/v1/projects/{pid}/examples/{eid}/spans")
        assert (status, status_spans, len(spans)) == (200, 200, 20)  # type: ignore[arg-type]

    fetches = [timed(fetch) for _ in range(200)]
    median = statistics.median
    print(f"{'path':<44}{'doccano here':>14}")
    rate = len(creates) / (sum(creates) / 1000)
    print(f"{'create one span (claim) per request':<44}{rate:>11.1f} /s")
    print(f"{'fetch one example with its 20 spans (2 req.)':<44}{median(fetches):>11.1f} ms")
    print(f"{'cheapest authenticated request (/v1/me)':<44}{median(cheapest):>11.1f} ms")
    print(f"(create: median {median(creates):.1f} ms per span; {len(creates)} spans)")
    figures = {"create": rate, "fetch": median(fetches), "cheapest": median(cheapest)}
    write_figures(figures)


def write_figures(figures: dict[str, float]) -> None:
    """The figures as JSON, to the file BENCH_FIGURES names (side_by_side.py reads them)."""
    if path := os.environ.get("BENCH_FIGURES"):
        Path(path).write_text(json.dumps(figures), encoding="utf-8")


if __name__ == "__main__":
    main()
