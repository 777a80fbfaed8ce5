"""An index over known checks: BM25 and embedding ranks, fused by reciprocal rank.

`MatchIndex.build(docs, embeddings)` takes (id, text) pairs and, optionally, their e5
passage vectors (one row per doc, float32, L2-normalised). `search(query)` returns the top
k as `Hit`s. Without embeddings (or a model) the index is BM25 alone.

The score is for reading, not for deciding: the fused reciprocal-rank score divided by the
best one possible (first on every list), so 1.0 means "first by words and by meaning".
Nothing is linked on a score; a person confirms each match.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from .text import tokenize

#: Reciprocal-rank fusion constant and the semantic list's weight, tuned on the CheckThat!
#: 2020 TRAIN split (docs/decisions.md); the dev split is only reported.
RRF_K = 20
SEMANTIC_WEIGHT = 1.5
#: How deep each list is read before fusing.
DEPTH = 100


@dataclass(frozen=True, slots=True)
class Hit:
    id: int
    #: 0..1, for a person to read; never a threshold.
    score: float
    #: 1-based positions in each list; None when the doc is not in that list's top DEPTH.
    lexical_rank: int | None
    semantic_rank: int | None


def fuse(
    lexical: Sequence[int],
    semantic: Sequence[int],
    *,
    k: int = 5,
    rrf_k: float = RRF_K,
    semantic_weight: float = SEMANTIC_WEIGHT,
) -> list[tuple[int, float, int | None, int | None]]:
    """Fuse two ranked lists of row positions: (row, normalised score, lexical, semantic)."""
    lexical_weight = 1.0
    if not semantic:
        semantic_weight = 0.0
    if not lexical:
        lexical_weight = 0.0
    best = lexical_weight / (rrf_k + 1) + semantic_weight / (rrf_k + 1)
    if best == 0:
        return []
    lexical_rank = {row: rank for rank, row in enumerate(lexical, start=1)}
    semantic_rank = {row: rank for rank, row in enumerate(semantic, start=1)}
    scored = []
    for row in lexical_rank.keys() | semantic_rank.keys():
        lr, sr = lexical_rank.get(row), semantic_rank.get(row)
        score = 0.0
        if lr is not None:
            score += lexical_weight / (rrf_k + lr)
        if sr is not None:
            score += semantic_weight / (rrf_k + sr)
        # Ties go to the better semantic rank, then the better lexical rank.
        scored.append((-score, sr or DEPTH + 1, lr or DEPTH + 1, row))
    scored.sort()
    return [
        (row, -neg / best, lexical_rank.get(row), semantic_rank.get(row))
        for neg, _, _, row in scored[:k]
    ]


_controller: Any = None


def _blas() -> Any:
    global _controller
    if _controller is None:
        from threadpoolctl import ThreadpoolController

        _controller = ThreadpoolController()
    return _controller


def _top(scores: np.ndarray, n: int) -> list[int]:
    n = min(n, len(scores))
    if n == 0:
        return []
    part = np.argpartition(-scores, n - 1)[:n]
    # Stable order: higher score first, then the lower row (older doc).
    return [int(i) for i in part[np.lexsort((part, -scores[part]))]]


class MatchIndex:
    def __init__(self, ids: list[int], bm25: object | None, embeddings: np.ndarray | None):
        self.ids = ids
        self._bm25 = bm25
        self.embeddings = embeddings

    @classmethod
    def build(
        cls, docs: Sequence[tuple[int, str]], embeddings: np.ndarray | None = None
    ) -> MatchIndex:
        ids = [int(doc_id) for doc_id, _ in docs]
        if embeddings is not None:
            embeddings = np.ascontiguousarray(embeddings, dtype=np.float32)
            if embeddings.ndim != 2 or embeddings.shape[0] != len(ids):
                raise ValueError(
                    f"embeddings must have one row per doc: {embeddings.shape} for {len(ids)}"
                )
        bm25 = None
        if ids:
            import bm25s

            bm25 = bm25s.BM25()
            # An empty doc still gets a row ("" is bm25s's empty token).
            bm25.index([tokenize(text) or [""] for _, text in docs], show_progress=False)
        return cls(ids, bm25, embeddings)

    def __len__(self) -> int:
        return len(self.ids)

    @property
    def has_embeddings(self) -> bool:
        return self.embeddings is not None

    def lexical_ranking(self, query: str, depth: int = DEPTH) -> list[int]:
        """Row positions by BM25 score, best first; docs sharing no word are left out."""
        if self._bm25 is None:
            return []
        vocab = self._bm25.vocab_dict  # type: ignore[attr-defined]
        token_ids = [vocab[t] for t in tokenize(query) if t in vocab]
        if not token_ids:
            return []
        scores = np.asarray(self._bm25.get_scores(token_ids), dtype=np.float32)  # type: ignore[attr-defined]
        rows = _top(scores, depth)
        return [row for row in rows if scores[row] > 0]

    def semantic_ranking(self, query_embedding: np.ndarray, depth: int = DEPTH) -> list[int]:
        """Row positions by cosine with the query's vector, best first."""
        if self.embeddings is None or not len(self.ids):
            return []
        query_embedding = np.asarray(query_embedding, dtype=np.float32)
        # One BLAS thread: a 10,000 x 384 product needs no more, and woken OpenBLAS threads
        # keep spinning after it, starving the embedding engine's own threads (p95 doubled).
        with _blas().limit(limits=1, user_api="blas"):
            scores = self.embeddings @ query_embedding
        return _top(scores, depth)

    def search(
        self,
        query: str,
        *,
        k: int = 5,
        query_embedding: np.ndarray | None = None,
        rrf_k: float = RRF_K,
        semantic_weight: float = SEMANTIC_WEIGHT,
    ) -> list[Hit]:
        """The top k known checks for a query text, best first.

        With embeddings in the index and no `query_embedding`, the query is embedded here
        (loading the model once per process).
        """
        if not self.ids or not query.strip():
            return []
        lexical = self.lexical_ranking(query)
        semantic: list[int] = []
        if self.embeddings is not None:
            if query_embedding is None:
                from .embedding import embed_query

                query_embedding = embed_query(query)
            semantic = self.semantic_ranking(query_embedding)
        fused = fuse(lexical, semantic, k=k, rrf_k=rrf_k, semantic_weight=semantic_weight)
        return [
            Hit(id=self.ids[row], score=round(score, 3), lexical_rank=lr, semantic_rank=sr)
            for row, score, lr, sr in fused
        ]
