"""Matching known checks ("Checked before?", issue 13): speed over 10,000 checks, dev figures.

Run: ``.venv/bin/python bench/bench_matching.py``. No Django or database needed. Prints
figures only: the model's load time, the index build time over the CheckThat! 2020 corpus
(10,375 Snopes checks), p50/p95 of one search with its query vector computed (the dev
tweets as queries), and the dev split's MAP@5 / Recall@5 (lexical, semantic, fused), the
same code as ``manage.py evaluate_matching``. The corpus vectors come from var/cache/ (the
first run computes them, which takes minutes on two cores).
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from annotations.matching import embedding  # noqa: E402
from annotations.matching.evaluation import (  # noqa: E402
    default_data,
    evaluate,
    read_corpus,
    read_qrels,
    read_queries,
)
from annotations.matching.index import RRF_K, MatchIndex  # noqa: E402

DATA = default_data()


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def main() -> None:
    if not (DATA / "verified_claims.docs.tsv").exists():
        print(f"skipped: the CheckThat! 2020 Task 2 data is not in {DATA}")
        return
    docs = read_corpus(DATA / "verified_claims.docs.tsv")
    queries = read_queries(DATA / "dev" / "tweets.queries.tsv")
    qrels = read_qrels(DATA / "dev" / "tweet-vclaim-pairs.qrels")

    started = time.perf_counter()
    vectors, hit = embedding.cached_passage_embeddings(
        [text for _, text in docs], ROOT / "var" / "cache"
    )
    spent = time.perf_counter() - started
    source = "read from var/cache/" if hit else f"computed in {spent:.0f} s"
    print(f"corpus: {len(docs):,} known checks, vectors {source}")
    started = time.perf_counter()
    embedding.embed_query("warm up")
    print(f"model load + first query: {(time.perf_counter() - started) * 1000:.0f} ms")

    started = time.perf_counter()
    index = MatchIndex.build(docs, vectors)
    print(f"index build (BM25 + vector matrix): {time.perf_counter() - started:.2f} s")

    report = evaluate(index, queries, qrels, k=5, embed=embedding.embed_query)
    total = [e + s for e, s in zip(report.embed_ms, report.search_ms, strict=True)]
    print(
        f"one search with its query vector ({len(total)} dev tweets): "
        f"p50 {percentile(total, 0.5):.0f} ms, p95 {percentile(total, 0.95):.0f} ms "
        f"(vector p50 {statistics.median(report.embed_ms):.0f} ms, "
        f"search p50 {statistics.median(report.search_ms):.1f} ms)"
    )
    rows = [("lexical (BM25)", report.lexical), ("semantic (e5)", report.semantic)]
    rows.append((f"fused (RRF k={RRF_K})", report.fused))
    for name, scores in rows:
        assert scores is not None
        print(f"dev {name}: MAP@5 {scores.map_at_k:.3f} Recall@5 {scores.recall_at_k:.3f}")


if __name__ == "__main__":
    main()
