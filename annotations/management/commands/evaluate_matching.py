"""Measure "Checked before?" matching on CheckThat! 2020 Task 2 files (issue 13).

    python manage.py evaluate_matching --corpus verified_claims.docs.tsv \\
        --queries dev/tweets.queries.tsv --qrels dev/tweet-vclaim-pairs.qrels [--k 5] [--limit N]

Prints MAP@5 and Recall@5 of the fused ranking, the lexical-only and semantic-only figures
for the record, and timings. The last line is ``MAP@5 0.xxx``.
"""

from __future__ import annotations

import statistics
import time
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from annotations.matching import embedding
from annotations.matching.evaluation import evaluate, read_corpus, read_qrels, read_queries
from annotations.matching.index import RRF_K, SEMANTIC_WEIGHT, MatchIndex


class Command(BaseCommand):
    help = (
        "Print MAP@k and Recall@k of known-check matching on TSV files (corpus: vclaim_id, "
        "vclaim, title; queries: id, text; TREC qrels). The index is built with the app's "
        "code (MatchIndex over passage vectors, passage = vclaim + ' ' + title). For now the "
        "command reads the files directly; it does not load the corpus into the database. "
        "The corpus vectors are cached in var/cache/ keyed by the sha256 of the texts and "
        "the model version (the first run on 10,375 checks takes minutes)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--corpus", type=Path, required=True)
        parser.add_argument("--queries", type=Path, required=True)
        parser.add_argument("--qrels", type=Path, required=True)
        parser.add_argument("--k", type=int, default=5)
        parser.add_argument("--limit", type=int, default=None, help="only the first N queries")
        parser.add_argument(
            "--lexical-only", action="store_true", help="BM25 alone (no embedding model)"
        )
        parser.add_argument("--rrf-k", type=float, default=RRF_K)
        parser.add_argument("--semantic-weight", type=float, default=SEMANTIC_WEIGHT)
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

        started = time.perf_counter()
        index = MatchIndex.build(docs, vectors)
        built = time.perf_counter() - started
        self.stdout.write(f"index: {len(index)} known checks built in {built:.2f} s")

        report = evaluate(
            index,
            queries,
            qrels,
            k=k,
            embed=None if vectors is None else embedding.embed_query,
            rrf_k=options["rrf_k"],
            semantic_weight=options["semantic_weight"],
        )
        if report.embed_ms:
            self.stdout.write(
                f"model: {embedding.MODEL_VERSION}, "
                f"loaded in {embedding.load_seconds() or 0:.2f} s; query vectors "
                f"{statistics.median(report.embed_ms):.0f} ms per text (median)"
            )
        if report.search_ms:
            self.stdout.write(
                f"search: {statistics.median(report.search_ms):.1f} ms per query (median, "
                "after its vector)"
            )
        rows = [("lexical (BM25)", report.lexical)]
        if report.semantic is not None:
            rows.append(("semantic (e5)", report.semantic))
            rows.append((f"fused (RRF k={options['rrf_k']:g})", report.fused))
        for name, scores in rows:
            self.stdout.write(
                f"{name}: MAP@{k} {scores.map_at_k:.3f} Recall@{k} {scores.recall_at_k:.3f} "
                f"({scores.queries} judged queries)"
            )
        self.stdout.write(f"Recall@{k} {report.fused.recall_at_k:.3f}")
        self.stdout.write(f"MAP@{k} {report.fused.map_at_k:.3f}")

    def _progress(self, done: int, total: int) -> None:
        if done == total or done % 1024 == 0:
            self.stderr.write(f"embedding known checks: {done}/{total}")
