"""Benchmark: the whole re-anchoring service, database included, for 1,000 claims.

Run with ``python bench/bench_reanchor_db.py``. It builds the same 50,000-character article
and edit as ``bench_reanchor.py``, stores 1,000 claims on it in a throw-away database
(``bench_factcheck_reanchor`` on the embedded server, created and dropped here), loads the
edited text as revision 2 and times ``claims_reanchor``: loading and locking the claims, the
engine, one bulk UPDATE (with the history trigger writing one event per claim) and the
comments for approved claims sent back to review. Best of 3, each rolled back.
"""

from __future__ import annotations

import random
import time

from _bootstrap import django_setup, editor, throwaway_database

django_setup("bench_factcheck_reanchor")

from bench_reanchor import SEED, build_article, edit, place_claims  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from annotations.anchoring import Quote, anchor_quotes  # noqa: E402
from annotations.models import Claim, ClaimEvent, ClaimStatus  # noqa: E402
from annotations.services.articles import article_create, revision_create  # noqa: E402
from annotations.services.reanchor import claims_reanchor  # noqa: E402

RUNS = 3


class _Rollback(Exception):
    pass


def main() -> None:
    rng = random.Random(SEED)
    old = build_article(rng)
    quotes = place_claims(old, rng)
    new = edit(old, rng)

    user = editor("bench")
    article = article_create(title="Benchmark article", text=old, user=user)
    first = article.current_revision
    Claim.objects.bulk_create(
        Claim(
            article=article,
            revision=first,
            exact=q.exact,
            prefix=q.prefix,
            suffix=q.suffix,
            start=q.start,
            end=q.end,
            statement=q.exact,
            created_by=user,
            # A tenth approved, so some go back to review and get a comment.
            status=ClaimStatus.APPROVED if i % 10 == 0 else ClaimStatus.DRAFT,
        )
        for i, q in enumerate(quotes)
    )
    second = revision_create(
        article=article, text=new, raw=new, input_format="text", removed="", user=user
    )

    claims = list(Claim.objects.filter(article=article))
    started = time.perf_counter()
    anchor_quotes(new, [Quote(c.exact, c.prefix, c.suffix, c.start, c.end) for c in claims])
    engine = time.perf_counter() - started

    timings, report, queries, events = [], None, 0, 0
    for _ in range(RUNS):
        try:
            with transaction.atomic():
                events_before = ClaimEvent.objects.count()
                with CaptureQueriesContext(connection) as captured:
                    started = time.perf_counter()
                    report = claims_reanchor(
                        article=article, previous_revision=first, revision=second, user=user
                    )
                    timings.append(time.perf_counter() - started)
                queries = len(captured)
                events = ClaimEvent.objects.count() - events_before
                raise _Rollback
        except _Rollback:
            pass

    assert report is not None
    print(f"article: {len(old):,} chars -> {len(new):,} chars; claims: {len(claims):,}")
    print(f"engine alone (anchor_quotes): {engine * 1000:.1f} ms")
    print(
        f"claims_reanchor with the database: best of {RUNS} = {min(timings) * 1000:.1f} ms "
        f"(worst {max(timings) * 1000:.1f} ms); {queries} queries, {events:,} history events, "
        f"{len(report.sent_to_review)} approved claims sent back to review"
    )
    for state, n in report.counts.items():
        print(f"  {state:<10}{n:>5}")


if __name__ == "__main__":
    with throwaway_database():
        main()
