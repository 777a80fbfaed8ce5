"""Benchmark: the review queue and "My claims" with thousands of claims waiting.

Run: ``.venv/bin/python bench/bench_review_queue.py [repeats]``. Creates a throw-away test
database (Django's ``setup_databases``, named by ``TEST_DATABASE_NAME``), loads the demo
article, stores claims in review (each with a verdict and a source) and times
``GET /review/`` (first and last page), ``GET /review/?verdict=false`` and
``GET /my-claims/`` through the test Client. Prints the median and best of `repeats`
requests, the SQL query count, the HTML size and the peak Python memory of one request.
Issue 11 measured 4.0 s and 16 MB for 6,172 claims in review before the queue was paged.
The database is dropped at the end.
"""

from __future__ import annotations

import re
import statistics
import sys
import time
import tracemalloc

from _bootstrap import ROOT, django_setup, throwaway_database

django_setup("bench_factcheck_queue")

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import (  # noqa: E402
    CaptureQueriesContext,
)

SIZES = (100, 1_000, 6_172)
WORDS = re.compile(r"\w+(?: \w+){2}")


def load(article, user, start: int, stop: int) -> None:
    from django.utils import timezone

    from annotations.models import Claim, ClaimSource, ClaimStatus, Source, Verdict

    revision = article.current_revision
    spans = [m.span() for m in WORDS.finditer(revision.text)]
    verdicts = list(Verdict.objects.all())
    now = timezone.now()
    claims = Claim.objects.bulk_create(
        Claim(
            article=article,
            revision=revision,
            exact=revision.text[spans[i % len(spans)][0] : spans[i % len(spans)][1]],
            start=spans[i % len(spans)][0],
            end=spans[i % len(spans)][1],
            verdict=verdicts[i % len(verdicts)],
            explanation="Checked against the records.",
            status=ClaimStatus.IN_REVIEW,
            submitted_at=now,
            created_by=user,
        )
        for i in range(start, stop)
    )
    sources = Source.objects.bulk_create(
        Source(url=f"https://example.org/s/{c.pk}", title=f"Source {c.pk}", created_by=user)
        for c in claims
    )
    ClaimSource.objects.bulk_create(
        ClaimSource(claim=c, source=s) for c, s in zip(claims, sources, strict=True)
    )


def measure(client: Client, url: str, repeats: int) -> str:
    client.get(url)  # warm caches (templates, URL resolver)
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        client.get(url)
        times.append(time.perf_counter() - started)
    tracemalloc.start()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert response.status_code == 200, (url, response.status_code)
    return (
        f"{statistics.median(times) * 1000:7.1f} ms / {min(times) * 1000:6.1f} ms, "
        f"{len(queries):2} queries, HTML {len(response.content) / 1024:6.1f} KB, "
        f"peak {peak / 1024 / 1024:5.1f} MB"
    )


def run(repeats: int) -> None:
    from django.contrib.auth.models import Group, User

    from annotations.roles import ensure_scale_and_roles
    from annotations.selectors.review import PAGE_SIZE
    from annotations.services.articles import article_load

    ensure_scale_and_roles()
    editor = User.objects.create_user("bench-editor", password="bench")
    editor.groups.add(Group.objects.get(name="editor"))
    reviewer = User.objects.create_user("bench-reviewer", password="bench")
    reviewer.groups.add(Group.objects.get(name="reviewer"))
    text = (ROOT / "annotations" / "demo" / "defector-escape.txt").read_text(encoding="utf-8")
    article = article_load(user=editor, text=text, outlet="CNN")
    reviewing, editing = Client(), Client()
    reviewing.force_login(reviewer)
    editing.force_login(editor)
    print(f"review queue and my claims, {repeats} requests each (median / best)")
    made = 0
    for size in SIZES:
        load(article, editor, made, size)
        made = size
        last = -(-size // PAGE_SIZE)
        for label, client, url in [
            ("queue, page 1", reviewing, "/review/"),
            (f"queue, page {last}", reviewing, f"/review/?page={last}"),
            ("queue, verdict", reviewing, "/review/?verdict=false"),
            ("my claims", editing, "/my-claims/"),
        ]:
            print(f"{size:>5} in review, {label:<16} {measure(client, url, repeats)}")


def main() -> None:
    repeats = int(sys.argv[1]) if len(sys.argv) > 1 else 5
    with throwaway_database():
        run(repeats)


if __name__ == "__main__":
    main()
