"""Matching a claim against known checks ("Checked before?", issue 13). No Django here.

`query_text` builds a claim's query; `MatchIndex` ranks known checks by BM25 and by e5
embeddings and fuses the two; `embed_query` / `embed_passages` compute the vectors (the
model loads lazily, once per process); `to_bytes` / `from_bytes` store them.
"""

from .embedding import (
    MODEL_VERSION,
    embed_passages,
    embed_query,
    from_bytes,
    load_seconds,
    to_bytes,
)
from .index import Hit, MatchIndex
from .text import query_text, tokenize

__all__ = [
    "MODEL_VERSION",
    "Hit",
    "MatchIndex",
    "embed_passages",
    "embed_query",
    "from_bytes",
    "load_seconds",
    "query_text",
    "to_bytes",
    "tokenize",
]
