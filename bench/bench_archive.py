"""Source archiving: how many sources a worker snapshots per second.

Run: ``.venv/bin/python bench/bench_archive.py [sources]`` (default 100). In a throwaway
database it attaches ``sources`` sources to claims (the queue set to django-tasks' dummy
backend, so attaching only records the pending snapshots), serves ``sources`` different
article pages (~20 KB each, the excerpt in each) from a local server on 127.0.0.1, then
calls the archive job's service (``source_archive``) for every one: once in one thread (one
worker), once in four threads (four workers). WARC files go to a temporary folder. Prints
the wall time, sources per second, and per-snapshot latency (p50, p95) for each run, with
what was stored.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from _bootstrap import django_setup, editor, throwaway_database

django_setup("bench_factcheck_archive")

from django.db import connection  # noqa: E402
from django.test import override_settings  # noqa: E402

from annotations.models import SourceArchive  # noqa: E402
from annotations.services.archiving import source_archive  # noqa: E402
from annotations.services.articles import article_load  # noqa: E402
from annotations.services.claims import claim_create, source_attach  # noqa: E402

EXCERPT = "the ministry counted 1,204 new classrooms in the northern provinces"
PARAGRAPH = (
    "The annual schools report was published on Monday by the education ministry, and it "
    "runs to more than two hundred pages of tables, charts and commentary on every region. "
)


def page(number: int) -> bytes:
    paragraphs = [f"<p>{PARAGRAPH} Section {number}.{i}.</p>" for i in range(40)]
    paragraphs.insert(20, f"<p>In chapter {number}, {EXCERPT}, up from 830.</p>")
    return (
        f"<!doctype html><html><head><title>Report {number}</title></head><body><article>"
        f"<h1>Schools report, part {number}</h1>{''.join(paragraphs)}</article></body></html>"
    ).encode()


class Pages(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: object) -> None:
        pass

    def do_GET(self) -> None:
        body = page(int(self.path.strip("/").removeprefix("report-") or 0))
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


def archive_all(ids: list[int], workers: int) -> tuple[float, list[float]]:
    latencies: list[float] = []

    def one(archive_id: int) -> None:
        started = time.perf_counter()
        try:
            source_archive(archive_id)
        finally:
            latencies.append((time.perf_counter() - started) * 1000)
            if workers > 1:
                connection.close()  # each thread's own connection

    started = time.perf_counter()
    if workers == 1:
        for archive_id in ids:
            one(archive_id)
    else:
        with ThreadPoolExecutor(workers) as pool:
            list(pool.map(one, ids))
    return time.perf_counter() - started, latencies


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 100
    server = ThreadingHTTPServer(("127.0.0.1", 0), Pages)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    storage = tempfile.TemporaryDirectory(prefix="bench-archive-")
    overrides = override_settings(
        TASKS={"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}},
        FACTCHECK_FETCH_ALLOW_LOOPBACK=True,
        STORAGES={
            "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
            "archive": {
                "BACKEND": "django.core.files.storage.FileSystemStorage",
                "OPTIONS": {"location": storage.name},
            },
        },
    )
    try:
        with throwaway_database(), overrides:
            user = editor("bench-archive-user")
            article = article_load(
                user=user, text="Bench article.\n\nThe ministry built classrooms this year."
            )
            runs: dict[str, list[int]] = {"1 worker": [], "4 workers": []}
            for ids in runs.values():
                for n in range(count):
                    claim = claim_create(
                        article=article, user=user, selector={"exact": "classrooms"}
                    )
                    link = source_attach(
                        claim=claim,
                        user=user,
                        title=f"Report {n}",
                        url=f"{base}/report-{n}",
                        excerpt=EXCERPT,
                    )
                    ids.append(SourceArchive.objects.get(source=link.source).pk)
            print(f"archive throughput, {count} sources from a local server ({base})")
            for label, ids in runs.items():
                seconds, latencies = archive_all(ids, 1 if label == "1 worker" else 4)
                done = SourceArchive.objects.filter(pk__in=ids, status="archived")
                found = done.filter(excerpt_state="found").count()
                stored = sum(done.values_list("size", flat=True))
                cuts = statistics.quantiles(latencies, n=20)
                print(
                    f"  {label:9}: {seconds:6.2f} s  {count / seconds:6.1f} sources/s  "
                    f"p50 {statistics.median(latencies):6.1f} ms  p95 {cuts[18]:6.1f} ms  "
                    f"archived {done.count()}/{count}, excerpt found {found}, "
                    f"{stored / 1e6:.1f} MB of payload"
                )
    finally:
        server.shutdown()
        server.server_close()
        storage.cleanup()


if __name__ == "__main__":
    main()
