"""The CheckThat! 2020 Task 2 files and the lab's measures (MAP@5, Recall@5).

`verified_claims.docs.tsv` (vclaim_id, vclaim, title), `tweets.queries.tsv` (tweet_id,
tweet_content) and TREC qrels (`tweet_id 0 vclaim_id 1`). The passage for a known check is
``vclaim + " " + title``, as the app builds it from a check's claim reviewed and headline.
"""

from __future__ import annotations

import csv
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .index import RRF_K, SEMANTIC_WEIGHT, MatchIndex

csv.field_size_limit(1 << 24)

_DATA = Path("shared") / "data" / "checkthat2020-task2"


def default_data() -> Path:
    """The lab's folder beside the checkout (``../shared/data/…``), or a worktree's."""
    root = Path(__file__).resolve().parents[2]
    for base in (root.parent, root.parent.parent):
        if (base / _DATA).is_dir():
            return base / _DATA
    return root.parent / _DATA


def passage_text(claim: str, title: str) -> str:
    """The text a known check is indexed and embedded by."""
    return f"{(claim or '').strip()} {(title or '').strip()}".strip()


def _rows(path: Path) -> Iterable[list[str]]:
    with open(path, encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle, delimiter="\t")
        next(reader, None)  # the header
        for row in reader:
            if row and row[0].strip():
                yield row


def read_corpus_rows(path: Path) -> list[tuple[int, str, str]]:
    """(vclaim_id, vclaim, title) for each verified claim."""
    return [
        (int(row[0]), row[1] if len(row) > 1 else "", row[2] if len(row) > 2 else "")
        for row in _rows(path)
    ]


def read_corpus(path: Path) -> list[tuple[int, str]]:
    """(vclaim_id, passage text) for each verified claim."""
    return [(doc_id, passage_text(claim, title)) for doc_id, claim, title in read_corpus_rows(path)]


def read_queries(path: Path) -> list[tuple[str, str]]:
    """(tweet_id, text) for each query."""
    return [(row[0].strip(), row[1] if len(row) > 1 else "") for row in _rows(path)]


def read_qrels(path: Path) -> dict[str, set[int]]:
    """tweet_id -> the relevant vclaim ids (TREC format, relevance > 0)."""
    relevant: dict[str, set[int]] = {}
    with open(path, encoding="utf-8") as handle:
        for line in handle:
            parts = line.split()
            if len(parts) >= 4 and int(parts[3]) > 0:
                relevant.setdefault(parts[0], set()).add(int(parts[2]))
    return relevant


def average_precision_at(ranked: Sequence[int], relevant: set[int], k: int) -> float:
    """AP@k as the lab computes it: precision at each relevant hit, over min(|rel|, k)."""
    if not relevant:
        return 0.0
    hits, total = 0, 0.0
    for position, doc_id in enumerate(ranked[:k], start=1):
        if doc_id in relevant:
            hits += 1
            total += hits / position
    return total / min(len(relevant), k)


def recall_at(ranked: Sequence[int], relevant: set[int], k: int) -> float:
    if not relevant:
        return 0.0
    return len(relevant & set(ranked[:k])) / len(relevant)


@dataclass(frozen=True)
class Scores:
    map_at_k: float
    recall_at_k: float
    queries: int


def score_runs(runs: Mapping[str, Sequence[int]], qrels: Mapping[str, set[int]], k: int) -> Scores:
    """Mean AP@k and Recall@k over the queries that have a relevant check."""
    judged = [query_id for query_id in runs if qrels.get(query_id)]
    if not judged:
        return Scores(0.0, 0.0, 0)
    ap = sum(average_precision_at(runs[q], qrels[q], k) for q in judged) / len(judged)
    recall = sum(recall_at(runs[q], qrels[q], k) for q in judged) / len(judged)
    return Scores(ap, recall, len(judged))


@dataclass
class Report:
    lexical: Scores
    semantic: Scores | None
    fused: Scores
    #: Milliseconds per query: computing its vector, and searching with it.
    embed_ms: list[float]
    search_ms: list[float]


def evaluate(
    index: MatchIndex,
    queries: Sequence[tuple[str, str]],
    qrels: Mapping[str, set[int]],
    *,
    k: int = 5,
    embed: Callable[[str], np.ndarray] | None = None,
    rrf_k: float = RRF_K,
    semantic_weight: float = SEMANTIC_WEIGHT,
) -> Report:
    """Run every query through `index.search` (as the app does) and score the rankings.

    `embed` computes a query's vector (`embedding.embed_query`); without it, or without
    vectors in the index, the ranking is BM25 alone.
    """
    lexical_runs: dict[str, list[int]] = {}
    semantic_runs: dict[str, list[int]] = {}
    fused_runs: dict[str, list[int]] = {}
    embed_ms: list[float] = []
    search_ms: list[float] = []
    semantic = embed is not None and index.has_embeddings
    for query_id, text in queries:
        vector = None
        if semantic:
            assert embed is not None
            started = time.perf_counter()
            vector = embed(text)
            embed_ms.append((time.perf_counter() - started) * 1000)
        started = time.perf_counter()
        hits = index.search(
            text, k=k, query_embedding=vector, rrf_k=rrf_k, semantic_weight=semantic_weight
        )
        search_ms.append((time.perf_counter() - started) * 1000)
        fused_runs[query_id] = [hit.id for hit in hits]
        lexical_runs[query_id] = [index.ids[row] for row in index.lexical_ranking(text)[:k]]
        if vector is not None:
            semantic_runs[query_id] = [index.ids[row] for row in index.semantic_ranking(vector)[:k]]
    return Report(
        lexical=score_runs(lexical_runs, qrels, k),
        semantic=score_runs(semantic_runs, qrels, k) if semantic else None,
        fused=score_runs(fused_runs, qrels, k),
        embed_ms=embed_ms,
        search_ms=search_ms,
    )
