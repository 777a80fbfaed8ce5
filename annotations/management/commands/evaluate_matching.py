"""Measure "Checked before?" matching on CheckThat! 2020 Task 2 files (issue 13).

    python manage.py evaluate_matching --corpus verified_claims.docs.tsv \\
        --queries dev/tweets.queries.tsv --qrels dev/tweet-vclaim-pairs.qrels [--k 5] [--limit N]

Loads the corpus as known checks in a transaction that is rolled back at the end (nothing
stays), gives them their vectors (from var/cache/ when the same texts were embedded before,
as `embeddings_fill` would compute them otherwise), and runs every query through
`selectors.matches.matches_for_text`, the code `GET /api/v1/matches/` runs. Prints MAP@k and
Recall@k, the time per query, and ``MAP@5 0.xxx`` as the last line.
"""

from __future__ import annotations

import statistics
import time
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from annotations.matching import MODEL_VERSION, embedding
from annotations.matching.evaluation import (
    read_corpus,
    read_corpus_rows,
    read_qrels,
    read_queries,
    score_runs,
)
from annotations.models import KnownCheck
from annotations.selectors import matches
from annotations.selectors.exports import claims_for_claimreview

#: The corpus's checks get addresses of their own, so their ids can be read back.
URL_PREFIX = "https://checkthat.invalid/vclaim/"
BATCH = 1_000


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


class Command(BaseCommand):
    help = (
        "Print MAP@k and Recall@k of known-check matching on TSV files (corpus: vclaim_id, "
        "vclaim, title; queries: id, text; TREC qrels). The corpus is loaded as known checks "
        "(claim reviewed = vclaim, headline = title) in a transaction rolled back at the "
        "end, and each query runs through the API's matching code. Corpus vectors are "
        "cached in var/cache/ keyed by the texts and the model version (the first run on "
        "10,375 checks computes them, which takes minutes). Last line: MAP@k 0.xxx."
    )

    def add_arguments(self, parser):
        parser.add_argument("--corpus", type=Path, required=True)
        parser.add_argument("--queries", type=Path, required=True)
        parser.add_argument("--qrels", type=Path, required=True)
        parser.add_argument("--k", type=int, default=5)
        parser.add_argument("--limit", type=int, default=None, help="only the first N queries")
        parser.add_argument(
            "--lexical-only",
            action="store_true",
            help="no vectors: the checks match by their words (BM25) alone",
        )
        parser.add_argument(
            "--cache-dir",
            type=Path,
            default=None,
            help="where corpus vectors are cached (default: var/cache/)",
        )

    def handle(self, *args, **options):
        k = options["k"]
        if k < 1:
            raise CommandError("--k must be at least 1")
        try:
            rows = read_corpus_rows(options["corpus"])
            docs = read_corpus(options["corpus"])
            queries = read_queries(options["queries"])
            qrels = read_qrels(options["qrels"])
        except (OSError, ValueError, IndexError) as error:
            raise CommandError(f"cannot read the files: {error}") from error
        if options["limit"] is not None:
            queries = queries[: options["limit"]]
        if not docs:
            raise CommandError("the corpus is empty")

        vectors = None
        if not options["lexical_only"]:
            cache_dir = options["cache_dir"] or Path(settings.VAR_DIR) / "cache"
            started = time.perf_counter()
            vectors, hit = embedding.cached_passage_embeddings(
                [text for _, text in docs], cache_dir, progress=self._progress
            )
            spent = time.perf_counter() - started
            how = "read from the cache" if hit else f"computed in {spent:.0f} s and cached"
            self.stdout.write(f"corpus vectors: {len(docs)} {how} ({cache_dir})")

        with transaction.atomic():
            others = KnownCheck.objects.count() + claims_for_claimreview().count()
            started = time.perf_counter()
            self._load(rows, vectors)
            self.stdout.write(
                f"loaded {len(docs)} known checks in {time.perf_counter() - started:.1f} s "
                "(rolled back at the end)"
            )
            if others:
                self.stdout.write(
                    f"the database already holds {others} earlier checks: they are ranked "
                    "too, and skipped when scoring"
                )
            matches.index_reset()
            try:
                runs, timings = self._run(queries, k, others)
            finally:
                transaction.set_rollback(True)
                matches.index_reset()

        scores = score_runs(runs, qrels, k)
        if vectors is not None:
            self.stdout.write(
                f"model: {MODEL_VERSION}, loaded in {embedding.load_seconds() or 0:.2f} s"
            )
        self.stdout.write(
            f"per query (index built on the first): p50 {statistics.median(timings):.0f} ms, "
            f"p95 {_percentile(timings, 0.95):.0f} ms"
        )
        self.stdout.write(
            f"{'fused (BM25 + e5)' if vectors is not None else 'lexical (BM25)'}: "
            f"MAP@{k} {scores.map_at_k:.3f} Recall@{k} {scores.recall_at_k:.3f} "
            f"({scores.queries} judged queries)"
        )
        self.stdout.write(f"Recall@{k} {scores.recall_at_k:.3f}")
        self.stdout.write(f"MAP@{k} {scores.map_at_k:.3f}")

    def _load(self, corpus, vectors) -> None:
        rows = []
        for n, (doc_id, claim, title) in enumerate(corpus):
            rows.append(
                KnownCheck(
                    claim_reviewed=claim.strip() or title.strip() or f"vclaim {doc_id}",
                    title=title.strip()[:500],
                    url=f"{URL_PREFIX}{doc_id}",
                    publisher_name="CheckThat! 2020 corpus",
                    embedding=None if vectors is None else embedding.to_bytes(vectors[n]),
                    embedding_model="" if vectors is None else MODEL_VERSION,
                )
            )
        for start in range(0, len(rows), BATCH):
            KnownCheck.objects.bulk_create(rows[start : start + BATCH])

    def _run(self, queries, k: int, others: int):
        runs: dict[str, list[int]] = {}
        timings: list[float] = []
        for query_id, text in queries:
            started = time.perf_counter()
            found = matches.matches_for_text(text, k=k + others)
            timings.append((time.perf_counter() - started) * 1000)
            runs[query_id] = [
                int(match.url[len(URL_PREFIX) :])
                for match in found
                if match.kind == matches.KNOWN_CHECK and match.url.startswith(URL_PREFIX)
            ][:k]
        return runs, timings

    def _progress(self, done: int, total: int) -> None:
        if done == total or done % 1024 == 0:
            self.stderr.write(f"embedding known checks: {done}/{total}")
