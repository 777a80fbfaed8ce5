"""Matching known checks ("Checked before?", issue 13), on PostgreSQL with 10,375 checks.

Run: ``.venv/bin/python bench/bench_matching.py`` (``make bench`` runs it). In a throwaway
database, it prints figures only:

1. ``manage.py evaluate_matching`` on the CheckThat! 2020 dev split (MAP@5, Recall@5; the
   corpus loaded as known checks and rolled back, each tweet asked through the API's
   selector);
2. the corpus imported for good through `known_checks_import` (timed; vectors then set from
   the cache): the index build (the first search after a change), and one
   search's p50/p95 through ``matches_for_text``, its query vector included;
3. the same searches while ``embeddings_fill`` computes 640 missing vectors in a thread, as
   the web server does after an import: the searches go on, and the fill's rate.

The corpus vectors come from var/cache/ (the first run computes them: minutes on two cores).
"""

from __future__ import annotations

import statistics
import threading
import time
from pathlib import Path

from _bootstrap import ROOT, django_setup, throwaway_database

django_setup("factcheck_bench_matching")

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

from annotations.matching import MODEL_VERSION, embedding  # noqa: E402
from annotations.matching.evaluation import (  # noqa: E402
    default_data,
    read_corpus,
    read_corpus_rows,
    read_queries,
)
from annotations.models import KnownCheck  # noqa: E402
from annotations.selectors import matches  # noqa: E402
from annotations.services import matching  # noqa: E402
from annotations.services.known_checks import known_checks_import  # noqa: E402

DATA = default_data()
REFILL = 640


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def timed_searches(queries: list[str]) -> list[float]:
    spent = []
    for text in queries:
        started = time.perf_counter()
        matches.matches_for_text(text)
        spent.append((time.perf_counter() - started) * 1000)
    return spent


def figures(spent: list[float]) -> str:
    return (
        f"p50 {statistics.median(spent):.0f} ms, p95 {percentile(spent, 0.95):.0f} ms, "
        f"max {max(spent):.0f} ms ({len(spent)} searches)"
    )


def main() -> None:
    corpus_path = DATA / "verified_claims.docs.tsv"
    if not corpus_path.exists():
        print(f"skipped: the CheckThat! 2020 Task 2 data is not in {DATA}")
        return
    dev: Path = DATA / "dev"
    with throwaway_database():
        print("-- evaluate_matching on the dev split")
        call_command(
            "evaluate_matching",
            "--corpus", str(corpus_path),
            "--queries", str(dev / "tweets.queries.tsv"),
            "--qrels", str(dev / "tweet-vclaim-pairs.qrels"),
        )  # fmt: skip

        rows = read_corpus_rows(corpus_path)
        vectors, _ = embedding.cached_passage_embeddings(
            [text for _, text in read_corpus(corpus_path)], ROOT / "var" / "cache"
        )
        claimreviews = [
            {
                "@context": "https://schema.org",
                "@type": "ClaimReview",
                "url": f"https://checkthat.invalid/vclaim/{doc_id}",
                "claimReviewed": claim.strip() or title.strip() or f"vclaim {doc_id}",
                "name": title.strip()[:500],
                "reviewRating": {"@type": "Rating", "alternateName": "(corpus)"},
            }
            for doc_id, claim, title in rows
        ]
        started = time.perf_counter()
        report = known_checks_import(data=claimreviews, user=None)
        print(
            f"import of {len(claimreviews):,} ClaimReviews (one transaction): "
            f"{time.perf_counter() - started:.1f} s, {report.created:,} created"
        )
        # Their vectors as `embeddings_fill` would compute them, from the cache (minutes saved).
        position = {
            f"https://checkthat.invalid/vclaim/{doc_id}": n for n, (doc_id, _, _) in enumerate(rows)
        }
        checks = list(KnownCheck.objects.only("id", "url"))
        for check in checks:
            check.embedding = embedding.to_bytes(vectors[position[check.url]])
            check.embedding_model = MODEL_VERSION
        KnownCheck.objects.bulk_update(checks, ["embedding", "embedding_model"], batch_size=1000)
        queries = [text for _, text in read_queries(dev / "tweets.queries.tsv")]
        print(f"-- {KnownCheck.objects.count():,} known checks in the database")
        matches.index_reset()
        embedding.embed_query("warm up")  # the model's load is a once-per-process cost
        started = time.perf_counter()
        matches.matches_for_text("warm up")
        print(f"index build (first search after a change): {time.perf_counter() - started:.2f} s")
        print(f"one search, query vector included: {figures(timed_searches(queries))}")

        # An import's new checks: their vectors are filled in a thread while searches go on.
        refill = list(KnownCheck.objects.order_by("-id").values_list("id", flat=True)[:REFILL])
        KnownCheck.objects.filter(id__in=refill).update(embedding=None, embedding_model="")
        matches.matches_for_text("warm up")
        done = threading.Event()
        fill_seconds: list[float] = []

        def fill() -> None:
            started = time.perf_counter()
            try:
                matching.embeddings_fill()
            finally:
                fill_seconds.append(time.perf_counter() - started)
                connection.close()
                done.set()

        worker = threading.Thread(target=fill)
        worker.start()
        during: list[float] = []
        while not done.is_set():
            during += timed_searches(queries[:20])
        worker.join()
        print(
            f"during a fill of {REFILL} vectors ({REFILL / fill_seconds[0]:.0f} per second, "
            f"{fill_seconds[0]:.0f} s): {figures(during)}"
        )
        print(f"vectors: {matching.embedding_progress().done:,} of {len(rows):,}")


if __name__ == "__main__":
    main()
