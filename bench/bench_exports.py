"""Benchmark: the CSV, W3C and JSON claim exports over 100,000 claims, against PostgreSQL's
own COPY, in-process and over HTTP.

Run with ``python bench/bench_exports.py`` (``make bench`` runs it; ``BENCH_CLAIMS=20000``
for a quick run). It serves the app as `make serve` does (`bench/served.py`: gunicorn +
uvicorn workers, DEBUG off, 127.0.0.1, a database of its own, ``bench_exports_<pid>``),
loads the claims into that database from this process, and prints for each export:

- throughput (claims per second) at 10,000 and at 100,000 claims (one article holds the
  first tenth, another the rest: the 10,000 are `?article=<first>`);
- peak Python memory (tracemalloc) of the in-process runs — it must stay flat: the CSV
  streams, the W3C container and the JSON list are walked page by page from the first
  along the `next` links;
- the CSV over HTTP (best of 3, the whole body read by a client on loopback) and its
  ratio to the same rows written by PostgreSQL itself (``COPY (…) TO STDOUT WITH CSV``,
  through psycopg2's ``copy_expert``), against the goal of issue 17 (at most 2×);
- the cost of the W3C pages' `total` (one COUNT(*) per request).

The loader writes the rows in a few INSERT … SELECT statements with the row triggers off
(`session_replication_role = replica`: no history or live events, which no export reads):
100,000 claims load in 15–30 s on a busy machine (the GIN indexes still cost) instead of
~80 s through `bulk_create` and the triggers.
The server is stopped and the database dropped at the end, even on failure.
"""

from __future__ import annotations

import http.client
import os
import time
import tracemalloc
from urllib.parse import urlparse

from _bootstrap import ROOT, django_setup

django_setup("bench_factcheck_exports")

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import setup_test_environment, teardown_test_environment  # noqa: E402

CLAIMS = int(os.environ.get("BENCH_CLAIMS", 100_000))
WALKS = os.environ.get("BENCH_WALKS", "1") != "0"  # BENCH_WALKS=0: the CSV and COPY only
SMALL = CLAIMS // 10
PAGE = 200  # the largest page the W3C container and the claims list give (limits.API_MAX_PAGE)
HTTP_RUNS = 3
GOAL = 2.0  # issue 17: the CSV over HTTP within 2× of COPY of the same rows


class CountingSink:
    """A write-only file that only counts bytes (what a client socket would receive)."""

    def __init__(self) -> None:
        self.bytes = 0

    def write(self, data) -> int:
        self.bytes += len(data)
        return len(data)


LOAD_CLAIMS = """
INSERT INTO annotations_claim (
    article_id, revision_id, exact, prefix, suffix, start, "end", statement, claimant,
    verdict_id, explanation, status, anchor_state, version, round_editors, created_by_id,
    updated_by_id, created_at, updated_at, submitted_at, reviewed_by_id, reviewed_at)
SELECT CASE WHEN i < %(small)s THEN %(first)s ELSE %(rest)s END,
       CASE WHEN i < %(small)s THEN %(first_rev)s ELSE %(rest_rev)s END,
       w.exact, w.prefix, w.suffix, w.start, w."end",
       '=Claim ' || i || ': “' || w.gist || '”, café',
       CASE WHEN i %% 2 = 1 THEN 'United Nations Command' ELSE 'Gen. James Marks' END,
       (%(verdicts)s::int[])[i %% cardinality(%(verdicts)s::int[]) + 1],
       E'Records list six gunshot wounds, not five.\\nSee sources.',
       CASE WHEN i %% 3 = 0 THEN 'approved' ELSE 'draft' END, 'anchored', 1, '{}',
       %(user)s, %(user)s, t, t,
       CASE WHEN i %% 3 = 0 THEN t END, CASE WHEN i %% 3 = 0 THEN %(user)s END,
       CASE WHEN i %% 3 = 0 THEN t END
  FROM generate_series(0, %(n)s - 1) AS i
 CROSS JOIN LATERAL (SELECT now() - (%(n)s - i) * interval '1.000137 s' AS t) AS times
  JOIN unnest(%(exact)s::text[], %(prefix)s::text[], %(suffix)s::text[], %(start)s::int[],
              %(end)s::int[], %(gist)s::text[])
       WITH ORDINALITY AS w(exact, prefix, suffix, start, "end", gist, k)
    ON w.k = i %% %(words)s + 1
 ORDER BY i
"""

LOAD_SOURCES = """
INSERT INTO annotations_source (url, title, publisher, excerpt, kind, archived_url,
                                created_by_id, created_at, updated_at)
SELECT 'https://example.org/evidence/' || id, 'Hospital briefing', '', '', 'other', '',
       %(user)s, now(), now()
  FROM annotations_claim WHERE id %% 2 = 0 ORDER BY id;
INSERT INTO annotations_claimsource (claim_id, source_id, stance, created_at)
SELECT c.id, s.id, 'supports', now()
  FROM annotations_claim c
  JOIN annotations_source s ON s.url = 'https://example.org/evidence/' || c.id;
"""


def load(n: int) -> int:
    """Load n claims (every other one with a source) into two articles; the first's id."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    from annotations.models import Verdict
    from annotations.services.articles import article_load

    user = get_user_model().objects.create_user("bench", password=None, is_staff=True)
    user.groups.add(*Group.objects.all())
    text = (ROOT / "annotations" / "demo" / "defector-escape.txt").read_text(encoding="utf-8")
    articles = []
    for outlet, coda in (("CNN", ""), ("BBC", "\n\nFirst broadcast on CNN.")):
        # The same words at the same offsets; the coda only makes the second one new.
        article = article_load(user=user, text=text + coda, outlet=outlet)
        article.url = f"https://edition.example.com/defector-{outlet.lower()}"
        article.save()
        articles.append(article)
    revision = articles[0].current_revision
    words = {"exact": [], "prefix": [], "suffix": [], "start": [], "end": [], "gist": []}
    for start in range(0, len(revision.text) - 60, 97):
        end = start + 40
        if not revision.text[start:end].strip():
            start, end = 0, 10
        exact = revision.text[start:end]
        for key, value in (
            ("exact", exact),
            ("prefix", revision.text[max(0, start - 32) : start]),
            ("suffix", revision.text[end : end + 32]),
            ("start", start),
            ("end", end),
            ("gist", exact.strip()[:30]),
        ):
            words[key].append(value)
    params = {
        **words,
        "n": n,
        "small": n // 10,
        "words": len(words["exact"]),
        "first": articles[0].pk,
        "rest": articles[1].pk,
        "first_rev": articles[0].current_revision_id,
        "rest_rev": articles[1].current_revision_id,
        "verdicts": list(Verdict.objects.order_by("id").values_list("id", flat=True)),
        "user": user.pk,
    }
    t0 = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("SET session_replication_role = replica")
        try:
            cursor.execute(LOAD_CLAIMS, params)
            cursor.execute(LOAD_SOURCES, {"user": user.pk})
        finally:
            cursor.execute("RESET session_replication_role")
        # Fresh tables have no statistics until autovacuum gets to them: without ANALYZE
        # the planner guesses, and the COPY floor and the exports ran on bad plans (issue 17).
        cursor.execute("ANALYZE")
    print(f"loaded {n:,} claims (and {n // 2:,} sources) in {time.perf_counter() - t0:.1f} s")
    return articles[0].pk


def measure(run) -> tuple[float, float]:
    """Seconds for one run, then peak traced memory (MB) of a second run."""
    t0 = time.perf_counter()
    run()
    seconds = time.perf_counter() - t0
    tracemalloc.start()
    run()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return seconds, peak / 1024 / 1024


def best_of(run, times: int = HTTP_RUNS) -> float:
    best = float("inf")
    for _ in range(times):
        t0 = time.perf_counter()
        run()
        best = min(best, time.perf_counter() - t0)
    return best


def csv_export(article_id: int | None):
    from annotations.presenters.csv import stream_csv
    from annotations.selectors.exports import claims_for_csv, csv_lines

    def run():
        sink = CountingSink()
        queryset = claims_for_csv()
        if article_id is not None:
            queryset = queryset.filter(article_id=article_id)
        for chunk in stream_csv(csv_lines(queryset)):
            sink.write(chunk)
        return sink.bytes

    return run


def csv_over_http(base: str, token: str, article_id: int | None):
    """GET the CSV from the served app and read the whole body, as a client would."""
    url = urlparse(base)
    path = "/api/v1/export/claims.csv" + (f"?article={article_id}" if article_id else "")

    def run():
        conn = http.client.HTTPConnection(url.hostname, url.port, timeout=120)
        try:
            conn.request(
                "GET",
                path,
                headers={"Authorization": f"Token {token}", "Accept-Encoding": "identity"},
            )
            response = conn.getresponse()
            assert response.status == 200, response.read(300)
            size = 0
            while chunk := response.read1(1 << 16):
                size += len(chunk)
            return size
        finally:
            conn.close()

    return run


def paged_walk(token: str, first_url: str, n: int, *, to_the_end: bool):
    """Walk n claims as a client would: from the first page, following `next` (to the
    last page, if `to_the_end`)."""
    from django.test import Client

    client = Client(HTTP_AUTHORIZATION=f"Token {token}", HTTP_ACCEPT_ENCODING="identity")

    def run():
        sink = CountingSink()
        url = first_url
        for _ in range((n + PAGE - 1) // PAGE):
            response = client.get(url)
            assert response.status_code == 200, response.content[:300]
            sink.write(response.content)
            url = response.data.get("next")
        assert (url is None) == to_the_end, url
        return sink.bytes

    return run


COPY_SQL = """
COPY (
  SELECT c.id, c.article_id, a.title, a.url, c.exact, c.start, c."end", c.statement,
         c.claimant, v.label, v.rating_value, c.explanation, c.status, c.anchor_state,
         (SELECT string_agg(cs.stance || ': ' || s.title ||
                 COALESCE(' <' || NULLIF(s.url, '') || '>', ''), ' | ' ORDER BY cs.id)
            FROM annotations_claimsource cs JOIN annotations_source s ON s.id = cs.source_id
           WHERE cs.claim_id = c.id),
         u.username, r.username, c.created_at, c.updated_at, c.submitted_at, c.reviewed_at
    FROM annotations_claim c
    JOIN annotations_article a ON a.id = c.article_id
    LEFT JOIN annotations_verdict v ON v.id = c.verdict_id
    JOIN auth_user u ON u.id = c.created_by_id
    LEFT JOIN auth_user r ON r.id = c.reviewed_by_id
   WHERE c.deleted_at IS NULL {where}
   ORDER BY c.id
) TO STDOUT WITH CSV HEADER
"""


def copy_floor(article_id: int | None, *, jit: bool = True):
    """COPY as the server is configured (JIT on by default), or with JIT off as the CSV
    export's query runs (compiling the plan costs ~0.5 s of a 100,000-claim COPY)."""
    where = f"AND c.article_id = {int(article_id)}" if article_id else ""

    def run():
        sink = CountingSink()
        with connection.cursor() as cursor:
            if not jit:
                cursor.execute("SET jit = off")
            try:
                cursor.cursor.copy_expert(COPY_SQL.format(where=where), sink)
            finally:
                if not jit:
                    cursor.execute("RESET jit")
        return sink.bytes

    return run


def row(label: str, n: int, seconds: float, peak: str = "") -> None:
    print(f"{label:<32}{n:>9,}{seconds:>9.2f}{n / seconds:>11,.0f}{peak:>9}")


def main() -> None:
    from served import served_app

    name = f"bench_exports_{os.getpid()}"
    os.environ["BENCH_DATABASE_NAME"] = name
    settings.DEBUG = False  # no query log growing with every request
    setup_test_environment()  # the in-process walks' test client (ALLOWED_HOSTS, e-mail)
    with served_app(workers=3) as (base, _env):
        connection.close()
        connection.settings_dict["NAME"] = name  # this process reads the served database
        try:
            run_benchmark(base)
        finally:
            connection.close()
            teardown_test_environment()


def run_benchmark(base: str) -> None:
    from rest_framework.authtoken.models import Token

    from annotations.models import Claim

    first_article = load(CLAIMS)
    token = Token.objects.create(user=Claim.objects.first().created_by).key
    print()
    print(f"{'export':<32}{'claims':>9}{'seconds':>9}{'claims/s':>11}{'peak MB':>9}")
    ratios = []
    for n, article in ((SMALL, first_article), (CLAIMS, None)):
        query = f"article={article}&" if article else ""
        exports = [
            ("CSV (streamed, in-process)", csv_export(article)),
            ("PostgreSQL COPY (floor)", copy_floor(article)),
            (
                "W3C container, paged",
                paged_walk(
                    token,
                    f"/api/v1/annotations/?page=first&page_size={PAGE}",
                    n,
                    to_the_end=n == CLAIMS,
                ),
            ),
            (
                "JSON claims export, paged",
                paged_walk(token, f"/api/v1/claims/?{query}page_size={PAGE}", n, to_the_end=True),
            ),
        ]
        if not WALKS:
            exports = exports[:2]
        for label, run in exports:
            seconds, peak = measure(run)
            row(label, n, seconds, f"{peak:.1f}")
        copy_s = best_of(copy_floor(article))
        http_s = best_of(csv_over_http(base, token, article))
        row(f"PostgreSQL COPY, best of {HTTP_RUNS}", n, copy_s)
        row("  the same, JIT off", n, best_of(copy_floor(article, jit=False)))
        row(f"CSV over HTTP, best of {HTTP_RUNS}", n, http_s)
        ratios.append((n, http_s / copy_s))
    print()
    for n, ratio in ratios:
        print(f"CSV over HTTP / COPY at {n:>7,} claims: {ratio:.2f}×")
    print(
        f"goal (issue 17): CSV over HTTP within {GOAL:g}× of COPY: "
        + ", ".join(f"{'met' if r <= GOAL else 'NOT met'} at {n:,}" for n, r in ratios)
    )
    # What each W3C page pays for its `total`: one COUNT(*) of the live claims.
    t0 = time.perf_counter()
    for _ in range(20):
        Claim.objects.live().count()
    count_ms = (time.perf_counter() - t0) / 20 * 1000
    pages = CLAIMS // PAGE
    print(
        f"\nW3C total: one COUNT(*) of {CLAIMS:,} claims per page request takes "
        f"{count_ms:.1f} ms ({count_ms * pages / 1000:.1f} s of a {pages:,}-page walk)"
    )


if __name__ == "__main__":
    main()
