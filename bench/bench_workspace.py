"""Benchmark: server render time of the editor's workspace for 10, 100 and 500 claims.

Run: ``.venv/bin/python bench/bench_workspace.py [repeats]``. Creates a throw-away test
database (Django's ``setup_databases``, named by ``TEST_DATABASE_NAME``), loads the demo
article, stores claims with verdicts, and times ``GET /articles/<id>/`` through the test
Client (middleware, query, highlight splitting and template rendering included; no
network). Prints the median and best of `repeats` requests, the SQL query count, and the
HTML size raw and gzipped, then the 500/10 ratio of the medians against issue 17's goal (at
most 3×: the time may not grow with the claims much faster than the page's fixed cost). The
database is dropped at the end.
"""

from __future__ import annotations

import gzip
import re
import statistics
import sys
import time

from _bootstrap import ROOT, django_setup, throwaway_database

django_setup("bench_factcheck_workspace")

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import (  # noqa: E402
    CaptureQueriesContext,
)

SIZES = (10, 100, 500)
#: Issue 17: the median for 500 claims at most this many times the median for 10.
GOAL_RATIO = 3.0
WORDS = re.compile(r"\w+(?: \w+){2}")


def run(repeats: int) -> None:
    from django.contrib.auth.models import Group, User

    from annotations.models import Claim, Verdict
    from annotations.roles import ensure_scale_and_roles
    from annotations.services.articles import article_load

    ensure_scale_and_roles()
    user = User.objects.create_user("bench", password="bench")
    user.groups.add(Group.objects.get(name="editor"))
    text = (ROOT / "annotations" / "demo" / "defector-escape.txt").read_text(encoding="utf-8")
    article = article_load(user=user, text=text, outlet="CNN")
    revision = article.current_revision
    spans = [m.span() for m in WORDS.finditer(revision.text)]
    verdicts = list(Verdict.objects.all())
    client = Client()
    client.force_login(user)
    url = f"/articles/{article.pk}/"
    print(f"workspace render, {repeats} requests each (median / best), demo article")
    made = 0
    medians: dict[int, float] = {}
    for size in SIZES:
        Claim.objects.bulk_create(
            Claim(
                article=article,
                revision=revision,
                exact=revision.text[spans[i % len(spans)][0] : spans[i % len(spans)][1]],
                start=spans[i % len(spans)][0],
                end=spans[i % len(spans)][1],
                statement=revision.text[spans[i % len(spans)][0] : spans[i % len(spans)][1]],
                verdict=verdicts[i % len(verdicts)],
                created_by=user,
            )
            for i in range(made, size)
        )
        made = size
        client.get(url)  # warm caches (templates, URL resolver)
        times = []
        for _ in range(repeats):
            started = time.perf_counter()
            response = client.get(url)
            times.append(time.perf_counter() - started)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200
        medians[size] = statistics.median(times)
        html = response.content
        print(
            f"{size:>4} claims: {statistics.median(times) * 1000:7.1f} ms / "
            f"{min(times) * 1000:6.1f} ms, {len(queries)} queries, "
            f"HTML {len(html) / 1024:6.1f} KB ({len(gzip.compress(html)) / 1024:5.1f} KB gzipped)"
        )
    ratio = medians[SIZES[-1]] / medians[SIZES[0]]
    print(
        f"{SIZES[-1]}/{SIZES[0]} claims: {ratio:.1f}× the median time "
        f"(goal ≤ {GOAL_RATIO:.0f}×: {'met' if ratio <= GOAL_RATIO else 'NOT met'})"
    )


def main() -> None:
    repeats = int(sys.argv[1]) if len(sys.argv) > 1 else 20
    with throwaway_database():
        run(repeats)


if __name__ == "__main__":
    main()
