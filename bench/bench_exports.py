"""Benchmark: the CSV and W3C exports over 100,000 claims, against PostgreSQL's own COPY.

Run with ``python bench/bench_exports.py`` (``make bench`` runs it). It creates a throwaway
database on the same server (``bench_exports_<pid>``, via Django's test-database
utilities, migrations included), bulk-loads the claims, and prints for each export:

- throughput (claims per second) at 10,000 and at 100,000 claims;
- peak Python memory (tracemalloc) at 10,000 and at 100,000 claims — it must stay flat:
  the CSV streams from a server-side cursor, the W3C container is walked page by page
  from `first` along the `next` links (keyset pages: the last page costs the first's);
- the cost of the W3C pages' `total` (one COUNT(*) per request);
- the same CSV written by PostgreSQL itself (``COPY (…) TO STDOUT WITH CSV``, through
  psycopg2's ``copy_expert``) as the floor to compare against.

The database is dropped at the end, even on failure.
"""

from __future__ import annotations

import os
import time
import tracemalloc

from _bootstrap import ROOT, django_setup, throwaway_database

django_setup("bench_factcheck_exports")

from django.db import connection  # noqa: E402

CLAIMS = int(os.environ.get("BENCH_CLAIMS", 100_000))
SMALL = CLAIMS // 10
BATCH = 5_000
W3C_PAGE = 200


class CountingSink:
    """A write-only file that only counts bytes (what a client socket would receive)."""

    def __init__(self) -> None:
        self.bytes = 0

    def write(self, data) -> int:
        self.bytes += len(data)
        return len(data)


def load(n: int) -> None:
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    from annotations.models import Claim, ClaimSource, Source, Verdict
    from annotations.services.articles import article_load

    user = get_user_model().objects.create_user("bench", password="x", is_staff=True)
    user.groups.add(*Group.objects.all())
    text = (ROOT / "annotations" / "demo" / "defector-escape.txt").read_text(encoding="utf-8")
    article = article_load(user=user, text=text, outlet="CNN")
    article.url = "https://edition.example.com/defector"
    article.save()
    revision = article.current_revision
    verdicts = list(Verdict.objects.all())
    words = [(m, m + 40) for m in range(0, len(revision.text) - 60, 97)]
    t0 = time.perf_counter()
    for offset in range(0, n, BATCH):
        claims = []
        for i in range(offset, min(n, offset + BATCH)):
            start, end = words[i % len(words)]
            exact = revision.text[start:end]
            if not exact.strip():
                start, end = 0, 10
                exact = revision.text[0:10]
            claims.append(
                Claim(
                    article=article,
                    revision=revision,
                    exact=exact,
                    prefix=revision.text[max(0, start - 32) : start],
                    suffix=revision.text[end : end + 32],
                    start=start,
                    end=end,
                    statement=f"=Claim {i}: “{exact.strip()[:30]}”, café",
                    claimant="United Nations Command" if i % 2 else "Gen. James Marks",
                    verdict=verdicts[i % len(verdicts)],
                    explanation="Records list six gunshot wounds, not five.\nSee sources.",
                    status="approved" if i % 3 == 0 else "draft",
                    created_by=user,
                    updated_by=user,
                )
            )
        created = Claim.objects.bulk_create(claims)
        sources = Source.objects.bulk_create(
            [
                Source(
                    url=f"https://example.org/evidence/{c.pk}",
                    title="Hospital briefing",
                    created_by=user,
                )
                for c in created[::2]
            ]
        )
        ClaimSource.objects.bulk_create(
            [ClaimSource(claim=c, source=s) for c, s in zip(created[::2], sources, strict=True)]
        )
    print(f"loaded {n:,} claims (and {n // 2:,} sources) in {time.perf_counter() - t0:.1f} s")


def measure(label: str, run, n: int) -> tuple[float, float]:
    """Seconds for one run, then peak traced memory (MB) of a second run."""
    t0 = time.perf_counter()
    run()
    seconds = time.perf_counter() - t0
    tracemalloc.start()
    run()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return seconds, peak / 1024 / 1024


def csv_export(limit_id: int):
    from annotations.presenters.csv import VALUES, stream_csv
    from annotations.selectors.exports import claims_for_csv, csv_rows

    def run():
        sink = CountingSink()
        queryset = claims_for_csv().filter(id__lte=limit_id)
        for chunk in stream_csv(csv_rows(queryset, values=VALUES)):
            sink.write(chunk)
        return sink.bytes

    return run


def w3c_export(n: int, token: str):
    from django.test import Client

    client = Client(HTTP_AUTHORIZATION=f"Token {token}", HTTP_ACCEPT_ENCODING="identity")

    def run():
        """Walk the first n claims as a client would: from `first`, following `next`."""
        sink = CountingSink()
        url = f"/api/v1/annotations/?page=first&page_size={W3C_PAGE}"
        for _ in range((n + W3C_PAGE - 1) // W3C_PAGE):
            response = client.get(url)
            assert response.status_code == 200, response.content[:300]
            sink.write(response.content)
            url = response.data.get("next")
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
   WHERE c.deleted_at IS NULL AND c.id <= {limit}
   ORDER BY c.id
) TO STDOUT WITH CSV HEADER
"""


def copy_floor(limit_id: int):
    def run():
        sink = CountingSink()
        with connection.cursor() as cursor:
            cursor.cursor.copy_expert(COPY_SQL.format(limit=int(limit_id)), sink)
        return sink.bytes

    return run


def main() -> None:
    from rest_framework.authtoken.models import Token

    from annotations.models import Claim

    with throwaway_database():
        load(CLAIMS)
        # Fresh tables have no statistics until autovacuum gets to them: without ANALYZE the
        # planner guesses, and the COPY floor (and the exports) ran on bad plans (issue 17).
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        ids = list(Claim.objects.order_by("id").values_list("id", flat=True))
        token = Token.objects.create(user=Claim.objects.first().created_by).key
        print()
        print(f"{'export':<28}{'claims':>9}{'seconds':>9}{'claims/s':>11}{'peak MB':>9}")
        for n in (SMALL, CLAIMS):
            limit = ids[n - 1]
            for label, run in (
                ("CSV (streamed)", csv_export(limit)),
                ("PostgreSQL COPY (floor)", copy_floor(limit)),
                ("W3C container, paged", w3c_export(n, token)),
            ):
                seconds, peak = measure(label, run, n)
                print(f"{label:<28}{n:>9,}{seconds:>9.2f}{n / seconds:>11,.0f}{peak:>9.1f}")
        # What each W3C page pays for its `total`: one COUNT(*) of the live claims.
        t0 = time.perf_counter()
        for _ in range(20):
            Claim.objects.live().count()
        count_ms = (time.perf_counter() - t0) / 20 * 1000
        pages = CLAIMS // W3C_PAGE
        print(
            f"\nW3C total: one COUNT(*) of {CLAIMS:,} claims per page request takes "
            f"{count_ms:.1f} ms ({count_ms * pages / 1000:.1f} s of a {pages:,}-page walk)"
        )


if __name__ == "__main__":
    main()
